package stats

import (
	"fmt"
	"math"
	"slices"
	"sort"

	"gonum.org/v1/gonum/stat"
)

// Grid2D holds values on a rectangular grid: Z[j*len(X)+i] is the value at
// (X[i], Y[j]), so rows run along X, as an image with Y upward.
type Grid2D struct {
	X, Y, Z []float64
}

// At returns the value at (X[i], Y[j]).
func (g *Grid2D) At(i, j int) float64 { return g.Z[j*len(g.X)+i] }

// KDE2DOptions controls KDE2D. The zero value gives seaborn's bivariate
// kdeplot grid on a 100×100 grid.
type KDE2DOptions struct {
	// BwAdjust multiplies Scott's factor. Zero means 1.
	BwAdjust float64
	// GridSize is the number of grid points along each axis. Zero means 100.
	GridSize int
	// Cut extends the grid along each axis this many bandwidths (the square
	// root of that axis' kernel variance) beyond the data. Zero means 3; a
	// negative value means no extension.
	Cut float64
	// XRange and YRange, when lo < hi, replace the automatic grid limits
	// along that axis, e.g. to put two estimates on one grid.
	XRange, YRange [2]float64
}

// KDE2D returns the Gaussian kernel density estimate of a sample of 2-D
// points (flat, row-major) on a grid, with scipy.stats.gaussian_kde's
// kernel: covariance = sample covariance (n−1 denominator) × (BwAdjust ×
// n^(−1/6))², Scott's rule in two dimensions.
//
// Kernels more than 9 kernel standard deviations (Mahalanobis distance)
// from a grid point are skipped, as in KDE. Along each grid row kernel values
// follow by a multiplicative recurrence, so the cost is about n·GridSize
// exponentials plus n·GridSize² multiplications at worst, split across
// GOMAXPROCS goroutines.
func KDE2D(x []float64, o KDE2DOptions) (*Grid2D, error) {
	n, err := checkPoints("sample", x, 2)
	if err != nil {
		return nil, err
	}
	if n < 3 {
		return nil, fmt.Errorf("stats: 2-D KDE of %d points, want at least 3", n)
	}
	switch {
	case math.IsNaN(o.BwAdjust) || math.IsInf(o.BwAdjust, 0) || o.BwAdjust < 0:
		return nil, fmt.Errorf("stats: KDE bandwidth adjustment %v, want a positive finite number (0 for the default 1)", o.BwAdjust)
	case o.BwAdjust == 0:
		o.BwAdjust = 1
	}
	switch {
	case o.GridSize == 0:
		o.GridSize = 100
	case o.GridSize < 2:
		return nil, fmt.Errorf("stats: KDE grid size %d, want at least 2 (0 for the default 100)", o.GridSize)
	}
	switch {
	case !isFinite(o.Cut):
		return nil, fmt.Errorf("stats: KDE cut %v, want a finite number", o.Cut)
	case o.Cut == 0:
		o.Cut = 3
	case o.Cut < 0:
		o.Cut = 0
	}
	xs, ys := column(x, 2, 0), column(x, 2, 1)
	f := o.BwAdjust * math.Pow(float64(n), -1.0/6)
	cov := [3]float64{ // xx, xy, yy
		stat.Covariance(xs, xs, nil) * f * f,
		stat.Covariance(xs, ys, nil) * f * f,
		stat.Covariance(ys, ys, nil) * f * f,
	}
	g := &Grid2D{}
	for axis, r := range [2][2]float64{o.XRange, o.YRange} {
		c, v := xs, cov[0]
		if axis == 1 {
			c, v = ys, cov[2]
		}
		lo, hi := slices.Min(c)-o.Cut*math.Sqrt(v), slices.Max(c)+o.Cut*math.Sqrt(v)
		if r != [2]float64{} {
			if !isFinite(r[0]) || !isFinite(r[1]) || !(r[0] < r[1]) {
				return nil, fmt.Errorf("stats: 2-D KDE range %v for axis %d, want finite lo < hi", r, axis)
			}
			lo, hi = r[0], r[1]
		}
		if axis == 0 {
			g.X = Linspace(lo, hi, o.GridSize)
		} else {
			g.Y = Linspace(lo, hi, o.GridSize)
		}
	}
	det, err := checkKernelCov(cov)
	if err != nil {
		return nil, err
	}
	// Row by row the Mahalanobis form is a 1-D quadratic in x:
	// q = Pxx·(x − c)² + dy²/var_y with c = x₀ − Pxy·dy/Pxx, where P = Σ⁻¹.
	pxx, pxy := cov[2]/det, -cov[1]/det
	norm := 1 / (float64(n) * 2 * math.Pi * math.Sqrt(det))
	nx, ny := len(g.X), len(g.Y)
	xlo, ylo := g.X[0], g.Y[0]
	dx, dy := (g.X[nx-1]-xlo)/float64(nx-1), (g.Y[ny-1]-ylo)/float64(ny-1)
	const q2 = kernelCutoff * kernelCutoff
	ry := kernelCutoff * math.Sqrt(cov[2])
	g.Z = sumOverData(n, nx*ny, func(i int, out []float64) {
		x0, y0 := x[2*i], x[2*i+1]
		jmin := max(int(math.Ceil((y0-ry-ylo)/dy)), 0)
		jmax := min(int(math.Floor((y0+ry-ylo)/dy)), ny-1)
		for j := jmin; j <= jmax; j++ {
			v := ylo + float64(j)*dy - y0
			t := v * v / cov[2]
			if t > q2 {
				continue
			}
			c := x0 - pxy*v/pxx
			addGaussian(out[j*nx:(j+1)*nx], xlo, dx, c, pxx/2, norm*math.Exp(-t/2), math.Sqrt((q2-t)/pxx))
		}
	})
	return g, nil
}

