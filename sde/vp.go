package sde

import (
	"fmt"
	"math"
	"math/rand/v2"

	"scoresde/internal/fastmath"
)

// linearBeta is the linear noise schedule shared by VP and SubVP. On [0,T]
// it is Song et al.'s T=1 schedule run on the rescaled clock u = t/T:
// β(t) = (β_min + u(β_max−β_min))/T, so ∫₀ᵀβ = (β_min+β_max)/2 whatever T
// is, and the prior fits equally well for every T.
type linearBeta struct {
	betaMin, betaMax, tmax float64
}

func (b linearBeta) beta(t float64) float64 {
	return (b.betaMin + t/b.tmax*(b.betaMax-b.betaMin)) / b.tmax
}

// integral is B(t) = ∫₀ᵗ β = β_min u + ½(β_max−β_min)u², u = t/T.
func (b linearBeta) integral(t float64) float64 {
	u := t / b.tmax
	return b.betaMin*u + 0.5*(b.betaMax-b.betaMin)*u*u
}

func checkBeta(kind string, betaMin, betaMax, T float64) error {
	if !(betaMin >= 0) || math.IsInf(betaMin, 0) {
		return fmt.Errorf("sde: %s beta_min must be finite and non-negative, got %v", kind, betaMin)
	}
	if !(betaMax > betaMin) || math.IsInf(betaMax, 0) {
		return fmt.Errorf("sde: %s beta_max must be finite and greater than beta_min (%v), got %v", kind, betaMin, betaMax)
	}
	if !(T > 0) || math.IsInf(T, 0) {
		return fmt.Errorf("sde: %s T must be positive and finite, got %v", kind, T)
	}
	// m(T) = exp(−B(T)/2) with B(T) = (β_min+β_max)/2 must not underflow,
	// or σ(T) = s/m and the prior's scale overflow.
	if b := 0.5 * (betaMin + betaMax); b/2 > maxHalfB {
		return fmt.Errorf("sde: %s beta_min + beta_max = %v makes the mean scale exp(−(β_min+β_max)/4) underflow; keep their sum below %v (Song et al. use 0.1 and 20)", kind, betaMin+betaMax, 4*maxHalfB)
	}
	return nil
}

// maxHalfB bounds B(T)/2: exp(−700) is still a normal float64.
const maxHalfB = 700

// vpMinTime is Song et al.'s ε = 1e-5 for VP-type SDEs (at T=1), scaled
// with T like the schedule. The kernel std vanishes at t=0, so the score
// of data concentrated on points blows up there and t=0 must be avoided.
const vpMinTime = 1e-5

// VP is the variance-preserving SDE dX = −½β(t)X dt + sqrt(β(t)) dW
// (Song et al. 2021, the continuous DDPM) with the linear schedule
// β(t) = (β_min + (t/T)(β_max−β_min))/T. Its perturbation kernel is
// N(m(t)x₀, s(t)²I) with m = exp(−½B), s² = 1 − exp(−B), B(t) = ∫₀ᵗβ; the
// prior is N(0, I).
type VP struct {
	BetaMin, BetaMax, Tmax float64
}

// DefaultVP is Song et al.'s: β_min=0.1, β_max=20, T=1.
func DefaultVP() VP { return VP{BetaMin: 0.1, BetaMax: 20, Tmax: 1} }

// NewVP checks 0 ≤ betaMin < betaMax and T > 0.
func NewVP(betaMin, betaMax, T float64) (VP, error) {
	if err := checkBeta("vp", betaMin, betaMax, T); err != nil {
		return VP{}, err
	}
	return VP{BetaMin: betaMin, BetaMax: betaMax, Tmax: T}, nil
}

func (v VP) sched() linearBeta { return linearBeta{v.BetaMin, v.BetaMax, v.Tmax} }

// Name is "vp".
func (VP) Name() string { return "vp" }

// T is the final time.
func (v VP) T() float64 { return v.Tmax }

// Beta returns β(t).
func (v VP) Beta(t float64) float64 { return v.sched().beta(t) }

// IntegratedBeta returns B(t) = ∫₀ᵗ β.
func (v VP) IntegratedBeta(t float64) float64 { return v.sched().integral(t) }

