package sampler

import (
	"math"
	"math/rand/v2"
	"testing"
)

// EDM with churn adds noise of std √(σ̂² − σ²) when it raises σ to σ̂,
// which keeps x̂ distributed as data plus noise of std σ̂. With the exact
// score of N(0, v) data and exact prior draws the samples' variance must
// then be v·v/(v+σ(ε)²) (the last step lands on the denoiser), to within
// the discretisation and the estimate's noise, √(2/n) ≈ 1%. Churn makes
// the sampler about first order: the variance is off by 10–14% at 32
// steps, 2% at 64 and under 1% at 128 (measured for all three SDEs), so
// 128 steps and a 3% tolerance.
func TestEDMChurnVariance(t *testing.T) {
	const v, n = 0.25, 20000
	for name, s := range fewStepSDEs() {
		rng := rand.New(rand.NewPCG(3, 4))
		sd := s.MeanScale(s.T()) * math.Sqrt(v+math.Pow(Sigma(s, s.T()), 2))
		x := make([]float64, n)
		for j := range x {
			x[j] = sd * rng.NormFloat64()
		}
		res, err := Sample(s, &normalScore{s: s, v: v}, x, Options{N: 128, Method: "edm", Churn: 10, Eps: DefaultEps}, rng)
		if err != nil {
			t.Fatal(err)
		}
		q := 0.0
		for _, u := range res.X {
			q += u * u
		}
		sMin := Sigma(s, s.MinTime())
		want := v * v / (v + sMin*sMin)
		got := q / n
		if math.Abs(got-want) > 0.03*want {
			t.Errorf("%s: variance %.4f with churn, want %.4f", name, got, want)
		}
	}
}
