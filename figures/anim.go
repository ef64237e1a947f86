package figures

import (
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"io"
	"math"
	"slices"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"

	"scoresde/atomicfile"
)

// Animation is a diffusion process shown frame by frame: the states of n
// points (dimension D, flattened) at the given times. In 1-D each frame is
// the states' density beside the data's; in 2-D (or the first two
// coordinates of more) the points themselves over the data, so they are
// seen to flow.
type Animation struct {
	Title  string      // e.g. "reverse process"
	D      int         // dimension of a point
	Times  []float64   // one per frame
	States [][]float64 // one per frame, all of the same length
	Data   []float64   // the data, drawn in grey in every frame
}

// Animation geometry: small frames, a fixed palette, 12 frames a second
// with the last held for 1.5 s.
const (
	animW, animH  = 420, 320
	animDelay     = 8   // hundredths of a second per frame
	animLastDelay = 150 // hold on the final frame
	animMaxPoints = 2000
)

var animPalette = color.Palette{
	color.White,
	rgb(0xc8, 0xc8, 0xc8), // data points
	rgb(0x99, 0x99, 0x99), // data density, axes
	color.Black,           // text
	rgb(0x1f, 0x77, 0xb4), // states
	rgb(0xc6, 0xdb, 0xef), // fill under the states' density
}

const (
	cWhite = iota
	cLight
	cGrey
	cBlack
	cBlue
	cPale
)

func (a *Animation) validate() error {
	if a.D < 1 {
		return fmt.Errorf("figures: animation dimension %d, want ≥ 1", a.D)
	}
	if len(a.States) < 2 || len(a.Times) != len(a.States) {
		return fmt.Errorf("figures: animation needs ≥ 2 frames with one time each, got %d frames and %d times", len(a.States), len(a.Times))
	}
	n := len(a.States[0])
	if n == 0 || n%a.D != 0 {
		return fmt.Errorf("figures: animation frame of %d values for dimension %d", n, a.D)
	}
	for k, s := range a.States {
		if len(s) != n {
			return fmt.Errorf("figures: animation frame %d has %d values, frame 0 %d", k, len(s), n)
		}
	}
	if len(a.Data) == 0 || len(a.Data)%a.D != 0 {
		return fmt.Errorf("figures: animation data of %d values for dimension %d", len(a.Data), a.D)
	}
	return nil
}

// WriteGIF draws a as an animated GIF at path (atomically).
func WriteGIF(path string, a Animation) error {
	if err := a.validate(); err != nil {
		return err
	}
	g, err := a.render()
	if err != nil {
		return err
	}
	return atomicfile.Write(path, func(w io.Writer) error { return gif.EncodeAll(w, g) })
}

// plotArea is the frame's plotting rectangle.
var plotArea = image.Rect(44, 30, animW-14, animH-30)

func (a *Animation) render() (*gif.GIF, error) {
	g := &gif.GIF{}
	var draw func(img *image.Paletted, k int)
	if a.D == 1 {
		draw = a.density1D()
	} else {
		draw = a.points2D()
	}
	for k := range a.States {
		img := image.NewPaletted(image.Rect(0, 0, animW, animH), animPalette)
		draw(img, k)
		label(img, 8, 18, fmt.Sprintf("%s   t = %.3f", a.Title, a.Times[k]))
		// a progress bar under the title: how far through the process
		w := (plotArea.Dx() * (k + 1)) / len(a.States)
		for x := plotArea.Min.X; x < plotArea.Min.X+w; x++ {
			img.SetColorIndex(x, 23, cBlue)
			img.SetColorIndex(x, 24, cBlue)
		}
		g.Image = append(g.Image, img)
		g.Delay = append(g.Delay, animDelay)
	}
	g.Delay[len(g.Delay)-1] = animLastDelay
	return g, nil
}

// density1D draws each frame's density (a smoothed histogram) over the
// data's, on axes fixed for the whole animation.
func (a *Animation) density1D() func(img *image.Paletted, k int) {
	all := slices.Clone(a.Data)
	for _, s := range a.States {
		all = append(all, s...)
	}
	lo, hi := quantileRange(all, 0.002)
	const bins = 160
	dens := make([][]float64, len(a.States))
	top := 0.0
	for k, s := range a.States {
		dens[k] = smoothDensity(s, lo, hi, bins)
		top = max(top, slices.Max(dens[k]))
	}
	data := smoothDensity(a.Data, lo, hi, bins)
	top = max(top, slices.Max(data)) * 1.05
	r := plotArea
	px := func(i int) int { return r.Min.X + (i*r.Dx()+bins/2)/bins }
	py := func(v float64) int { return r.Max.Y - int(math.Round(v/top*float64(r.Dy()-1))) }
	return func(img *image.Paletted, k int) {
		axes(img, lo, hi, "x", "density")
		for i, v := range dens[k] {
			for x := px(i); x < px(i+1); x++ {
				vline(img, x, py(v), r.Max.Y-1, cPale)
			}
		}
		polyline(img, bins, px, func(i int) int { return py(data[i]) }, cGrey)
		polyline(img, bins, px, func(i int) int { return py(dens[k][i]) }, cBlue)
		label(img, r.Max.X-150, r.Min.Y+14, "grey: data")
		label(img, r.Max.X-150, r.Min.Y+28, "blue: process")
	}
}

