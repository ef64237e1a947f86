package sampler

import (
	"fmt"
	"math"
	"math/rand/v2"

	"scoresde/sde"
)

// The few-step samplers (EDM, DPMSolver2M, EulerAncestral) work, as in
// Karras et al. 2022 ("Elucidating the Design Space of Diffusion-Based
// Generative Models", EDM), in σ-coordinates: every SDE here has the kernel
// N(m(t)x₀, s(t)²I), so x̂ = x/m(t) is the data plus noise of std
// σ(t) = s(t)/m(t) (VE: σ = s, m = 1). The probability-flow ODE becomes
// dx̂/dσ = (x̂ − D(x̂, σ))/σ with the denoiser (data prediction)
//
//	D(x̂, σ) = x̂ + σ² ∇_x̂ log p̂_σ(x̂) = x̂ + σ² m(t) s_θ(m(t)x̂, t),
//
// the posterior mean E[x₀ | x̂] (Tweedie). Their grids run from σ(T) down to
// σ(ε) and end with one step to σ = 0, which lands on D itself: k-diffusion's
// convention (a final denoising step is part of the sampler).

// Sigma is σ(t) = s(t)/m(t), the noise level of x(t)/m(t).
func Sigma(s sde.SDE, t float64) float64 { return s.Std(t) / s.MeanScale(t) }

// TimeOfSigma inverts Sigma on [0, T] by bisection: σ(t) increases with t
// for every SDE here, and the samplers need only a few dozen inversions. σ
// below σ(0) maps to 0, above σ(T) to T.
func TimeOfSigma(s sde.SDE, sigma float64) float64 {
	lo, hi := 0.0, s.T()
	if sigma <= Sigma(s, lo) {
		return lo
	}
	if sigma >= Sigma(s, hi) {
		return hi
	}
	for range 80 {
		mid := 0.5 * (lo + hi)
		if mid == lo || mid == hi {
			break
		}
		if Sigma(s, mid) < sigma {
			lo = mid
		} else {
			hi = mid
		}
	}
	return 0.5 * (lo + hi)
}

// KarrasRho is EDM's ρ: the schedule's steps shrink towards σ_min.
const KarrasRho = 7

// KarrasSigmas is EDM's noise schedule: n levels
// σ_i = (σ_max^{1/ρ} + i/(n−1)(σ_min^{1/ρ} − σ_max^{1/ρ}))^ρ, i = 0..n−1,
// followed by a final 0 (n+1 values). With n = 1 it is σ_max, 0.
func KarrasSigmas(sigmaMin, sigmaMax float64, n int, rho float64) []float64 {
	out := make([]float64, n+1)
	a, b := math.Pow(sigmaMax, 1/rho), math.Pow(sigmaMin, 1/rho)
	for i := range n {
		u := 0.0
		if n > 1 {
			u = float64(i) / float64(n-1)
		}
		out[i] = math.Pow(a+u*(b-a), rho)
	}
	if n > 1 {
		out[n-1] = sigmaMin // exactly, whatever the rounding
	}
	return out
}

// LogSNRSigmas is n levels equally spaced in log σ (the log signal-to-noise
// ratio λ = −log σ of DPM-Solver) from σ_max to σ_min, followed by 0.
func LogSNRSigmas(sigmaMin, sigmaMax float64, n int) []float64 {
	out := make([]float64, n+1)
	a, b := math.Log(sigmaMax), math.Log(sigmaMin)
	for i := range n {
		u := 0.0
		if n > 1 {
			u = float64(i) / float64(n-1)
		}
		out[i] = math.Exp(a + u*(b-a))
	}
	if n > 1 {
		out[n-1] = sigmaMin
	}
	return out
}

// sigmaRun is the state the σ-coordinate samplers share: the denoiser, the
// grid and its times, and the snapshots (taken in the SDE's coordinates).
type sigmaRun struct {
	s      sde.SDE
	score  Score
	sigmas []float64 // n levels and a final 0
	times  []float64 // t(σ_i); 0 for the final σ = 0
	snap   *snapshotter
	keepAt []int     // the state indices of the snapshots, in order
	xs, sc []float64 // scratch: m(t)x̂ and the score
	nfe    int
}

