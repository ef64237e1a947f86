package sampler

import (
	"math"
	"math/rand/v2"
	"testing"

	"scoresde/sde"
)

// Every sampler asks for the score at the times its scheme prescribes, in
// order: Euler–Maruyama and reverse diffusion at t_i = T − i(T − ε)/N for
// i = 0..N−1; the predictor–corrector at t_i, then each corrector step at
// the step's target t_{i+1}; the denoising step at ε. A grid shifted by one
// step, or a corrector at the predictor's start, shows here exactly.
func TestScoreTimes(t *testing.T) {
	s := sde.DefaultVP()
	const n, eps, T = 25, 0.01, 1.0 // VP: the corrector needs β(t)Δt < 1
	ti := func(i int) float64 { return T - float64(i)*(T-eps)/n }
	var grid, pc []float64
	for i := range n {
		grid = append(grid, ti(i))
		pc = append(pc, ti(i), ti(i+1), ti(i+1))
	}
	for _, c := range []struct {
		method string
		want   []float64
	}{
		{"em", grid}, {"rd", grid}, {"pc", pc},
		{"em+denoise", append(append([]float64(nil), grid...), eps)},
	} {
		var got []float64
		score := ScoreFunc{D: 1, F: func(x []float64, tt float64, out []float64) {
			got = append(got, tt)
			v := s.Std(tt) * s.Std(tt)
			for i := range x {
				out[i] = -x[i] / (v + s.MeanScale(tt)*s.MeanScale(tt))
			}
		}}
		o := Options{N: n, Eps: eps, Method: c.method, CorrectorSteps: 2, SNR: DefaultSNR}
		if c.method == "em+denoise" {
			o.Method, o.Denoise = "em", true
		}
		x := make([]float64, 50)
		rng := rand.New(rand.NewPCG(1, 2))
		s.SamplePrior(rng, x)
		if _, err := Sample(s, score, x, o, rng); err != nil {
			t.Fatal(err)
		}
		if len(got) != len(c.want) {
			t.Errorf("%s: %d score calls at %v, want %d at %v", c.method, len(got), got, len(c.want), c.want)
			continue
		}
		for k := range got {
			if math.Abs(got[k]-c.want[k]) > 1e-12 {
				t.Errorf("%s: call %d at t = %v, want %v (all: %v)", c.method, k, got[k], c.want[k], got)
				break
			}
		}
	}
}
