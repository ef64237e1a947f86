// Package optim holds the optimisers used to train score networks: Adam
// with PyTorch's defaults and semantics, and an exponential moving average
// of the parameters.
package optim

import (
	"fmt"
	"math"

	"scoresde/nn/kernel"
)

// Adam is torch.optim.Adam without weight decay or amsgrad: bias-corrected
// first and second moment estimates in float32.
type Adam struct {
	LR, Beta1, Beta2, Eps float64
	// Step counts the updates done so far.
	Step int
	// M and V are the first and second moment estimates.
	M, V []float32
}

// NewAdam returns an Adam optimiser for n parameters with learning rate lr
// and PyTorch's defaults β₁ = 0.9, β₂ = 0.999, ε = 1e-8.
func NewAdam(n int, lr float64) *Adam {
	return &Adam{LR: lr, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, M: make([]float32, n), V: make([]float32, n)}
}

// Validate reports whether the hyperparameters are usable.
func (a *Adam) Validate() error {
	switch {
	case !(a.LR > 0) || math.IsInf(a.LR, 0):
		return fmt.Errorf("optim: Adam learning rate must be positive and finite, got %g", a.LR)
	case !(a.Beta1 >= 0 && a.Beta1 < 1) || !(a.Beta2 >= 0 && a.Beta2 < 1):
		return fmt.Errorf("optim: Adam betas must lie in [0, 1), got %g and %g", a.Beta1, a.Beta2)
	case !(a.Eps >= 0) || math.IsInf(a.Eps, 0):
		return fmt.Errorf("optim: Adam epsilon must be non-negative and finite, got %g", a.Eps)
	case len(a.M) != len(a.V):
		return fmt.Errorf("optim: Adam moments have lengths %d and %d; want equal", len(a.M), len(a.V))
	}
	return nil
}

// Update applies one Adam step to params given their gradient:
//
//	m ← β₁m + (1-β₁)g,  v ← β₂v + (1-β₂)g²
//	params ← params - lr/(1-β₁ᵗ) · m / (√v/√(1-β₂ᵗ) + ε)
//
// with t the step number after incrementing Step. It panics if the
// lengths of params, grad and the moments differ. It is Next followed by
// Apply over every parameter.
func (a *Adam) Update(params, grad []float32) {
	a.Next().Apply(params, grad, 0, len(params))
}

// AdamStep is one step of an Adam optimiser, to be applied to parameter
// ranges one at a time; Apply on disjoint ranges may run concurrently.
type AdamStep struct {
	a                    *Adam
	stepSize, invSqrtBC2 float32
}

// Next increments Step and returns the step's bias-corrected scalars.
func (a *Adam) Next() AdamStep {
	a.Step++
	t := float64(a.Step)
	bc1 := 1 - math.Pow(a.Beta1, t)
	bc2 := 1 - math.Pow(a.Beta2, t)
	return AdamStep{a: a, stepSize: float32(a.LR / bc1), invSqrtBC2: float32(1 / math.Sqrt(bc2))}
}

// Apply updates params[lo:hi] (and the moments there) given grad[lo:hi].
// It panics if the lengths of params, grad and the moments differ or the
// range lies outside them.
func (s AdamStep) Apply(params, grad []float32, lo, hi int) {
	a := s.a
	if len(params) != len(a.M) || len(grad) != len(a.M) || len(a.V) != len(a.M) {
		panic(fmt.Sprintf("optim: Adam for %d parameters got %d parameters and %d gradients", len(a.M), len(params), len(grad)))
	}
	kernel.Adam(params[lo:hi], grad[lo:hi], a.M[lo:hi], a.V[lo:hi], float32(a.Beta1), float32(a.Beta2), float32(a.Eps),
		s.stepSize, s.invSqrtBC2)
}

// EMA keeps an exponential moving average of parameters, often a better
// model to sample from than the last iterate.
type EMA struct {
	Decay  float64
	Shadow []float32
}

// NewEMA returns an average started at a copy of params.
func NewEMA(params []float32, decay float64) *EMA {
	return &EMA{Decay: decay, Shadow: append([]float32(nil), params...)}
}

// Update moves the average towards params:
// Shadow ← Decay·Shadow + (1-Decay)·params. It panics if the lengths differ.
func (e *EMA) Update(params []float32) { e.UpdateRange(params, 0, len(params)) }

// UpdateRange is Update for params[lo:hi] only; calls on disjoint ranges
// may run concurrently.
func (e *EMA) UpdateRange(params []float32, lo, hi int) {
	if len(params) != len(e.Shadow) {
		panic(fmt.Sprintf("optim: EMA of %d parameters updated with %d", len(e.Shadow), len(params)))
	}
	// shadow -= (1-decay)(shadow - p) keeps a constant parameter exactly fixed.
	c := float32(1 - e.Decay)
	sh := e.Shadow[lo:hi]
	for j, p := range params[lo:hi] {
		s := sh[j]
		sh[j] = s - c*(s-p)
	}
}
