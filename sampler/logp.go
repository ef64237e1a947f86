package sampler

import (
	"fmt"
	"math"

	"scoresde/sde"
)

// FlowResult is a set of probability-flow samples with the model's
// log-density at each.
type FlowResult struct {
	// X holds the samples at t = ε (points × d).
	X []float64
	// LogP is log p_ε(x_i), the log-density of the model's probability-flow
	// distribution at each sample.
	LogP []float64
	// NFE counts score-and-divergence evaluations per point.
	NFE int
}

// ProbabilityFlowLogP maps the prior draws in x (modified in place) to
// samples through the probability-flow ODE, as ProbabilityFlowODE does,
// and carries the log-density along in the same pass: the augmented system
// of Likelihood, run from T down to ε,
//
//	dx/dt = a(t)x − ½g(t)² s(x, t),   dδ/dt = d·a(t) − ½g(t)² ∇ₓ·s(x, t),
//
// with δ(T) = 0 gives log p_ε(x_ε) = log p_T(x_T) − δ(ε), the
// instantaneous change of variables. o.ODESolver, RTol, ATol, N and Eps act
// as in ProbabilityFlowODE; Keep and Denoise are refused, since a snapshot
// has no log-density and a denoising step has no tractable Jacobian.
func ProbabilityFlowLogP(s sde.SDE, score ScoreDiv, x []float64, o Options) (*FlowResult, error) {
	eps, err := prepare(s, score, x, o, nil, false)
	if err != nil {
		return nil, err
	}
	if len(o.Keep) > 0 || o.Denoise {
		return nil, fmt.Errorf("sampler: ProbabilityFlowLogP keeps no snapshots and cannot denoise; leave Keep empty and Denoise off")
	}
	d := score.Dim()
	nx := len(x)
	np := nx / d
	if np == 0 {
		return nil, fmt.Errorf("sampler: ProbabilityFlowLogP needs at least one point")
	}
	logPrior := make([]float64, np)
	for p := range np {
		logPrior[p] = s.PriorLogDensity(x[p*d : (p+1)*d])
	}
	y0 := make([]float64, nx+np)
	copy(y0, x)
	y, nfe, err := integrate(augmentedFlow(s, score, nx), y0, s.T(), eps, o, nil)
	if err != nil {
		return nil, fmt.Errorf("sampler: probability-flow ODE with log-density: %w", err)
	}
	copy(x, y[:nx])
	res := &FlowResult{X: x, LogP: make([]float64, np), NFE: nfe}
	for p := range np {
		lp := logPrior[p] - y[nx+p]
		if math.IsNaN(lp) || math.IsInf(lp, 0) {
			return nil, fmt.Errorf("sampler: log-density of sample %d is %v", p, lp)
		}
		res.LogP[p] = lp
	}
	return res, nil
}
