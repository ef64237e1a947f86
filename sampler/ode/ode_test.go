package ode

import (
	"errors"
	"math"
	"strings"
	"testing"
)

// decay is y_i' = −λ_i y_i, y_i(0) = 1, with solution exp(−λ_i t).
var lambdas = []float64{0.5, 1, 3}

func decay(t float64, y, dy []float64) {
	for i := range y {
		dy[i] = -lambdas[i] * y[i]
	}
}

func decayErr(y []float64, t float64) float64 {
	e := 0.0
	for i := range y {
		e = max(e, math.Abs(y[i]-math.Exp(-lambdas[i]*t)))
	}
	return e
}

// oscillator is d²y/dt² = −ω²y as (y, v) with y(0)=1, v(0)=0: y = cos ωt.
const omega = 2.0

func oscillator(t float64, y, dy []float64) {
	dy[0] = y[1]
	dy[1] = -omega * omega * y[0]
}

func oscErr(y []float64, t float64) float64 {
	return max(math.Abs(y[0]-math.Cos(omega*t)), math.Abs(y[1]+omega*math.Sin(omega*t)))
}

func ones(n int) []float64 {
	y := make([]float64, n)
	for i := range y {
		y[i] = 1
	}
	return y
}

// TestDormandPrinceKnownSolutions: the global error of a tolerance-
// controlled method is not bounded by rtol, but for these non-stiff smooth
// problems it stays within a small multiple of it; we allow 20·rtol (the
// oscillator runs 3 periods, so the local errors accumulate). Halving rtol
// must reduce the global error at every step of a 6-fold halving ladder,
// and the error must shrink overall by at least 8× across it
// (the controller targets local error ∝ rtol, so the global error falls
// roughly like rtol; 2⁶ = 64× would be ideal).
func TestDormandPrinceKnownSolutions(t *testing.T) {
	for _, tc := range []struct {
		name   string
		f      Func
		y0     []float64
		t0, t1 float64
		err    func(y []float64, t float64) float64
	}{
		{"decay", decay, ones(3), 0, 4, decayErr},
		{"oscillator", oscillator, []float64{1, 0}, 0, 3 * math.Pi, oscErr},
		{"oscillator backwards", oscillator, []float64{1, 0}, 0, -3 * math.Pi, oscErr},
	} {
		prev := math.Inf(1)
		var first float64
		for k := range 7 {
			rtol := 1e-4 / math.Pow(2, float64(k))
			calls := 0
			f := func(t float64, y, dy []float64) { calls++; tc.f(t, y, dy) }
			y, nfe, err := DormandPrince(f, tc.y0, tc.t0, tc.t1, rtol, 1e-12, nil)
			if err != nil {
				t.Fatalf("%s rtol=%g: %v", tc.name, rtol, err)
			}
			if nfe != calls {
				t.Errorf("%s: reported %d evaluations, f was called %d times", tc.name, nfe, calls)
			}
			e := tc.err(y, tc.t1)
			if e > 20*rtol {
				t.Errorf("%s rtol=%g: error %.3g > 20·rtol", tc.name, rtol, e)
			}
			if e >= prev {
				t.Errorf("%s: halving rtol to %g did not reduce the error (%.3g → %.3g)", tc.name, rtol, prev, e)
			}
			if k == 0 {
				first = e
			}
			prev = e
		}
		if first/prev < 8 {
			t.Errorf("%s: 64-fold smaller rtol reduced the error only %.3g-fold", tc.name, first/prev)
		}
	}
}

// TestDormandPrinceOneStepExact: the fifth-order weights integrate
// polynomials up to degree 4 exactly, so y' = p(t) over one step (forced by
// InitialStep = the whole interval, and accepted since the embedded
// fourth-order solution is exact too up to degree 3 and the degree-4 error
// is tiny against atol) gives the exact integral.
func TestDormandPrinceOneStepExact(t *testing.T) {
	f := func(t float64, y, dy []float64) { dy[0] = 1 + 2*t - 3*t*t + 5*t*t*t*t }
	F := func(t float64) float64 { return t + t*t - t*t*t + t*t*t*t*t }
	y, nfe, err := DormandPrince(f, []float64{0}, 0.5, 0.7, 1e-3, 1, &Settings{InitialStep: 0.2})
	if err != nil {
		t.Fatal(err)
	}
	if nfe != 7 {
		t.Errorf("one step took %d evaluations, want 7 (FSAL first stage + 6)", nfe)
	}
	if want := F(0.7) - F(0.5); math.Abs(y[0]-want) > 1e-14 {
		t.Errorf("∫ p = %v, want %v", y[0], want)
	}
}

