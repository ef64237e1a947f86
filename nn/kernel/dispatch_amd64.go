//go:build amd64 && !purego

package kernel

import (
	"fmt"
	"math"
	"os"
	"time"
	"unsafe"

	"golang.org/x/sys/cpu"
)

//go:generate go run asm_gen.go

// simd is one instruction set's assembly kernels (kernel_amd64.s) with the
// Go wrappers that slice their arguments.
type simd struct {
	name  string
	lanes int
	gemm  func(dst, src, w, bias *float32, nout, nred, L, ks, js, flags int)
	dot   func(dw, a, b *float32, nout, nin, L, ldw int)
	dpre  func(da, a, db *float32, out, L, flags int)
	adamK func(p, grad, m, v *float32, n int, b1, b2, c1, c2, eps, stepSize, invSqrtBC2 float32)
	tanhK func(dst, src *float32, n int)
	addK  func(dst, src *float32, n int)
	peak  func(n int)
}

var (
	avx2Kernels = &simd{name: "avx2+fma", lanes: 8,
		gemm: gemmBcastAVX2, dot: dotAccAVX2, dpre: dpreAVX2, adamK: adamAVX2,
		tanhK: tanhAVX2, addK: addAVX2, peak: peakAVX2}
	avx512Kernels = &simd{name: "avx512", lanes: 16,
		gemm: gemmBcastAVX512, dot: dotAccAVX512, dpre: dpreAVX512, adamK: adamAVX512,
		tanhK: tanhAVX512, addK: addAVX512, peak: peakAVX512}
)

// hasAVX2 and hasAVX512 say which kernel sets this CPU can run. The
// AVX-512 kernels use AVX512F only (the VL forms on Y16-Y31 in the
// reductions are AVX512VL), and the operating system must save the
// Z and K registers, which cpu checks.
var (
	hasAVX2   = cpu.X86.HasAVX2 && cpu.X86.HasFMA
	hasAVX512 = hasAVX2 && cpu.X86.HasAVX512F && cpu.X86.HasAVX512VL
)

// active is the kernel set chosen at start-up (nil: the Go reference), and
// selectNote says why, when the choice is not simply the widest set the
// CPU has. Both are fixed at start-up, so every call in a process takes
// the same path.
var active, selectNote = choose()

// choose picks the kernels: AVX-512 where the CPU has it and the start-up
// self-check passes (see selfCheck), else AVX2+FMA, else none. The choice
// depends on the CPU alone, never on a timing, so that a machine always
// computes the same results.
//
// On the Zen 5 this was measured on (full-width 512-bit units), the
// AVX-512 kernels beat the AVX2 ones on every kernel; see the README's
// Speed section. Zen 4 executes each 512-bit operation as two 256-bit
// halves, so it gains only from the halved instruction count and the
// doubled register file; it gets AVX-512 too (unmeasured there).
func choose() (*simd, string) {
	// The assembly reads these tables; naming them here makes package
	// initialisation fill them before the self-check runs the kernels.
	_, _, _, _ = &avxConst, &avx512Const, &tailMask, &kTailMask
	return pick(os.Getenv(EnvVar), hasAVX2, hasAVX512, func() error { return selfCheck(avx512Kernels) })
}

// pick is choose's decision given the environment variable's value, the
// CPU's features and the AVX-512 self-check.
func pick(env string, hasAVX2, hasAVX512 bool, check func() error) (*simd, string) {
	if !hasAVX2 {
		return nil, ""
	}
	best, why := avx2Kernels, ""
	if hasAVX512 {
		if err := check(); err != nil {
			why = "avx512 kernels failed the start-up self-check, using avx2+fma: " + err.Error()
		} else {
			best = avx512Kernels
		}
	}
	switch env {
	case "":
		return best, why
	case "go":
		return nil, EnvVar + "=go"
	case "avx2":
		return avx2Kernels, EnvVar + "=avx2"
	case "avx512":
		if best != avx512Kernels {
			if why == "" {
				why = "this CPU lacks AVX512F/VL, using avx2+fma"
			}
			return best, EnvVar + "=avx512 ignored: " + why
		}
		return best, EnvVar + "=avx512"
	default:
		return best, fmt.Sprintf("%s=%q is none of go, avx2, avx512: ignored", EnvVar, env)
	}
}

func implementation() string {
	if active == nil {
		return "go"
	}
	return active.name
}

func note() string { return selectNote }

