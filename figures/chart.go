// Package figures draws scoresde's figures with gonum/plot: the notebook's
// figures (data, forward densities, score field, loss, forward against
// backward densities), their two-dimensional counterparts, and general line
// plots and heat maps for other packages.
//
// Every function takes plain data and a path without extension and writes
// path.png and path.svg (each atomically). Legends are placed where they do
// not cover data: in a free top corner, in headroom added above the curves,
// or beside the plot.
package figures

import (
	"fmt"
	"image/color"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Series is one curve of a line plot.
type Series struct {
	Label  string // legend text; empty means no legend entry
	X, Y   []float64
	Dashed bool
	Color  color.Color // nil picks the next colour of matplotlib's tab10 cycle
}

// defaultColors is the colour cycle for series without a colour
// (matplotlib's tab10).
var defaultColors = []color.Color{
	rgb(0x1f, 0x77, 0xb4), rgb(0xff, 0x7f, 0x0e), rgb(0x2c, 0xa0, 0x2c),
	rgb(0xd6, 0x27, 0x28), rgb(0x94, 0x67, 0xbd), rgb(0x8c, 0x56, 0x4b),
	rgb(0xe3, 0x77, 0xc2), rgb(0x7f, 0x7f, 0x7f), rgb(0xbc, 0xbd, 0x22),
	rgb(0x17, 0xbe, 0xcf),
}

// notebookColors are the notebook's per-time colours 'b', 'y', 'k', 'r',
// 'gray' (matplotlib's single-letter colours).
var notebookColors = []color.Color{
	rgb(0, 0, 0xff), rgb(0xbf, 0xbf, 0), color.Black, rgb(0xff, 0, 0), rgb(0x80, 0x80, 0x80),
}

func rgb(r, g, b uint8) color.Color { return color.NRGBA{R: r, G: g, B: b, A: 0xff} }

// timeColor is the colour of the i-th time of a notebook density figure.
func timeColor(i int) color.Color {
	if i < len(notebookColors) {
		return notebookColors[i]
	}
	return defaultColors[(i-len(notebookColors))%len(defaultColors)]
}

const (
	dpi        = 120
	titleSize  = 15
	labelSize  = 13
	tickSize   = 11
	legendSize = 11
	lineWidth  = 1.6
)

var (
	sansFont  = font.Font{Typeface: "Liberation", Variant: "Sans"}
	dashStyle = []vg.Length{vg.Points(6), vg.Points(3)}
	gridColor = color.Gray{Y: 0xe0}
)

// chart is one panel: a plot plus what is needed to place its legend
// without covering data.
type chart struct {
	p *plot.Plot
	// legend entries, drawn by drawChart rather than by p.Legend.
	legend []legendEntry
	// paths are data polylines the legend must not cover.
	paths []plotter.XYs
	// headroom allows raising Y.Max to make room for the legend.
	headroom bool
	// placement chosen by placeLegend.
	place legendPlace
	// yRange is the y range before placeLegend added headroom, so that
	// placing again (for the second output format) starts afresh.
	yRange    [2]float64
	yRangeSet bool
}

type legendEntry struct {
	label string
	thumb plot.Thumbnailer
}

type legendPlace int

const (
	legendTopRight legendPlace = iota
	legendTopLeft
	legendOutside
)

// newChart returns an empty panel with the package's text styles.
func newChart(title, xlabel, ylabel string) *chart {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font = font.From(sansFont, titleSize)
	p.Title.Padding = vg.Points(6)
	for _, ax := range []*plot.Axis{&p.X, &p.Y} {
		ax.Label.TextStyle.Font = font.From(sansFont, labelSize)
		ax.Tick.Label.Font = font.From(sansFont, tickSize)
		ax.Padding = vg.Points(2)
		ax.Tick.Marker = niceTicks{n: 6}
	}
	p.X.Label.Text = xlabel
	p.Y.Label.Text = ylabel
	return &chart{p: p, headroom: true}
}

// addGrid draws light grid lines under the data.
func (c *chart) addGrid() {
	g := plotter.NewGrid()
	g.Horizontal.Color, g.Vertical.Color = gridColor, gridColor
	g.Horizontal.Width, g.Vertical.Width = vg.Points(0.5), vg.Points(0.5)
	c.p.Add(g)
}

// addSeries adds a line; i picks the default colour.
func (c *chart) addSeries(s Series, i int) error {
	if len(s.X) != len(s.Y) {
		return fmt.Errorf("figures: series %q has %d x and %d y values; they must pair up", s.Label, len(s.X), len(s.Y))
	}
	if len(s.X) == 0 {
		return fmt.Errorf("figures: series %q is empty", s.Label)
	}
	xy := make(plotter.XYs, len(s.X))
	for k := range xy {
		xy[k].X, xy[k].Y = s.X[k], s.Y[k]
		if !finite(xy[k].X) || !finite(xy[k].Y) {
			return fmt.Errorf("figures: series %q point %d is (%v, %v); plot only finite values", s.Label, k, xy[k].X, xy[k].Y)
		}
	}
	// The PNG rasteriser's cost grows with the square of one path's extent,
	// so a long jagged series (a 10,000-step trajectory) is drawn as
	// consecutive pieces sharing their end points: seconds become
	// milliseconds and the picture is the same.
	const piece = 256
	var first *plotter.Line
	for lo := 0; lo < len(xy)-1 || lo == 0; lo += piece {
		l, err := plotter.NewLine(xy[lo:min(lo+piece+1, len(xy))])
		if err != nil {
			return fmt.Errorf("figures: series %q: %w", s.Label, err)
		}
		l.Color = s.Color
		if l.Color == nil {
			l.Color = defaultColors[i%len(defaultColors)]
		}
		l.Width = vg.Points(lineWidth)
		if s.Dashed {
			l.Dashes = dashStyle
		}
		c.p.Add(l)
		if first == nil {
			first = l
		}
	}
	c.paths = append(c.paths, xy)
	if s.Label != "" {
		c.legend = append(c.legend, legendEntry{s.Label, first})
	}
	return nil
}

// setX fixes the horizontal range.
func (c *chart) setX(lo, hi float64) { c.p.X.Min, c.p.X.Max = lo, hi }

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// newLegend returns a legend holding the chart's entries.
func (c *chart) newLegend() plot.Legend {
	l := plot.NewLegend()
	l.TextStyle.Font = font.From(sansFont, legendSize)
	l.ThumbnailWidth = vg.Points(28)
	l.Padding = vg.Points(2)
	l.Top, l.Left = true, true
	for _, e := range c.legend {
		l.Add(e.label, e.thumb)
	}
	return l
}

// legendPad is the space between the legend frame and its entries, and
// between the frame and the data area's edge.
const legendPad = vg.Length(5)

// legendSize returns the size of the legend with its frame.
func (c *chart) legendSize() (w, h vg.Length) {
	l := c.newLegend()
	r := l.Rectangle(draw.Canvas{})
	s := r.Size()
	return s.X + 2*legendPad, s.Y + 2*legendPad
}

// legendBox returns the framed legend's rectangle for a placement inside
// the data canvas dc.
func (c *chart) legendBox(dc draw.Canvas, place legendPlace) vg.Rectangle {
	w, h := c.legendSize()
	top := dc.Max.Y - legendPad
	if place == legendTopLeft {
		x := dc.Min.X + legendPad
		return vg.Rectangle{Min: vg.Point{X: x, Y: top - h}, Max: vg.Point{X: x + w, Y: top}}
	}
	x := dc.Max.X - legendPad
	return vg.Rectangle{Min: vg.Point{X: x - w, Y: top - h}, Max: vg.Point{X: x, Y: top}}
}

// placeLegend chooses where the legend goes when the chart is drawn on
// canvas cv: the first top corner it does not cover data in, raising the
// top of the y range step by step if allowed, or else beside the plot.
func (c *chart) placeLegend(cv draw.Canvas) {
	if len(c.legend) == 0 {
		return
	}
	if !c.yRangeSet {
		c.yRange, c.yRangeSet = [2]float64{c.p.Y.Min, c.p.Y.Max}, true
	}
	ymin, ymax := c.yRange[0], c.yRange[1]
	steps := []float64{1}
	if c.headroom {
		steps = []float64{1, 1.15, 1.3, 1.45, 1.6, 1.8}
	}
	for _, f := range steps {
		c.p.Y.Max = ymin + (ymax-ymin)*f
		dc := c.p.DataCanvas(cv)
		for _, place := range []legendPlace{legendTopRight, legendTopLeft} {
			if !c.covers(dc, c.legendBox(dc, place)) {
				c.place = place
				return
			}
		}
	}
	c.p.Y.Max = ymax
	c.place = legendOutside
}

// covers reports whether any data path passes through the rectangle r
// (grown by a small margin) when drawn on the data canvas dc.
func (c *chart) covers(dc draw.Canvas, r vg.Rectangle) bool {
	const margin = 5
	r.Min.X -= margin
	r.Min.Y -= margin
	r.Max.X += margin
	r.Max.Y += margin
	tx, ty := c.p.Transforms(&dc)
	for _, xy := range c.paths {
		prev := vg.Point{X: tx(xy[0].X), Y: ty(xy[0].Y)}
		if inside(prev, r) {
			return true
		}
		for _, q := range xy[1:] {
			cur := vg.Point{X: tx(q.X), Y: ty(q.Y)}
			if segmentHits(prev, cur, r) {
				return true
			}
			prev = cur
		}
	}
	return false
}

func inside(p vg.Point, r vg.Rectangle) bool {
	return p.X >= r.Min.X && p.X <= r.Max.X && p.Y >= r.Min.Y && p.Y <= r.Max.Y
}

// segmentHits reports whether the segment a–b meets rectangle r
// (Liang–Barsky clipping).
func segmentHits(a, b vg.Point, r vg.Rectangle) bool {
	t0, t1 := 0.0, 1.0
	dx, dy := float64(b.X-a.X), float64(b.Y-a.Y)
	for _, e := range [4][2]float64{
		{-dx, float64(a.X - r.Min.X)},
		{dx, float64(r.Max.X - a.X)},
		{-dy, float64(a.Y - r.Min.Y)},
		{dy, float64(r.Max.Y - a.Y)},
	} {
		p, q := e[0], e[1]
		if p == 0 {
			if q < 0 {
				return false
			}
			continue
		}
		t := q / p
		if p < 0 {
			t0 = math.Max(t0, t)
		} else {
			t1 = math.Min(t1, t)
		}
		if t0 > t1 {
			return false
		}
	}
	return true
}

// draw draws the chart and its legend on canvas cv.
func (c *chart) draw(cv draw.Canvas) {
	if len(c.legend) == 0 {
		c.p.Draw(cv)
		return
	}
	w, h := c.legendSize()
	var box vg.Rectangle
	if c.place == legendOutside {
		plotC := draw.Crop(cv, 0, -(w + 2*legendPad), 0, 0)
		c.p.Draw(plotC)
		dc := c.p.DataCanvas(plotC)
		x := cv.Max.X - w
		box = vg.Rectangle{Min: vg.Point{X: x, Y: dc.Max.Y - h}, Max: vg.Point{X: x + w, Y: dc.Max.Y}}
	} else {
		c.p.Draw(cv)
		box = c.legendBox(c.p.DataCanvas(cv), c.place)
	}
	drawFramedLegend(cv, c.newLegend(), box)
}

// drawFramedLegend draws the legend on a white, grey-framed box.
func drawFramedLegend(cv draw.Canvas, l plot.Legend, box vg.Rectangle) {
	frame := box.Path()
	cv.SetColor(color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xe6})
	cv.Fill(frame)
	cv.SetLineStyle(draw.LineStyle{Color: color.Gray{Y: 0xb0}, Width: vg.Points(0.6)})
	cv.Stroke(frame)
	inner := draw.Canvas{Canvas: cv.Canvas, Rectangle: vg.Rectangle{
		Min: vg.Point{X: box.Min.X + legendPad, Y: box.Min.Y + legendPad},
		Max: vg.Point{X: box.Max.X - legendPad, Y: box.Max.Y - legendPad},
	}}
	l.Draw(inner)
}

