package exact

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"scoresde/data"
	"scoresde/sampler"
	"scoresde/sde"
)

// ProbeConfig fixes the draws of a LossProbe.
type ProbeConfig struct {
	// Times is the number K of equal strata of [Epsilon, T]; the probe
	// times are their midpoints.
	Times int
	// PointsPerTime is the number of (x0, z) draws at each time.
	PointsPerTime int
	// Epsilon is the smallest time, in [0, T). The notebook trains on
	// [0, T]; sde.SDE.MinTime gives each SDE's default.
	Epsilon float64
	// Seed makes the draws reproducible.
	Seed uint64
}

// Estimate is an average over a LossProbe's draws.
type Estimate struct {
	// Mean is the average over all draws, which estimates the time average
	// over t ~ U[ε, T] (midpoint rule in t).
	Mean float64
	// StdErr is the sampling standard error of Mean, from the spread of the
	// draws within each time (NaN with one point per time).
	StdErr float64
	// PerTime[k] is the average at time LossProbe.Times[k].
	PerTime []float64
}

// LossProbe evaluates the notebook's denoising score-matching loss on fixed
// draws, so that different models, and the exact optimum, are compared on
// exactly the same (t, x0, z). At each probe time t_k it holds draws x0 from
// the training set (without replacement while it lasts) and z ~ N(0, I),
// with x = m(t)x0 + s(t)z. The per-draw loss with the notebook's weight
// w(t) = s(t)² is
//
//	ℓ(u) = (½|u(x,t)|² + u·z/s)·s² = ½s²|u|² + s·u·z.
//
// The exact optimum u* (EmpiricalOptimum of the same training set) is
// evaluated once, at construction. By the DSM identity, for any u,
//
//	E[ℓ(u)] − E[ℓ(u*)] = ½ E[s²|u − u*|²],
//
// so Gap estimates half of ScoreError against the optimum; on finite draws
// the two differ by a mean-zero term of size Gap.StdErr.
type LossProbe struct {
	// Times are the probe times t_k, ascending.
	Times []float64

	d, n   int
	std    []float64   // s(t_k)
	x, z   [][]float64 // per time: n points × d
	opt    *EmpiricalOptimum
	optOut [][]float64 // u* at the probe points
}

// NewLossProbe draws the probe points for training set x0 under SDE s and
// evaluates the exact optimum on them.
func NewLossProbe(x0 *data.Set, s sde.SDE, c ProbeConfig) (*LossProbe, error) {
	opt, err := NewEmpiricalOptimum(x0, s)
	if err != nil {
		return nil, err
	}
	T := s.T()
	switch {
	case c.Times < 1:
		return nil, fmt.Errorf("exact: probe needs at least 1 time, got %d", c.Times)
	case c.PointsPerTime < 1:
		return nil, fmt.Errorf("exact: probe needs at least 1 point per time, got %d", c.PointsPerTime)
	case !(c.Epsilon >= 0 && c.Epsilon < T):
		return nil, fmt.Errorf("exact: probe epsilon must be in [0, T=%v), got %v", T, c.Epsilon)
	}
	d, M, n := x0.D, x0.Len(), c.PointsPerTime
	p := &LossProbe{d: d, n: n, opt: opt}
	rng := rand.New(rand.NewPCG(c.Seed, 0x5eed0fe9ac7))
	perm := make([]int, M)
	for i := range perm {
		perm[i] = i
	}
	for k := range c.Times {
		t := c.Epsilon + (float64(k)+0.5)*(T-c.Epsilon)/float64(c.Times)
		m, sd := s.MeanScale(t), s.Std(t)
		if !(sd > 0) || math.IsInf(sd, 0) || math.IsNaN(m) || math.IsInf(m, 0) {
			return nil, fmt.Errorf("exact: kernel at probe time %v has mean scale %v and std %v; "+
				"raise Epsilon so the std is positive", t, m, sd)
		}
		x, z := make([]float64, n*d), make([]float64, n*d)
		for i := range n {
			// Partial Fisher–Yates: a fresh permutation every M draws.
			r := i % M
			j := r + rng.IntN(M-r)
			perm[r], perm[j] = perm[j], perm[r]
			row := x0.Row(perm[r])
			for a := range d {
				z[i*d+a] = rng.NormFloat64()
				x[i*d+a] = m*row[a] + sd*z[i*d+a]
			}
		}
		out := make([]float64, n*d)
		opt.Score(x, t, out)
		if err := finite(out, t); err != nil {
			return nil, fmt.Errorf("exact: optimum: %w", err)
		}
		p.Times = append(p.Times, t)
		p.std = append(p.std, sd)
		p.x, p.z, p.optOut = append(p.x, x), append(p.z, z), append(p.optOut, out)
	}
	return p, nil
}

