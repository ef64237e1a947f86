package figures

import (
	"fmt"
	"image/color"
	"math"
	"slices"

	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"scoresde/stats"
)

// MaxScatterPoints caps the points drawn per scatter panel; larger sets are
// thinned by an even stride, which keeps the SVG small without changing
// the picture.
const MaxScatterPoints = 5000

// checkPoints validates flat row-major d-dimensional points.
func checkPoints(what string, x []float64, d int) error {
	if d < 1 {
		return fmt.Errorf("figures: dimension %d, want at least 1", d)
	}
	if len(x) == 0 || len(x)%d != 0 {
		return fmt.Errorf("figures: %s has %d values, want a positive multiple of the dimension %d", what, len(x), d)
	}
	for i, v := range x {
		if !finite(v) {
			return fmt.Errorf("figures: %s point %d coordinate %d is %v; plot only finite values", what, i/d, i%d, v)
		}
	}
	return nil
}

// bounds2D returns the range to plot two 2-D point sets in, widened by
// frac of the span on each side: all of a (the data), and the central
// 99% of b (the samples) along each axis, so that a few stray samples far
// out do not shrink everything else to a dot.
func bounds2D(a, b []float64, frac float64) (xr, yr [2]float64) {
	xr = [2]float64{math.Inf(1), math.Inf(-1)}
	yr = xr
	for i := 0; i < len(a); i += 2 {
		xr = [2]float64{math.Min(xr[0], a[i]), math.Max(xr[1], a[i])}
		yr = [2]float64{math.Min(yr[0], a[i+1]), math.Max(yr[1], a[i+1])}
	}
	for k, r := range []*[2]float64{&xr, &yr} {
		col := make([]float64, 0, len(b)/2)
		for i := k; i < len(b); i += 2 {
			col = append(col, b[i])
		}
		if len(col) == 0 {
			continue
		}
		slices.Sort(col)
		lo, hi := col[int(0.005*float64(len(col)-1))], col[int(math.Ceil(0.995*float64(len(col)-1)))]
		*r = [2]float64{math.Min(r[0], lo), math.Max(r[1], hi)}
	}
	widen := func(r [2]float64) [2]float64 {
		p := frac * (r[1] - r[0])
		if p == 0 {
			p = 0.5
		}
		return [2]float64{r[0] - p, r[1] + p}
	}
	return widen(xr), widen(yr)
}

func (c *chart) setRange(xr, yr [2]float64) {
	c.p.X.Min, c.p.X.Max = xr[0], xr[1]
	c.p.Y.Min, c.p.Y.Max = yr[0], yr[1]
}

// Scatter2D draws 2-D training data (left) and generated samples (right),
// flat row-major, as scatter plots on the same axes.
func Scatter2D(path string, data, samples []float64) error {
	if err := checkPoints("data", data, 2); err != nil {
		return err
	}
	if err := checkPoints("samples", samples, 2); err != nil {
		return err
	}
	xr, yr := bounds2D(data, samples, 0.03)
	var row []*chart
	for _, s := range []struct {
		title string
		x     []float64
		col   color.Color
	}{{"data", data, defaultColors[0]}, {"generated", samples, defaultColors[3]}} {
		n := len(s.x) / 2
		step := max(1, (n+MaxScatterPoints-1)/MaxScatterPoints)
		xy := make(plotter.XYs, 0, n/step+1)
		for i := 0; i < n; i += step {
			xy = append(xy, plotter.XY{X: s.x[2*i], Y: s.x[2*i+1]})
		}
		sc, err := plotter.NewScatter(xy)
		if err != nil {
			return fmt.Errorf("figures: %s scatter: %w", s.title, err)
		}
		r, g, b, _ := s.col.RGBA()
		sc.Color = color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: 0x80}
		sc.Shape = draw.CircleGlyph{}
		sc.Radius = vg.Points(1.3)
		c := newChart(fmt.Sprintf("%s (%d points)", s.title, n), "x₁", "x₂")
		c.addGrid()
		c.p.Add(sc)
		c.setRange(xr, yr)
		row = append(row, c)
	}
	return gridFigure(12, 5.5, [][]*chart{row}).save(path)
}

