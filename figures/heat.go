package figures

import (
	"fmt"
	"image"
	"image/color"
	"math"

	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Heat is a field on a rectangular grid for HeatMap.
type Heat struct {
	Title, XLabel, YLabel string
	// X and Y are the grid coordinates, strictly increasing.
	X, Y []float64
	// Z[j*len(X)+i] is the value at (X[i], Y[j]).
	Z []float64
	// Centered selects a diverging blue–white–red colour map with a range
	// symmetric about zero (for signed fields such as a score); otherwise a
	// sequential map spans [min Z, max Z].
	Centered bool
}

// grid adapts Heat to plotter.GridXYZ.
type grid struct{ h *Heat }

func (g grid) Dims() (c, r int)   { return len(g.h.X), len(g.h.Y) }
func (g grid) Z(c, r int) float64 { return g.h.Z[r*len(g.h.X)+c] }
func (g grid) X(c int) float64    { return g.h.X[c] }
func (g grid) Y(r int) float64    { return g.h.Y[r] }

func (h *Heat) validate() error {
	if len(h.X) < 2 || len(h.Y) < 2 {
		return fmt.Errorf("figures: heat map grid is %d×%d, want at least 2×2", len(h.X), len(h.Y))
	}
	if len(h.Z) != len(h.X)*len(h.Y) {
		return fmt.Errorf("figures: heat map has %d values for a %d×%d grid; want len(X)·len(Y)", len(h.Z), len(h.X), len(h.Y))
	}
	for _, axis := range []struct {
		name string
		v    []float64
	}{{"X", h.X}, {"Y", h.Y}} {
		for i, v := range axis.v {
			if !finite(v) || (i > 0 && !(v > axis.v[i-1])) {
				return fmt.Errorf("figures: heat map %s coordinates must be finite and strictly increasing (index %d is %v)", axis.name, i, v)
			}
		}
	}
	for k, v := range h.Z {
		if !finite(v) {
			return fmt.Errorf("figures: heat map value at X[%d], Y[%d] is %v; plot only finite values", k%len(h.X), k/len(h.X), v)
		}
	}
	return nil
}

// colorRange returns the colour map and its range for the values.
func (h *Heat) colorRange() (palette.ColorMap, float64, float64) {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range h.Z {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	var cm palette.ColorMap
	if h.Centered {
		m := math.Max(math.Abs(lo), math.Abs(hi))
		lo, hi = -m, m
		cm = moreland.SmoothBlueRed()
	} else {
		cm = moreland.ExtendedBlackBody()
	}
	if !(hi > lo) { // a constant field still needs a range to draw
		lo, hi = lo-1, hi+1
	}
	cm.SetMin(lo)
	cm.SetMax(hi)
	return cm, lo, hi
}

// HeatMap draws h as coloured cells with a colour bar beside it.
func HeatMap(path string, h Heat) error {
	if err := h.validate(); err != nil {
		return err
	}
	return heatFigure(&h).save(path)
}

// ScoreField draws a score u(x, t) on the grid x × t as a heat map (the
// notebook's pcolormesh with the coolwarm map): u[j*len(x)+i] = u(x[i], t[j]),
// x horizontal, t vertical, colours centred on zero.
func ScoreField(path, title string, x, t, u []float64) error {
	return HeatMap(path, Heat{Title: title, XLabel: "x", YLabel: "t", X: x, Y: t, Z: u, Centered: true})
}

func heatFigure(h *Heat) figure {
	const barWidth = 0.22 * vg.Inch
	// Vector cells leave hairline seams where anti-aliased edges meet; an
	// image has none, but it can only represent an even grid. It is made
	// once for both renderings (PNG and SVG).
	var cells *plotter.Image
	if even(h.X) && even(h.Y) {
		cm, _, _ := h.colorRange()
		cells = cellImage(h, cm)
	}
	return figure{w: 7.5, h: 5.5, draw: func(dc draw.Canvas) {
		cm, lo, hi := h.colorRange()
		heat := newChart(h.Title, h.XLabel, h.YLabel)
		heat.p.X.Padding, heat.p.Y.Padding = 0, 0 // cells fill the frame
		if cells != nil {
			heat.p.Add(cells)
		} else {
			hm := plotter.NewHeatMap(grid{h}, cm.Palette(255))
			hm.Min, hm.Max = lo, hi
			heat.p.Add(hm)
		}

		bar := newChart("", "", "")
		bar.p.Add(&plotter.ColorBar{ColorMap: cm, Vertical: true})
		bar.p.HideX()
		bar.p.Y.Padding = 0

		// The colour bar's tick labels sit left of the bar: measure them
		// on a trial strip, then size the strip for a bar of barWidth.
		right := dc.Max.X - 2*edgePad
		trial := draw.Crop(dc, 0, 0, edgePad, -edgePad)
		trial.Min.X = right - vg.Inch
		axisWidth := bar.p.DataCanvas(trial).Min.X - trial.Min.X
		stripMin := right - barWidth - axisWidth

		left := draw.Crop(dc, edgePad, -(dc.Max.X - stripMin + panelGap/2), edgePad, -edgePad)
		heat.draw(left)
		// Give the bar the vertical extent of the heat map's data area.
		hd := heat.p.DataCanvas(left)
		strip := draw.Canvas{Canvas: dc.Canvas, Rectangle: hd.Rectangle}
		strip.Min.X, strip.Max.X = stripMin, right
		bd := bar.p.DataCanvas(strip)
		strip = draw.Crop(strip, 0, 0, hd.Min.Y-bd.Min.Y, hd.Max.Y-bd.Max.Y)
		bar.draw(strip)
	}}
}

// even reports whether the coordinates are evenly spaced (to rounding).
func even(v []float64) bool {
	step := (v[len(v)-1] - v[0]) / float64(len(v)-1)
	for i := 1; i < len(v); i++ {
		if math.Abs(v[i]-v[i-1]-step) > 1e-6*math.Abs(step) {
			return false
		}
	}
	return true
}

// cellImage paints each grid cell as a block of pixels, centred on its grid
// point as pcolormesh's shading='auto'. Blocks of several pixels keep cell
// edges sharp when the image is scaled to the plot. Each cell's colour is
// looked up once and its block filled through the pixel slice, not pixel
// by pixel through image.Set (docs/performance.md).
func cellImage(h *Heat, cm palette.ColorMap) *plotter.Image {
	nx, ny := len(h.X), len(h.Y)
	k := max(1, (600+max(nx, ny)-1)/max(nx, ny))
	img := image.NewNRGBA(image.Rect(0, 0, nx*k, ny*k))
	for j := range ny {
		// Image rows run downwards, Y upwards: grid row j is the block of
		// image rows starting at y0; fill its first row, then copy it.
		y0 := (ny - 1 - j) * k
		row := img.Pix[y0*img.Stride : y0*img.Stride+nx*k*4]
		for i := range nx {
			v := math.Min(math.Max(h.Z[j*nx+i], cm.Min()), cm.Max())
			c, err := cm.At(v)
			if err != nil { // unreachable: v is clamped to the range
				c = color.Black
			}
			nc := color.NRGBAModel.Convert(c).(color.NRGBA)
			for x := i * k; x < (i+1)*k; x++ {
				copy(row[4*x:], []byte{nc.R, nc.G, nc.B, nc.A})
			}
		}
		for y := y0 + 1; y < y0+k; y++ {
			copy(img.Pix[y*img.Stride:], row)
		}
	}
	dx := (h.X[nx-1] - h.X[0]) / float64(nx-1)
	dy := (h.Y[ny-1] - h.Y[0]) / float64(ny-1)
	return plotter.NewImage(img, h.X[0]-dx/2, h.Y[0]-dy/2, h.X[nx-1]+dx/2, h.Y[ny-1]+dy/2)
}