// DriftCoef returns a(t) = −½β(t).
func (v VP) DriftCoef(t float64) float64 { return -0.5 * v.Beta(t) }

// Diffusion returns g(t) = sqrt(β(t)).
func (v VP) Diffusion(t float64) float64 { return math.Sqrt(v.Beta(t)) }

// MeanScale returns m(t) = exp(−½B(t)).
func (v VP) MeanScale(t float64) float64 { return fastmath.Exp(-0.5 * v.IntegratedBeta(t)) }

// Std returns s(t) = sqrt(1 − exp(−B(t))).
func (v VP) Std(t float64) float64 { return math.Sqrt(-math.Expm1(-v.IntegratedBeta(t))) }

// SamplePrior draws N(0, 1) values.
func (VP) SamplePrior(rng *rand.Rand, x []float64) { standardNormal(rng, x) }

// PriorLogDensity is log N(x; 0, I).
func (VP) PriorLogDensity(x []float64) float64 { return gaussLogDensity(x, 1) }

// MinTime is 1e-5·T, Song et al.'s ε for VP.
func (v VP) MinTime() float64 { return vpMinTime * v.Tmax }

// SubVP is Song et al.'s sub-VP SDE: the VP drift with the smaller
// diffusion g(t) = sqrt(β(t)(1 − exp(−2B(t)))). Its kernel is
// N(m(t)x₀, s(t)²I) with m = exp(−½B) as for VP but s = 1 − exp(−B)
// (the std, not the variance, equals VP's variance, so s_subVP ≤ s_VP); the
// prior is N(0, I).
type SubVP struct {
	BetaMin, BetaMax, Tmax float64
}

// DefaultSubVP is Song et al.'s: β_min=0.1, β_max=20, T=1.
func DefaultSubVP() SubVP { return SubVP{BetaMin: 0.1, BetaMax: 20, Tmax: 1} }

// NewSubVP checks 0 ≤ betaMin < betaMax and T > 0.
func NewSubVP(betaMin, betaMax, T float64) (SubVP, error) {
	if err := checkBeta("subvp", betaMin, betaMax, T); err != nil {
		return SubVP{}, err
	}
	return SubVP{BetaMin: betaMin, BetaMax: betaMax, Tmax: T}, nil
}

func (v SubVP) sched() linearBeta { return linearBeta{v.BetaMin, v.BetaMax, v.Tmax} }

// Name is "subvp".
func (SubVP) Name() string { return "subvp" }

// T is the final time.
func (v SubVP) T() float64 { return v.Tmax }

// Beta returns β(t).
func (v SubVP) Beta(t float64) float64 { return v.sched().beta(t) }

// IntegratedBeta returns B(t) = ∫₀ᵗ β.
func (v SubVP) IntegratedBeta(t float64) float64 { return v.sched().integral(t) }

// DriftCoef returns a(t) = −½β(t).
func (v SubVP) DriftCoef(t float64) float64 { return -0.5 * v.Beta(t) }

// Diffusion returns g(t) = sqrt(β(t)(1 − exp(−2B(t)))).
func (v SubVP) Diffusion(t float64) float64 {
	return math.Sqrt(v.Beta(t) * -math.Expm1(-2*v.IntegratedBeta(t)))
}

// MeanScale returns m(t) = exp(−½B(t)).
func (v SubVP) MeanScale(t float64) float64 { return fastmath.Exp(-0.5 * v.IntegratedBeta(t)) }

// Std returns s(t) = 1 − exp(−B(t)).
func (v SubVP) Std(t float64) float64 { return -math.Expm1(-v.IntegratedBeta(t)) }

// SamplePrior draws N(0, 1) values.
func (SubVP) SamplePrior(rng *rand.Rand, x []float64) { standardNormal(rng, x) }

// PriorLogDensity is log N(x; 0, I).
func (SubVP) PriorLogDensity(x []float64) float64 { return gaussLogDensity(x, 1) }

// MinTime is 1e-5·T, Song et al.'s ε for sub-VP.
func (v SubVP) MinTime() float64 { return vpMinTime * v.Tmax }

func standardNormal(rng *rand.Rand, x []float64) {
	for i := range x {
		x[i] = rng.NormFloat64()
	}
}
