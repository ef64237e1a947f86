package sampler

import (
	"math"
	"math/rand/v2"
	"testing"

	"scoresde/sde"
)

// With the exact score of a Gaussian mixture and a prior that matches p_T
// (η_max large enough that N(0, η_max²) and p_T differ by < 1e−3 in log
// density), the carried log-density must be the mixture's log p_ε at each
// sample, for every SDE and solver.
func TestProbabilityFlowLogPClosedForm(t *testing.T) {
	p := sde.DefaultParams()
	p.EtaMax = 40
	p.BetaMax = 30
	for _, name := range []string{"ve", "vp", "subvp"} {
		for _, solver := range []string{"rk45", "rk4"} {
			s, err := sde.New(name, p)
			if err != nil {
				t.Fatal(err)
			}
			q := fourWells(s)
			rng := rand.New(rand.NewPCG(3, 4))
			x := make([]float64, 400)
			s.SamplePrior(rng, x)
			o := Options{ODESolver: solver, N: 400, RTol: 1e-7, ATol: 1e-7, Eps: DefaultEps}
			r, err := ProbabilityFlowLogP(s, q, x, o)
			if err != nil {
				t.Fatal(err)
			}
			eps := s.MinTime()
			worst := 0.0
			for i, xi := range r.X {
				worst = math.Max(worst, math.Abs(r.LogP[i]-q.logDensity(xi, eps)))
			}
			if worst > 5e-3 {
				t.Errorf("%s/%s: largest |log p − exact| = %.3g, want ≤ 5e-3", name, solver, worst)
			}
		}
	}
}

// Whatever the score, LogP must be the density q of the samples the ODE
// produced (the pushforward of the prior), checked directly: for an
// interval A, E_q[1_A(x)/q(x)] = |A|. Here the prior N(0, 2²) is not p_T,
// so the samples are not the mixture's, and only self-consistency counts.
func TestProbabilityFlowLogPDirectDensity(t *testing.T) {
	s, err := sde.New("ve", sde.DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	q := fourWells(s)
	const n = 20000
	x := make([]float64, n)
	s.SamplePrior(rand.New(rand.NewPCG(5, 6)), x)
	r, err := ProbabilityFlowLogP(s, q, x, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, iv := range [][2]float64{{-0.9, -0.6}, {-0.4, -0.1}, {-0.1, 0.4}, {0.5, 0.9}, {-1, 1}} {
		var sum, sum2 float64
		for i, xi := range r.X {
			if xi >= iv[0] && xi < iv[1] {
				v := math.Exp(-r.LogP[i])
				sum += v
				sum2 += v * v
			}
		}
		mean := sum / n
		se := math.Sqrt((sum2/n - mean*mean) / n)
		want := iv[1] - iv[0]
		// 4 standard errors: a false alarm once in ~16,000 runs per interval.
		if math.Abs(mean-want) > 4*se+1e-3 {
			t.Errorf("∫ over %v of the density from its samples: %.4f ± %.4f, want %.4f", iv, mean, se, want)
		}
	}
}

func TestProbabilityFlowLogPRefusesSnapshots(t *testing.T) {
	s, _ := sde.New("ve", sde.DefaultParams())
	q := fourWells(s)
	x := []float64{0.1, 0.2}
	if _, err := ProbabilityFlowLogP(s, q, x, Options{Denoise: true}); err == nil {
		t.Error("Denoise accepted")
	}
	if _, err := ProbabilityFlowLogP(s, q, x, Options{ODESolver: "heun", N: 10, Keep: []int{1}}); err == nil {
		t.Error("Keep accepted")
	}
}