// avxConst and avx512Const hold, as 8 or 16 equal lanes each, the
// constants of the vectorised tanh (in the order asm_gen.go indexes them)
// and 1 for the tanh derivative. They are derived from the constants of
// ref.go so that the assembly and the reference cannot disagree on them.
// Read-only.
var (
	avxConst    = broadcastConsts[[8]float32]()
	avx512Const = broadcastConsts[[16]float32]()
)

func broadcastConsts[V [8]float32 | [16]float32]() (c [12]V) {
	for i, x := range [...]float32{
		tanhP0, tanhP1, tanhP2, tanhP3, tanhP4,
		tanhQ1, tanhQ2, tanhQ3,
		math.Float32frombits(signBit - 1), math.Float32frombits(signBit), 1,
		tanhSat,
	} {
		for j := range len(c[i]) {
			c[i][j] = x
		}
	}
	return c
}

// tailMask[8-n:16-n] is the VMASKMOVPS mask selecting the first n lanes.
// Read-only.
var tailMask = [16]int32{-1, -1, -1, -1, -1, -1, -1, -1}

// kTailMask[n] is the K-register mask selecting the first n of 16 lanes
// (the kernels index it by 4n bytes and load 16 bits). Read-only.
var kTailMask = func() (m [16]uint32) {
	for n := range m {
		m[n] = 1<<n - 1
	}
	return m
}()

// The assembly kernels. They do no bounds checks: the wrappers below slice
// every argument to the extent the kernel touches first.

//go:noescape
func gemmBcastAVX2(dst, src, w, bias *float32, nout, nred, L, ks, js, flags int)

//go:noescape
func dotAccAVX2(dw, a, b *float32, nout, nin, L, ldw int)

//go:noescape
func dpreAVX2(da, a, db *float32, out, L, flags int)

//go:noescape
func adamAVX2(p, grad, m, v *float32, n int, b1, b2, c1, c2, eps, stepSize, invSqrtBC2 float32)

//go:noescape
func tanhAVX2(dst, src *float32, n int)

//go:noescape
func addAVX2(dst, src *float32, n int)

func peakAVX2(n int)

//go:noescape
func gemmBcastAVX512(dst, src, w, bias *float32, nout, nred, L, ks, js, flags int)

//go:noescape
func dotAccAVX512(dw, a, b *float32, nout, nin, L, ldw int)

//go:noescape
func dpreAVX512(da, a, db *float32, out, L, flags int)

//go:noescape
func adamAVX512(p, grad, m, v *float32, n int, b1, b2, c1, c2, eps, stepSize, invSqrtBC2 float32)

//go:noescape
func tanhAVX512(dst, src *float32, n int)

//go:noescape
func addAVX512(dst, src *float32, n int)

func peakAVX512(n int)

const (
	flagBias = 1 // gemm: start from bias[k] instead of 0
	flagTanh = 2 // gemm: apply tanh; dpre (as 1): multiply by 1-a²
	flagAcc  = 4 // gemm: start from dst, continuing an earlier call's sums
)

// gemmChunk is the most inputs one gemm call sums over; wider layers are
// run over chunks of their inputs, each call continuing the sums in dst.
// The kernel re-reads a chunk's weights (nout × 128 floats, ≤ 512 KB up
// to 1024 outputs: L2) for every block of rows, and a block's rows of
// the chunk's inputs (128 × 64 floats, 32 KB: L1) for every block of
// outputs. The order of every sum is unchanged, so is every result. On
// the Zen 5 measured, chunks of 128 beat 256 and unblocked calls by 5–15%
// at widths 256 and 512 (AVX-512, 504-row tiles).
func gemmChunk(nout int) int {
	const maxWeights = 512 << 10
	return max(16, min(128, maxWeights/(4*max(nout, 1)))&^3)
}

// gemmBlocked is s.gemm over chunks of the nred inputs; w's element
// (k, j) is at w[k*ks+j*js]. flags' bias applies to the first chunk and
// its tanh to the last.
func (s *simd) gemmBlocked(dst, src, w, bias *float32, nout, nred, L, ks, js, flags int) {
	chunk := gemmChunk(nout)
	if nred <= chunk+chunk/2 {
		s.gemm(dst, src, w, bias, nout, nred, L, ks, js, flags)
		return
	}
	for j := 0; j < nred; j += chunk {
		n := min(chunk, nred-j)
		f := flags
		if j > 0 {
			f = f&^flagBias | flagAcc
		}
		if j+n < nred {
			f &^= flagTanh
		}
		s.gemm(dst, (*float32)(unsafe.Add(unsafe.Pointer(src), 4*j*L)),
			(*float32)(unsafe.Add(unsafe.Pointer(w), 4*j*js)), bias, nout, n, L, ks, js, f)
	}
}

