package figures

import (
	"bytes"
	"encoding/xml"
	"errors"
	"flag"
	"image/png"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"scoresde/langevin"
	"scoresde/sde"
)

var figDir = flag.String("figdir", "", "also keep the test figures in this folder for inspection")

func outPath(t *testing.T, name string) string {
	t.Helper()
	dir := *figDir
	if dir == "" {
		dir = t.TempDir()
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, name)
}

// checkOutputs checks that path.png decodes to w×h inches at dpi and that
// path.svg is well-formed XML with an <svg> root.
func checkOutputs(t *testing.T, path string, w, h float64) {
	t.Helper()
	b, err := os.ReadFile(path + ".png")
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s.png does not decode: %v", path, err)
	}
	if got, want := img.Bounds().Dx(), int(math.Round(w*dpi)); got != want {
		t.Errorf("%s.png is %d px wide, want %d", path, got, want)
	}
	if got, want := img.Bounds().Dy(), int(math.Round(h*dpi)); got != want {
		t.Errorf("%s.png is %d px high, want %d", path, got, want)
	}
	// A blank canvas would decode too: require some non-white pixels.
	var ink int
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y += 3 {
		for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x += 3 {
			if r, g, b, _ := img.At(x, y).RGBA(); r+g+b < 3*0xf000 {
				ink++
			}
		}
	}
	if ink < 100 {
		t.Errorf("%s.png is almost blank (%d inked samples)", path, ink)
	}

	s, err := os.ReadFile(path + ".svg")
	if err != nil {
		t.Fatal(err)
	}
	if len(s) == 0 {
		t.Fatalf("%s.svg is empty", path)
	}
	dec := xml.NewDecoder(bytes.NewReader(s))
	root := ""
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("%s.svg is not well-formed XML: %v", path, err)
		}
		if se, ok := tok.(xml.StartElement); ok && root == "" {
			root = se.Name.Local
		}
	}
	if root != "svg" {
		t.Errorf("%s.svg root element is %q, want svg", path, root)
	}
}

func normal(rng *rand.Rand, n int, mean, sd float64) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = mean + sd*rng.NormFloat64()
	}
	return x
}

// notebookData returns a four-well Langevin trajectory as the notebook's,
// shortened to n states.
func notebookData(t *testing.T, n int) (times, x []float64) {
	t.Helper()
	cfg := langevin.DefaultConfig()
	cfg.N = n
	set, err := langevin.Simulate(langevin.FourWell{}, cfg, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		t.Fatal(err)
	}
	x = set.Column(0)
	times = make([]float64, n)
	for i := range times {
		times[i] = float64(i) * cfg.Dt
	}
	return times, x
}

// forwardSamples diffuses x0 with the notebook's VE SDE to time t exactly.
func forwardSamples(rng *rand.Rand, x0 []float64, t float64) []float64 {
	ve := sde.DefaultVE()
	s := ve.Std(t)
	out := make([]float64, len(x0))
	for i, v := range x0 {
		out[i] = v + s*rng.NormFloat64()
	}
	return out
}

