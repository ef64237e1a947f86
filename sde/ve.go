package sde

import (
	"fmt"
	"math"
	"math/rand/v2"

	"scoresde/internal/fastmath"
)

// VE is the notebook's variance-exploding SDE dX = sqrt(β(t)) dW with
// β(t) = (2η_min²/T)(η_max/η_min)^{2t/T} ln(η_max/η_min). Its perturbation
// kernel, with the data smoothed by N(0, η_min²) as in the notebook, has std
// η̃(t) = η_min (η_max/η_min)^{t/T}, so η̃(0)=η_min and η̃(T)=η_max.
type VE struct {
	EtaMin, EtaMax, Tmax float64
	// rate caches ln(η_max/η_min)/T for Std, which the trainer calls once
	// per row per step; zero (a VE built as a literal) means compute it.
	rate float64
}

func (v VE) logRate() float64 {
	if v.rate != 0 {
		return v.rate
	}
	return math.Log(v.EtaMax/v.EtaMin) / v.Tmax
}

// DefaultVE is the notebook's: η_min=0.03, η_max=2, T=1.
func DefaultVE() VE { v, _ := NewVE(0.03, 2, 1); return v }

// NewVE checks 0 < etaMin < etaMax and T > 0.
func NewVE(etaMin, etaMax, T float64) (VE, error) {
	if !(etaMin > 0) || math.IsInf(etaMin, 0) {
		return VE{}, fmt.Errorf("sde: ve eta_min must be positive and finite, got %v", etaMin)
	}
	if !(etaMax > etaMin) || math.IsInf(etaMax, 0) {
		return VE{}, fmt.Errorf("sde: ve eta_max must be finite and greater than eta_min (%v), got %v", etaMin, etaMax)
	}
	if !(T > 0) || math.IsInf(T, 0) {
		return VE{}, fmt.Errorf("sde: ve T must be positive and finite, got %v", T)
	}
	v := VE{EtaMin: etaMin, EtaMax: etaMax, Tmax: T}
	v.rate = v.logRate()
	return v, nil
}

// Name is "ve".
func (VE) Name() string { return "ve" }

// T is the final time.
func (v VE) T() float64 { return v.Tmax }

// DriftCoef is 0: VE has no drift.
func (VE) DriftCoef(float64) float64 { return 0 }

// Beta returns β(t).
func (v VE) Beta(t float64) float64 {
	g := v.Diffusion(t)
	return g * g
}

// Diffusion returns sqrt(β(t)) = η̃(t)·sqrt(2 ln(η_max/η_min)/T).
func (v VE) Diffusion(t float64) float64 {
	return v.Std(t) * math.Sqrt(2*math.Log(v.EtaMax/v.EtaMin)/v.Tmax)
}

// MeanScale is 1.
func (VE) MeanScale(float64) float64 { return 1 }

// Std returns η̃(t) = η_min (η_max/η_min)^{t/T}.
func (v VE) Std(t float64) float64 {
	return v.EtaMin * fastmath.Exp(t*v.logRate())
}

// Eta returns η(t) = sqrt(∫₀ᵗ β) = η_min sqrt((η_max/η_min)^{2t/T} − 1),
// the std of X_t given a point mass X_0.
func (v VE) Eta(t float64) float64 {
	return v.EtaMin * math.Sqrt(math.Pow(v.EtaMax/v.EtaMin, 2*t/v.Tmax)-1)
}

// SamplePrior draws N(0, η_max²).
func (v VE) SamplePrior(rng *rand.Rand, x []float64) {
	for i := range x {
		x[i] = v.EtaMax * rng.NormFloat64()
	}
}

// PriorLogDensity is log N(x; 0, η_max² I).
func (v VE) PriorLogDensity(x []float64) float64 { return gaussLogDensity(x, v.EtaMax) }

// MinTime is 0: the notebook trains and samples on all of [0,T], which is
// safe for VE because η̃(0) = η_min > 0.
func (VE) MinTime() float64 { return 0 }