// ptr is the address of s's first element, or nil, without a bounds check
// on empty slices (the kernels never read empty slices).
func ptr(s []float32) *float32 { return unsafe.SliceData(s) }

func forward(dst, src, w, b []float32, in, out, L int, tanh bool) {
	if active == nil {
		forwardRef(dst, src, w, b, in, out, L, tanh)
		return
	}
	active.forward(dst, src, w, b, in, out, L, tanh)
}

func (s *simd) forward(dst, src, w, b []float32, in, out, L int, tanh bool) {
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
	s.gemmBlocked(ptr(dst), ptr(src), ptr(w), ptr(b), out, in, L, in, 1, flags)
}

func backward(da, a, src, w, dw, db, dsrc []float32, in, out, L int, tanh bool) {
	if active == nil {
		backwardRef(da, a, src, w, dw, db, dsrc, in, out, L, tanh)
		return
	}
	active.backward(da, a, src, w, dw, db, dsrc, in, out, L, tanh)
}

// dotChunkBytes bounds the rows of the weight gradient's second operand
// (inputs × L floats) swept for each block of outputs, so that they stay
// in the L2 cache while every output block reuses them: the kernel runs
// over the inputs in chunks of this size. The order of each sum is
// unchanged, so is every result.
const dotChunkBytes = 128 << 10

func (s *simd) backward(da, a, src, w, dw, db, dsrc []float32, in, out, L int, tanh bool) {
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
	s.dpre(ptr(da), ptr(a), ptr(db), out, L, flags)
	if in == 0 {
		return
	}
	chunk := max(4, dotChunkBytes/(4*L)&^3)
	for i := 0; i < in; i += chunk {
		n := min(chunk, in-i)
		s.dot(ptr(dw[i:]), ptr(da), ptr(src[i*L:]), out, n, L, in)
	}
	if dsrc != nil {
		// dsrc[i,r] = Σ_o w[o*in+i]·dpre[o,r]: Forward's loop with the
		// roles of in and out swapped and w read transposed.
		s.gemmBlocked(ptr(dsrc), ptr(da), ptr(w), nil, in, out, L, 1, in, 0)
	}
}

func adam(p, g, m, v []float32, b1, b2, eps, stepSize, invSqrtBC2 float32) {
	if active == nil {
		adamRef(p, g, m, v, b1, b2, eps, stepSize, invSqrtBC2)
		return
	}
	active.adam(p, g, m, v, b1, b2, eps, stepSize, invSqrtBC2)
}

func (s *simd) adam(p, g, m, v []float32, b1, b2, eps, stepSize, invSqrtBC2 float32) {
	n := len(p)
	g, m, v = g[:n], m[:n], v[:n]
	s.adamK(ptr(p), ptr(g), ptr(m), ptr(v), n, b1, b2, 1-b1, 1-b2, eps, stepSize, invSqrtBC2)
}

func add(dst, src []float32) {
	if active == nil {
		addRef(dst, src)
		return
	}
	active.add(dst, src)
}

func (s *simd) add(dst, src []float32) {
	src = src[:len(dst)]
	s.addK(ptr(dst), ptr(src), len(dst))
}

func peakGFLOPS(d time.Duration) float64 {
	if active == nil {
		return 0
	}
	return active.peakGFLOPS(d)
}

func (s *simd) peakGFLOPS(d time.Duration) float64 {
	flopPerIter := 12 * 2 * s.lanes // 12 FMAs a peak iteration
	const chunk = 100_000           // ~0.5 ms at 40 GFLOP/s
	s.peak(chunk)                   // warm up: clocks and caches
	iters := 0
	start := time.Now()
	for time.Since(start) < d {
		s.peak(chunk)
		iters += chunk
	}
	return float64(iters) * float64(flopPerIter) / float64(time.Since(start).Nanoseconds())
}

func tanhSlice(dst, src []float32) {
	if active == nil {
		tanhRef(dst, src)
		return
	}
	active.tanh(dst, src)
}

func (s *simd) tanh(dst, src []float32) {
	dst = dst[:len(src)]
	s.tanhK(ptr(dst), ptr(src), len(src))
}
