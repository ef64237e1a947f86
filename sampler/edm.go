package sampler

import (
	"fmt"
	"math"
	"math/rand/v2"

	"scoresde/sde"
)

// EDM is Karras et al.'s (2022) deterministic-or-stochastic sampler (their
// Algorithm 2, NVlabs/edm generate.py): Heun's second-order method for
// dx̂/dσ = (x̂ − D(x̂, σ))/σ on the Karras schedule (KarrasSigmas, ρ = 7)
// from σ(T) to σ(ε) in o.N levels, then one Euler step to σ = 0, which is
// the denoiser D(x̂, σ(ε)). It costs 2·o.N − 1 score evaluations (35 for
// EDM's 18 steps).
//
// With o.Churn > 0 each step first raises the noise level by the factor
// 1 + γ, γ = min(Churn/N, √2 − 1), adding fresh noise of std
// √(σ̂² − σ²)·SNoise (SNoise 0 means 1), kept below σ(T) where the model
// was trained; this needs rng. With Churn = 0 it is deterministic and rng
// may be nil.
func EDM(s sde.SDE, score Score, x []float64, o Options, rng *rand.Rand) (*Result, error) {
	churn := o.Churn
	if churn < 0 || math.IsNaN(churn) || math.IsInf(churn, 0) {
		return nil, fmt.Errorf("sampler: Churn must be finite and ≥ 0, got %v", churn)
	}
	sNoise := o.SNoise
	if sNoise == 0 {
		sNoise = 1
	}
	if !(sNoise > 0) || math.IsInf(sNoise, 0) {
		return nil, fmt.Errorf("sampler: SNoise must be positive and finite, got %v", o.SNoise)
	}
	r, err := newSigmaRun(s, score, x, o, rng, churn > 0, func(lo, hi float64, n int) []float64 {
		return KarrasSigmas(lo, hi, n, KarrasRho)
	})
	if err != nil {
		return nil, err
	}
	gamma := min(churn/float64(o.N), math.Sqrt2-1)
	sigmaMax := r.sigmas[0]
	den := make([]float64, len(x))
	d := make([]float64, len(x))
	next := make([]float64, len(x))
	for i := range o.N {
		sg, sn := r.sigmas[i], r.sigmas[i+1]
		t := r.times[i]
		if gamma > 0 {
			hat := min(sg*(1+gamma), sigmaMax)
			if hat > sg {
				a := math.Sqrt(hat*hat-sg*sg) * sNoise
				for j := range x {
					x[j] += a * rng.NormFloat64()
				}
				sg, t = hat, TimeOfSigma(s, hat)
			}
		}
		r.denoiseAt(x, sg, t, den)
		h := sn - sg
		for j := range x {
			d[j] = (x[j] - den[j]) / sg
			next[j] = x[j] + h*d[j]
		}
		if sn > 0 {
			// Heun's correction: average the slopes at both ends.
			r.denoise(next, i+1, den)
			for j := range x {
				next[j] = x[j] + 0.5*h*(d[j]+(next[j]-den[j])/sn)
			}
		}
		copy(x, next)
		r.keep(i+1, x)
	}
	return r.result(x)
}
