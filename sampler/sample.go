package sampler

import (
	"fmt"
	"math"
	"math/rand/v2"

	"scoresde/sde"
)

// Defaults of Options.
const (
	// DefaultEps selects the SDE's MinTime as the end time.
	DefaultEps = -1.0
	// DefaultCorrectorSteps is one Langevin step per predictor step, as in
	// Song et al.'s PC samplers.
	DefaultCorrectorSteps = 1
	// DefaultSNR is the corrector's signal-to-noise ratio. Song et al. use
	// 0.16 for VE on CIFAR-10. For a Gaussian target of variance v the
	// corrector's step is ε ≈ 2α·snr²·v in any dimension, so its
	// stationary variance is v(1 + α·snr²): the corrector alone inflates
	// the variance by about snr². 0.1 keeps that bias at 1% while each
	// step still moves points by √(2ε) ≈ 0.14 local standard deviations.
	// On a four-mode 1-D mixture like the notebook's data (exact score,
	// N=500, 10⁵ points, all three SDEs) the Kolmogorov–Smirnov distance
	// to p_ε was at the sampling-noise floor (≈0.003) for snr 0.02–0.16
	// and visibly worse at 0.25 (0.004–0.005). With a learned score the
	// corrector pulls mass towards the model's own, imperfect, intermediate
	// marginals: on the notebook's job (5000 epochs, N=500) the
	// Wasserstein-1 distance to the data was 0.024 at snr 0.1, 0.015 at
	// 0.05, 0.0085 at 0.02 and 0.0074 at 0.01. 0.02 keeps the corrector
	// doing real work (steps of √(2ε) ≈ 2·snr = 0.04 local standard deviations)
	// with a variance bias of 0.04%.
	DefaultSNR = 0.02
	// DefaultRTol and DefaultATol are Song et al.'s ODE tolerances.
	DefaultRTol = 1e-5
	DefaultATol = 1e-5
)

// Sample runs the sampler named by o.Method ("em", the default, "rd", "pc"
// or "ode") from the prior draws in x (modified in place). rng may be nil
// for "ode", which is deterministic.
func Sample(s sde.SDE, score Score, x []float64, o Options, rng *rand.Rand) (*Result, error) {
	switch o.Method {
	case "", "em":
		return EulerMaruyama(s, score, x, o, rng)
	case "rd":
		return ReverseDiffusion(s, score, x, o, rng)
	case "pc":
		return PredictorCorrector(s, score, x, o, rng)
	case "ode":
		return ProbabilityFlowODE(s, score, x, o)
	case "edm":
		return EDM(s, score, x, o, rng)
	case "dpm2m":
		return DPMSolver2M(s, score, x, o, rng)
	case "ancestral":
		return EulerAncestral(s, score, x, o, rng)
	default:
		return nil, fmt.Errorf("sampler: unknown method %q, want \"em\", \"rd\", \"pc\", \"ode\", \"edm\", \"dpm2m\" or \"ancestral\"", o.Method)
	}
}

// prepare checks the batch, the SDE and the random source, and returns the
// end time ε.
func prepare(s sde.SDE, score Score, x []float64, o Options, rng *rand.Rand, needRNG bool) (float64, error) {
	if s == nil || score == nil {
		return 0, fmt.Errorf("sampler: SDE and score must not be nil")
	}
	d := score.Dim()
	if d < 1 {
		return 0, fmt.Errorf("sampler: score dimension must be at least 1, got %d", d)
	}
	if len(x)%d != 0 {
		return 0, fmt.Errorf("sampler: %d values do not split into points of dimension %d", len(x), d)
	}
	for i, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return 0, fmt.Errorf("sampler: input x[%d] (point %d) = %v is not finite", i, i/d, v)
		}
	}
	if needRNG {
		// The stochastic samplers are the fixed-step ones: check N and Keep.
		if err := o.validate(); err != nil {
			return 0, err
		}
		if rng == nil {
			return 0, fmt.Errorf("sampler: the %s sampler needs a random source, got nil", methodName(o))
		}
	}
	return EndTime(s, o)
}

