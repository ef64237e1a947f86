package figures

import (
	"image/gif"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// TestWriteGIF draws a 1-D and a 2-D animation and decodes them: the
// frame count, size and the held last frame must be what was drawn, and
// the frames must differ (the process moves).
func TestWriteGIF(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, d := range []int{1, 2, 3} {
		const n, frames = 500, 24
		data := make([]float64, n*d)
		for i := range data {
			data[i] = 0.3*rng.NormFloat64() + float64(i%2)
		}
		a := Animation{Title: "test", D: d, Data: data}
		for k := range frames {
			s := float64(k) / (frames - 1) // noise grows along the frames
			x := make([]float64, n*d)
			for i := range x {
				x[i] = math.Sqrt(1-s)*data[i] + 2*s*rng.NormFloat64()
			}
			a.Times = append(a.Times, s)
			a.States = append(a.States, x)
		}
		p := filepath.Join(t.TempDir(), "a.gif")
		if err := WriteGIF(p, a); err != nil {
			t.Fatal(err)
		}
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		g, err := gif.DecodeAll(f)
		f.Close()
		if err != nil {
			t.Fatalf("d=%d: %v", d, err)
		}
		if len(g.Image) != frames || len(g.Delay) != frames {
			t.Fatalf("d=%d: %d frames, %d delays, want %d", d, len(g.Image), len(g.Delay), frames)
		}
		if b := g.Image[0].Bounds(); b.Dx() != animW || b.Dy() != animH {
			t.Errorf("d=%d: frame %v, want %d×%d", d, b, animW, animH)
		}
		if g.Delay[frames-1] <= g.Delay[0] {
			t.Errorf("d=%d: last frame not held: delays %d, %d", d, g.Delay[0], g.Delay[frames-1])
		}
		same := 0
		for i := range g.Image[0].Pix {
			if g.Image[0].Pix[i] == g.Image[frames-1].Pix[i] {
				same++
			}
		}
		if same == len(g.Image[0].Pix) {
			t.Errorf("d=%d: first and last frames identical", d)
		}
	}
}

func TestWriteGIFErrors(t *testing.T) {
	p := filepath.Join(t.TempDir(), "a.gif")
	one := [][]float64{{1, 2}}
	for name, a := range map[string]Animation{
		"one frame":     {D: 1, Times: []float64{0}, States: one, Data: []float64{1}},
		"times":         {D: 1, Times: []float64{0}, States: [][]float64{{1}, {2}}, Data: []float64{1}},
		"ragged":        {D: 1, Times: []float64{0, 1}, States: [][]float64{{1}, {2, 3}}, Data: []float64{1}},
		"odd dimension": {D: 2, Times: []float64{0, 1}, States: [][]float64{{1, 2, 3}, {2, 3, 4}}, Data: []float64{1, 2}},
		"no data":       {D: 1, Times: []float64{0, 1}, States: [][]float64{{1}, {2}}},
	} {
		if err := WriteGIF(p, a); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
