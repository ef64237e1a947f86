package potential

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"scoresde/langevin"
)

// The named potentials written as expressions must agree with their Go
// code in value, and the finite-difference gradient with their analytic
// gradients.
func TestExprMatchesNamedPotentials(t *testing.T) {
	cases := []struct {
		name string
		src  string
		p    langevin.Potential
		lo   float64
		hi   float64
	}{
		{"fourwell", "2*(x**8 + 0.8*exp(-80*x**2) + 0.55*exp(-80*(x-0.5)**2) + 0.3*exp(-80*(x+0.5)^2))", langevin.FourWell{}, -1.3, 1.3},
		{"doublewell", "(x*x-1)^2", langevin.DoubleWell{}, -2, 2},
		{"harmonic3d", "(x1**2 + x2**2 + x3**2)/2", langevin.Harmonic{D: 3}, -5, 5},
		{"mullerbrown", "(-200*exp(-(x1-1)**2 - 10*x2**2) - 100*exp(-x1**2 - 10*(x2-0.5)**2)" +
			" - 170*exp(-6.5*(x1+0.5)**2 + 11*(x1+0.5)*(x2-1.5) - 6.5*(x2-1.5)**2)" +
			" + 15*exp(0.7*(x1+1)**2 + 0.6*(x1+1)*(x2-1) + 0.7*(x2-1)**2))/20", langevin.MullerBrown{}, -1.5, 1.5},
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e, err := Parse(c.src, 0)
			if err != nil {
				t.Fatal(err)
			}
			if e.Dim() != c.p.Dim() {
				t.Fatalf("dim %d, want %d", e.Dim(), c.p.Dim())
			}
			d := e.Dim()
			x := make([]float64, d)
			g, want := make([]float64, d), make([]float64, d)
			worst := 0.0
			for range 500 {
				for i := range x {
					x[i] = c.lo + (c.hi-c.lo)*rng.Float64()
				}
				v, w := e.Value(x), c.p.Value(x)
				if math.Abs(v-w) > 1e-12*math.Max(1, math.Abs(w)) {
					t.Fatalf("V(%v) = %v, want %v", x, v, w)
				}
				e.Grad(x, g)
				c.p.Grad(x, want)
				scale := 1.0
				for i := range want {
					scale = math.Max(scale, math.Abs(want[i]))
				}
				for i := range g {
					worst = math.Max(worst, math.Abs(g[i]-want[i])/scale)
				}
			}
			// Central differences at h = ε^(1/3): relative error ~1e−10.
			if worst > 1e-7 {
				t.Errorf("largest relative gradient error %.3g, want ≤ 1e-7", worst)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	cases := []struct {
		src    string
		dim    int
		column int // 0: not a syntax error
	}{
		{"x**2 +", 0, 6},
		{"(x-1", 0, 4},
		{"x + y", 0, 5},
		{"exp(x, 2)", 0, 1},
		{"", 0, 0},
		{"3", 0, 0},
		{"x + x1", 0, 0},
		{"x1 + x3", 2, 0},
		{"x**2", 2, 0},
		{`"a"`, 0, 0},
	}
	for _, c := range cases {
		_, err := Parse(c.src, c.dim)
		if err == nil {
			t.Errorf("Parse(%q) accepted", c.src)
			continue
		}
		var se *SyntaxError
		if errors.As(err, &se) != (c.column > 0) {
			t.Errorf("Parse(%q): %v; syntax error with position: %v, want %v", c.src, err, !(c.column > 0), c.column > 0)
			continue
		}
		if se != nil && se.Column != c.column {
			t.Errorf("Parse(%q): column %d, want %d (%v)", c.src, se.Column, c.column, err)
		}
	}
}

func TestDimension(t *testing.T) {
	for _, c := range []struct {
		src      string
		dim, got int
	}{
		{"x**2", 0, 1}, {"x**2", 1, 1}, {"x1**2", 0, 1}, {"x2**2 + pi", 0, 2}, {"x1", 3, 3}, {"sin(x)+cos(x)+e", 0, 1},
	} {
		e, err := Parse(c.src, c.dim)
		if err != nil {
			t.Fatalf("Parse(%q, %d): %v", c.src, c.dim, err)
		}
		if e.Dim() != c.got {
			t.Errorf("Parse(%q, %d).Dim() = %d, want %d", c.src, c.dim, e.Dim(), c.got)
		}
	}
}

func TestConcurrentUse(t *testing.T) {
	e, err := Parse("x1**2 + 3*x2", 0)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan bool)
	for w := range 4 {
		go func() {
			ok := true
			for i := range 2000 {
				x := []float64{float64(w), float64(i)}
				ok = ok && e.Value(x) == float64(w*w)+3*float64(i)
			}
			done <- ok
		}()
	}
	for range 4 {
		if !<-done {
			t.Fatal("concurrent evaluations interfered")
		}
	}
}
