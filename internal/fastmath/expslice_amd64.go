//go:build amd64 && !purego

package fastmath

import "math"

//go:noescape
func expAVX2(dst, src *float64, n int) (outside int)

// expSliceVec runs the AVX2 kernel on the longest prefix of src that is a
// multiple of 4 and returns its length.
func expSliceVec(dst, src []float64) int {
	if !useAVX2 {
		return 0
	}
	n := len(src) &^ 3
	dst, src = dst[:n], src[:n]
	if expAVX2(&dst[0], &src[0], n) != 0 {
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
