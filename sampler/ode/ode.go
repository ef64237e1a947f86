// Package ode integrates systems of ordinary differential equations
// dy/dt = f(t, y) with fixed-step Heun and classical Runge–Kutta methods and
// the adaptive Dormand–Prince 5(4) pair. It is small and generic: the
// samplers use it for the probability-flow ODE, integrating a whole batch
// of points as one system with one shared step size.
//
// Integration may run forwards (t1 > t0) or backwards (t1 < t0).
package ode

import (
	"errors"
	"fmt"
	"math"
)

// Func evaluates the right-hand side dy = f(t, y). It must not keep y or dy.
type Func func(t float64, y, dy []float64)

// Observer, if not nil, is called by the fixed-step methods with the state
// after step i = 0..n (i = 0 is y0). It must not keep or modify y.
type Observer func(i int, t float64, y []float64)

func checkCommon(y0 []float64, t0, t1 float64) error {
	if math.IsNaN(t0) || math.IsInf(t0, 0) || math.IsNaN(t1) || math.IsInf(t1, 0) {
		return fmt.Errorf("ode: integration interval [%v, %v] must be finite", t0, t1)
	}
	if i := firstNonFinite(y0); i >= 0 {
		return fmt.Errorf("ode: initial value y0[%d] = %v is not finite", i, y0[i])
	}
	return nil
}

func firstNonFinite(y []float64) int {
	for i, v := range y {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return i
		}
	}
	return -1
}

// fixed runs n equal steps of step from t0 to t1.
func fixed(name string, evals int, step func(t, h float64, y []float64), y0 []float64, t0, t1 float64, n int, obs Observer) ([]float64, int, error) {
	if err := checkCommon(y0, t0, t1); err != nil {
		return nil, 0, err
	}
	if n < 1 {
		return nil, 0, fmt.Errorf("ode: %s needs at least 1 step, got %d", name, n)
	}
	y := append([]float64(nil), y0...)
	h := (t1 - t0) / float64(n)
	if obs != nil {
		obs(0, t0, y)
	}
	for i := range n {
		t := t0 + float64(i)*h
		step(t, h, y)
		if j := firstNonFinite(y); j >= 0 {
			return nil, (i + 1) * evals, fmt.Errorf("ode: %s: y[%d] = %v after step %d (t = %v); f returned non-finite values or the step is too large", name, j, y[j], i+1, t+h)
		}
		if obs != nil {
			tn := t0 + float64(i+1)*h
			if i == n-1 {
				tn = t1
			}
			obs(i+1, tn, y)
		}
	}
	return y, n * evals, nil
}

// Heun integrates from t0 to t1 with n steps of Heun's method (explicit
// trapezoidal rule, second order). It returns y(t1) and the number of f
// evaluations, exactly 2n.
func Heun(f Func, y0 []float64, t0, t1 float64, n int, obs Observer) ([]float64, int, error) {
	k1 := make([]float64, len(y0))
	k2 := make([]float64, len(y0))
	tmp := make([]float64, len(y0))
	step := func(t, h float64, y []float64) {
		f(t, y, k1)
		for j := range y {
			tmp[j] = y[j] + h*k1[j]
		}
		f(t+h, tmp, k2)
		for j := range y {
			y[j] += h / 2 * (k1[j] + k2[j])
		}
	}
	return fixed("Heun", 2, step, y0, t0, t1, n, obs)
}

// RK4 integrates from t0 to t1 with n steps of the classical fourth-order
// Runge–Kutta method. It returns y(t1) and the number of f evaluations,
// exactly 4n.
func RK4(f Func, y0 []float64, t0, t1 float64, n int, obs Observer) ([]float64, int, error) {
	var k [4][]float64
	for i := range k {
		k[i] = make([]float64, len(y0))
	}
	tmp := make([]float64, len(y0))
	step := func(t, h float64, y []float64) {
		f(t, y, k[0])
		for j := range y {
			tmp[j] = y[j] + h/2*k[0][j]
		}
		f(t+h/2, tmp, k[1])
		for j := range y {
			tmp[j] = y[j] + h/2*k[1][j]
		}
		f(t+h/2, tmp, k[2])
		for j := range y {
			tmp[j] = y[j] + h*k[2][j]
		}
		f(t+h, tmp, k[3])
		for j := range y {
			y[j] += h / 6 * (k[0][j] + 2*k[1][j] + 2*k[2][j] + k[3][j])
		}
	}
	return fixed("RK4", 4, step, y0, t0, t1, n, obs)
}

