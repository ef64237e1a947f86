package kernel

import "math"

// forwardRef is the reference Forward. Output features are done in pairs
// and inputs four at a time: for each lane the four input values are
// loaded once and used for both outputs, and the eight weights stay in
// registers while the rows stream through.
func forwardRef(dst, src, w, b []float32, in, out, L int, tanh bool) {
	src = src[:in*L]
	w = w[:out*in]
	b = b[:out]
	o := 0
	for ; o+2 <= out; o += 2 {
		d0 := dst[o*L : o*L+L]
		d1 := dst[(o+1)*L:][:len(d0)]
		b0, b1 := b[o], b[o+1]
		for r := range d0 {
			d0[r] = b0
			d1[r] = b1
		}
		wa := w[o*in : o*in+in]
		wb := w[(o+1)*in:][:in]
		i := 0
		for ; i+4 <= in; i += 4 {
			a0, a1, a2, a3 := wa[i], wa[i+1], wa[i+2], wa[i+3]
			c0, c1, c2, c3 := wb[i], wb[i+1], wb[i+2], wb[i+3]
			s0 := src[i*L:][:len(d0)]
			s1 := src[(i+1)*L:][:len(d0)]
			s2 := src[(i+2)*L:][:len(d0)]
			s3 := src[(i+3)*L:][:len(d0)]
			for r := range d0 {
				x0, x1, x2, x3 := s0[r], s1[r], s2[r], s3[r]
				d0[r] += a0*x0 + a1*x1 + a2*x2 + a3*x3
				d1[r] += c0*x0 + c1*x1 + c2*x2 + c3*x3
			}
		}
		for ; i < in; i++ {
			a0, c0 := wa[i], wb[i]
			s0 := src[i*L:][:len(d0)]
			for r := range d0 {
				d0[r] += a0 * s0[r]
				d1[r] += c0 * s0[r]
			}
		}
	}
	if o < out { // odd output count: the last feature alone
		d := dst[o*L : o*L+L]
		bo := b[o]
		for r := range d {
			d[r] = bo
		}
		wo := w[o*in : o*in+in]
		i := 0
		for ; i+4 <= in; i += 4 {
			w0, w1, w2, w3 := wo[i], wo[i+1], wo[i+2], wo[i+3]
			s0 := src[i*L:][:len(d)]
			s1 := src[(i+1)*L:][:len(d)]
			s2 := src[(i+2)*L:][:len(d)]
			s3 := src[(i+3)*L:][:len(d)]
			for r := range d {
				d[r] += w0*s0[r] + w1*s1[r] + w2*s2[r] + w3*s3[r]
			}
		}
		for ; i < in; i++ {
			wi := wo[i]
			s := src[i*L:][:len(d)]
			for r := range d {
				d[r] += wi * s[r]
			}
		}
	}
	if tanh {
		// Once over the whole tile: the output is still in cache.
		d := dst[:out*L]
		tanhRef(d, d)
	}
}

// backwardRef is the reference Backward. The weight gradient is four dot
// products at a time over the lanes (more accumulators make the compiler
// spill); the input adjoint works on pairs of features like forwardRef.
func backwardRef(da, a, src, w, dw, db, dsrc []float32, in, out, L int, tanh bool) {
	da = da[:out*L]
	src = src[:in*L]
	w = w[:out*in]
	dw = dw[:out*in]
	db = db[:out]
	if tanh {
		a = a[:len(da)]
		for j, g := range da {
			y := a[j]
			da[j] = g * (1 - y*y)
		}
	}
	for o := range out {
		g0 := da[o*L : o*L+L]
		var t0 float32
		for _, x := range g0 {
			t0 += x
		}
		db[o] = t0
		dw0 := dw[o*in : o*in+in]
		i := 0
		for ; i+4 <= in; i += 4 {
			s0 := src[i*L:][:len(g0)]
			s1 := src[(i+1)*L:][:len(g0)]
			s2 := src[(i+2)*L:][:len(g0)]
			s3 := src[(i+3)*L:][:len(g0)]
			var a0, a1, a2, a3 float32
			for r, x := range g0 {
				a0 += x * s0[r]
				a1 += x * s1[r]
				a2 += x * s2[r]
				a3 += x * s3[r]
			}
			dw0[i] = a0
			dw0[i+1] = a1
			dw0[i+2] = a2
			dw0[i+3] = a3
		}
		for ; i < in; i++ {
			s0 := src[i*L:][:len(g0)]
			var a0 float32
			for r, x := range g0 {
				a0 += x * s0[r]
			}
			dw0[i] = a0
		}
	}
	if dsrc == nil {
		return
	}
	dsrc = dsrc[:in*L]
	i := 0
	for ; i+2 <= in; i += 2 {
		d0 := dsrc[i*L : i*L+L]
		d1 := dsrc[(i+1)*L:][:len(d0)]
		clear(d0)
		clear(d1)
		o := 0
		for ; o+4 <= out; o += 4 {
			a0, a1, a2, a3 := w[o*in+i], w[(o+1)*in+i], w[(o+2)*in+i], w[(o+3)*in+i]
			c0, c1, c2, c3 := w[o*in+i+1], w[(o+1)*in+i+1], w[(o+2)*in+i+1], w[(o+3)*in+i+1]
			p0 := da[o*L:][:len(d0)]
			p1 := da[(o+1)*L:][:len(d0)]
			p2 := da[(o+2)*L:][:len(d0)]
			p3 := da[(o+3)*L:][:len(d0)]
			for r := range d0 {
				x0, x1, x2, x3 := p0[r], p1[r], p2[r], p3[r]
				d0[r] += a0*x0 + a1*x1 + a2*x2 + a3*x3
				d1[r] += c0*x0 + c1*x1 + c2*x2 + c3*x3
			}
		}
		for ; o < out; o++ {
			a0, c0 := w[o*in+i], w[o*in+i+1]
			p0 := da[o*L:][:len(d0)]
			for r := range d0 {
				d0[r] += a0 * p0[r]
				d1[r] += c0 * p0[r]
			}
		}
	}
	if i < in { // odd input count: the last feature alone
		d := dsrc[i*L : i*L+L]
		clear(d)
		o := 0
		for ; o+4 <= out; o += 4 {
			w0, w1, w2, w3 := w[o*in+i], w[(o+1)*in+i], w[(o+2)*in+i], w[(o+3)*in+i]
			p0 := da[o*L:][:len(d)]
			p1 := da[(o+1)*L:][:len(d)]
			p2 := da[(o+2)*L:][:len(d)]
			p3 := da[(o+3)*L:][:len(d)]
			for r := range d {
				d[r] += w0*p0[r] + w1*p1[r] + w2*p2[r] + w3*p3[r]
			}
		}
		for ; o < out; o++ {
			wi := w[o*in+i]
			p := da[o*L:][:len(d)]
			for r := range d {
				d[r] += wi * p[r]
			}
		}
	}
}

