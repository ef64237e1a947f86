package sampler

import (
	"fmt"
	"math"
	"slices"

	"scoresde/sampler/ode"
	"scoresde/sde"
)

// integrate runs the ODE solver named by o.ODESolver from t0 to t1.
func integrate(f ode.Func, y0 []float64, t0, t1 float64, o Options, obs ode.Observer) ([]float64, int, error) {
	switch o.ODESolver {
	case "", "rk45":
		return ode.DormandPrince(f, y0, t0, t1, rk45Tol(o.RTol, DefaultRTol), rk45Tol(o.ATol, DefaultATol), &ode.Settings{MaxSteps: o.MaxSteps})
	case "heun", "rk4":
		if err := o.validate(); err != nil {
			return nil, 0, err
		}
		if o.ODESolver == "heun" {
			return ode.Heun(f, y0, t0, t1, o.N, obs)
		}
		return ode.RK4(f, y0, t0, t1, o.N, obs)
	default:
		return nil, 0, fmt.Errorf("sampler: unknown ODE solver %q, want \"rk45\", \"heun\" or \"rk4\"", o.ODESolver)
	}
}

func rk45Tol(v, def float64) float64 {
	if v == 0 {
		return def
	}
	return v
}

// integrateKeeping is integrate for the reverse run from T to ε that also
// snapshots the states at the N-step grid indices in o.Keep: the fixed-step
// solvers step on that grid; the adaptive rk45 integrates to each kept
// time in turn, restarting its step-size control there.
func integrateKeeping(s sde.SDE, f ode.Func, x []float64, eps float64, o Options, snap *snapshotter) ([]float64, int, error) {
	if len(o.Keep) == 0 || (o.ODESolver != "" && o.ODESolver != "rk45") {
		return integrate(f, x, s.T(), eps, o, func(i int, _ float64, y []float64) { snap.at(i, y) })
	}
	if err := o.validate(); err != nil {
		return nil, 0, fmt.Errorf("%w (rk45 snapshots are taken at the times of an N-step grid)", err)
	}
	idx := append([]int(nil), o.Keep...)
	slices.Sort(idx)
	idx = slices.Compact(idx)
	y := append([]float64(nil), x...)
	t, nfe := s.T(), 0
	for _, i := range idx {
		ti := timeAt(s, eps, o.N, i)
		if ti != t {
			yn, n, err := integrate(f, y, t, ti, o, nil)
			nfe += n
			if err != nil {
				return nil, nfe, err
			}
			y, t = yn, ti
		}
		snap.at(i, y)
	}
	if t != eps {
		yn, n, err := integrate(f, y, t, eps, o, nil)
		nfe += n
		if err != nil {
			return nil, nfe, err
		}
		y = yn
	}
	return y, nfe, nil
}

// ProbabilityFlowODE maps the prior draws in x (modified in place) to
// samples by integrating the probability-flow ODE
//
//	dx/dt = a(t)x − ½g(t)² s(x, t)
//
// from T to ε, the whole batch as one system (one shared step size, as in
// Song et al.'s solver), with o.ODESolver: adaptive "rk45" (default; RTol,
// ATol, MaxSteps) or N fixed steps of "heun" or "rk4". Keep selects states
// on the N-step grid, for rk45 too (it then integrates to each kept time in
// turn). NFE is the number of right-hand-side evaluations.
func ProbabilityFlowODE(s sde.SDE, score Score, x []float64, o Options) (*Result, error) {
	eps, err := prepare(s, score, x, o, nil, false)
	if err != nil {
		return nil, err
	}
	f := func(t float64, y, dy []float64) {
		score.Score(y, t, dy)
		a, g := s.DriftCoef(t), s.Diffusion(t)
		h := 0.5 * g * g
		for j := range y {
			dy[j] = a*y[j] - h*dy[j]
		}
	}
	snap := newSnapshotter(o.Keep)
	y, nfe, err := integrateKeeping(s, f, x, eps, o, snap)
	if err != nil {
		return nil, fmt.Errorf("sampler: probability-flow ODE: %w", err)
	}
	copy(x, y)
	return finish(s, score, x, o, eps, snap, nfe)
}

