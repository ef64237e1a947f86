package sampler

import (
	"math"
	"math/rand/v2"

	"scoresde/sde"
)

// DPMSolver2M is DPM-Solver++(2M) (Lu et al. 2022, "DPM-Solver++: Fast
// Solver for Guided Sampling of Diffusion Probabilistic Models", their
// Algorithm 2): the multistep second-order solver of the probability-flow
// ODE in data prediction, exact in the linear part,
//
//	x̂_{i+1} = (σ_{i+1}/σ_i) x̂_i − (e^{−h_i} − 1) D̃_i,   h_i = λ_{i+1} − λ_i,  λ = −log σ,
//
// with D̃_i = (1 + 1/(2r_i)) D_i − D_{i−1}/(2r_i), r_i = h_{i−1}/h_i, the
// denoiser extrapolated from the previous step. The o.N levels are equally
// spaced in λ (log-SNR, LogSNRSigmas) from σ(T) to σ(ε). The first step
// has no history and the last, to σ = 0, is first order (x̂ = D): lower
// order at the ends, as in their code. One score evaluation per step, o.N
// in all; rng is unused (it may be nil).
func DPMSolver2M(s sde.SDE, score Score, x []float64, o Options, _ *rand.Rand) (*Result, error) {
	r, err := newSigmaRun(s, score, x, o, nil, false, LogSNRSigmas)
	if err != nil {
		return nil, err
	}
	den := make([]float64, len(x))
	prev := make([]float64, len(x))
	hPrev := 0.0
	for i := range o.N {
		sg, sn := r.sigmas[i], r.sigmas[i+1]
		r.denoise(x, i, den)
		if sn == 0 {
			copy(x, den)
		} else {
			h := math.Log(sg / sn)
			a, b := sn/sg, -math.Expm1(-h)
			if i == 0 {
				for j := range x {
					x[j] = a*x[j] + b*den[j]
				}
			} else {
				c := 1 / (2 * hPrev / h)
				for j := range x {
					x[j] = a*x[j] + b*((1+c)*den[j]-c*prev[j])
				}
			}
			hPrev = h
		}
		den, prev = prev, den
		r.keep(i+1, x)
	}
	return r.result(x)
}
