package sampler

import (
	"errors"
	"math/rand/v2"
	"testing"

	"scoresde/sde"
)

// Options.Stop ends every stochastic sampler within one step.
func TestStopEndsSampling(t *testing.T) {
	s, err := sde.New("vp", sde.DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	score := ScoreFunc{D: 1, F: func(x []float64, _ float64, out []float64) {
		for i, v := range x {
			out[i] = -v
		}
	}}
	for _, m := range []string{"em", "rd", "pc"} {
		calls := 0
		o := Options{N: 100, Method: m, Eps: DefaultEps, CorrectorSteps: DefaultCorrectorSteps, Stop: func() bool { calls++; return calls > 3 }}
		x := make([]float64, 10)
		_, err := Sample(s, score, x, o, rand.New(rand.NewPCG(1, 2)))
		if !errors.Is(err, ErrStopped) || calls != 4 {
			t.Errorf("%s: err %v after %d calls, want ErrStopped after 4", m, err, calls)
		}
	}
}
