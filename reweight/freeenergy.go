package reweight

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
)

// Bandwidth is Scott's rule for a weighted 1-D sample, 1.06·σ_w·n_eff^(−1/5)
// with σ_w the weighted standard deviation and n_eff the Kish effective
// sample size, so fewer effective points smooth more.
func Bandwidth(x, w []float64) float64 {
	var s, m float64
	for i, v := range x {
		wi := weightAt(w, i)
		s += wi
		m += wi * v
	}
	m /= s
	v := 0.0
	for i, xi := range x {
		v += weightAt(w, i) * (xi - m) * (xi - m)
	}
	v /= s
	n := float64(len(x))
	if w != nil {
		n = KishESS(w)
	}
	return 1.06 * math.Sqrt(v) * math.Pow(n, -0.2)
}

func weightAt(w []float64, i int) float64 {
	if w == nil {
		return 1
	}
	return w[i]
}

// Density is a weighted Gaussian kernel density estimate with bandwidth bw
// on the uniform grid lo..hi of m ≥ 2 points, by linear binning onto the
// grid and a discrete convolution (exact to O(Δ²) for grid spacing Δ ≪ bw).
// nil w means equal weights. Mass outside [lo, hi] is lost, not folded in.
func Density(x, w []float64, lo, hi float64, m int, bw float64) ([]float64, error) {
	if m < 2 || !(hi > lo) {
		return nil, fmt.Errorf("reweight: density grid needs m ≥ 2 and lo < hi, got %d on [%v, %v]", m, lo, hi)
	}
	if !(bw > 0) {
		return nil, fmt.Errorf("reweight: bandwidth must be positive, got %v", bw)
	}
	if len(x) == 0 {
		return nil, errors.New("reweight: no samples")
	}
	step := (hi - lo) / float64(m-1)
	c := make([]float64, m)
	tot := 0.0
	for i, v := range x {
		wi := weightAt(w, i)
		tot += wi
		u := (v - lo) / step
		j := int(math.Floor(u))
		if j < 0 || j >= m-1 {
			if j == m-1 && u == float64(m-1) {
				c[m-1] += wi
			}
			continue
		}
		f := u - float64(j)
		c[j] += wi * (1 - f)
		c[j+1] += wi * f
	}
	reach := int(math.Ceil(5 * bw / step))
	kern := make([]float64, reach+1)
	for k := range kern {
		d := float64(k) * step / bw
		kern[k] = math.Exp(-0.5*d*d) / (bw * math.Sqrt(2*math.Pi) * tot)
	}
	out := make([]float64, m)
	for j, cj := range c {
		if cj == 0 {
			continue
		}
		for k := max(0, j-reach); k <= min(m-1, j+reach); k++ {
			out[k] += cj * kern[abs(k-j)]
		}
	}
	return out, nil
}

func abs(k int) int {
	if k < 0 {
		return -k
	}
	return k
}

// FreeEnergy is −β⁻¹ ln p on the grid for the density values p, NaN where
// p is below floor times its largest value (too few samples to say).
func FreeEnergy(p []float64, beta, floor float64) []float64 {
	top := 0.0
	for _, v := range p {
		top = math.Max(top, v)
	}
	f := make([]float64, len(p))
	for i, v := range p {
		f[i] = math.NaN()
		if v > floor*top && v > 0 {
			f[i] = -math.Log(v) / beta
		}
	}
	return f
}

// FreeEnergyBand is the bootstrap standard deviation of the free-energy
// profile of (x, w) at each grid point, over b resamples, each profile
// shifted to the same reference (its value at the grid point where the
// full sample's profile is lowest), so the band shows the uncertainty of
// differences, which is all a free energy defines.
func FreeEnergyBand(x, w []float64, lo, hi float64, m int, bw, beta, floor float64, b int, rng *rand.Rand) ([]float64, error) {
	p, err := Density(x, w, lo, hi, m, bw)
	if err != nil {
		return nil, err
	}
	f0 := FreeEnergy(p, beta, floor)
	ref := -1
	for j, v := range f0 {
		if !math.IsNaN(v) && (ref < 0 || v < f0[ref]) {
			ref = j
		}
	}
	if ref < 0 {
		return nil, errors.New("reweight: the free-energy profile is empty")
	}
	xs, ws := make([]float64, len(x)), make([]float64, len(x))
	var derr error
	_, sd := Bootstrap(len(x), b, rng, func(idx []int) []float64 {
		for i, j := range idx {
			xs[i], ws[i] = x[j], weightAt(w, j)
		}
		pb, err := Density(xs, ws, lo, hi, m, bw)
		if err != nil {
			derr = err
			return make([]float64, m)
		}
		fb := FreeEnergy(pb, beta, floor)
		for j := range fb {
			fb[j] -= fb[ref]
		}
		return fb
	})
	if derr != nil {
		return nil, derr
	}
	for j := range sd {
		if math.IsNaN(f0[j]) {
			sd[j] = math.NaN()
		}
	}
	return sd, nil
}

