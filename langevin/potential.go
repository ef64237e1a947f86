// Package langevin generates training data: potentials V and overdamped
// Langevin (Brownian) dynamics dX = -∇V(X) dt + sqrt(2/β) dW integrated by
// Euler–Maruyama.
package langevin

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// Potential is an energy V on R^d with its gradient.
type Potential interface {
	Dim() int
	// Value returns V(x); len(x) == Dim().
	Value(x []float64) float64
	// Grad writes ∇V(x) into grad; len(grad) == Dim().
	Grad(x, grad []float64)
}

// FourWell is the notebook's 1-D potential
// V(x) = 2(x^8 + 0.8e^{-80x²} + 0.55e^{-80(x-0.5)²} + 0.3e^{-80(x+0.5)²}),
// whose Gibbs density has four modes, split near -0.5, 0 and 0.5.
type FourWell struct{}

// Dim is 1.
func (FourWell) Dim() int { return 1 }

// Value returns V(x).
func (FourWell) Value(x []float64) float64 {
	v := x[0]
	x2 := v * v
	x8 := x2 * x2 * x2 * x2
	return 2 * (x8 + 0.8*math.Exp(-80*x2) + 0.55*math.Exp(-80*(v-0.5)*(v-0.5)) + 0.3*math.Exp(-80*(v+0.5)*(v+0.5)))
}

// Grad writes V'(x).
func (FourWell) Grad(x, grad []float64) {
	v := x[0]
	x2 := v * v
	x7 := x2 * x2 * x2 * v
	grad[0] = 2 * (8*x7 - 0.8*160*v*math.Exp(-80*x2) -
		0.55*160*(v-0.5)*math.Exp(-80*(v-0.5)*(v-0.5)) -
		0.3*160*(v+0.5)*math.Exp(-80*(v+0.5)*(v+0.5)))
}

// DoubleWell is V(x) = (x²-1)², minima at ±1 separated by a barrier of height 1.
type DoubleWell struct{}

// Dim is 1.
func (DoubleWell) Dim() int { return 1 }

// Value returns V(x).
func (DoubleWell) Value(x []float64) float64 { u := x[0]*x[0] - 1; return u * u }

// Grad writes V'(x) = 4x(x²-1).
func (DoubleWell) Grad(x, grad []float64) { grad[0] = 4 * x[0] * (x[0]*x[0] - 1) }

// Harmonic is V(x) = |x|²/2 in d dimensions (Gibbs density N(0, 1/β)).
type Harmonic struct{ D int }

// Dim is D.
func (h Harmonic) Dim() int { return h.D }

// Value returns |x|²/2.
func (h Harmonic) Value(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v * v
	}
	return s / 2
}

// Grad writes x.
func (h Harmonic) Grad(x, grad []float64) { copy(grad, x) }

// MullerBrown is the 2-D Müller–Brown potential, scaled by Scale (0 means
// 1/20, which puts its barriers at a few units of energy so β≈1 crosses them).
type MullerBrown struct{ Scale float64 }

var (
	mbA  = [4]float64{-200, -100, -170, 15}
	mba  = [4]float64{-1, -1, -6.5, 0.7}
	mbb  = [4]float64{0, 0, 11, 0.6}
	mbc  = [4]float64{-10, -10, -6.5, 0.7}
	mbx0 = [4]float64{1, 0, -0.5, -1}
	mby0 = [4]float64{0, 0.5, 1.5, 1}
)

func (m MullerBrown) scale() float64 {
	if m.Scale == 0 {
		return 1.0 / 20
	}
	return m.Scale
}

// Dim is 2.
func (MullerBrown) Dim() int { return 2 }

// Value returns the scaled Müller–Brown energy.
func (m MullerBrown) Value(x []float64) float64 {
	s := 0.0
	for k := range 4 {
		dx, dy := x[0]-mbx0[k], x[1]-mby0[k]
		s += mbA[k] * math.Exp(mba[k]*dx*dx+mbb[k]*dx*dy+mbc[k]*dy*dy)
	}
	return m.scale() * s
}

// Grad writes the gradient of the scaled energy.
func (m MullerBrown) Grad(x, grad []float64) {
	gx, gy := 0.0, 0.0
	for k := range 4 {
		dx, dy := x[0]-mbx0[k], x[1]-mby0[k]
		e := mbA[k] * math.Exp(mba[k]*dx*dx+mbb[k]*dx*dy+mbc[k]*dy*dy)
		gx += e * (2*mba[k]*dx + mbb[k]*dy)
		gy += e * (mbb[k]*dx + 2*mbc[k]*dy)
	}
	grad[0], grad[1] = m.scale()*gx, m.scale()*gy
}

// named maps the potentials the CLI knows to constructors and a start point
// inside a well.
var named = map[string]struct {
	p     func() Potential
	start []float64
}{
	"fourwell":    {func() Potential { return FourWell{} }, []float64{0}},
	"doublewell":  {func() Potential { return DoubleWell{} }, []float64{-1}},
	"harmonic":    {func() Potential { return Harmonic{D: 1} }, []float64{0}},
	"mullerbrown": {func() Potential { return MullerBrown{} }, []float64{-0.558, 1.442}},
}

// Names lists the potentials ByName accepts.
func Names() []string {
	var ns []string
	for n := range named {
		ns = append(ns, n)
	}
	sort.Strings(ns)
	return ns
}

// ByName returns a named potential and a default start point in one of its wells.
func ByName(name string) (Potential, []float64, error) {
	e, ok := named[strings.ToLower(name)]
	if !ok {
		return nil, nil, fmt.Errorf("unknown potential %q; choose one of %s", name, strings.Join(Names(), ", "))
	}
	return e.p(), append([]float64(nil), e.start...), nil
}