func TestNotebookFigures(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	n := 4000
	if testing.Short() {
		n = 1000
	}
	times, x := notebookData(t, n)
	ts := []float64{0, 0.5, 0.7, 1}
	var fwd, bwd [][]float64
	for _, tt := range ts {
		fwd = append(fwd, forwardSamples(rng, x, tt))
		// A stand-in for the reverse sampler: slightly off the forward law.
		b := forwardSamples(rng, x, tt)
		for i := range b {
			b[i] = 1.05*b[i] + 0.02
		}
		bwd = append(bwd, b)
	}
	prior := normal(rng, 20000, 0, 2)

	xs, tg := make([]float64, 100), make([]float64, 100)
	for i := range xs {
		xs[i] = -2 + 4*float64(i)/99
		tg[i] = float64(i) / 99
	}
	u := make([]float64, 100*100)
	ve := sde.DefaultVE()
	for j, tt := range tg {
		s2 := ve.Std(tt) * ve.Std(tt)
		for i, xv := range xs {
			// Score of N(0, 0.25) diffused: −x/(0.25 + σ²(t)).
			u[j*100+i] = -xv / (0.25 + s2)
		}
	}
	loss := make([]float64, 500)
	for i := range loss {
		loss[i] = -0.3 + 0.8*math.Exp(-float64(i)/60) + 0.03*rng.NormFloat64()
	}

	for _, tc := range []struct {
		name string
		w, h float64
		draw func(path string) error
	}{
		{"fig1_data", 12, 4.5, func(p string) error { return Data(p, times, x) }},
		{"fig2_forward_densities", 7, 5, func(p string) error { return ForwardDensities(p, ts, fwd, prior) }},
		{"fig3_score_untrained", 7.5, 5.5, func(p string) error {
			un := make([]float64, len(u))
			for k := range un {
				un[k] = 0.1*math.Sin(float64(k%100)/20) + 0.05*float64(k/100)/100
			}
			return ScoreField(p, "score function (untrained)", xs, tg, un)
		}},
		{"fig4_loss", 7, 4.5, func(p string) error { return Loss(p, loss) }},
		{"fig5_score_trained", 7.5, 5.5, func(p string) error { return ScoreField(p, "score function (trained)", xs, tg, u) }},
		{"fig6_forward_vs_backward", 13, 5, func(p string) error { return ForwardBackward(p, ts, fwd, bwd, x, bwd[0]) }},
		{"line", 7, 4.5, func(p string) error {
			return Line(p, "CDF", "x", "F(x)",
				Series{Label: "data", X: []float64{-1, 0, 0.5, 1}, Y: []float64{0, 0.4, 0.7, 1}},
				Series{Label: "model", X: []float64{-1, 0, 0.5, 1}, Y: []float64{0, 0.5, 0.75, 1}, Dashed: true})
		}},
		{"heat_sequential", 7.5, 5.5, func(p string) error {
			z := make([]float64, 30*20)
			for k := range z {
				z[k] = float64(k%30) * float64(k/30)
			}
			return HeatMap(p, Heat{Title: "sequential", XLabel: "a", YLabel: "b", X: seq(30), Y: seq(20), Z: z})
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := outPath(t, tc.name)
			if err := tc.draw(path); err != nil {
				t.Fatal(err)
			}
			checkOutputs(t, path, tc.w, tc.h)
		})
	}
}

func seq(n int) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = float64(i)
	}
	return s
}

// twoMoons returns n 2-D points on two noisy interleaved half circles.
func twoMoons(rng *rand.Rand, n int, noise float64) []float64 {
	x := make([]float64, 0, 2*n)
	for i := range n {
		a := math.Pi * rng.Float64()
		px, py := math.Cos(a), math.Sin(a)
		if i%2 == 1 {
			px, py = 1-px, 0.5-py
		}
		x = append(x, px+noise*rng.NormFloat64(), py+noise*rng.NormFloat64())
	}
	return x
}

func TestTwoDimensionalFigures(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	n := 3000
	if testing.Short() {
		n = 800
	}
	data := twoMoons(rng, n, 0.08)
	samples := twoMoons(rng, n, 0.14)
	three := make([]float64, 0, 3*n)
	three2 := make([]float64, 0, 3*n)
	for i := range n {
		three = append(three, data[2*i], data[2*i+1], rng.NormFloat64())
		three2 = append(three2, samples[2*i], samples[2*i+1], 1.2*rng.NormFloat64())
	}
	for _, tc := range []struct {
		name string
		w, h float64
		draw func(path string) error
	}{
		{"scatter2d", 12, 5.5, func(p string) error { return Scatter2D(p, data, samples) }},
		{"density2d", 12, 5.5, func(p string) error { return Density2D(p, data, samples) }},
		{"marginals2", 9, 3.8, func(p string) error { return Marginals(p, data, samples, 2) }},
		{"marginals3", 13.5, 3.8, func(p string) error { return Marginals(p, three, three2, 3) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := outPath(t, tc.name)
			if err := tc.draw(path); err != nil {
				t.Fatal(err)
			}
			checkOutputs(t, path, tc.w, tc.h)
		})
	}
}

