package toy

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func draw(t *testing.T, name string, n int, seed uint64) []float64 {
	t.Helper()
	ds, err := Generate(name, n, rand.New(rand.NewPCG(seed, 7)))
	if err != nil {
		t.Fatal(err)
	}
	if ds.D != 2 || ds.Len() != n {
		t.Fatalf("%s: %d points of dimension %d, want %d of 2", name, ds.Len(), ds.D, n)
	}
	if err := ds.Validate(); err != nil {
		t.Fatal(err)
	}
	return ds.X
}

func TestSeeded(t *testing.T) {
	for _, name := range Names() {
		a, b, c := draw(t, name, 500, 1), draw(t, name, 500, 1), draw(t, name, 500, 2)
		if !slices.Equal(a, b) {
			t.Errorf("%s: same seed, different data", name)
		}
		if slices.Equal(a, c) {
			t.Errorf("%s: different seeds, same data", name)
		}
	}
}

func TestBadInput(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	if _, err := Generate("spiral", 100, rng); err == nil {
		t.Error("unknown name accepted")
	}
	if _, err := Generate("moons", 1, rng); err == nil {
		t.Error("one point accepted")
	}
	if err := Check("Checkerboard"); err != nil {
		t.Error(err)
	}
}

// stats returns the mean of f over the points.
func mean(x []float64, f func(px, py float64) float64) float64 {
	s := 0.0
	for i := 0; i < len(x); i += 2 {
		s += f(x[i], x[i+1])
	}
	return s / float64(len(x)/2)
}

// TestDefinitions checks each set against moments that follow from its
// definition. With n = 40000 points the standard error of each mean is
// below 0.01; the tolerances are 3–5 of them.
func TestDefinitions(t *testing.T) {
	const n = 40000
	near := func(name, what string, got, want, tol float64) {
		t.Helper()
		if math.Abs(got-want) > tol {
			t.Errorf("%s: %s = %.4f, want %.4f ± %.4f", name, what, got, want, tol)
		}
	}
	radius := func(px, py float64) float64 { return math.Hypot(px, py) }

	// moons: outer arc centre of mass (0, 2/π), inner (1, ½ − 2/π), halves
	// of the points; mean (½, ¼) → 2·(½, ¼) + (−1, −0.2) = (0, 0.3).
	x := draw(t, "moons", n, 3)
	near("moons", "mean x", mean(x, func(px, _ float64) float64 { return px }), 0, 0.02)
	near("moons", "mean y", mean(x, func(_, py float64) float64 { return py }), 0.3, 0.02)

	// circles: radii 3 and 1.5, radial noise std 0.24.
	x = draw(t, "circles", n, 3)
	near("circles", "share outside r=2.25", mean(x, func(px, py float64) float64 { return b2f(radius(px, py) > 2.25) }), 0.5, 0.01)
	near("circles", "mean radius", mean(x, radius), 2.25, 0.02)

	// rings: radii 3, 2.25, 1.5, 0.75, a quarter each, noise 0.08 (so a
	// point is within 0.375 of its ring with probability 1 − 3e-6).
	x = draw(t, "rings", n, 3)
	for k, r := range []float64{3, 2.25, 1.5, 0.75} {
		near("rings", "share of ring "+string(rune('1'+k)), mean(x, func(px, py float64) float64 { return b2f(math.Abs(radius(px, py)-r) < 0.375) }), 0.25, 0.01)
	}

	// 8gaussians: centres at radius 4/1.414, std 0.5/1.414, equal shares.
	x = draw(t, "8gaussians", n, 3)
	c := 4 / 1.414
	for k := range 8 {
		a := float64(k) * math.Pi / 4
		near("8gaussians", "share of a component", mean(x, func(px, py float64) float64 {
			return b2f(math.Hypot(px-c*math.Cos(a), py-c*math.Sin(a)) < 1.2)
		}), 0.125, 0.01)
	}
	near("8gaussians", "E|x − centre|²", mean(x, func(px, py float64) float64 {
		best := math.Inf(1)
		for k := range 8 {
			a := float64(k) * math.Pi / 4
			best = min(best, math.Pow(px-c*math.Cos(a), 2)+math.Pow(py-c*math.Sin(a), 2))
		}
		return best
	}), 2*0.25/(1.414*1.414), 0.01)

	// pinwheel: |x| = 2|f|, E|f|² = 1 + 0.09 + 0.01.
	x = draw(t, "pinwheel", n, 3)
	near("pinwheel", "E|x|²/4", mean(x, func(px, py float64) float64 { return (px*px + py*py) / 4 }), 1.1, 0.02)

	// 2spirals: symmetric through 0; with u = 3π√U (density 2u/(3π)²),
	// offsets a, b ~ U(0, ½): E|p|² = E u² + E(a² + b²) − 2E[a]E[u cos u]
	// + 2E[b]E[u sin u], E u² = 9π²/2, E u cos u = −4/(3π),
	// E u sin u = 2(9π² − 4)/(9π²); then /9, plus the noise's 2·0.01.
	x = draw(t, "2spirals", n, 3)
	near("2spirals", "mean x", mean(x, func(px, _ float64) float64 { return px }), 0, 0.03)
	pi2 := math.Pi * math.Pi
	e2 := 9*pi2/2 + 2.0/12 - 2*0.25*(-4/(3*math.Pi)) + 2*0.25*2*(9*pi2-4)/(9*pi2)
	near("2spirals", "E|x|²", mean(x, func(px, py float64) float64 { return px*px + py*py }), e2/9+0.02, 0.05)

	// swissroll: radius before noise u/5, u uniform on [1.5π, 4.5π], so
	// the mean radius is ≈ 3π/5 (noise of std 0.2 adds a little).
	x = draw(t, "swissroll", n, 3)
	near("swissroll", "mean radius", mean(x, radius), 3*math.Pi/5, 0.03)

	// checkerboard: every point on an occupied square, each of the eight
	// with 1/8 of them.
	x = draw(t, "checkerboard", n, 3)
	if s := OnCheckerboard(x); s != 1 {
		t.Errorf("checkerboard: %.4f of the points on occupied squares, want all", s)
	}
	cells := map[[2]int]int{}
	for i := 0; i < len(x); i += 2 {
		cells[[2]int{int(math.Floor(x[i] / 2)), int(math.Floor(x[i+1] / 2))}]++
	}
	if len(cells) != 8 {
		t.Errorf("checkerboard: %d squares occupied, want 8", len(cells))
	}
	for k, m := range cells {
		near("checkerboard", "share of square", float64(m)/n, 0.125, 0.01)
		if (k[0]+k[1])%2 != 0 {
			t.Errorf("checkerboard: light square %v occupied", k)
		}
	}
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func TestOnSquare(t *testing.T) {
	for _, tc := range []struct {
		x, y float64
		want bool
	}{{0.5, 0.5, true}, {-0.5, 0.5, false}, {-0.5, -0.5, true}, {2.5, 0.5, false}, {3.9, 3.9, true}, {4, 0, false}, {-4, -4, true}} {
		if got := OnSquare(tc.x, tc.y); got != tc.want {
			t.Errorf("OnSquare(%v, %v) = %v, want %v", tc.x, tc.y, got, tc.want)
		}
	}
}