// points2D draws up to animMaxPoints of the states as dots over the data
// (light grey), the same points in every frame so that they are seen to
// move, on square axes fixed for the whole animation.
func (a *Animation) points2D() func(img *image.Paletted, k int) {
	d := a.D
	stride := max(1, len(a.States[0])/d/animMaxPoints)
	dstride := max(1, len(a.Data)/d/(2*animMaxPoints))
	var xs, ys []float64
	for i := 0; i < len(a.Data)/d; i++ {
		xs, ys = append(xs, a.Data[i*d]), append(ys, a.Data[i*d+1])
	}
	for _, s := range a.States {
		for i := 0; i < len(s)/d; i += stride {
			xs, ys = append(xs, s[i*d]), append(ys, s[i*d+1])
		}
	}
	xlo, xhi := quantileRange(xs, 0.002)
	ylo, yhi := quantileRange(ys, 0.002)
	// equal scales: widen the narrower range
	c := [2]float64{(xlo + xhi) / 2, (ylo + yhi) / 2}
	half := max(xhi-xlo, (yhi-ylo)*float64(plotArea.Dx())/float64(plotArea.Dy())) / 2
	xlo, xhi = c[0]-half, c[0]+half
	hy := half * float64(plotArea.Dy()) / float64(plotArea.Dx())
	ylo, yhi = c[1]-hy, c[1]+hy
	r := plotArea
	at := func(x, y float64) (int, int) {
		return r.Min.X + int((x-xlo)/(xhi-xlo)*float64(r.Dx())), r.Max.Y - int((y-ylo)/(yhi-ylo)*float64(r.Dy()))
	}
	return func(img *image.Paletted, k int) {
		axes(img, xlo, xhi, "x1", "")
		for i := 0; i < len(a.Data)/d; i += dstride {
			x, y := at(a.Data[i*d], a.Data[i*d+1])
			dot(img, x, y, 0, cLight)
		}
		s := a.States[k]
		for i := 0; i < len(s)/d; i += stride {
			x, y := at(s[i*d], s[i*d+1])
			dot(img, x, y, 1, cBlue)
		}
	}
}

// quantileRange is [q, 1−q] of x, padded by 5%.
func quantileRange(x []float64, q float64) (float64, float64) {
	s := slices.Clone(x)
	slices.Sort(s)
	lo, hi := s[int(q*float64(len(s)-1))], s[int((1-q)*float64(len(s)-1))]
	if !(hi > lo) {
		lo, hi = lo-1, hi+1
	}
	pad := 0.05 * (hi - lo)
	return lo - pad, hi + pad
}

// smoothDensity is the histogram of x on [lo, hi] as a density, smoothed by
// a Gaussian of 1.5 bins: cheap, and enough for a picture.
func smoothDensity(x []float64, lo, hi float64, bins int) []float64 {
	h := make([]float64, bins)
	w := (hi - lo) / float64(bins)
	for _, v := range x {
		i := int((v - lo) / w)
		if i >= 0 && i < bins {
			h[i]++
		}
	}
	const s = 1.5
	out := make([]float64, bins)
	for i := range out {
		for j := max(0, i-5); j < min(bins, i+6); j++ {
			out[i] += h[j] * math.Exp(-0.5*float64((i-j)*(i-j))/(s*s))
		}
		out[i] /= s * math.Sqrt(2*math.Pi) * float64(len(x)) * w
	}
	return out
}

func axes(img *image.Paletted, lo, hi float64, xlabel, ylabel string) {
	r := plotArea
	for x := r.Min.X; x < r.Max.X; x++ {
		img.SetColorIndex(x, r.Max.Y, cGrey)
	}
	vline(img, r.Min.X-1, r.Min.Y, r.Max.Y, cGrey)
	label(img, r.Min.X-4, r.Max.Y+16, fmt.Sprintf("%.3g", lo))
	label(img, r.Max.X-30, r.Max.Y+16, fmt.Sprintf("%.3g", hi))
	label(img, (r.Min.X+r.Max.X)/2, r.Max.Y+16, xlabel)
	if ylabel != "" {
		label(img, 2, r.Min.Y+10, ylabel)
	}
}

func vline(img *image.Paletted, x, y0, y1 int, c uint8) {
	for y := min(y0, y1); y <= max(y0, y1); y++ {
		img.SetColorIndex(x, y, c)
	}
}

// polyline joins the points (px(i), py(i)), i = 0..n−1, two pixels thick.
func polyline(img *image.Paletted, n int, px func(int) int, py func(int) int, c uint8) {
	for i := 0; i+1 < n; i++ {
		x0, y0, x1, y1 := (px(i)+px(i+1))/2, py(i), (px(i+1)+px(i+2))/2, py(i+1)
		steps := max(abs(x1-x0), abs(y1-y0), 1)
		for s := 0; s <= steps; s++ {
			x := x0 + (x1-x0)*s/steps
			y := y0 + (y1-y0)*s/steps
			img.SetColorIndex(x, y, c)
			img.SetColorIndex(x, y-1, c)
		}
	}
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// dot draws a (2r+1)-pixel square.
func dot(img *image.Paletted, x, y, r int, c uint8) {
	for dx := -r; dx <= r; dx++ {
		for dy := -r; dy <= r; dy++ {
			if (image.Point{x + dx, y + dy}).In(plotArea) {
				img.SetColorIndex(x+dx, y+dy, c)
			}
		}
	}
}

func label(img *image.Paletted, x, y int, s string) {
	d := font.Drawer{Dst: img, Src: image.NewUniform(animPalette[cBlack]), Face: basicfont.Face7x13, Dot: fixed.P(x, y)}
	d.DrawString(s)
}
