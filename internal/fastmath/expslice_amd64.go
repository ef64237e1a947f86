//go:build amd64 && !purego

package fastmath

import (
	"math"

	"golang.org/x/sys/cpu"
)

//go:noescape
func expAVX2(dst, src *float64, n int) (outside int)

//go:noescape
func expAVX512(dst, src *float64, n int) (outside int)

// useAVX512 selects expAVX512 for the blocks of eight. Its lanes compute
// exactly what expAVX2's do (the same operations in the same order), so
// the choice changes the speed only. Its K-register operations on bytes
// need AVX512DQ.
var useAVX512 = useAVX2 && cpu.X86.HasAVX512F && cpu.X86.HasAVX512DQ

// expSliceVec runs the vector kernels on the longest prefix of src that is
// a multiple of 4 and returns its length.
func expSliceVec(dst, src []float64) int {
	if !useAVX2 {
		return 0
	}
	n := len(src) &^ 3
	dst, src = dst[:n], src[:n]
	return expVec(dst, src, useAVX512)
}

// expVec is expSliceVec's work on len(src), a multiple of 4: the blocks
// of eight with AVX-512 if wide, the rest with AVX2.
func expVec(dst, src []float64, wide bool) int {
	n := len(src)
	outside, m := 0, 0
	if wide && n >= 8 {
		m = n &^ 7
		outside = expAVX512(&dst[0], &src[0], m)
	}
	if m < n {
		outside |= expAVX2(&dst[m], &src[m], n-m)
	}
	if outside != 0 {
		fixExpRange(dst, src)
	}
	return n
}

// expSliceConst holds, as 4 equal lanes each, the abs mask (all bits but
// the sign) and expLimit for expAVX2's range check. Read-only.
var expSliceConst = func() (c [2][4]uint64) {
	for i := range c[0] {
		c[0][i], c[1][i] = 1<<63-1, math.Float64bits(expLimit)
	}
	return c
}()
