package exact

import (
	"math"
	"testing"

	"scoresde/langevin"
	"scoresde/sde"
)

// Each share is the integral of the density between its split points,
// computed here by independent quadrature of exp(−βV)/Z.
func TestGibbsShares(t *testing.T) {
	p, _, err := langevin.ByName("fourwell")
	if err != nil {
		t.Fatal(err)
	}
	g, err := NewGibbs(p, 2)
	if err != nil {
		t.Fatal(err)
	}
	lo, hi := g.Support()
	splits := []float64{-0.5, 0, 0.5}
	got, err := g.Shares(splits)
	if err != nil {
		t.Fatal(err)
	}
	edges := append(append([]float64{lo}, splits...), hi)
	sum := 0.0
	for k := range len(splits) + 1 {
		want := independentIntegral(g.PDF, edges[k], edges[k+1])
		if math.Abs(got[k]-want) > 1e-10 {
			t.Errorf("share %d: %v, quadrature %v", k, got[k], want)
		}
		sum += got[k]
	}
	if math.Abs(sum-1) > 1e-12 {
		t.Errorf("shares sum to %v", sum)
	}
	if none, _ := g.Shares(nil); len(none) != 1 || math.Abs(none[0]-1) > 1e-12 {
		t.Errorf("no splits: %v, want [1]", none)
	}
	if _, err := g.Shares([]float64{0, 0}); err == nil {
		t.Error("repeated split accepted")
	}
}

// The field is s(t)·|u − u*| at every grid point, row j at time t[j]; for
// VE, s(t) = η_min(η_max/η_min)^(t/T) in closed form.
func TestScoreErrorField(t *testing.T) {
	ve := sde.DefaultVE()
	ts := []float64{0, 0.3, 1}
	nx := 2
	u := []float64{1, 2, 3, 4, 5, 6}
	ref := []float64{0, 4, 3, 5, 8, 6.5}
	e, err := ScoreErrorField(ve, ts, nx, u, ref)
	if err != nil {
		t.Fatal(err)
	}
	for j, tj := range ts {
		s := 0.03 * math.Pow(2/0.03, tj)
		for i := range nx {
			k := j*nx + i
			if want := s * math.Abs(u[k]-ref[k]); math.Abs(e[k]-want) > 1e-12*want {
				t.Errorf("t=%v x%d: %v, want %v", tj, i, e[k], want)
			}
		}
	}
	if _, err := ScoreErrorField(ve, ts, 3, u, ref); err == nil {
		t.Error("mismatched grid accepted")
	}
}