func methodName(o Options) string {
	if o.Method == "" {
		return "em"
	}
	return o.Method
}

// EndTime is the end time o selects for s: o.Eps, or s.MinTime() when
// o.Eps is negative. The kernel std must be positive there, or the score
// of the data would be infinite.
func EndTime(s sde.SDE, o Options) (float64, error) {
	eps := o.Eps
	if eps < 0 {
		eps = s.MinTime()
	}
	if !(eps >= 0 && eps < s.T()) {
		return 0, fmt.Errorf("sampler: end time Eps = %v must lie in [0, T=%v)", eps, s.T())
	}
	if !(s.Std(eps) > 0) {
		return 0, fmt.Errorf("sampler: end time Eps = %v has kernel std %v; the score is infinite there, use a later end time (the SDE's default is %v)", eps, s.Std(eps), s.MinTime())
	}
	return eps, nil
}

// timeAt is the i-th of N+1 equally spaced times from T down to ε, with the
// last exactly ε.
func timeAt(s sde.SDE, eps float64, n, i int) float64 {
	if i == n {
		return eps
	}
	return s.T() - float64(i)*(s.T()-eps)/float64(n)
}

// finish applies the optional denoising step and builds the Result.
func finish(s sde.SDE, score Score, x []float64, o Options, eps float64, snap *snapshotter, nfe int) (*Result, error) {
	end := eps
	if o.Denoise {
		end = 0
		sc := make([]float64, len(x))
		score.Score(x, eps, sc)
		sd, m := s.Std(eps), s.MeanScale(eps)
		for j := range x {
			x[j] = (x[j] + sd*sd*sc[j]) / m
		}
		nfe++
	}
	var snaps [][]float64
	if snap != nil {
		snaps = snap.out
	}
	for i, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("sampler: sample x[%d] = %v is not finite; the score returned non-finite values or the step is too large", i, v)
		}
	}
	return &Result{X: x, Snapshots: snaps, Times: snapshotTimes(s, eps, o.N, o.Keep), End: end, NFE: nfe}, nil
}

// ReverseDiffusion is Song et al.'s reverse-diffusion predictor: it runs the
// discretised forward chain x_{i+1} = x_i + f_i(x_i) + G_i z backwards,
// x ← x − f_i(x) + G_i² s(x, t_i) + G_i z, on the grid of EulerMaruyama.
//
// f_i and G_i are the exact transition of the forward SDE from t_{i+1} to
// t_i: with r = m(t_i)/m(t_{i+1}), f_i(x) = (r−1)x and
// G_i² = s(t_i)² − r² s(t_{i+1})². For VE this is exactly Song et al.'s
// discretisation (f=0, G² = σ_i² − σ_{i+1}²); for VP it is their DDPM form
// f = (√α_i − 1)x, G² = β_i = 1 − α_i with α_i = r²; for sub-VP it replaces
// their Euler step f = a x Δt, G = g√Δt by the exact one. It uses one score
// evaluation per step.
func ReverseDiffusion(s sde.SDE, score Score, x []float64, o Options, rng *rand.Rand) (*Result, error) {
	eps, err := prepare(s, score, x, o, rng, true)
	if err != nil {
		return nil, err
	}
	snap := newSnapshotter(o.Keep)
	sc := make([]float64, len(x))
	snap.at(0, x)
	for i := range o.N {
		if o.stopped() {
			return nil, ErrStopped
		}
		t, tn := timeAt(s, eps, o.N, i), timeAt(s, eps, o.N, i+1)
		score.Score(x, t, sc)
		r := s.MeanScale(t) / s.MeanScale(tn)
		st, sn := s.Std(t), s.Std(tn)
		g2 := max(0, st*st-r*r*sn*sn)
		g := math.Sqrt(g2)
		for j := range x {
			x[j] = (2-r)*x[j] + g2*sc[j] + g*rng.NormFloat64()
		}
		snap.at(i+1, x)
	}
	return finish(s, score, x, o, eps, snap, o.N)
}