// Settings tunes DormandPrince. The zero value of a field selects its
// default; a nil *Settings selects all defaults.
type Settings struct {
	// MaxSteps bounds the attempted (accepted + rejected) steps; default 10000.
	MaxSteps int
	// InitialStep is the first |h|; default 0 chooses it from f at t0 by
	// Hairer, Nørsett & Wanner's rule, at the cost of one f evaluation.
	InitialStep float64
	// Safety multiplies the optimal step factor; default 0.9.
	Safety float64
	// MinFactor and MaxFactor bound the change of the step size per step;
	// defaults 0.2 and 10.
	MinFactor, MaxFactor float64
}

// ErrMaxSteps is returned (wrapped) when DormandPrince needs more steps.
var ErrMaxSteps = errors.New("ode: maximum number of steps reached")

func (s *Settings) withDefaults() (Settings, error) {
	c := Settings{MaxSteps: 10000, Safety: 0.9, MinFactor: 0.2, MaxFactor: 10}
	if s == nil {
		return c, nil
	}
	if s.MaxSteps < 0 || s.InitialStep < 0 || s.Safety < 0 || s.MinFactor < 0 || s.MaxFactor < 0 {
		return c, fmt.Errorf("ode: settings must not be negative, got %+v", *s)
	}
	if s.MaxSteps > 0 {
		c.MaxSteps = s.MaxSteps
	}
	if s.InitialStep > 0 {
		c.InitialStep = s.InitialStep
	}
	if s.Safety > 0 {
		c.Safety = s.Safety
	}
	if s.MinFactor > 0 {
		c.MinFactor = s.MinFactor
	}
	if s.MaxFactor > 0 {
		c.MaxFactor = s.MaxFactor
	}
	if !(c.Safety <= 1 && c.MinFactor < 1 && c.MaxFactor > 1) {
		return c, fmt.Errorf("ode: need Safety ≤ 1, MinFactor < 1 < MaxFactor, got %v, %v, %v", c.Safety, c.MinFactor, c.MaxFactor)
	}
	return c, nil
}

// Dormand–Prince 5(4) tableau (Dormand & Prince 1980; Hairer, Nørsett &
// Wanner, Solving ODEs I, Table 5.2). The fifth-order solution propagates;
// e = b − b̂ estimates its local error; the last stage is the next step's
// first (FSAL).
var (
	dpC = [7]float64{0, 1. / 5, 3. / 10, 4. / 5, 8. / 9, 1, 1}
	dpA = [7][6]float64{
		{},
		{1. / 5},
		{3. / 40, 9. / 40},
		{44. / 45, -56. / 15, 32. / 9},
		{19372. / 6561, -25360. / 2187, 64448. / 6561, -212. / 729},
		{9017. / 3168, -355. / 33, 46732. / 5247, 49. / 176, -5103. / 18656},
		{35. / 384, 0, 500. / 1113, 125. / 192, -2187. / 6784, 11. / 84},
	}
	dpE = [7]float64{71. / 57600, 0, -71. / 16695, 71. / 1920, -17253. / 339200, 22. / 525, -1. / 40}
)