// Surface is a function on a regular 2-D grid: Z[j*len(X)+i] is the value
// at (X[i], Y[j]).
type Surface struct {
	X, Y, Z []float64
}

// Density2D is a weighted Gaussian kernel density estimate of 2-D points
// (x is n×2, row-major) with per-axis bandwidths on an nx × ny grid over
// [x0, x1] × [y0, y1], by bilinear binning and a separable convolution.
func Density2D(x, w []float64, x0, x1, y0, y1 float64, nx, ny int, bwx, bwy float64) (*Surface, error) {
	if len(x)%2 != 0 || len(x) == 0 {
		return nil, fmt.Errorf("reweight: %d values are not a non-empty set of 2-D points", len(x))
	}
	if nx < 2 || ny < 2 || !(x1 > x0) || !(y1 > y0) || !(bwx > 0) || !(bwy > 0) {
		return nil, fmt.Errorf("reweight: bad 2-D density grid %d×%d on [%v,%v]×[%v,%v] or bandwidths %v, %v", nx, ny, x0, x1, y0, y1, bwx, bwy)
	}
	sx, sy := (x1-x0)/float64(nx-1), (y1-y0)/float64(ny-1)
	c := make([]float64, nx*ny)
	tot := 0.0
	n := len(x) / 2
	for i := range n {
		wi := weightAt(w, i)
		tot += wi
		u, v := (x[2*i]-x0)/sx, (x[2*i+1]-y0)/sy
		a, b := int(math.Floor(u)), int(math.Floor(v))
		if a < 0 || b < 0 || a >= nx-1 || b >= ny-1 {
			continue
		}
		fu, fv := u-float64(a), v-float64(b)
		c[b*nx+a] += wi * (1 - fu) * (1 - fv)
		c[b*nx+a+1] += wi * fu * (1 - fv)
		c[(b+1)*nx+a] += wi * (1 - fu) * fv
		c[(b+1)*nx+a+1] += wi * fu * fv
	}
	conv := func(in []float64, stride, count, length int, step, bw float64) []float64 {
		reach := int(math.Ceil(5 * bw / step))
		kern := make([]float64, reach+1)
		for k := range kern {
			d := float64(k) * step / bw
			kern[k] = math.Exp(-0.5*d*d) / (bw * math.Sqrt(2*math.Pi))
		}
		out := make([]float64, len(in))
		for line := range count {
			for j := range length {
				cj := in[lineIndex(line, j, stride, nx)]
				if cj == 0 {
					continue
				}
				for k := max(0, j-reach); k <= min(length-1, j+reach); k++ {
					out[lineIndex(line, k, stride, nx)] += cj * kern[abs(k-j)]
				}
			}
		}
		return out
	}
	// Along x (lines are rows j, stride 1), then along y (lines are columns).
	c = conv(c, 1, ny, nx, sx, bwx)
	c = conv(c, nx, nx, ny, sy, bwy)
	for i := range c {
		c[i] /= tot
	}
	s := &Surface{X: make([]float64, nx), Y: make([]float64, ny), Z: c}
	for i := range s.X {
		s.X[i] = x0 + float64(i)*sx
	}
	for j := range s.Y {
		s.Y[j] = y0 + float64(j)*sy
	}
	return s, nil
}

// lineIndex is the flat index of element k of line `line`: rows when
// stride is 1, columns when stride is nx.
func lineIndex(line, k, stride, nx int) int {
	if stride == 1 {
		return line*nx + k
	}
	return k*nx + line
}
