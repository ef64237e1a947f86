//go:build !amd64 || purego

package kernel

import "time"

// Without assembly every kernel is the plain Go reference.

func implementation() string { return "go" }

func note() string { return "" }

func forward(dst, src, w, b []float32, in, out, L int, tanh bool) {
	forwardRef(dst, src, w, b, in, out, L, tanh)
}

func backward(da, a, src, w, dw, db, dsrc []float32, in, out, L int, tanh bool) {
	backwardRef(da, a, src, w, dw, db, dsrc, in, out, L, tanh)
}

func adam(p, g, m, v []float32, b1, b2, eps, stepSize, invSqrtBC2 float32) {
	adamRef(p, g, m, v, b1, b2, eps, stepSize, invSqrtBC2)
}

func add(dst, src []float32) { addRef(dst, src) }

func peakGFLOPS(time.Duration) float64 { return 0 }

func tanhSlice(dst, src []float32) { tanhRef(dst, src) }
