//go:build amd64 && !purego

package kernel

import (
	"math"
	"time"
	"unsafe"

	"golang.org/x/sys/cpu"
)

//go:generate go run asm_gen.go

// useAVX2 selects the assembly kernels of kernel_amd64.s. It is fixed at
// start-up, so every call in a process takes the same path.
var useAVX2 = cpu.X86.HasAVX2 && cpu.X86.HasFMA

func implementation() string {
	if useAVX2 {
		return "avx2+fma"
	}
	return "go"
}

// avxConst holds, as 8 equal lanes each, the constants of the vectorised
// tanh (in the order asm_gen.go indexes them) and 1 for the tanh
// derivative. It is derived from the constants of ref.go so that the
// assembly and the reference cannot disagree on them. Read-only.
var avxConst = func() (c [12][8]float32) {
	for i, v := range [...]float32{
		tanhP0, tanhP1, tanhP2, tanhP3, tanhP4,
		tanhQ1, tanhQ2, tanhQ3,
		math.Float32frombits(signBit - 1), math.Float32frombits(signBit), 1,
		tanhSat,
	} {
		for j := range c[i] {
			c[i][j] = v
		}
	}
	return c
}()

// tailMask[8-n:16-n] is the VMASKMOVPS mask selecting the first n lanes.
// Read-only.
var tailMask = [16]int32{-1, -1, -1, -1, -1, -1, -1, -1}

// The assembly kernels. They do no bounds checks: the wrappers below slice
// every argument to the extent the kernel touches first.

//go:noescape
func gemmBcastAVX2(dst, src, w, bias *float32, nout, nred, L, ks, js, flags int)

//go:noescape
func dotAccAVX2(dw, a, b *float32, nout, nin, L int)

//go:noescape
func dpreAVX2(da, a, db *float32, out, L, flags int)

//go:noescape
func adamAVX2(p, grad, m, v *float32, n int, b1, b2, c1, c2, eps, stepSize, invSqrtBC2 float32)

//go:noescape
func tanhAVX2(dst, src *float32, n int)

//go:noescape
func addAVX2(dst, src *float32, n int)

func peakAVX2(n int)

const (
	flagBias = 1 // gemmBcastAVX2: start from bias[k] instead of 0
	flagTanh = 2 // gemmBcastAVX2: apply tanh; dpreAVX2 (as 1): multiply by 1-a²
)

// ptr is the address of s's first element, or nil, without a bounds check
// on empty slices (the kernels never read empty slices).
func ptr(s []float32) *float32 { return unsafe.SliceData(s) }

func forward(dst, src, w, b []float32, in, out, L int, tanh bool) {
	if !useAVX2 {
		forwardRef(dst, src, w, b, in, out, L, tanh)
		return
	}
	forwardAVX2(dst, src, w, b, in, out, L, tanh)
}

func forwardAVX2(dst, src, w, b []float32, in, out, L int, tanh bool) {
	src = src[:in*L]
	w = w[:out*in]
	b = b[:out]
	dst = dst[:out*L]
	if out == 0 || L == 0 {
		return
	}
	flags := flagBias
	if tanh {
		flags |= flagTanh
	}
	gemmBcastAVX2(ptr(dst), ptr(src), ptr(w), ptr(b), out, in, L, in, 1, flags)
}

func backward(da, a, src, w, dw, db, dsrc []float32, in, out, L int, tanh bool) {
	if !useAVX2 {
		backwardRef(da, a, src, w, dw, db, dsrc, in, out, L, tanh)
		return
	}
	backwardAVX2(da, a, src, w, dw, db, dsrc, in, out, L, tanh)
}

func backwardAVX2(da, a, src, w, dw, db, dsrc []float32, in, out, L int, tanh bool) {
	da = da[:out*L]
	src = src[:in*L]
	w = w[:out*in]
	dw = dw[:out*in]
	db = db[:out]
	flags := 0
	if tanh {
		a = a[:len(da)]
		flags = 1
	}
	if dsrc != nil {
		dsrc = dsrc[:in*L]
	}
	if out == 0 || L == 0 { // empty sums
		clear(dw)
		clear(db)
		if dsrc != nil {
			clear(dsrc)
		}
		return
	}
	dpreAVX2(ptr(da), ptr(a), ptr(db), out, L, flags)
	if in == 0 {
		return
	}
	dotAccAVX2(ptr(dw), ptr(da), ptr(src), out, in, L)
	if dsrc != nil {
		// dsrc[i,r] = Σ_o w[o*in+i]·dpre[o,r]: Forward's loop with the
		// roles of in and out swapped and w read transposed.
		gemmBcastAVX2(ptr(dsrc), ptr(da), ptr(w), nil, in, out, L, 1, in, 0)
	}
}

func adam(p, g, m, v []float32, b1, b2, eps, stepSize, invSqrtBC2 float32) {
	if !useAVX2 {
		adamRef(p, g, m, v, b1, b2, eps, stepSize, invSqrtBC2)
		return
	}
	adamAVX2Slices(p, g, m, v, b1, b2, eps, stepSize, invSqrtBC2)
}

func adamAVX2Slices(p, g, m, v []float32, b1, b2, eps, stepSize, invSqrtBC2 float32) {
	n := len(p)
	g, m, v = g[:n], m[:n], v[:n]
	adamAVX2(ptr(p), ptr(g), ptr(m), ptr(v), n, b1, b2, 1-b1, 1-b2, eps, stepSize, invSqrtBC2)
}

func add(dst, src []float32) {
	if !useAVX2 {
		addRef(dst, src)
		return
	}
	addAVX2Slices(dst, src)
}

func addAVX2Slices(dst, src []float32) {
	src = src[:len(dst)]
	addAVX2(ptr(dst), ptr(src), len(dst))
}

// peakFLOPPerIter is the work of one peakAVX2 iteration: 12 FMAs of 8 lanes.
const peakFLOPPerIter = 12 * 8 * 2

func peakGFLOPS(d time.Duration) float64 {
	if !useAVX2 {
		return 0
	}
	const chunk = 100_000 // ~0.5 ms at 40 GFLOP/s
	peakAVX2(chunk)       // warm up: clocks and caches
	iters := 0
	start := time.Now()
	for time.Since(start) < d {
		peakAVX2(chunk)
		iters += chunk
	}
	return float64(iters) * peakFLOPPerIter / float64(time.Since(start).Nanoseconds())
}

func tanhSlice(dst, src []float32) {
	if !useAVX2 {
		tanhRef(dst, src)
		return
	}
	tanhAVX2Slices(dst, src)
}

func tanhAVX2Slices(dst, src []float32) {
	dst = dst[:len(src)]
	tanhAVX2(ptr(dst), ptr(src), len(src))
}
