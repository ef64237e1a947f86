// Package precond is the score network's parametrisation: how the raw
// network output F(In·x, Noise) becomes a score,
//
//	s_θ(x, t) = Skip(t)·x + Out(t)·F(In(t)·x, Noise(t)),
//
// and, for EDM, how training times are drawn.
//
// Three kinds:
//   - None: F is the score itself, fed [x, warped t] (the notebook's).
//   - Sigma: F predicts the noise z of x_t = m(t)x₀ + s(t)z, so the score is
//     −F/s(t) (DDPM's ε-prediction; Song et al.'s scale_by_sigma up to sign).
//     The network's output stays of order one at every t, where with None it
//     must reach ~1/s(t), about 10³ at VP's ε = 1e-5. Its output must still
//     grow like x in the tails, which a tanh network's does not.
//   - EDM: Karras et al. 2022's preconditioning (c_skip, c_out, c_in,
//     c_noise) in terms of σ(t) = s(t)/m(t) and x̂ = x/m(t), with its
//     log-normal training distribution of σ (truncated to the SDE's range).
//
// The coefficients in EDM's denoiser form, D(x̂; σ) = c_skip·x̂ +
// c_out·F(c_in·x̂, c_noise), give the score through Tweedie's formula
// ∇log p_t(x) = (m·D − x)/s², which is what At returns.
package precond

import (
	"fmt"
	"math"

	"scoresde/sde"
)

// Kinds of parametrisation, and Auto, which picks by SDE.
const (
	None  = "none"
	Sigma = "sigma"
	EDM   = "edm"
	Auto  = "auto"
)

// EDM's log-normal training distribution of σ: ln σ ~ N(PMean, PStd²).
const (
	PMean = -1.2
	PStd  = 1.2
)

// Resolve maps Auto to the kind used for an SDE: None (the notebook's) for
// VE, EDM for VP and sub-VP. With None their probability-flow ODE sent a
// few samples far outside the data (W1 0.038 and 0.052 on the notebook's
// job): where the network's bounded output misses the score's −x growth
// at large t the reverse flow multiplies the error by up to 1/m(T) ≈ 150.
// Sigma does not help there (W1 0.12); EDM's skip term carries the
// Gaussian part of the score (W1 0.0045 for VP). Other kinds pass
// through; Check validates them.
func Resolve(kind, sdeName string) string {
	if kind != Auto {
		return kind
	}
	if sdeName == "ve" {
		return None
	}
	return EDM
}

// Check says whether kind is a known parametrisation (Auto included).
func Check(kind string) error {
	switch kind {
	case None, Sigma, EDM, Auto:
		return nil
	}
	return fmt.Errorf("unknown precond %q; choose auto, none, sigma or edm", kind)
}

// Config is what a saved model records of its parametrisation.
type Config struct {
	Kind string `json:"kind"`
	// SigmaData is EDM's σ_data, the root mean square of the training data
	// (as the network saw them); 0 for the other kinds.
	SigmaData float64 `json:"sigma_data,omitempty"`
}

// Validate checks a resolved configuration.
func (c Config) Validate() error {
	switch c.Kind {
	case None, Sigma:
		return nil
	case EDM:
		if !(c.SigmaData > 0) || math.IsInf(c.SigmaData, 0) {
			return fmt.Errorf("precond edm needs a positive finite sigma_data, got %v", c.SigmaData)
		}
		return nil
	}
	return fmt.Errorf("unknown precond kind %q; want none, sigma or edm", c.Kind)
}

// Coefs are the parametrisation at one time: s_θ(x) = Skip·x + Out·F(In·x, Noise).
type Coefs struct {
	In, Noise, Skip, Out float64
}

// Precond is a resolved parametrisation for one SDE on [ε, T].
type Precond struct {
	cfg  Config
	sde  sde.SDE
	warp sde.TimeWarp
	eps  float64
	// EDM's σ sampling: ln σ(t) on [lo, hi], its inverse tabulated.
	lnLo, lnHi float64
	pLo, pHi   float64 // Φ at the standardised ends
	inv        []float64
}

// invTable nodes of ln σ ↦ t, linearly interpolated: placing times to
// ~1e-6 of T, like sde.TimeWarp.
const invTable = 4097

// New resolves kind for s and returns its parametrisation on [eps, T].
// sigmaData is EDM's σ_data and is ignored by the other kinds.
func New(kind string, s sde.SDE, eps, sigmaData float64) (*Precond, error) {
	kind = Resolve(kind, s.Name())
	c := Config{Kind: kind}
	if kind == EDM {
		c.SigmaData = sigmaData
	}
	return FromConfig(c, s, eps)
}

