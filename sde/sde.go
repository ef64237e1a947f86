// Package sde defines forward diffusion SDEs dX = f(X,t) dt + g(t) dW on
// [0,T] with affine drift f(x,t) = a(t)·x, their Gaussian perturbation
// kernels p(x_t | x_0) = N(m(t)·x_0, s(t)²I), and their priors.
package sde

import (
	"math"
	"math/rand/v2"
)

// SDE is a forward noising process. Every SDE here has drift linear in x,
// which is all the samplers and the loss need.
type SDE interface {
	// Name is a short identifier ("ve", "vp", "subvp").
	Name() string
	// T is the final time.
	T() float64
	// DriftCoef returns a(t) in f(x,t) = a(t)·x.
	DriftCoef(t float64) float64
	// Diffusion returns g(t).
	Diffusion(t float64) float64
	// MeanScale returns m(t): the perturbation kernel's mean is m(t)·x_0.
	MeanScale(t float64) float64
	// Std returns s(t), the perturbation kernel's standard deviation.
	Std(t float64) float64
	// SamplePrior fills x (any length: points × d) with prior draws.
	SamplePrior(rng *rand.Rand, x []float64)
	// PriorLogDensity returns log p_T(x) for one point x.
	PriorLogDensity(x []float64) float64
	// MinTime is the default smallest training and sampling time ε.
	MinTime() float64
}

// gaussLogDensity is log N(x; 0, s²I).
func gaussLogDensity(x []float64, s float64) float64 {
	q := 0.0
	for _, v := range x {
		q += v * v
	}
	d := float64(len(x))
	return -0.5*q/(s*s) - d*math.Log(s) - 0.5*d*math.Log(2*math.Pi)
}
