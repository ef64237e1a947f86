package stats

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// F(a) = −ln p̂(a)/β with p̂ summed here kernel by kernel, at 0.3 times
// Scott's n^(−1/5)·sd bandwidth; NaN where p̂ ≤ 1e-3.
func TestFreeEnergyKDE(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	x := make([]float64, 500)
	for i := range x {
		x[i] = 0.5*rng.NormFloat64() + 1
	}
	at := []float64{-0.5, 0.2, 1, 1.7, 6}
	const beta = 2.0
	got, err := FreeEnergyKDE(x, at, beta)
	if err != nil {
		t.Fatal(err)
	}
	mean, ss := 0.0, 0.0
	for _, v := range x {
		mean += v / float64(len(x))
	}
	for _, v := range x {
		ss += (v - mean) * (v - mean)
	}
	bw := 0.3 * math.Sqrt(ss/float64(len(x)-1)) * math.Pow(float64(len(x)), -0.2)
	for k, a := range at {
		p := 0.0
		for _, v := range x {
			p += math.Exp(-(a-v)*(a-v)/(2*bw*bw)) / (bw * math.Sqrt(2*math.Pi) * float64(len(x)))
		}
		switch {
		case p <= 1e-3:
			if !math.IsNaN(got[k]) {
				t.Errorf("at %v: F = %v where p̂ = %.2g, want NaN", a, got[k], p)
			}
		case math.Abs(got[k]-(-math.Log(p)/beta)) > 1e-9:
			t.Errorf("at %v: F = %v, want %v", a, got[k], -math.Log(p)/beta)
		}
	}
	if !math.IsNaN(got[len(got)-1]) || math.IsNaN(got[2]) {
		t.Errorf("F = %v: want a value at the mode and NaN at 6", got)
	}
}

func TestECDF(t *testing.T) {
	x := []float64{3, -1, 2, 2}
	xs, f := ECDF(x)
	if !slices.Equal(xs, []float64{-1, 2, 2, 3}) || !slices.Equal(f, []float64{0.25, 0.5, 0.75, 1}) {
		t.Errorf("ECDF = %v, %v", xs, f)
	}
	if x[0] != 3 {
		t.Error("ECDF sorted its input")
	}
}
