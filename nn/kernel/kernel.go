package kernel

import "time"

// Forward computes one fully connected layer on a tile:
//
//	dst[o*L+r] = act(b[o] + Σ_i w[o*in+i]*src[i*L+r])
//
// w is out×in row-major (PyTorch's layout), src is in×L, dst is out×L and
// act is the fast tanh if tanh is true, else the identity. dst must not
// overlap src.
func Forward(dst, src, w, b []float32, in, out, L int, tanh bool) {
	forward(dst, src, w, b, in, out, L, tanh)
}

// Backward is the adjoint of Forward. On entry da (out×L) holds
// dLoss/d(output). If tanh is true, a (out×L) is the layer's tanh output
// and da is overwritten with dpre = da*(1-a*a); otherwise dpre = da and a
// is not read. Then
//
//	dw[o*in+i] = Σ_r dpre[o,r]*src[i,r]
//	db[o]      = Σ_r dpre[o,r]
//
// and, if dsrc is not nil, dsrc[i*L+r] = Σ_o w[o*in+i]*dpre[o,r]. All three
// are overwritten, not accumulated: a tile's gradient is written once per
// batch, and clearing it first cost more than the small layers' kernels.
func Backward(da, a, src, w, dw, db, dsrc []float32, in, out, L int, tanh bool) {
	backward(da, a, src, w, dw, db, dsrc, in, out, L, tanh)
}

// Adam applies one bias-corrected Adam step (PyTorch's torch.optim.Adam
// without weight decay) to p given the gradient g, updating the moment
// estimates m and v in place:
//
//	m = b1*m + (1-b1)*g
//	v = b2*v + (1-b2)*g²
//	p -= stepSize * m / (sqrt(v)*invSqrtBC2 + eps)
//
// The caller passes stepSize = lr/(1-b1^t) and invSqrtBC2 = 1/sqrt(1-b2^t)
// for step t ≥ 1, which is PyTorch's denom = sqrt(v)/sqrt(bc2) + eps,
// p -= (lr/bc1)*m/denom.
func Adam(p, g, m, v []float32, b1, b2, eps, stepSize, invSqrtBC2 float32) {
	adam(p, g, m, v, b1, b2, eps, stepSize, invSqrtBC2)
}

// Add sets dst[i] += src[i] for every i < len(dst); src must be at least
// as long. It sums the per-tile gradients of a batch.
func Add(dst, src []float32) { add(dst, src) }

// Tanh sets dst[i] to a fast approximation of tanh(src[i]) with relative
// error below 1e-6, exactly ±1 for |x| ≥ 7.5, tanh(±0) = ±0 and NaN for NaN.
// dst and src may be the same slice.
func Tanh(dst, src []float32) {
	tanhSlice(dst, src)
}

// Tanh32 is the scalar fast tanh: the plain Go Tanh element by element.
// The vectorised Tanh (and the tanh inside Forward) evaluate the same
// rational function with fused multiply-adds and may differ from it by a
// few ulps, both within the error bound stated for Tanh.
func Tanh32(x float32) float32 { return tanh32(x) }

// PeakGFLOPS measures one core's float32 peak with the kernels' vector
// instructions: it runs independent fused multiply-adds on the calling
// goroutine for about d and returns the rate in GFLOP/s. Run it on one
// goroutine per core at once to measure a machine (clocks drop when every
// core is busy). It returns 0 for the plain Go kernels, which have no
// such peak.
func PeakGFLOPS(d time.Duration) float64 { return peakGFLOPS(d) }

// Implementation names the kernels this process uses: "avx512" or
// "avx2+fma" for the assembly kernels (amd64 with AVX-512F/VL, or with
// AVX2 and FMA, without the purego build tag) or "go" for the plain Go
// reference. It is fixed at start-up.
func Implementation() string { return implementation() }

// EnvVar names the environment variable that, read once at start-up,
// overrides the choice of kernels: "go", "avx2" or "avx512" (where the
// CPU has them). Results depend on the kernels (rounding), so this is how
// a machine reproduces another's results, or how the sets are compared.
const EnvVar = "SCORESDE_KERNELS"

// Note says why the kernels in use are not simply the widest the CPU
// supports (the AVX-512 kernels failed their start-up self-check against
// the Go reference, or EnvVar chose), or is empty.
func Note() string { return note() }
