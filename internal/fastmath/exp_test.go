package fastmath

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

// ulps is the distance between a and b in units of the last place of b.
func ulps(a, b float64) float64 {
	if a == b {
		return 0
	}
	return math.Abs(a-b) / (math.Nextafter(b, math.Inf(1)) - b)
}

// exactExp is e^x to 100 bits by its Taylor series after halving x until
// it is small, then squaring back: an independent reference.
func exactExp(x float64) float64 {
	const prec = 120
	halvings := 0
	for math.Abs(x)/math.Exp2(float64(halvings)) > 1e-3 {
		halvings++
	}
	y := new(big.Float).SetPrec(prec).SetFloat64(x)
	y.SetMantExp(y, -halvings)
	sum := new(big.Float).SetPrec(prec).SetInt64(1)
	term := new(big.Float).SetPrec(prec).SetInt64(1)
	for i := 1; i < 12; i++ {
		term.Mul(term, y)
		term.Quo(term, new(big.Float).SetPrec(prec).SetInt64(int64(i)))
		sum.Add(sum, term)
	}
	for range halvings {
		sum.Mul(sum, sum)
	}
	f, _ := sum.Float64()
	return f
}

// TestExpULP bounds the error against a 120-bit reference on random
// arguments across the fast path's range and on the reduction's
// boundaries (k/N·ln2 ± a little), where rounding is most delicate.
func TestExpULP(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var xs []float64
	for range 20000 {
		xs = append(xs, -expLimit+2*expLimit*rng.Float64(), 10*rng.NormFloat64(), 1e-3*rng.NormFloat64())
	}
	for k := -3000; k <= 3000; k += 7 {
		c := float64(k) * math.Ln2 / expN
		xs = append(xs, c, math.Nextafter(c, 0), c+math.Ln2/(2*expN), c-math.Ln2/(2*expN))
	}
	xs = append(xs, 0, math.Copysign(0, -1), 1e-300, -1e-300, 1, -1, expLimit, -expLimit)
	worst, worstX := 0.0, 0.0
	for _, x := range xs {
		got, want := Exp(x), exactExp(x)
		u := ulps(got, want)
		if u > worst {
			worst, worstX = u, x
		}
		if u > 1.5 {
			t.Fatalf("Exp(%v) = %v, want %v (%.2f ulps)", x, got, want, u)
		}
	}
	t.Logf("worst error %.3f ulps, at %v, over %d arguments", worst, worstX, len(xs))
}

func TestExpSpecial(t *testing.T) {
	inf := math.Inf(1)
	for _, x := range []float64{inf, -inf, 701, -701, 709.7, 710, -745, -746, 1e300, -1e300} {
		if got, want := Exp(x), math.Exp(x); got != want {
			t.Errorf("Exp(%v) = %v, want math.Exp's %v", x, got, want)
		}
	}
	if got := Exp(math.NaN()); !math.IsNaN(got) {
		t.Errorf("Exp(NaN) = %v", got)
	}
}

var sink float64

// BenchmarkExpInLoop and BenchmarkMathExpInLoop time exp inside a loop
// whose next iteration depends on the result, as in a row loop that
// feeds e^x into further arithmetic.
func BenchmarkExpInLoop(b *testing.B) {
	x := 0.5
	for b.Loop() {
		x = 4.2 * (Exp(x) - math.Floor(Exp(x)))
	}
	sink = x
}

func BenchmarkMathExpInLoop(b *testing.B) {
	x := 0.5
	for b.Loop() {
		x = 4.2 * (math.Exp(x) - math.Floor(math.Exp(x)))
	}
	sink = x
}