// newSigmaRun checks the inputs, builds the grid with sched(σ_min, σ_max,
// N) and moves the prior draws in x to σ-coordinates (in place).
func newSigmaRun(s sde.SDE, score Score, x []float64, o Options, rng *rand.Rand, needRNG bool, sched func(lo, hi float64, n int) []float64) (*sigmaRun, error) {
	eps, err := prepare(s, score, x, o, rng, needRNG)
	if err != nil {
		return nil, err
	}
	if err := o.validate(); err != nil {
		return nil, err
	}
	if o.Denoise {
		return nil, fmt.Errorf("sampler: the %s sampler already ends with a denoising step to σ = 0; drop Denoise", methodName(o))
	}
	lo, hi := Sigma(s, eps), Sigma(s, s.T())
	if !(lo > 0) || !(hi > lo) || math.IsInf(hi, 0) {
		return nil, fmt.Errorf("sampler: noise levels σ(ε) = %v and σ(T) = %v must satisfy 0 < σ(ε) < σ(T) < ∞; raise Eps", lo, hi)
	}
	r := &sigmaRun{s: s, score: score, sigmas: sched(lo, hi, o.N), snap: newSnapshotter(o.Keep), keepAt: o.Keep,
		xs: make([]float64, len(x)), sc: make([]float64, len(x))}
	r.times = make([]float64, len(r.sigmas))
	for i, sg := range r.sigmas[:o.N] {
		r.times[i] = TimeOfSigma(s, sg)
	}
	r.times[0] = s.T()
	if o.N > 1 {
		r.times[o.N-1] = eps
	}
	m := s.MeanScale(s.T())
	for j := range x {
		x[j] /= m
	}
	r.keep(0, x)
	return r, nil
}

// denoise writes D(x̂, σ_i) into out: one score evaluation at t_i.
func (r *sigmaRun) denoise(xh []float64, i int, out []float64) {
	r.denoiseAt(xh, r.sigmas[i], r.times[i], out)
}

func (r *sigmaRun) denoiseAt(xh []float64, sigma, t float64, out []float64) {
	m := r.s.MeanScale(t)
	for j, v := range xh {
		r.xs[j] = m * v
	}
	r.score.Score(r.xs, t, r.sc)
	f := sigma * sigma * m
	for j, v := range xh {
		out[j] = v + f*r.sc[j]
	}
	r.nfe++
}

// keep snapshots state i, x̂ at σ_i, as x = m(t_i)x̂.
func (r *sigmaRun) keep(i int, xh []float64) {
	if len(r.snap.want[i]) == 0 {
		return
	}
	m := r.s.MeanScale(r.times[i])
	for j, v := range xh {
		r.xs[j] = m * v
	}
	r.snap.at(i, r.xs)
}

// result checks the final state (at σ = 0, where x = x̂) and wraps it.
func (r *sigmaRun) result(x []float64) (*Result, error) {
	for i, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("sampler: sample x[%d] = %v is not finite; the score returned non-finite values", i, v)
		}
	}
	var times []float64
	for _, i := range r.keepAt {
		times = append(times, r.times[i])
	}
	// The last state is at σ = 0: x₀ itself, like Denoise's estimate.
	return &Result{X: x, Snapshots: r.snap.out, Times: times, End: 0, NFE: r.nfe}, nil
}

// StepTimes returns the time of each state index 0..o.N of a fixed-step
// sampler run with options o: t_i = T − i(T−ε)/N for "em", "rd", "pc" and
// fixed-step "ode", and t(σ_i) for "edm", "dpm2m" and "ancestral", whose
// last state (σ = 0, after the final denoising step) is given time 0.
func StepTimes(s sde.SDE, o Options) ([]float64, error) {
	if err := o.validate(); err != nil {
		return nil, err
	}
	eps, err := EndTime(s, o)
	if err != nil {
		return nil, err
	}
	out := make([]float64, o.N+1)
	var sigmas []float64
	switch o.Method {
	case "edm", "ancestral":
		sigmas = KarrasSigmas(Sigma(s, eps), Sigma(s, s.T()), o.N, KarrasRho)
	case "dpm2m":
		sigmas = LogSNRSigmas(Sigma(s, eps), Sigma(s, s.T()), o.N)
	default:
		for i := range out {
			out[i] = timeAt(s, eps, o.N, i)
		}
		return out, nil
	}
	for i := range o.N {
		out[i] = TimeOfSigma(s, sigmas[i])
	}
	out[0] = s.T()
	if o.N > 1 {
		out[o.N-1] = eps
	}
	return out, nil
}
