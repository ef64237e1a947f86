package fastmath

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// GaussSums against sums with math.Exp in float64, on lengths that leave
// every tail (n mod 4) and on spreads where the weights range from 1 down
// to the −700 floor. Each weight is within a few ulps of e^a for its
// computed exponent a, and a itself is only known to an ulp of the terms
// it is made of (inv·u² and shift, up to 10⁴ here; the vector code fuses
// the multiply-add, the reference does not), so a weight may differ by
// w·4e−16·(inv·u² + |shift|) on top; the sums get 1e−14 relative besides.
func TestGaussSums(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 3, 4, 5, 7, 8, 37, 10000} {
		for _, s := range []float64{0.01, 0.3, 2} {
			t.Run(fmt.Sprintf("n=%d/s=%g", n, s), func(t *testing.T) {
				xs := make([]float64, n)
				for i := range xs {
					xs[i] = rng.NormFloat64()
				}
				q, m := 0.3*rng.NormFloat64(), 0.8
				inv := 1 / (2 * s * s)
				shift := math.Inf(1)
				for _, x := range xs {
					shift = min(shift, inv*(q-m*x)*(q-m*x))
				}
				shift = -shift
				if n == 0 {
					shift = 0
				}
				var want, wantM, tol, tolM float64
				for _, x := range xs {
					u := q - m*x
					w := math.Exp(max(-u*u*inv-shift, -700))
					want += w
					wantM += w * u
					e := 1e-14 + 4e-16*(inv*u*u+math.Abs(shift))
					tol += w * e
					tolM += w * math.Abs(u) * e
				}
				got, gotM := GaussSums(xs, q, m, inv, shift)
				if math.Abs(got-want) > tol || math.Abs(gotM-wantM) > tolM+1e-300 {
					t.Errorf("sums (%.17g, %.17g), want (%.17g, %.17g)", got, gotM, want, wantM)
				}
				ref, refM := gaussSumsRef(xs, q, m, inv, shift)
				if math.Abs(got-ref) > 2*tol || math.Abs(gotM-refM) > 2*tolM+1e-300 {
					t.Errorf("vector (%.17g, %.17g) and plain (%.17g, %.17g) differ", got, gotM, ref, refM)
				}
			})
		}
	}
}

func BenchmarkGaussSums(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	xs := make([]float64, 10000)
	for i := range xs {
		xs[i] = rng.NormFloat64()
	}
	for _, c := range []struct {
		name string
		f    func([]float64, float64, float64, float64, float64) (float64, float64)
	}{{"dispatched", GaussSums}, {"plain", gaussSumsRef}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				sinkA, sinkB = c.f(xs, 0.1, 0.9, 0.125, 0)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(xs)), "ns/term")
		})
	}
}

var sinkA, sinkB float64