// PredictorCorrector is Song et al.'s PC sampler (their Algorithms 2–3):
// each of the N steps is one reverse Euler–Maruyama predictor step from
// t_i to t_{i+1}, then CorrectorSteps Langevin steps at t_{i+1},
//
//	x ← x + ε s(x, t) + √(2ε) z,   ε = 2α (snr·‖z‖/‖s‖)²,
//
// where ‖z‖ and ‖s‖ are per-point Euclidean norms averaged over the batch,
// as in their code, and α = 1 + 2a(t)Δt (their α_i = 1 − β_i for VP and
// sub-VP, 1 for VE). The corrector runs after the predictor, as in the
// paper's algorithms, so the last one acts on the target time ε. It uses
// N·(1 + CorrectorSteps) score evaluations.
func PredictorCorrector(s sde.SDE, score Score, x []float64, o Options, rng *rand.Rand) (*Result, error) {
	eps, err := prepare(s, score, x, o, rng, true)
	if err != nil {
		return nil, err
	}
	steps, snr := o.CorrectorSteps, o.SNR
	if snr == 0 {
		snr = DefaultSNR
	}
	if steps < 0 {
		return nil, fmt.Errorf("sampler: CorrectorSteps must not be negative, got %d", steps)
	}
	if !(snr > 0) || math.IsInf(snr, 0) {
		return nil, fmt.Errorf("sampler: SNR must be positive and finite, got %v", snr)
	}
	snap := newSnapshotter(o.Keep)
	sc := make([]float64, len(x))
	z := make([]float64, len(x))
	dt := (s.T() - eps) / float64(o.N)
	sq := math.Sqrt(dt)
	snap.at(0, x)
	for i := range o.N {
		if o.stopped() {
			return nil, ErrStopped
		}
		t, tn := timeAt(s, eps, o.N, i), timeAt(s, eps, o.N, i+1)
		score.Score(x, t, sc)
		g, a := s.Diffusion(t), s.DriftCoef(t)
		for j := range x {
			x[j] += (-a*x[j]+g*g*sc[j])*dt + g*sq*rng.NormFloat64()
		}
		alpha := 1 + 2*s.DriftCoef(tn)*dt
		if !(alpha > 0) {
			return nil, fmt.Errorf("sampler: corrector α = 1 + 2a(t)Δt = %v at t=%v is not positive; use more steps than N=%d", alpha, tn, o.N)
		}
		for range steps {
			if err := langevin(score, x, tn, alpha, snr, rng, sc, z); err != nil {
				return nil, err
			}
		}
		snap.at(i+1, x)
	}
	return finish(s, score, x, o, eps, snap, o.N*(1+steps))
}

// langevin does one corrector step at time t; sc and z are scratch.
func langevin(score Score, x []float64, t, alpha, snr float64, rng *rand.Rand, sc, z []float64) error {
	score.Score(x, t, sc)
	for j := range z {
		z[j] = rng.NormFloat64()
	}
	d := score.Dim()
	var gn, zn float64
	for p := 0; p < len(x); p += d {
		var g2, z2 float64
		for j := p; j < p+d; j++ {
			g2 += sc[j] * sc[j]
			z2 += z[j] * z[j]
		}
		gn += math.Sqrt(g2)
		zn += math.Sqrt(z2)
	}
	if !(gn > 0) || math.IsInf(gn, 0) {
		return fmt.Errorf("sampler: corrector at t=%v: mean score norm is %v; the Langevin step size needs a finite non-zero score", t, gn/float64(len(x)/d))
	}
	r := snr * zn / gn // the batch sizes cancel in the ratio of means
	step := 2 * alpha * r * r
	sq := math.Sqrt(2 * step)
	for j := range x {
		x[j] += step*sc[j] + sq*z[j]
	}
	return nil
}
