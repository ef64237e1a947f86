// Package progress draws a one-line progress bar (done/total, rate, ETA) on
// a terminal stream such as stderr, redrawn at most a few times a second so
// it costs nothing measurable in hot loops.
package progress

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// Bar reports progress of one phase. A nil *Bar is valid and silent.
type Bar struct {
	w        io.Writer
	label    string
	unit     string
	total    int
	start    time.Time
	last     time.Time
	interval time.Duration
	now      func() time.Time
}

// New starts a bar for total units of work (≤ 0 when unknown: the bar
// then only counts); w == nil gives a silent bar.
func New(w io.Writer, label, unit string, total int) *Bar {
	if w == nil {
		return nil
	}
	t := time.Now()
	return &Bar{w: w, label: label, unit: unit, total: total, start: t, interval: 200 * time.Millisecond, now: time.Now}
}

// Update redraws the bar if enough time has passed; extra is appended (e.g. "loss 0.123").
func (b *Bar) Update(done int, extra string) {
	if b == nil {
		return
	}
	t := b.now()
	if t.Sub(b.last) < b.interval && done < b.total {
		return
	}
	b.last = t
	fmt.Fprint(b.w, "\r"+b.line(done, t, extra)+"\x1b[K")
}

// Finish draws the final state and ends the line.
func (b *Bar) Finish(done int, extra string) {
	if b == nil {
		return
	}
	fmt.Fprint(b.w, "\r"+b.line(done, b.now(), extra)+"\x1b[K\n")
}

func (b *Bar) line(done int, t time.Time, extra string) string {
	const width = 24
	if b.total <= 0 { // unknown amount of work (an adaptive solver): count only
		s := fmt.Sprintf("%s %d %s, %.1fs", b.label, done, b.unit, t.Sub(b.start).Seconds())
		if extra != "" {
			s += "  " + extra
		}
		return s
	}
	frac := 0.0
	if b.total > 0 {
		frac = float64(done) / float64(b.total)
	}
	filled := min(int(frac*width), width)
	el := t.Sub(b.start).Seconds()
	rate := 0.0
	if el > 0 {
		rate = float64(done) / el
	}
	eta := "?"
	if rate > 0 {
		eta = (time.Duration(float64(b.total-done)/rate) * time.Second).Round(time.Second).String()
	}
	s := fmt.Sprintf("%s [%s%s] %d/%d %.0f %s/s ETA %s", b.label,
		strings.Repeat("=", filled), strings.Repeat(" ", width-filled), done, b.total, rate, b.unit, eta)
	if extra != "" {
		s += "  " + extra
	}
	return s
}
