// Package sampler generates samples by running an SDE backwards in time with
// a learned (or exact) score ∇ log p_t, and evaluates the model's
// likelihood.
//
// The samplers follow Song et al. 2021, "Score-Based Generative Modeling
// through Stochastic Differential Equations": reverse-time Euler–Maruyama
// (EulerMaruyama, the notebook's), the reverse-diffusion predictor
// (ReverseDiffusion), predictor–corrector with Langevin correction
// (PredictorCorrector) and the probability-flow ODE (ProbabilityFlowODE);
// Sample dispatches on Options.Method. Likelihood computes the negative
// log-likelihood of the probability-flow model by the instantaneous change
// of variables. All work on a batch of points that share one time per score
// evaluation and report NFE, the score evaluations per point, and the
// times of the snapshots they keep. Shifted presents a score of centred
// data in the data's coordinates.
package sampler

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"scoresde/sde"
)

// Score is a score model s(x,t) ≈ ∇ₓ log p_t(x) evaluated on a batch of
// points that share one time.
type Score interface {
	// Dim is the dimension d of one point.
	Dim() int
	// Score writes s(x_i, t) for the len(x)/Dim() points of x into out.
	Score(x []float64, t float64, out []float64)
}

// ScoreFunc adapts a function to Score.
type ScoreFunc struct {
	D int
	F func(x []float64, t float64, out []float64)
}

// Dim is D.
func (f ScoreFunc) Dim() int { return f.D }

// Score calls F.
func (f ScoreFunc) Score(x []float64, t float64, out []float64) { f.F(x, t, out) }

// Result is what a sampler returns.
type Result struct {
	// X holds the final samples, points × d flattened.
	X []float64
	// Snapshots[k] is the state after Keep[k] reverse steps (0 = the prior draw).
	Snapshots [][]float64
	// Times[k] is the time of Snapshots[k]: t_i = T − i(T − ε)/N for
	// i = Keep[k], the last (i = N) exactly End.
	Times []float64
	// End is the time the samples X are at: the end time ε, or 0 after
	// Denoise (which estimates x₀).
	End float64
	// NFE counts score evaluations per point.
	NFE int
}

// Options controls a sampling run. Options{N: 500, Eps: DefaultEps} is the
// notebook's Euler–Maruyama run. A zero is taken as zero where zero is a
// legal value (Eps, CorrectorSteps); where it is not (SNR, RTol, ATol,
// MaxSteps) it selects the default.
type Options struct {
	N    int   // number of steps (notebook: 500); unused by the adaptive "rk45" solver
	Keep []int // reverse step indices 0..N to keep snapshots of (before Denoise)

	// Method selects the sampler in Sample: "em" (default, EulerMaruyama),
	// "rd" (ReverseDiffusion), "pc" (PredictorCorrector) or "ode"
	// (ProbabilityFlowODE).
	Method string
	// ODESolver selects the probability-flow integrator: "rk45" (default,
	// adaptive Dormand–Prince), "heun" or "rk4" (N fixed steps).
	ODESolver string
	// Eps is the end time ε of the reverse run, where the kernel std s(ε)
	// must be positive; a negative value (DefaultEps) selects the SDE's
	// MinTime (0 for VE, as in the notebook; 1e-5 for VP and sub-VP).
	Eps float64
	// CorrectorSteps is the number of Langevin steps per predictor step of
	// "pc" (0: none, the predictor alone; DefaultCorrectorSteps is 1).
	CorrectorSteps int
	// SNR is the Langevin corrector's signal-to-noise ratio; 0 selects
	// DefaultSNR.
	SNR float64
	// RTol and ATol are the "rk45" tolerances; 0 selects DefaultRTol and
	// DefaultATol.
	RTol, ATol float64
	// MaxSteps bounds the "rk45" steps; 0 selects the ode package default.
	MaxSteps int
	// Denoise ends with one Tweedie step x ← (x + s(ε)² s_θ(x, ε))/m(ε),
	// the posterior mean E[x₀ | x_ε] under the model; it costs one more
	// score evaluation.
	Denoise bool
	// Stop, when set, is asked once per step of the stochastic samplers;
	// true ends sampling with ErrStopped (a SIGINT, say).
	Stop func() bool
	// Churn and SNoise are EDM's S_churn (0: deterministic) and S_noise
	// (0 means 1); see EDM.
	Churn, SNoise float64
}

// ErrStopped is returned when Options.Stop asked sampling to end.
var ErrStopped = errors.New("sampler: stopped")

func (o Options) stopped() bool { return o.Stop != nil && o.Stop() }

func (o Options) validate() error {
	if o.N < 1 {
		return fmt.Errorf("sampler: number of steps must be at least 1, got %d", o.N)
	}
	for _, k := range o.Keep {
		if k < 0 || k > o.N {
			return fmt.Errorf("sampler: snapshot index %d outside 0..%d", k, o.N)
		}
	}
	return nil
}

// snapshotter copies the state at the requested step indices.
type snapshotter struct {
	want map[int][]int
	out  [][]float64
}

func newSnapshotter(keep []int) *snapshotter {
	s := &snapshotter{want: map[int][]int{}, out: make([][]float64, len(keep))}
	for k, i := range keep {
		s.want[i] = append(s.want[i], k)
	}
	return s
}

// times returns the time of each kept snapshot on the N-step grid.
func snapshotTimes(s sde.SDE, eps float64, n int, keep []int) []float64 {
	if len(keep) == 0 {
		return nil
	}
	ts := make([]float64, len(keep))
	for k, i := range keep {
		ts[k] = timeAt(s, eps, n, i)
	}
	return ts
}

func (s *snapshotter) at(i int, x []float64) {
	for _, k := range s.want[i] {
		s.out[k] = append([]float64(nil), x...)
	}
}

// EulerMaruyama integrates the reverse-time SDE
// dY = (−f(Y,T−τ) + g(T−τ)² s(Y,T−τ)) dτ + g(T−τ) dW
// from the prior draws in x (modified in place) on the grid
// t_i = T − iΔt, i = 0..N−1, with Δt = (T−ε)/N, ending at t_N = ε. With
// the default ε = 0 of VE this is the notebook's grid, Δt = T/N.
func EulerMaruyama(s sde.SDE, score Score, x []float64, o Options, rng *rand.Rand) (*Result, error) {
	eps, err := prepare(s, score, x, o, rng, true)
	if err != nil {
		return nil, err
	}
	snap := newSnapshotter(o.Keep)
	sc := make([]float64, len(x))
	dt := (s.T() - eps) / float64(o.N)
	sq := math.Sqrt(dt)
	snap.at(0, x)
	for i := range o.N {
		if o.stopped() {
			return nil, ErrStopped
		}
		t := s.T() - float64(i)*dt
		score.Score(x, t, sc)
		g := s.Diffusion(t)
		a := s.DriftCoef(t)
		for j := range x {
			x[j] += (-a*x[j]+g*g*sc[j])*dt + g*sq*rng.NormFloat64()
		}
		snap.at(i+1, x)
	}
	return finish(s, score, x, o, eps, snap, o.N)
}