// Optimum returns the exact optimum for the probe's training set. Passing
// it to Loss or ScoreError reuses the values computed at construction.
func (p *LossProbe) Optimum() *EmpiricalOptimum { return p.opt }

// Points returns the probe points at time index k (n points × d); the
// slice is shared, do not modify it.
func (p *LossProbe) Points(k int) []float64 { return p.x[k] }

func finite(v []float64, t float64) error {
	for i, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Errorf("score at t=%v, component %d, is %v", t, i, x)
		}
	}
	return nil
}

// scores returns u at the probe points of time k.
func (p *LossProbe) scores(u sampler.Score, k int) ([]float64, error) {
	if o, ok := u.(*EmpiricalOptimum); ok && o == p.opt {
		return p.optOut[k], nil
	}
	// A copy, so a model that writes to its input cannot spoil the draws.
	x := append([]float64(nil), p.x[k]...)
	out := make([]float64, p.n*p.d)
	u.Score(x, p.Times[k], out)
	if err := finite(out, p.Times[k]); err != nil {
		return nil, err
	}
	return out, nil
}

func (p *LossProbe) check(us ...sampler.Score) error {
	for _, u := range us {
		if u == nil {
			return errors.New("exact: nil score model")
		}
		if u.Dim() != p.d {
			return fmt.Errorf("exact: score model has dimension %d, the data %d", u.Dim(), p.d)
		}
	}
	return nil
}

// average runs f(k, i) over all draws and collects per-time means and the
// stratified standard error.
func (p *LossProbe) average(f func(k, i int) float64) Estimate {
	K := len(p.Times)
	e := Estimate{PerTime: make([]float64, K)}
	varSum := 0.0
	for k := range K {
		var mean, m2 float64
		for i := range p.n {
			// Welford's update keeps the variance accurate when the mean is large.
			v := f(k, i)
			dv := v - mean
			mean += dv / float64(i+1)
			m2 += dv * (v - mean)
		}
		e.PerTime[k] = mean
		e.Mean += mean / float64(K)
		varSum += m2 / float64(p.n-1) / float64(p.n)
	}
	e.StdErr = math.Sqrt(varSum) / float64(K)
	return e
}

// drawLoss is ℓ(u) for draw i at time k given u's output there.
func (p *LossProbe) drawLoss(u []float64, k, i int) float64 {
	s := p.std[k]
	var uu, uz float64
	for a := range p.d {
		v := u[i*p.d+a]
		uu += v * v
		uz += v * p.z[k][i*p.d+a]
	}
	return 0.5*s*s*uu + s*uz
}

func (p *LossProbe) allScores(u sampler.Score) ([][]float64, error) {
	out := make([][]float64, len(p.Times))
	for k := range p.Times {
		v, err := p.scores(u, k)
		if err != nil {
			return nil, fmt.Errorf("exact: %w", err)
		}
		out[k] = v
	}
	return out, nil
}

// Loss returns the DSM loss of u on the probe draws.
func (p *LossProbe) Loss(u sampler.Score) (Estimate, error) {
	if err := p.check(u); err != nil {
		return Estimate{}, err
	}
	us, err := p.allScores(u)
	if err != nil {
		return Estimate{}, err
	}
	return p.average(func(k, i int) float64 { return p.drawLoss(us[k], k, i) }), nil
}

// Gap returns Loss(model) − Loss(optimum), paired draw by draw so that its
// standard error reflects only the difference. It is zero for the optimum
// and positive in expectation for anything else.
func (p *LossProbe) Gap(model sampler.Score) (Estimate, error) {
	if err := p.check(model); err != nil {
		return Estimate{}, err
	}
	us, err := p.allScores(model)
	if err != nil {
		return Estimate{}, err
	}
	return p.average(func(k, i int) float64 {
		return p.drawLoss(us[k], k, i) - p.drawLoss(p.optOut[k], k, i)
	}), nil
}

// ScoreError returns the weighted squared score error s(t)²·|u − ref|² on
// the probe points. With ref = Optimum() it measures the distance to the
// best any model can do on this training set; with ref a population score
// (e.g. GibbsSmoothedScore) the distance to the truth.
func (p *LossProbe) ScoreError(model, ref sampler.Score) (Estimate, error) {
	if err := p.check(model, ref); err != nil {
		return Estimate{}, err
	}
	us, err := p.allScores(model)
	if err != nil {
		return Estimate{}, err
	}
	rs, err := p.allScores(ref)
	if err != nil {
		return Estimate{}, fmt.Errorf("reference: %w", err)
	}
	return p.average(func(k, i int) float64 {
		s := p.std[k]
		e := 0.0
		for a := range p.d {
			dv := us[k][i*p.d+a] - rs[k][i*p.d+a]
			e += dv * dv
		}
		return s * s * e
	}), nil
}
