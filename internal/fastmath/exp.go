// Package fastmath holds float64 elementary functions that are as accurate
// as the math package's (within an ulp or two) but shorter to evaluate,
// for the inner loops that call them once per data row.
package fastmath

import "math"

// expBits is the log₂ of the table size: x is reduced by multiples of
// ln2/2^expBits.
const expBits = 8

const (
	expN      = 1 << expBits
	invLn2N   = expN / math.Ln2
	ln2Hi     = 6.93147180369123816490e-01 // ln2 to 32 bits, so that k·ln2Hi is exact for the k here…
	ln2Lo     = 1.90821492927058770002e-10 // …and the rest (Cody–Waite)
	ln2HiN    = ln2Hi / expN
	ln2LoN    = ln2Lo / expN
	roundBias = 0x1.8p52 // adding it rounds to an integer
	expLimit  = 700      // beyond, the fast path's scaling could leave the normal range
)

// exp2Table[j] = 2^(j/N). Read-only after initialisation.
var exp2Table = func() (t [expN]float64) {
	for j := range t {
		t[j] = math.Exp2(float64(j) / expN)
	}
	return t
}()

// Exp returns e^x with an error below 1.5 ulps (TestExpULP measures
// 1.0 at worst against a 120-bit reference; math.Exp's is about as
// large), and math.Exp's results for |x| > 700, NaN and ±Inf. math.Exp on amd64 evaluates a 13-step serial Taylor chain
// that a loop cannot overlap with its other work; this is a table lookup
// and a degree-5 polynomial with a dependency chain half as long.
func Exp(x float64) float64 {
	if !(math.Abs(x) <= expLimit) { // also NaN
		return math.Exp(x)
	}
	// x = (k/N)·ln2 + r, |r| ≤ ln2/(2N); e^x = 2^(k/N)·e^r.
	kd := x*invLn2N + roundBias
	k := int64(math.Float64bits(kd)<<12) >> 12 // the rounded integer, sign-extended from 52 bits
	kd -= roundBias
	r := x - kd*ln2HiN - kd*ln2LoN
	// 2^(k/N) = 2^(k>>expBits) · table[k mod N], the power of two added
	// to the table entry's exponent field.
	scale := math.Float64frombits(math.Float64bits(exp2Table[k&(expN-1)]) + uint64(k>>expBits)<<52)
	// e^r − 1 by Taylor to r⁵: the next term, |r|⁶/720 < 1e-20, is far
	// below an ulp of the result.
	r2 := r * r
	p := r + r2*(0.5+r*(1.0/6)) + r2*r2*(1.0/24+r*(1.0/120))
	return scale + scale*p
}
