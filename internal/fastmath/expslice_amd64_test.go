//go:build amd64 && !purego

package fastmath

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestExpAVX512MatchesAVX2 checks that the AVX-512 blocks compute bit for
// bit what the AVX2 ones do, on every length mod 8, with out-of-range
// arguments, infinities and NaN among them, so that ExpSlice's results do
// not depend on which kernel a CPU runs.
func TestExpAVX512MatchesAVX2(t *testing.T) {
	if !useAVX2 || !useAVX512 {
		t.Skip("CPU lacks AVX2+FMA or AVX512F+DQ: the avx512 exp is not used here")
	}
	rng := rand.New(rand.NewPCG(5, 6))
	var xs []float64
	for range 3000 {
		xs = append(xs, -expLimit+2*expLimit*rng.Float64(), 30*rng.NormFloat64(), 1e-3*rng.NormFloat64())
	}
	xs = append(xs, 0, math.Copysign(0, -1), 800, -800, math.Inf(1), math.Inf(-1), math.NaN(), expLimit, -expLimit)
	rng.Shuffle(len(xs), func(i, j int) { xs[i], xs[j] = xs[j], xs[i] })
	for _, n := range []int{len(xs) &^ 3, 4, 8, 12, 16, 20, 28, 36} {
		src := xs[:n]
		wide, narrow := make([]float64, n), make([]float64, n)
		expVec(wide, src, true)
		expVec(narrow, src, false)
		for i := range src {
			if math.Float64bits(wide[i]) != math.Float64bits(narrow[i]) {
				t.Fatalf("n=%d: exp(%v) = %v with AVX-512, %v with AVX2", n, src[i], wide[i], narrow[i])
			}
		}
	}
}

func BenchmarkExpVec(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	src := make([]float64, 2000)
	for i := range src {
		src[i] = -3 * rng.Float64()
	}
	dst := make([]float64, len(src))
	for _, c := range []struct {
		name string
		wide bool
	}{{"avx2", false}, {"avx512", true}} {
		if c.wide && !useAVX512 {
			continue
		}
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				expVec(dst, src, c.wide)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(src)), "ns/value")
		})
	}
}
