package sampler_test

import (
	"math/rand/v2"
	"testing"

	"scoresde/nn"
	"scoresde/sampler"
	"scoresde/sde"
)

// BenchmarkReverseStep times Euler–Maruyama reverse steps of the notebook's
// job: 10,000 points, the 2→50→50→50→1 tanh network, the VE SDE; one op is
// one step (score evaluation, drift and noise for every point).
func BenchmarkReverseStep(b *testing.B) {
	const n, steps = 10000, 20
	net, err := nn.New(2, 1, []int{50, 50, 50}, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		b.Fatal(err)
	}
	s := sde.DefaultVE()
	x := make([]float64, n)
	rng := rand.New(rand.NewPCG(3, 4))
	for b.Loop() {
		s.SamplePrior(rng, x)
		if _, err := sampler.EulerMaruyama(s, net, x, sampler.Options{N: steps}, rng); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/1e6/float64(b.N*steps), "ms/step")
	b.ReportMetric(0, "ns/op")
}