// addRef is the reference Add.
func addRef(dst, src []float32) {
	src = src[:len(dst)]
	for i, v := range src {
		dst[i] += v
	}
}

// adamRef is the reference Adam.
func adamRef(p, g, m, v []float32, b1, b2, eps, stepSize, invSqrtBC2 float32) {
	n := len(p)
	g, m, v = g[:n], m[:n], v[:n]
	c1, c2 := 1-b1, 1-b2
	for j := range p {
		gj := g[j]
		mj := b1*m[j] + c1*gj
		vj := b2*v[j] + c2*gj*gj
		m[j], v[j] = mj, vj
		p[j] -= stepSize * mj / (float32(math.Sqrt(float64(vj)))*invSqrtBC2 + eps)
	}
}

// tanhRef is the reference Tanh. The body of tanh32 is repeated here
// because the compiler does not inline it, and a call per element costs
// more than the arithmetic.
func tanhRef(dst, src []float32) {
	dst = dst[:len(src)]
	for j, x := range src {
		x2 := x * x
		x4 := x2 * x2
		p := (tanhP0 + tanhP1*x2) + (tanhP2+tanhP3*x2)*x4 + tanhP4*(x4*x4)
		q := (1 + tanhQ1*x2) + (tanhQ2+tanhQ3*x2)*x4
		yb := math.Float32bits(x * (p / q))
		xb := math.Float32bits(x)
		if xb&^signBit-satBits <= infBits-satBits {
			yb = xb&signBit | oneBits
		}
		dst[j] = math.Float32frombits(yb)
	}
}

// Rational approximation of tanh on (-tanhSat, tanhSat):
//
//	tanh(x) ≈ x·P(x²)/Q(x²),  P of degree 4, Q of degree 3 with Q(0) = 1,
//
// fitted by iteratively reweighted least squares towards the minimax
// relative error on [0, 7.5]: 1.2e-7 in exact arithmetic, below 4.5e-7
// evaluated in float32. Eigen's float tanh uses degrees 6 and 3, clamps x
// to ±7.9988 and fixes up |x| ≥ 9; these lower degrees save two of the
// FMAs and returning ±1 from 7.5 on costs at most 1-tanh(7.5) = 6.1e-7,
// still within the 1e-6 bound. Below 7.5 the rational needs no clamp: it
// stays under 1, and x⁹ cannot overflow.
const (
	tanhSat = 7.5

	tanhP0 = 0.9999998767301406
	tanhP1 = 0.12754709828189947
	tanhP2 = 0.0027399846267778774
	tanhP3 = 7.498069174338446e-06
	tanhP4 = -6.769064808676006e-09
	tanhQ1 = 0.46087940056359555
	tanhQ2 = 0.02303456809522987
	tanhQ3 = 0.00020240270071510548

	signBit = 1 << 31
	oneBits = 0x3f800000 // 1
	infBits = 0x7f800000 // +Inf
	satBits = 0x40f00000 // tanhSat
)

// tanh32 is the scalar form of tanhRef; both must compute the same
// expression so that Tanh and Tanh32 agree bit for bit.
func tanh32(x float32) float32 {
	x2 := x * x
	x4 := x2 * x2
	// Estrin's scheme halves the dependency chain of Horner's. The result
	// is x·(p/q) rather than (x·p)/q: p/q tends to P0 = 1-1.2e-7 as
	// x → 0, so tiny and subnormal x come out as x to within that, with
	// no special case.
	p := (tanhP0 + tanhP1*x2) + (tanhP2+tanhP3*x2)*x4 + tanhP4*(x4*x4)
	q := (1 + tanhQ1*x2) + (tanhQ2+tanhQ3*x2)*x4
	yb := math.Float32bits(x * (p / q))
	xb := math.Float32bits(x)
	// The saturation fix-up selects on the bit patterns with an unsigned
	// compare, which compiles to a conditional move instead of an
	// unpredictable branch. NaN (|x| bits > infBits) passes through.
	if xb&^signBit-satBits <= infBits-satBits { // tanhSat ≤ |x| ≤ ∞
		yb = xb&signBit | oneBits
	}
	return math.Float32frombits(yb)
}
