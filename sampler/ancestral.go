package sampler

import (
	"math"
	"math/rand/v2"

	"scoresde/sde"
)

// EulerAncestral is the Euler ancestral sampler of k-diffusion
// (sample_euler_ancestral, η = 1): on the Karras schedule, each step from σ_i
// to σ_{i+1} splits σ_{i+1}² = σ_down² + σ_up² with
// σ_up = min(σ_{i+1}, σ_{i+1}√(σ_i² − σ_{i+1}²)/σ_i) — the noise the exact
// (DDPM-like) posterior step would add — takes an Euler step of the
// probability-flow ODE down to σ_down and adds noise of std σ_up. The last
// step, to σ = 0, adds none and lands on D. One score evaluation per step,
// o.N in all.
func EulerAncestral(s sde.SDE, score Score, x []float64, o Options, rng *rand.Rand) (*Result, error) {
	r, err := newSigmaRun(s, score, x, o, rng, true, func(lo, hi float64, n int) []float64 {
		return KarrasSigmas(lo, hi, n, KarrasRho)
	})
	if err != nil {
		return nil, err
	}
	den := make([]float64, len(x))
	for i := range o.N {
		sg, sn := r.sigmas[i], r.sigmas[i+1]
		r.denoise(x, i, den)
		up := min(sn, sn*math.Sqrt(sg*sg-sn*sn)/sg)
		down := math.Sqrt(sn*sn - up*up)
		f := down / sg // x + (down − σ)(x − D)/σ
		for j := range x {
			x[j] = den[j] + f*(x[j]-den[j]) + up*rng.NormFloat64()
		}
		r.keep(i+1, x)
	}
	return r.result(x)
}
