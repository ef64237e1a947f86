//go:build amd64 && !purego

package fastmath

import (
	"math"

	"golang.org/x/sys/cpu"
)

//go:generate go run asm_gen.go

// useAVX2 selects the assembly kernels of exp_amd64.s; fixed at start-up.
var useAVX2 = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// gaussConst holds, as 4 equal lanes each, the constants of
// gaussSumsAVX2 in the order its assembly indexes them: −expLimit, log₂e,
// the two parts of ln 2, then the Taylor coefficients 1/k! of e^r for
// k = 13 down to 0. |r| ≤ ln2/2 makes the first omitted term, r¹⁴/14!,
// below 5e−18. Read-only.
var gaussConst = func() (c [18][4]float64) {
	vals := []float64{-expLimit, math.Log2E, ln2Hi, ln2Lo}
	f := 1.0
	coef := make([]float64, 14)
	for k := range coef {
		if k > 0 {
			f *= float64(k)
		}
		coef[k] = 1 / f
	}
	for k := 13; k >= 0; k-- {
		vals = append(vals, coef[k])
	}
	for i, v := range vals {
		for j := range c[i] {
			c[i][j] = v
		}
	}
	return c
}()

//go:noescape
func gaussSumsAVX2(xs *float64, n int, q, m, inv, shift float64) (sum, moment float64)

func gaussSums(xs []float64, q, m, inv, shift float64) (sum, moment float64) {
	if !useAVX2 || len(xs) < 4 {
		return gaussSumsRef(xs, q, m, inv, shift)
	}
	n := len(xs) &^ 3
	sum, moment = gaussSumsAVX2(&xs[0], n, q, m, inv, shift)
	s, mo := gaussSumsRef(xs[n:], q, m, inv, shift)
	return sum + s, moment + mo
}