func TestFigureErrors(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "bad")
	ok := []float64{0, 1, 2}
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"data lengths", Data(p, []float64{0, 1}, ok), "pair up"},
		{"data constant", Data(p, ok, []float64{1, 1, 1}), "constant"},
		{"data NaN", Data(p, ok, []float64{0, math.NaN(), 1}), "finite"},
		{"forward counts", ForwardDensities(p, []float64{0, 1}, [][]float64{ok}, ok), "one sample per time"},
		{"forward constant", ForwardDensities(p, []float64{0}, [][]float64{{2, 2}}, ok), "equal"},
		{"heat size", HeatMap(p, Heat{X: ok, Y: ok, Z: ok}), "values for a 3×3 grid"},
		{"heat order", HeatMap(p, Heat{X: []float64{0, 2, 1}, Y: []float64{0, 1}, Z: make([]float64, 6)}), "increasing"},
		{"heat NaN", ScoreField(p, "", []float64{0, 1}, []float64{0, 1}, []float64{0, 0, math.NaN(), 0}), "finite"},
		{"line none", Line(p, "t", "x", "y"), "no series"},
		{"line lengths", Line(p, "t", "x", "y", Series{X: ok, Y: ok[:2]}), "pair up"},
		{"loss empty", Loss(p, nil), "empty"},
		{"scatter odd", Scatter2D(p, ok, []float64{0, 0}), "multiple"},
		{"marginals dim", Marginals(p, ok, ok, 0), "dimension"},
		{"no path", Line("", "t", "x", "y", Series{X: ok, Y: ok}), "path"},
		{"missing folder", Line(filepath.Join(dir, "no", "such"), "t", "x", "y", Series{X: ok, Y: ok}), "no/such"},
	} {
		if tc.err == nil || !strings.Contains(tc.err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one mentioning %q", tc.name, tc.err, tc.want)
		}
	}
}

func TestNotebookRange(t *testing.T) {
	cases := []struct {
		data []float64
		want [2]float64
	}{
		{[]float64{-1, 0.5, 1.1}, [2]float64{-2, 2}},
		{[]float64{3, 5}, [2]float64{2.8, 5.2}},
		{[]float64{-2.5, 1}, [2]float64{-2.85, 1.35}},
		{[]float64{7}, [2]float64{-2, 2}},
	}
	for _, c := range cases {
		got := notebookRange(-2, 2, c.data)
		if math.Abs(got[0]-c.want[0]) > 1e-12 || math.Abs(got[1]-c.want[1]) > 1e-12 {
			t.Errorf("notebookRange(%v) = %v, want %v", c.data, got, c.want)
		}
	}
}

// A stray sample far from the rest does not set the 2-D plot range: the
// data's range and the central 99% of the samples do.
func TestBounds2DIgnoresStraySamples(t *testing.T) {
	data := []float64{-1, -2, 1, 2}
	var smp []float64
	for i := range 1000 {
		v := float64(i%11)/10 - 0.5
		smp = append(smp, v, -v)
	}
	smp = append(smp, 241, -56)
	xr, yr := bounds2D(data, smp, 0.25)
	if xr != [2]float64{-1.5, 1.5} || yr != [2]float64{-3, 3} {
		t.Errorf("range %v × %v, want the data's [-1 1] × [-2 2] widened by a quarter", xr, yr)
	}
	wide := []float64{-3, 0, 3, 0}
	for range 300 {
		wide = append(wide, -3, 0, 3, 0)
	}
	if xr, _ := bounds2D(data, wide, 0.25); xr != [2]float64{-4.5, 4.5} {
		t.Errorf("x range %v, want the samples' [-3 3] where most of them lie", xr)
	}
}
