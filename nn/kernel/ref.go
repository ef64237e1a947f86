package kernel

import "math"

// forwardRef is the reference Forward. For each output feature it
// accumulates four input rows at a time into the L lanes of the output row,
// so the compiler keeps the four weights in registers and streams the rows.
func forwardRef(dst, src, w, b []float32, in, out, L int, tanh bool) {
	src = src[:in*L]
	w = w[:out*in]
	b = b[:out]
	for o := range out {
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
		if tanh {
			tanhRef(d, d)
		}
	}
}

// backwardRef is the reference Backward.
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
		dp := da[o*L : o*L+L]
		var s float32
		for _, g := range dp {
			s += g
		}
		db[o] += s
		dwo := dw[o*in : o*in+in]
		i := 0
		for ; i+4 <= in; i += 4 {
			s0 := src[i*L:][:len(dp)]
			s1 := src[(i+1)*L:][:len(dp)]
			s2 := src[(i+2)*L:][:len(dp)]
			s3 := src[(i+3)*L:][:len(dp)]
			var a0, a1, a2, a3 float32
			for r, g := range dp {
				a0 += g * s0[r]
				a1 += g * s1[r]
				a2 += g * s2[r]
				a3 += g * s3[r]
			}
			dwo[i] += a0
			dwo[i+1] += a1
			dwo[i+2] += a2
			dwo[i+3] += a3
		}
		for ; i < in; i++ {
			s := src[i*L:][:len(dp)]
			var acc float32
			for r, g := range dp {
				acc += g * s[r]
			}
			dwo[i] += acc
		}
	}
	if dsrc == nil {
		return
	}
	dsrc = dsrc[:in*L]
	for i := range in {
		d := dsrc[i*L : i*L+L]
		o := 0
		if out >= 4 {
			w0, w1, w2, w3 := w[i], w[in+i], w[2*in+i], w[3*in+i]
			p0, p1, p2, p3 := da[:len(d)], da[L:][:len(d)], da[2*L:][:len(d)], da[3*L:][:len(d)]
			for r := range d {
				d[r] = w0*p0[r] + w1*p1[r] + w2*p2[r] + w3*p3[r]
			}
			o = 4
		} else {
			for r := range d {
				d[r] = 0
			}
		}
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
		c := min(max(x, -tanhClamp), tanhClamp)
		x2 := c * c
		x4 := x2 * x2
		// Estrin's scheme halves the dependency chain of Horner's.
		p := ((tanhA1 + tanhA3*x2) + (tanhA5+tanhA7*x2)*x4 + ((tanhA9+tanhA11*x2)+tanhA13*x4)*(x4*x4)) * c
		q := (tanhB0 + tanhB2*x2) + (tanhB4+tanhB6*x2)*x4
		y := p / q
		if x >= tanhSat {
			y = 1
		}
		if x <= -tanhSat {
			y = -1
		}
		if x > -tanhSmall && x < tanhSmall {
			y = x
		}
		dst[j] = y
	}
}

// Rational approximation of tanh on [-tanhClamp, tanhClamp]: an odd
// degree-13 numerator over an even degree-6 denominator (the minimax fit
// used by Eigen's float tanh), relative error below 5e-7 in float32 (evaluated by Estrin's scheme).
const (
	tanhClamp = 7.99881172180175781
	// Beyond tanhSat, float32(tanh(x)) is exactly ±1 (1-tanh(9.01) < 2⁻²⁵),
	// while the rational saturates at 1-2e-7; return the exact value.
	tanhSat = 9
	// Below tanhSmall, x²/3 < 2⁻²⁵: tanh(x) is x to float32 precision.
	tanhSmall = 0.0004

	tanhA1  = 4.89352455891786e-03
	tanhA3  = 6.37261928875436e-04
	tanhA5  = 1.48572235717979e-05
	tanhA7  = 5.12229709037114e-08
	tanhA9  = -8.60467152213735e-11
	tanhA11 = 2.00018790482477e-13
	tanhA13 = -2.76076847742355e-16
	tanhB0  = 4.89352518554385e-03
	tanhB2  = 2.26843463243900e-03
	tanhB4  = 1.18534705686654e-04
	tanhB6  = 1.19825839466702e-06
)

// tanh32 is the scalar form of tanhRef; both must compute the same
// expression so that Tanh and Tanh32 agree bit for bit.
func tanh32(x float32) float32 {
	c := min(max(x, -tanhClamp), tanhClamp)
	x2 := c * c
	x4 := x2 * x2
	p := ((tanhA1 + tanhA3*x2) + (tanhA5+tanhA7*x2)*x4 + ((tanhA9+tanhA11*x2)+tanhA13*x4)*(x4*x4)) * c
	q := (tanhB0 + tanhB2*x2) + (tanhB4+tanhB6*x2)*x4
	y := p / q
	if x >= tanhSat {
		y = 1
	}
	if x <= -tanhSat {
		y = -1
	}
	// Near 0 tanh(x) = x(1 - x²/3) rounds to x, and the rational would lose
	// precision on subnormal inputs.
	if x > -tanhSmall && x < tanhSmall {
		y = x
	}
	return y
}