// ScoreDiv is a score model that also gives the exact divergence
// ∇ₓ·s(x, t) of each point's score, which Likelihood needs.
type ScoreDiv interface {
	Score
	// ScoreDiv writes s(x_i, t) into out (points × d) and ∇ₓ·s(x_i, t)
	// into div (one per point).
	ScoreDiv(x []float64, t float64, out, div []float64)
}

// NLLResult is a negative log-likelihood in nats (lower is better): the
// NLL of the model's probability-flow density at t = ε, evaluated at the
// given (held-out) points. That density is the prior p_T pushed through
// the probability-flow ODE from T to ε; for VE with ε = 0 it is a density
// of the data smoothed by N(0, η_min²), as the notebook's model is.
type NLLResult struct {
	// PerPoint is −log p_ε(x_i) for each point.
	PerPoint []float64
	// Mean is the mean of PerPoint; MeanPerDim is Mean/d.
	Mean, MeanPerDim float64
	// NFE counts score-and-divergence evaluations per point.
	NFE int
}

// Likelihood computes the NLL of the points in x (not modified) by
// integrating the augmented ODE for (x, δ),
//
//	dx/dt = a(t)x − ½g(t)² s(x, t),   dδ/dt = d·a(t) − ½g(t)² ∇ₓ·s(x, t),
//
// from ε (x_ε = the data, δ = 0) to T, whole batch as one system, with
// o.ODESolver ("rk45" by default with RTol/ATol, or N steps of "heun" or
// "rk4"); then −log p_ε(x) = −(log p_T(x_T) + δ_T), the instantaneous
// change of variables. o.Eps selects ε as for sampling.
func Likelihood(s sde.SDE, score ScoreDiv, x []float64, o Options) (*NLLResult, error) {
	eps, err := prepare(s, score, x, o, nil, false)
	if err != nil {
		return nil, err
	}
	if len(o.Keep) > 0 {
		return nil, fmt.Errorf("sampler: Likelihood keeps no snapshots; leave Keep empty")
	}
	d := score.Dim()
	nx := len(x)
	np := nx / d
	if np == 0 {
		return nil, fmt.Errorf("sampler: Likelihood needs at least one point")
	}
	y0 := make([]float64, nx+np)
	copy(y0, x)
	y, nfe, err := integrate(augmentedFlow(s, score, nx), y0, eps, s.T(), o, nil)
	if err != nil {
		return nil, fmt.Errorf("sampler: likelihood ODE: %w", err)
	}
	res := &NLLResult{PerPoint: make([]float64, np), NFE: nfe}
	for p := range np {
		nll := -(s.PriorLogDensity(y[p*d:(p+1)*d]) + y[nx+p])
		if math.IsNaN(nll) || math.IsInf(nll, 0) {
			return nil, fmt.Errorf("sampler: NLL of point %d is %v", p, nll)
		}
		res.PerPoint[p] = nll
		res.Mean += nll
	}
	res.Mean /= float64(np)
	res.MeanPerDim = res.Mean / float64(d)
	return res, nil
}

// augmentedFlow is the probability-flow ODE of the nx coordinates of a
// batch together with the log-density change δ of each point,
//
//	dx/dt = a(t)x − ½g(t)² s(x, t),   dδ/dt = d·a(t) − ½g(t)² ∇ₓ·s(x, t),
//
// on the state (x, δ) of length nx + nx/d.
func augmentedFlow(s sde.SDE, score ScoreDiv, nx int) ode.Func {
	d := score.Dim()
	np := nx / d
	div := make([]float64, np)
	return func(t float64, y, dy []float64) {
		score.ScoreDiv(y[:nx], t, dy[:nx], div)
		a, g := s.DriftCoef(t), s.Diffusion(t)
		h := 0.5 * g * g
		for j := range nx {
			dy[j] = a*y[j] - h*dy[j]
		}
		da := float64(d) * a
		for p := range np {
			dy[nx+p] = da - h*div[p]
		}
	}
}
