package sampler_test

import (
	"fmt"
	"math"
	"math/rand/v2"

	"scoresde/sampler"
	"scoresde/sde"
)

// gaussian is the exact score (and its divergence) of the VP-diffused
// 1-D data N(0.5, 0.2²): p_t = N(0.5m, 0.04m² + s²).
type gaussian struct{ s sde.SDE }

func (g gaussian) Dim() int { return 1 }

func (g gaussian) moments(t float64) (mean, v float64) {
	m, sd := g.s.MeanScale(t), g.s.Std(t)
	return 0.5 * m, 0.04*m*m + sd*sd
}

func (g gaussian) Score(x []float64, t float64, out []float64) {
	mean, v := g.moments(t)
	for i := range x {
		out[i] = -(x[i] - mean) / v
	}
}

func (g gaussian) ScoreDiv(x []float64, t float64, out, div []float64) {
	g.Score(x, t, out)
	_, v := g.moments(t)
	for i := range div {
		div[i] = -1 / v
	}
}

func meanStd(x []float64) (m, s float64) {
	for _, v := range x {
		m += v
	}
	m /= float64(len(x))
	for _, v := range x {
		s += (v - m) * (v - m)
	}
	return m, math.Sqrt(s / float64(len(x)-1))
}

func ExampleSample() {
	s := sde.DefaultVP()
	score := gaussian{s}
	for _, o := range []sampler.Options{
		{Method: "em", N: 500, Eps: sampler.DefaultEps},
		{Method: "pc", N: 500, Eps: sampler.DefaultEps, CorrectorSteps: sampler.DefaultCorrectorSteps},
		{Method: "ode", Eps: sampler.DefaultEps}, // adaptive RK45
	} {
		rng := rand.New(rand.NewPCG(1, 2))
		x := make([]float64, 20000)
		s.SamplePrior(rng, x)
		res, err := sampler.Sample(s, score, x, o, rng)
		if err != nil {
			fmt.Println(err)
			return
		}
		m, sd := meanStd(res.X)
		fmt.Printf("%-3s mean %.2f std %.2f\n", o.Method, m, sd)
	}
	// Output:
	// em  mean 0.50 std 0.20
	// pc  mean 0.50 std 0.20
	// ode mean 0.50 std 0.20
}

// The NLLs are those of N(0.5, 0.2²) up to the small mismatch between the
// N(0, 1) prior and p_T (m(T) ≈ 0.007), which moves the last one by 0.007.
func ExampleLikelihood() {
	s := sde.DefaultVP()
	x := []float64{0.5, 0.7, 0.1}
	res, err := sampler.Likelihood(s, gaussian{s}, x, sampler.Options{Eps: sampler.DefaultEps})
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, nll := range res.PerPoint {
		fmt.Printf("−log p(%.1f) = %.2f nats\n", x[i], nll)
	}
	fmt.Printf("mean %.2f nats\n", res.Mean)
	// Output:
	// −log p(0.5) = -0.69 nats
	// −log p(0.7) = -0.19 nats
	// −log p(0.1) = 1.30 nats
	// mean 0.14 nats
}

// Shifted turns a score of centred data into the score of the data: here
// the centred data are N(0, 0.2²) and the data N(0.5, 0.2²), whose score
// vanishes at their mean m(t)·0.5 and points back to it from either side.
func ExampleShifted() {
	s := sde.DefaultVP()
	centred := sampler.ScoreFunc{D: 1, F: func(x []float64, t float64, out []float64) {
		m, sd := s.MeanScale(t), s.Std(t)
		for i, v := range x {
			out[i] = -v / (m*m*0.04 + sd*sd)
		}
	}}
	data := &sampler.Shifted{Inner: centred, SDE: s, Shift: []float64{0.5}}
	out := make([]float64, 1)
	for _, t := range []float64{0.01, 0.5} {
		mean := 0.5 * s.MeanScale(t)
		for _, x := range []float64{mean - 0.1, mean, mean + 0.1} {
			data.Score([]float64{x}, t, out)
			fmt.Printf("t=%.2f x−mean=%+.1f score %+.3f\n", t, x-mean, out[0]+0) // +0 turns −0 into 0
		}
	}
	// Output:
	// t=0.01 x−mean=-0.1 score +2.386
	// t=0.01 x−mean=+0.0 score +0.000
	// t=0.01 x−mean=+0.1 score -2.386
	// t=0.50 x−mean=-0.1 score +0.108
	// t=0.50 x−mean=+0.0 score +0.000
	// t=0.50 x−mean=+0.1 score -0.108
}
