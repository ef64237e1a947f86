package exact

import (
	"math"
	"testing"

	"scoresde/langevin"
)

// A 2-D harmonic potential's Gibbs density is N(0, I/β): the marginal CDFs
// must be the normal CDF, and the whole box one basin.
func TestGibbs2DHarmonic(t *testing.T) {
	const beta = 2.0
	g, err := NewGibbs2D(langevin.Harmonic{D: 2}, beta, -5, 5, -6, 6, 400)
	if err != nil {
		t.Fatal(err)
	}
	if g.EdgeMass > 1e-9 {
		t.Errorf("edge mass %g", g.EdgeMass)
	}
	sd := 1 / math.Sqrt(beta)
	for k := range 2 {
		F := g.MarginalCDF(k)
		for _, x := range []float64{-1.5, -0.4, 0, 0.3, 1.1} {
			want := 0.5 * math.Erfc(-x/(sd*math.Sqrt2))
			if math.Abs(F(x)-want) > 2e-4 {
				t.Errorf("coordinate %d: CDF(%v) = %.6f, want %.6f", k, x, F(x), want)
			}
		}
	}
	for k := range 2 {
		xs, p := g.MarginalPDF(k)
		for i := 0; i < len(xs); i += 37 {
			want := math.Exp(-beta*xs[i]*xs[i]/2) / (sd * math.Sqrt(2*math.Pi))
			if math.Abs(p[i]-want) > 1e-3*want+1e-9 {
				t.Errorf("coordinate %d: marginal density at %v = %.6g, want %.6g", k, xs[i], p[i], want)
			}
		}
	}
	b := g.Basins(1e-3)
	if len(b.Mass) != 1 || math.Abs(b.Mass[0]-1) > 1e-9 || b.Label(0.2, -0.3) != 0 || b.Label(9, 0) != -1 {
		t.Errorf("basins %+v", b.Mass)
	}
}

// A separable double well V = (x²−1)² + y²: two basins split at the barrier top with
// masses from the 1-D Gibbs density, and Müller–Brown's three minima.
func TestGibbs2DBasins(t *testing.T) {
	const beta = 3.0
	tilt := tilted{}
	g, err := NewGibbs2D(tilt, beta, -2.5, 2.5, -3, 3, 300)
	if err != nil {
		t.Fatal(err)
	}
	b := g.Basins(1e-3)
	g1, err := NewGibbs(tilted1D{}, beta)
	if err != nil {
		t.Fatal(err)
	}
	// The basins meet at the barrier top, V'(x) = 4x³ − 4x + 0.3 = 0 near 0.
	xs := 0.0
	for range 50 {
		xs -= (4*xs*xs*xs - 4*xs + 0.3) / (12*xs*xs - 4)
	}
	left := g1.CDF(xs)
	if len(b.Mass) != 2 || math.Abs(b.Mass[0]-left) > 2e-3 {
		t.Fatalf("basin masses %v, want [%.4f %.4f]", b.Mass, left, 1-left)
	}
	if b.Label(-1, 0) != 0 || b.Label(1, 0.5) != 1 {
		t.Errorf("labels %d, %d; want 0, 1", b.Label(-1, 0), b.Label(1, 0.5))
	}
	mb, err := NewGibbs2D(langevin.MullerBrown{}, 1, -1.8, 1.3, -0.5, 2.2, 200)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(mb.Basins(1e-3).Mass); got != 3 {
		t.Errorf("Müller–Brown has %d basins, want 3", got)
	}
}

// tilted is (x²−1)² + 0.3x + y², whose x-marginal is tilted1D's Gibbs density.
type tilted struct{}

func (tilted) Dim() int { return 2 }
func (tilted) Value(x []float64) float64 {
	u := x[0]*x[0] - 1
	return u*u + 0.3*x[0] + x[1]*x[1]
}
func (tilted) Grad(x, g []float64) {}

type tilted1D struct{}

func (tilted1D) Dim() int { return 1 }
func (tilted1D) Value(x []float64) float64 {
	u := x[0]*x[0] - 1
	return u*u + 0.3*x[0]
}
func (tilted1D) Grad(x, g []float64) {}
