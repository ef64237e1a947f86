// Package report writes the results of a run as one self-contained HTML file:
// headline numbers, a metrics table, figures, timings, the configuration and
// the machine. The file opens offline and on any computer: figures are
// embedded as base64 data: URIs, the style sheet is inline, and nothing
// (scripts, fonts, images) is fetched from anywhere.
//
// The markup is also well-formed XML (every element closed, every attribute
// quoted), so tools that only speak XML can read it.
package report

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"math"
	"strconv"

	"scoresde/atomicfile"
	"scoresde/sysinfo"
)

// Report is the content of a report; every field but Title may be empty, and
// empty sections are left out.
type Report struct {
	Title    string    // e.g. "Score-based diffusion on the four-well potential"
	Subtitle string    // e.g. the command line; shown in monospace
	Date     string    // when the run happened, shown under the title
	Summary  []KV      // headline numbers (W1, final loss, total time), shown as cards
	Metrics  []Metric  // the evaluation table
	Sections []Section // further titled tables, shown after Metrics
	Figures  []Figure  // shown full width, numbered from 1
	Timing   []Phase   // seconds per phase, with their share of the total
	Config   []KV      // every configuration parameter
	Env      []KV      // the machine; see EnvFrom
	Notes    []string  // caveats and remarks, one paragraph each
}

// KV is one labelled value.
type KV struct{ Key, Value string }

// Metric is one row of the metrics table.
type Metric struct {
	Name  string // e.g. "Wasserstein-1 distance"
	Value string // formatted, e.g. with Num or as "0.012 ± 0.001"
	Unit  string // may be empty
	Note  string // how to read it, e.g. "lower is better; 0 for identical distributions"
}

// Section is a titled table of metrics with an introductory paragraph and,
// optionally, a warning shown prominently above the table.
type Section struct {
	ID      string // anchor; must be unique in the page (e.g. "reweighting")
	Title   string
	Intro   string
	Warning string
	Metrics []Metric
}

// Phase is the wall-clock time of one phase of a run.
type Phase struct {
	Name    string
	Seconds float64
}

// Figure is a PNG image (or an animated GIF) with a title and a one-line
// caption that says what to look for in it.
type Figure struct {
	Title   string
	Caption string
	Alt     string // text for screen readers and broken images; Title if empty
	PNG     []byte
	GIF     []byte // used instead of PNG when PNG is empty: an animation
}

// Write renders r into the file path, atomically: the file is either left
// as it was or holds the complete report.
func Write(path string, r Report) error {
	return atomicfile.Write(path, func(w io.Writer) error { return Render(w, r) })
}

// Render writes r as an HTML document to w. It returns an error, and writes
// nothing, if a figure is not a PNG or a phase time is not a finite
// non-negative number.
func Render(w io.Writer, r Report) error {
	v, err := newView(r)
	if err != nil {
		return err
	}
	// Render into memory first so that bad input never leaves half a page.
	var buf bytes.Buffer
	if err := page.Execute(&buf, v); err != nil {
		return fmt.Errorf("report: rendering: %w", err)
	}
	_, err = buf.WriteTo(w)
	return err
}

// EnvFrom lists the machine description for Report.Env.
func EnvFrom(info sysinfo.Info) []KV {
	var kv []KV
	for _, p := range info.Pairs() {
		kv = append(kv, KV{p[0], p[1]})
	}
	return kv
}

// Num formats v with four significant digits, the precision a report reader
// can take in; Metric.Value callers wanting more can use strconv directly.
func Num(v float64) string {
	return strconv.FormatFloat(v, 'g', 4, 64)
}

// seconds formats a duration in seconds with about three significant digits.
func seconds(s float64) string {
	switch {
	case s >= 100:
		return strconv.FormatFloat(s, 'f', 0, 64)
	case s >= 10:
		return strconv.FormatFloat(s, 'f', 1, 64)
	case s >= 1:
		return strconv.FormatFloat(s, 'f', 2, 64)
	default:
		return strconv.FormatFloat(s, 'f', 3, 64)
	}
}

// view is what the template sees: the report plus everything derived from it.
type view struct {
	Report
	TOC     []tocEntry
	Figures []figureView
	Phases  []phaseView
	Total   string
	Share   string // of the total: "100 %", or "–" when all phases took 0 s
}

type tocEntry struct {
	ID, Title string
	Sub       []tocEntry
}

type figureView struct {
	ID, Title, Caption, Alt string
	N                       int
	Src                     template.URL
	Width, Height           int
}

type phaseView struct {
	Name, Seconds, Share string
	Width                string // bar width, percent of the longest phase
}

func newView(r Report) (*view, error) {
	v := &view{Report: r}
	if v.Title == "" {
		v.Title = "Report"
	}
	for i, f := range r.Figures {
		n := i + 1
		img, mime, err := figureImage(f)
		if err != nil {
			return nil, fmt.Errorf("report: figure %d (%q) %w", n, f.Title, err)
		}
		cfg := img
		alt := f.Alt
		if alt == "" {
			alt = f.Title
		}
		v.Figures = append(v.Figures, figureView{
			ID: "fig-" + strconv.Itoa(n), N: n, Title: f.Title, Caption: f.Caption, Alt: alt,
			// A data: URI built here from base64 text is safe by construction;
			// html/template would otherwise refuse the data: scheme.
			Src:   template.URL("data:" + mime + ";base64," + base64.StdEncoding.EncodeToString(imageBytes(f))),
			Width: cfg.Width, Height: cfg.Height,
		})
	}
	var total, longest float64
	for _, p := range r.Timing {
		if math.IsNaN(p.Seconds) || math.IsInf(p.Seconds, 0) || p.Seconds < 0 {
			return nil, fmt.Errorf("report: phase %q takes %v s; want a finite number ≥ 0", p.Name, p.Seconds)
		}
		total += p.Seconds
		longest = max(longest, p.Seconds)
	}
	for _, p := range r.Timing {
		pv := phaseView{Name: p.Name, Seconds: seconds(p.Seconds), Share: "–", Width: "0"}
		if total > 0 {
			pv.Share = strconv.FormatFloat(100*p.Seconds/total, 'f', 1, 64) + " %"
			pv.Width = strconv.FormatFloat(100*p.Seconds/longest, 'f', 1, 64)
		}
		v.Phases = append(v.Phases, pv)
	}
	v.Total, v.Share = seconds(total), "–"
	if total > 0 {
		v.Share = "100 %"
	}

	add := func(ok bool, id, title string) {
		if ok {
			v.TOC = append(v.TOC, tocEntry{ID: id, Title: title})
		}
	}
	add(len(r.Summary) > 0, "summary", "Summary")
	add(len(r.Metrics) > 0, "metrics", "Metrics")
	for _, s := range r.Sections {
		add(true, s.ID, s.Title)
	}
	add(len(r.Figures) > 0, "figures", "Figures")
	if len(v.Figures) > 0 {
		e := &v.TOC[len(v.TOC)-1]
		for _, f := range v.Figures {
			e.Sub = append(e.Sub, tocEntry{ID: f.ID, Title: f.Title})
		}
	}
	add(len(r.Timing) > 0, "timing", "Timing")
	add(len(r.Config) > 0, "config", "Configuration")
	add(len(r.Env) > 0, "environment", "Environment")
	add(len(r.Notes) > 0, "notes", "Notes")
	return v, nil
}
