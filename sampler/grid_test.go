package sampler

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// spyScore records the time of every score evaluation.
type spyScore struct {
	inner *gaussScore
	times []float64
}

func (s *spyScore) Dim() int { return s.inner.Dim() }

func (s *spyScore) Score(x []float64, t float64, out []float64) {
	s.times = append(s.times, t)
	s.inner.Score(x, t, out)
}

// Every sampler evaluates the score exactly at the documented times of its
// grid t_i = T − i(T − ε)/N: em and rd at t_0..t_{N−1}; pc's predictor at
// t_i and its corrector steps after it, at t_{i+1}; Heun at t_i and t_{i+1};
// RK4 at t_i, twice at the midpoint and at t_{i+1}; Denoise once more at ε.
// A grid shifted by one step or a corrector at the predictor's time fails.
func TestScoreEvaluationTimes(t *testing.T) {
	const N = 25 // pc needs α = 1 − β(t)Δt > 0: Δt < 1/20 for VP
	for _, s := range testSDEs {
		eps := s.MinTime()
		h := (s.T() - eps) / N
		ti := func(i int) float64 {
			if i == N {
				return eps
			}
			return s.T() - float64(i)*h
		}
		cases := map[string]struct {
			o    Options
			want func() []float64
		}{
			"em": {Options{N: N}, func() (w []float64) {
				for i := range N {
					w = append(w, ti(i))
				}
				return w
			}},
			"rd": {Options{N: N, Method: "rd"}, func() (w []float64) {
				for i := range N {
					w = append(w, ti(i))
				}
				return w
			}},
			"pc2": {Options{N: N, Method: "pc", CorrectorSteps: 2}, func() (w []float64) {
				for i := range N {
					w = append(w, ti(i), ti(i+1), ti(i+1))
				}
				return w
			}},
			"pc0": {Options{N: N, Method: "pc", CorrectorSteps: 0}, func() (w []float64) {
				for i := range N {
					w = append(w, ti(i))
				}
				return w
			}},
			"heun+denoise": {Options{N: N, Method: "ode", ODESolver: "heun", Denoise: true}, func() (w []float64) {
				for i := range N {
					w = append(w, ti(i), ti(i+1))
				}
				return append(w, eps)
			}},
			"rk4": {Options{N: N, Method: "ode", ODESolver: "rk4"}, func() (w []float64) {
				for i := range N {
					mid := ti(i) - h/2
					w = append(w, ti(i), mid, mid, ti(i+1))
				}
				return w
			}},
		}
		for name, c := range cases {
			c.o.Eps = DefaultEps
			spy := &spyScore{inner: &gaussScore{s: s, d: 1, mu: dataMu, sigma: dataSigma}}
			rng := rand.New(rand.NewPCG(1, 2))
			x := spy.inner.draw(rng, 50, s.T())
			if _, err := Sample(s, spy, x, c.o, rng); err != nil {
				t.Fatalf("%s %s: %v", s.Name(), name, err)
			}
			want := c.want()
			if len(spy.times) != len(want) {
				t.Fatalf("%s %s: %d evaluations, want %d", s.Name(), name, len(spy.times), len(want))
			}
			for k := range want {
				if math.Abs(spy.times[k]-want[k]) > 1e-12 {
					t.Fatalf("%s %s: evaluation %d at t=%v, want %v (all: %v)", s.Name(), name, k, spy.times[k], want[k], fmt.Sprint(spy.times))
				}
			}
		}
	}
}

// With few steps the em and rd chains are far from p_ε, and their exact
// moment recursions (linearChain, derived from the SDE's closed forms) say
// where they end: the sample must match to 5 standard errors. At N = 8 a
// grid shifted by one step moves the variance by several percent, far
// beyond the 1.3% (5 SE at n = 3·10⁵) allowed.
func TestFewStepChainsMatchTheirMomentRecursions(t *testing.T) {
	const n, N = 300000, 8
	for si, s := range testSDEs {
		for mi, method := range []string{"em", "rd"} {
			g := &gaussScore{s: s, d: 1, mu: dataMu, sigma: dataSigma}
			rng := rand.New(rand.NewPCG(uint64(si), uint64(mi)+40))
			x := g.draw(rng, n, s.T())
			res, err := Sample(s, g, x, Options{N: N, Method: method, Eps: DefaultEps}, rng)
			if err != nil {
				t.Fatal(err)
			}
			cm, cv := linearChain(g, method, N, s.MinTime())
			mean, vr, _ := sampleMoments(res.X, 1)
			if d := math.Abs(mean[0] - cm); d > 5*math.Sqrt(cv/n) {
				t.Errorf("%s %s N=%d: mean %.5f, chain %.5f ± %.5f", s.Name(), method, N, mean[0], cm, 5*math.Sqrt(cv/n))
			}
			if d := math.Abs(vr[0] - cv); d > 5*math.Sqrt(2.0/(n-1))*cv {
				t.Errorf("%s %s N=%d: variance %.5f, chain %.5f ± %.5f", s.Name(), method, N, vr[0], cv, 5*math.Sqrt(2.0/(n-1))*cv)
			}
		}
	}
}