// DormandPrince integrates from t0 to t1 with the adaptive Dormand–Prince
// 5(4) method and returns y(t1) and the number of f evaluations.
//
// A step is accepted when the RMS over all components of err_i/sc_i is at
// most 1, with sc_i = atol + rtol·max(|y_i|, |y_new_i|) and err_i the
// embedded error estimate; the next step is scaled by
// Safety·norm^(−1/5) clamped to [MinFactor, MaxFactor] (never grown right
// after a rejection), as in Hairer et al. and SciPy's RK45. An error
// wrapping ErrMaxSteps is returned after s.MaxSteps attempted steps.
func DormandPrince(f Func, y0 []float64, t0, t1, rtol, atol float64, s *Settings) ([]float64, int, error) {
	if err := checkCommon(y0, t0, t1); err != nil {
		return nil, 0, err
	}
	if !(rtol >= 0 && atol >= 0 && rtol+atol > 0) || math.IsInf(rtol, 0) || math.IsInf(atol, 0) {
		return nil, 0, fmt.Errorf("ode: tolerances must be finite, non-negative and not both zero, got rtol=%v atol=%v", rtol, atol)
	}
	set, err := s.withDefaults()
	if err != nil {
		return nil, 0, err
	}
	n := len(y0)
	y := append([]float64(nil), y0...)
	if t0 == t1 || n == 0 {
		return y, 0, nil
	}
	var k [7][]float64
	for i := range k {
		k[i] = make([]float64, n)
	}
	tmp := make([]float64, n)
	ynew := make([]float64, n)
	dir := math.Copysign(1, t1-t0)

	f(t0, y, k[0])
	nfe := 1
	if j := firstNonFinite(k[0]); j >= 0 {
		return nil, nfe, fmt.Errorf("ode: f(t0=%v, y0)[%d] = %v is not finite", t0, j, k[0][j])
	}
	habs := set.InitialStep
	if habs == 0 {
		habs = initialStep(f, y, k[0], t0, t1, rtol, atol, tmp, ynew)
		nfe++
	}

	t := t0
	rejected := false
	for step := 0; ; step++ {
		if step >= set.MaxSteps {
			return nil, nfe, fmt.Errorf("%w: %d steps reached t = %v of [%v, %v]; loosen rtol/atol or raise MaxSteps", ErrMaxSteps, set.MaxSteps, t, t0, t1)
		}
		last := false
		if habs >= math.Abs(t1-t) {
			habs = math.Abs(t1 - t)
			last = true
		}
		if habs <= 10*math.Abs(math.Nextafter(t, t1)-t) {
			return nil, nfe, fmt.Errorf("ode: step size underflow at t = %v (|h| = %v); the problem is too stiff or f is not finite", t, habs)
		}
		h := dir * habs
		for st := 1; st < 7; st++ {
			a := dpA[st]
			for j := range y {
				acc := 0.0
				for q := range st {
					acc += a[q] * k[q][j]
				}
				tmp[j] = y[j] + h*acc
			}
			if st == 6 {
				copy(ynew, tmp) // the seventh row of A is the 5th-order b
			}
			ts := t + dpC[st]*h
			if st == 6 {
				ts = t + h
				if last {
					ts = t1
				}
			}
			f(ts, tmp, k[st])
			nfe++
		}
		sum := 0.0
		for j := range y {
			e := 0.0
			for q := range 7 {
				e += dpE[q] * k[q][j]
			}
			sc := atol + rtol*max(math.Abs(y[j]), math.Abs(ynew[j]))
			r := h * e / sc
			sum += r * r
		}
		norm := math.Sqrt(sum / float64(n))
		switch {
		case norm <= 1: // accept
			factor := set.MaxFactor
			if norm > 0 {
				factor = min(set.MaxFactor, set.Safety*math.Pow(norm, -0.2))
			}
			if rejected {
				factor = min(1, factor)
			}
			if last {
				t = t1
			} else {
				t += h
			}
			y, ynew = ynew, y
			k[0], k[6] = k[6], k[0]
			if t == t1 {
				return y, nfe, nil
			}
			habs *= factor
			rejected = false
		case math.IsNaN(norm) || math.IsInf(norm, 0):
			// f blew up inside the step: retreat as far as allowed.
			habs *= set.MinFactor
			rejected = true
		default:
			habs *= max(set.MinFactor, set.Safety*math.Pow(norm, -0.2))
			rejected = true
		}
	}
}

// initialStep is Hairer, Nørsett & Wanner's starting step (Solving ODEs I,
// II.4) for a fifth-order method; it evaluates f once.
func initialStep(f Func, y0, f0 []float64, t0, t1, rtol, atol float64, y1, f1 []float64) float64 {
	n := float64(len(y0))
	var d0, d1 float64
	for j := range y0 {
		sc := atol + rtol*math.Abs(y0[j])
		d0 += (y0[j] / sc) * (y0[j] / sc)
		d1 += (f0[j] / sc) * (f0[j] / sc)
	}
	d0, d1 = math.Sqrt(d0/n), math.Sqrt(d1/n)
	span := math.Abs(t1 - t0)
	h0 := 1e-6
	if d0 >= 1e-5 && d1 >= 1e-5 {
		h0 = 0.01 * d0 / d1
	}
	h0 = min(h0, span)
	dir := math.Copysign(1, t1-t0)
	for j := range y0 {
		y1[j] = y0[j] + dir*h0*f0[j]
	}
	f(t0+dir*h0, y1, f1)
	var d2 float64
	for j := range y0 {
		sc := atol + rtol*math.Abs(y0[j])
		r := (f1[j] - f0[j]) / sc
		d2 += r * r
	}
	d2 = math.Sqrt(d2/n) / h0
	var h1 float64
	if max(d1, d2) <= 1e-15 {
		h1 = max(1e-6, h0*1e-3)
	} else {
		h1 = math.Pow(0.01/max(d1, d2), 1./5)
	}
	h := min(100*h0, h1, span)
	if math.IsNaN(h) || h <= 0 {
		h = span * 1e-3
	}
	return h
}