// niceTicks labels about n round values (steps of 1, 2, 2.5 or 5 times a
// power of ten) with unlabelled minor ticks between them, all labels with
// the same number of decimals. gonum/plot's default labels only 2–3 values.
type niceTicks struct{ n int }

func (t niceTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(hi > lo) || !finite(lo) || !finite(hi) {
		return plot.DefaultTicks{}.Ticks(lo, hi)
	}
	raw := (hi - lo) / float64(t.n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	var step, minor float64
	decimals := max(0, -int(math.Floor(math.Log10(mag))))
	for _, m := range []struct {
		mult, minors float64
		extra        int
	}{{1, 5, 0}, {2, 4, 0}, {2.5, 5, 1}, {5, 5, 0}, {10, 5, 0}} {
		step = m.mult * mag
		minor = step / m.minors
		if (hi-lo)/step <= float64(t.n)+0.5 {
			decimals = max(0, decimals+m.extra)
			if m.mult == 10 {
				decimals = max(0, decimals-1)
			}
			break
		}
	}
	var ticks []plot.Tick
	eps := 1e-9 * step
	for k := math.Ceil((lo - eps) / minor); k*minor <= hi+eps; k++ {
		v := k * minor
		major := math.Abs(v/step-math.Round(v/step)) < 1e-6
		tk := plot.Tick{Value: v}
		if major {
			if math.Abs(v) < eps {
				v = 0 // avoid "-0.0"
			}
			tk.Label = strconv.FormatFloat(v, 'f', decimals, 64)
		}
		ticks = append(ticks, tk)
	}
	return ticks
}