// isoProportionLevels returns density levels whose superlevel sets hold
// the fractions 1−q of the mass on the grid (seaborn's kdeplot levels), for
// q evenly spaced from 0.05 to 0.95.
func isoProportionLevels(z []float64, count int) []float64 {
	s := slices.Clone(z)
	slices.Sort(s)
	var total float64
	for _, v := range s {
		total += v
	}
	levels := make([]float64, 0, count)
	var cum float64
	k := 0
	for i := range count {
		q := 0.05 + 0.9*float64(i)/float64(count-1)
		for k < len(s)-1 && cum+s[k] < q*total {
			cum += s[k]
			k++
		}
		if len(levels) == 0 || s[k] > levels[len(levels)-1] {
			levels = append(levels, s[k])
		}
	}
	return levels
}

// Density2D draws contours of the 2-D Gaussian kernel density estimates
// (scipy's Scott rule with the full covariance) of the data (left) and the
// generated samples (right) on one grid, with the same density levels:
// those enclosing 95%, …, 5% of the data estimate's mass.
func Density2D(path string, data, samples []float64) error {
	if err := checkPoints("data", data, 2); err != nil {
		return err
	}
	if err := checkPoints("samples", samples, 2); err != nil {
		return err
	}
	xr, yr := bounds2D(data, samples, 0.1)
	o := stats.KDE2DOptions{XRange: xr, YRange: yr}
	var grids [2]*stats.Grid2D
	for i, s := range [][]float64{data, samples} {
		var err error
		if grids[i], err = stats.KDE2D(s, o); err != nil {
			return fmt.Errorf("figures: density of the %s: %w", []string{"data", "samples"}[i], err)
		}
	}
	levels := isoProportionLevels(grids[0].Z, 8)
	cm, err := moreland.NewLuminance([]color.Color{rgb(0x08, 0x30, 0x6b), rgb(0xc6, 0xdb, 0xef)})
	if err != nil {
		return fmt.Errorf("figures: contour colours: %w", err)
	}
	pal := palette.Reverse(cm).Palette(len(levels))
	var row []*chart
	for i, title := range []string{"data density", "generated density"} {
		g := grids[i]
		h := &Heat{X: g.X, Y: g.Y, Z: g.Z}
		ct := plotter.NewContour(grid{h}, levels, pal)
		ct.Min, ct.Max = levels[0], levels[len(levels)-1]
		if ct.Min == ct.Max {
			ct.Max = ct.Min + 1
		}
		ct.LineStyles = []draw.LineStyle{{Width: vg.Points(1.4)}}
		c := newChart(title, "x₁", "x₂")
		c.addGrid()
		c.p.Add(ct)
		c.setRange(xr, yr)
		row = append(row, c)
	}
	return gridFigure(12, 5.5, [][]*chart{row}).save(path)
}

// Marginals draws, for each coordinate of d-dimensional points (flat,
// row-major), kernel density estimates of the data (solid blue) and the
// generated samples (dashed red), three panels per row.
func Marginals(path string, data, samples []float64, d int) error {
	if err := checkPoints("data", data, d); err != nil {
		return err
	}
	if err := checkPoints("samples", samples, d); err != nil {
		return err
	}
	cols := min(d, 3)
	rows := make([][]*chart, (d+cols-1)/cols)
	for i := range rows {
		rows[i] = make([]*chart, cols)
	}
	for j := range d {
		c, err := densityChart(fmt.Sprintf("coordinate %d", j+1), fmt.Sprintf("x%s", subscript(j+1)), [2]float64{}, 1, []curve{
			{label: "data", sample: column(data, d, j), color: notebookColors[0]},
			{label: "generated", sample: column(samples, d, j), color: notebookColors[3], dashed: true},
		})
		if err != nil {
			return err
		}
		rows[j/cols][j%cols] = c
	}
	return gridFigure(4.5*float64(cols), 3.8*float64(len(rows)), rows).save(path)
}

func column(x []float64, d, j int) []float64 {
	c := make([]float64, len(x)/d)
	for i := range c {
		c[i] = x[i*d+j]
	}
	return c
}

// subscript writes n with Unicode subscript digits.
func subscript(n int) string {
	var s []rune
	for _, r := range fmt.Sprint(n) {
		s = append(s, '₀'+(r-'0'))
	}
	return string(s)
}