// FromConfig builds a saved parametrisation.
func FromConfig(c Config, s sde.SDE, eps float64) (*Precond, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if !(eps >= 0 && eps < s.T()) {
		return nil, fmt.Errorf("precond: minimum time %v outside [0, T=%v)", eps, s.T())
	}
	p := &Precond{cfg: c, sde: s, warp: sde.NewTimeWarp(s, eps), eps: eps}
	if c.Kind == EDM {
		if err := p.tabulate(); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// sigma is σ(t) = s(t)/m(t), the noise level in EDM's scaled coordinates.
func (p *Precond) sigma(t float64) float64 { return p.sde.Std(t) / p.sde.MeanScale(t) }

func (p *Precond) tabulate() error {
	T := p.sde.T()
	lo, hi := p.sigma(p.eps), p.sigma(T)
	if !(lo > 0) || !(hi > lo) || math.IsInf(hi, 0) {
		return fmt.Errorf("precond: edm needs 0 < σ(ε) < σ(T) < ∞, got σ(%v) = %v, σ(%v) = %v; raise --min-time", p.eps, lo, T, hi)
	}
	p.lnLo, p.lnHi = math.Log(lo), math.Log(hi)
	p.pLo, p.pHi = phi((p.lnLo-PMean)/PStd), phi((p.lnHi-PMean)/PStd)
	p.inv = make([]float64, invTable)
	for k := range p.inv {
		y := p.lnLo + (p.lnHi-p.lnLo)*float64(k)/float64(invTable-1)
		l, h := p.eps, T
		for range 60 {
			m := 0.5 * (l + h)
			if math.Log(p.sigma(m)) < y {
				l = m
			} else {
				h = m
			}
		}
		p.inv[k] = 0.5 * (l + h)
	}
	p.inv[0], p.inv[invTable-1] = p.eps, T
	return nil
}

func phi(x float64) float64 { return 0.5 * math.Erfc(-x/math.Sqrt2) }

// Config is what to save.
func (p *Precond) Config() Config { return p.cfg }

// Kind is the resolved kind.
func (p *Precond) Kind() string { return p.cfg.Kind }

// MinTime is ε.
func (p *Precond) MinTime() float64 { return p.eps }

// Warp is the time warp the None and Sigma kinds feed the network.
func (p *Precond) Warp() sde.TimeWarp { return p.warp }

// Time maps u ∈ [0, 1] to a training time. None and Sigma: uniform in the
// warped time (sde.TimeWarp.Time). EDM: σ(t) log-normal with EDM's PMean
// and PStd, truncated to [σ(ε), σ(T)] by inverting its CDF.
func (p *Precond) Time(u float64) float64 {
	if p.cfg.Kind != EDM {
		return p.warp.Time(u)
	}
	q := p.pLo + u*(p.pHi-p.pLo)
	y := PMean + PStd*math.Sqrt2*math.Erfinv(2*q-1)
	y = min(max(y, p.lnLo), p.lnHi) // rounding at the ends, and ±Inf
	x := (y - p.lnLo) / (p.lnHi - p.lnLo) * float64(invTable-1)
	k := min(int(x), invTable-2)
	f := x - float64(k)
	return p.inv[k] + f*(p.inv[k+1]-p.inv[k])
}

// At is the parametrisation at time t.
func (p *Precond) At(t float64) Coefs {
	return p.AtKernel(t, p.sde.MeanScale(t), p.sde.Std(t))
}

// AtKernel is At given the kernel's m = m(t) and s = s(t), which a trainer
// already has.
func (p *Precond) AtKernel(t, m, s float64) Coefs {
	switch p.cfg.Kind {
	case Sigma:
		return Coefs{In: 1, Noise: p.warp.At(t), Skip: 0, Out: -1 / s}
	case EDM:
		// EDMCoefs at σ = s/m with x = m·x̂, through score = (m·D − x)/s²:
		// In = c_in/m, Skip = (c_skip − 1)/s², Out = m·c_out/s², written
		// without the cancellation in c_skip − 1 at small σ.
		sd := p.cfg.SigmaData
		md := m * sd
		r := math.Sqrt(s*s + md*md)
		return Coefs{In: 1 / r, Noise: math.Log(s/m) / 4, Skip: -1 / (r * r), Out: md / (s * r)}
	default:
		return Coefs{In: 1, Noise: p.warp.At(t), Skip: 0, Out: 1}
	}
}

// EDMWeight is EDM's loss weight λ(σ) = (σ² + σ_d²)/(σ·σ_d)² expressed in
// the DSM loss's score units: λ_score = s²(1 + σ²/σ_d²), which makes the
// loss on F unit-weighted at every σ.
func (p *Precond) EDMWeight(m, s float64) float64 {
	sig := s / m
	sd := p.cfg.SigmaData
	return s * s * (1 + sig*sig/(sd*sd))
}

// EDMCoefs are Karras et al.'s (their Table 1) c_in, c_noise, c_skip and
// c_out at noise level σ for data of RMS σ_d, in the denoiser form
// D(x̂) = c_skip·x̂ + c_out·F(c_in·x̂, c_noise).
func EDMCoefs(sigma, sigmaData float64) Coefs {
	s2, d2 := sigma*sigma, sigmaData*sigmaData
	r := math.Sqrt(s2 + d2)
	return Coefs{
		In:    1 / r,
		Noise: math.Log(sigma) / 4,
		Skip:  d2 / (s2 + d2),
		Out:   sigma * sigmaData / r,
	}
}

// RMS is the root mean square of x, EDM's σ_data for centred data.
func RMS(x []float64) float64 {
	if len(x) == 0 {
		return 0
	}
	q := 0.0
	for _, v := range x {
		q += v * v
	}
	return math.Sqrt(q / float64(len(x)))
}

// WithWarp is the None parametrisation feeding the network warp.At(t) on
// [eps, T]: networks trained elsewhere take t itself (sde.IdentityWarp).
func WithWarp(s sde.SDE, warp sde.TimeWarp, eps float64) *Precond {
	return &Precond{cfg: Config{Kind: None}, sde: s, warp: warp, eps: eps}
}
