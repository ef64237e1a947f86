package sde

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Grid is the notebook's uniform time grid: N steps of Δt = T/N.
type Grid struct {
	T float64
	N int
}

// Dt is T/N.
func (g Grid) Dt() float64 { return g.T / float64(g.N) }

// Index returns the step index i with t ≈ i·Δt, as int(t/Δt) in the notebook
// but rounded so 0.7/0.002 lands on 350, not 349.
func (g Grid) Index(t float64) int {
	i := int(math.Round(t / g.Dt()))
	return min(max(i, 0), g.N)
}

// Forward integrates the forward SDE by Euler–Maruyama from x0 (points × d,
// flattened) on grid g, x ← x + a(t)x Δt + g(t) sqrt(Δt) ξ with t = iΔt, and
// returns the states at the step indices in keep (0..N), in that order.
func Forward(s SDE, x0 []float64, g Grid, keep []int, rng *rand.Rand) ([][]float64, error) {
	if g.N < 1 {
		return nil, fmt.Errorf("sde: forward sampling needs at least 1 step, got %d", g.N)
	}
	want := map[int][]int{}
	for k, i := range keep {
		if i < 0 || i > g.N {
			return nil, fmt.Errorf("sde: step index %d outside 0..%d", i, g.N)
		}
		want[i] = append(want[i], k)
	}
	out := make([][]float64, len(keep))
	x := append([]float64(nil), x0...)
	save := func(i int) {
		for _, k := range want[i] {
			out[k] = append([]float64(nil), x...)
		}
	}
	dt := g.Dt()
	sq := math.Sqrt(dt)
	save(0)
	for i := range g.N {
		t := float64(i) * dt
		a, gt := s.DriftCoef(t)*dt, s.Diffusion(t)*sq
		for j := range x {
			x[j] += a*x[j] + gt*rng.NormFloat64()
		}
		save(i + 1)
	}
	return out, nil
}
