package fastmath

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// TestExpSlice bounds ExpSlice's error against the 120-bit reference on
// every tail length (n mod 4), in place and into another slice, with
// out-of-range arguments and NaN mixed into the vector blocks.
func TestExpSlice(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var xs []float64
	for range 4000 {
		xs = append(xs, -expLimit+2*expLimit*rng.Float64(), 10*rng.NormFloat64(), 1e-3*rng.NormFloat64())
	}
	for k := -1000; k <= 1000; k += 3 { // the reduction's boundaries, (k+½)·ln2
		c := (float64(k) + 0.5) * math.Ln2
		xs = append(xs, c, math.Nextafter(c, 0), math.Nextafter(c, math.Inf(1)))
	}
	xs = append(xs, 0, math.Copysign(0, -1), 1e-300, expLimit, -expLimit)
	worst := 0.0
	for _, n := range []int{len(xs), len(xs) - 1, len(xs) - 2, len(xs) - 3, 0, 1, 3, 4, 5} {
		src := xs[:n]
		dst := make([]float64, n)
		ExpSlice(dst, src)
		for i, x := range src {
			u := ulps(dst[i], exactExp(x))
			worst = max(worst, u)
			if u > 2 {
				t.Fatalf("n=%d: ExpSlice at %v = %v, want %v (%.2f ulps)", n, x, dst[i], exactExp(x), u)
			}
		}
		inPlace := append([]float64(nil), src...)
		ExpSlice(inPlace, inPlace)
		for i := range inPlace {
			if inPlace[i] != dst[i] {
				t.Fatalf("n=%d: in place, element %d is %v, out of place %v", n, i, inPlace[i], dst[i])
			}
		}
	}
	t.Logf("worst error %.3f ulps", worst)
}

// TestExpSliceSpecial puts each argument the vector kernel cannot scale
// into every lane of every kind of block: it must get Exp's result, and
// leave its neighbours alone.
func TestExpSliceSpecial(t *testing.T) {
	inf := math.Inf(1)
	for _, x := range []float64{inf, -inf, math.NaN(), 700.5, -700.5, 709.7, 710, -745, -746, 1e300, -1e300} {
		// 21 elements: a four-block iteration, one block and a scalar tail.
		for lane := range 21 {
			t.Run(fmt.Sprintf("%v/lane%d", x, lane), func(t *testing.T) {
				src := make([]float64, 21)
				for i := range src {
					src[i] = 0.1 * float64(i+1) * float64(1-2*(i%2))
				}
				src[lane] = x
				dst := make([]float64, len(src))
				ExpSlice(dst, src)
				for i, v := range src {
					if i != lane {
						if u := ulps(dst[i], exactExp(v)); u > 2 {
							t.Errorf("ExpSlice element %d (%v) = %v, %.2f ulps from e^x", i, v, dst[i], u)
						}
						continue
					}
					want := Exp(v)
					if dst[i] != want && !(math.IsNaN(want) && math.IsNaN(dst[i])) {
						t.Errorf("ExpSlice element %d (%v) = %v, want Exp's %v", i, v, dst[i], want)
					}
				}
			})
		}
	}
}

// BenchmarkExpSlice times a tile's worth of independent exponentials, as
// the trainer computes a batch's noise levels.
func BenchmarkExpSlice(b *testing.B) {
	for _, impl := range []struct {
		name string
		f    func(dst, src []float64)
	}{{"dispatched", ExpSlice}, {"plain", expSliceRef}} {
		b.Run(impl.name, func(b *testing.B) {
			rng := rand.New(rand.NewPCG(1, 1))
			src := make([]float64, 504)
			for i := range src {
				src[i] = -3.5 + 4.2*rng.Float64()
			}
			dst := make([]float64, len(src))
			for b.Loop() {
				impl.f(dst, src)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(src)), "ns/value")
		})
	}
}
