package stats

import "math"

// FreeEnergyKDE is the free-energy profile F(a) = −ln p̂(a)/β of the sample
// x at the points at, where p̂ is its Gaussian KDE with 0.3 times Scott's
// bandwidth (narrow enough to keep the barriers between wells). F is NaN
// where p̂ ≤ 1e-3: there the estimate is noise, and F would be +∞.
func FreeEnergyKDE(x, at []float64, beta float64) ([]float64, error) {
	bw, err := ScottBandwidth(x)
	if err != nil {
		return nil, err
	}
	p, err := KDEAt(x, at, 0.3*bw)
	if err != nil {
		return nil, err
	}
	f := make([]float64, len(p))
	for i, v := range p {
		f[i] = math.NaN()
		if v > 1e-3 {
			f[i] = -math.Log(v) / beta
		}
	}
	return f, nil
}

// ECDF returns the sample's empirical CDF as steps: the sorted values and,
// at the i-th of them (from 0), the fraction (i+1)/n of the sample at or
// below it.
func ECDF(x []float64) (xs, f []float64) {
	xs = sortedCopy(x)
	f = make([]float64, len(xs))
	for i := range f {
		f[i] = float64(i+1) / float64(len(xs))
	}
	return xs, f
}