func TestDormandPrinceMaxSteps(t *testing.T) {
	_, _, err := DormandPrince(oscillator, []float64{1, 0}, 0, 20, 1e-10, 1e-10, &Settings{MaxSteps: 5})
	if !errors.Is(err, ErrMaxSteps) {
		t.Fatalf("error %v, want ErrMaxSteps", err)
	}
	// The same problem with room to finish succeeds.
	if _, _, err := DormandPrince(oscillator, []float64{1, 0}, 0, 20, 1e-10, 1e-10, nil); err != nil {
		t.Fatal(err)
	}
}

// TestFixedStepOrder: doubling n must divide the error by about 2^p
// (p = 2 for Heun, 4 for RK4); we accept ratios within [0.7, 1.4]·2^p.
// NFE must be exactly 2n and 4n, and the observer must see n+1 states.
func TestFixedStepOrder(t *testing.T) {
	type method func(Func, []float64, float64, float64, int, Observer) ([]float64, int, error)
	for _, tc := range []struct {
		name  string
		m     method
		order int
	}{{"Heun", Heun, 2}, {"RK4", RK4, 4}} {
		for _, pr := range []struct {
			f   Func
			y0  []float64
			t1  float64
			err func([]float64, float64) float64
		}{{decay, ones(3), 2, decayErr}, {oscillator, []float64{1, 0}, -2, oscErr}} {
			var errs []float64
			for _, n := range []int{40, 80} {
				calls, seen := 0, 0
				f := func(t float64, y, dy []float64) { calls++; pr.f(t, y, dy) }
				obs := func(i int, tt float64, y []float64) {
					if want := float64(i) * pr.t1 / float64(n); math.Abs(tt-want) > 1e-12 {
						t.Errorf("%s: observer step %d at t=%v, want %v", tc.name, i, tt, want)
					}
					seen++
				}
				y, nfe, err := tc.m(f, pr.y0, 0, pr.t1, n, obs)
				if err != nil {
					t.Fatal(err)
				}
				if want := n * tc.order; nfe != want || calls != want {
					t.Errorf("%s n=%d: nfe %d, calls %d, want %d", tc.name, n, nfe, calls, want)
				}
				if seen != n+1 {
					t.Errorf("%s n=%d: observer called %d times, want %d", tc.name, n, seen, n+1)
				}
				errs = append(errs, pr.err(y, pr.t1))
			}
			ratio, want := errs[0]/errs[1], math.Pow(2, float64(tc.order))
			if ratio < 0.7*want || ratio > 1.4*want {
				t.Errorf("%s: error ratio on doubling n is %.3g, want ≈ %v", tc.name, ratio, want)
			}
		}
	}
}

func TestBadInput(t *testing.T) {
	nan := math.NaN()
	blowUp := func(t float64, y, dy []float64) { dy[0] = nan }
	for _, tc := range []struct {
		name string
		run  func() error
		want string
	}{
		{"NaN y0", func() error {
			_, _, err := DormandPrince(decay, []float64{1, nan, 1}, 0, 1, 1e-6, 1e-6, nil)
			return err
		}, "y0[1]"},
		{"Inf t1", func() error { _, _, err := RK4(decay, ones(3), 0, math.Inf(1), 10, nil); return err }, "finite"},
		{"negative rtol", func() error { _, _, err := DormandPrince(decay, ones(3), 0, 1, -1, 1e-6, nil); return err }, "tolerances"},
		{"zero tolerances", func() error { _, _, err := DormandPrince(decay, ones(3), 0, 1, 0, 0, nil); return err }, "tolerances"},
		{"bad settings", func() error {
			_, _, err := DormandPrince(decay, ones(3), 0, 1, 1e-6, 1e-6, &Settings{MinFactor: 2})
			return err
		}, "MinFactor"},
		{"zero steps", func() error { _, _, err := Heun(decay, ones(3), 0, 1, 0, nil); return err }, "at least 1 step"},
		{"f NaN fixed", func() error { _, _, err := RK4(blowUp, []float64{1}, 0, 1, 3, nil); return err }, "non-finite"},
		{"f NaN adaptive", func() error { _, _, err := DormandPrince(blowUp, []float64{1}, 0, 1, 1e-6, 1e-6, nil); return err }, "not finite"},
	} {
		err := tc.run()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one mentioning %q", tc.name, err, tc.want)
		}
	}
}