// checkKernelCov returns the determinant of a 2×2 kernel covariance
// {var_x, cov_xy, var_y}, or an error if it is not positive definite.
func checkKernelCov(cov [3]float64) (float64, error) {
	det := cov[0]*cov[2] - cov[1]*cov[1]
	if !isFinite(det) || !(cov[0] > 0) || !(det > 0) {
		return 0, fmt.Errorf("stats: kernel covariance %v is not positive definite; the points may lie on a line", cov)
	}
	return det, nil
}

// KDE2DAt evaluates at the 2-D points at (flat, row-major) the Gaussian
// kernel density estimate of the 2-D points x with kernel covariance
// cov = {var_x, cov_xy, var_y}:
//
//	p(a) = 1/(n·2π·√det Σ) Σᵢ exp(−½ (a−xᵢ)ᵀ Σ⁻¹ (a−xᵢ)).
func KDE2DAt(x, at []float64, cov [3]float64) ([]float64, error) {
	n, err := checkPoints("sample", x, 2)
	if err != nil {
		return nil, err
	}
	if len(at)%2 != 0 {
		return nil, fmt.Errorf("stats: %d evaluation coordinates do not split into 2-D points", len(at))
	}
	if err := checkSample("evaluation points", at, 0); err != nil {
		return nil, err
	}
	det, err := checkKernelCov(cov)
	if err != nil {
		return nil, err
	}
	// Whiten with the Cholesky factor Σ = LLᵀ: u = L⁻¹x makes the kernel
	// isotropic, so the Mahalanobis form is a squared distance and data can
	// be sorted along u₁ for a cutoff window.
	l11 := math.Sqrt(cov[0])
	l21 := cov[1] / l11
	l22 := math.Sqrt(cov[2] - l21*l21)
	whiten := func(p0, p1 float64) (float64, float64) {
		u1 := p0 / l11
		return u1, (p1 - l21*u1) / l22
	}
	type pt struct{ u1, u2 float64 }
	pts := make([]pt, n)
	for i := range pts {
		pts[i].u1, pts[i].u2 = whiten(x[2*i], x[2*i+1])
	}
	slices.SortFunc(pts, func(p, q pt) int {
		switch {
		case p.u1 < q.u1:
			return -1
		case p.u1 > q.u1:
			return 1
		}
		return 0
	})
	norm := 1 / (float64(n) * 2 * math.Pi * math.Sqrt(det))
	m := len(at) / 2
	out := make([]float64, m)
	parallelFor(m, m*n, func(lo, hi int) {
		for k := lo; k < hi; k++ {
			a1, a2 := whiten(at[2*k], at[2*k+1])
			i := sort.Search(n, func(i int) bool { return pts[i].u1 >= a1-kernelCutoff })
			var s float64
			for ; i < n && pts[i].u1 <= a1+kernelCutoff; i++ {
				d1, d2 := a1-pts[i].u1, a2-pts[i].u2
				q := d1*d1 + d2*d2
				if q <= kernelCutoff*kernelCutoff {
					s += math.Exp(-0.5 * q)
				}
			}
			out[k] = s * norm
		}
	})
	return out, nil
}
