package reweight

import (
	"errors"
	"fmt"
	"math"
	"sort"
)

// weighted is a 1-D sample sorted by position with normalised weights.
type weighted struct{ x, w []float64 }

func sortWeighted(x, w []float64) (weighted, error) {
	if len(x) == 0 {
		return weighted{}, errors.New("reweight: no samples")
	}
	if w != nil && len(w) != len(x) {
		return weighted{}, fmt.Errorf("reweight: %d samples but %d weights", len(x), len(w))
	}
	idx := make([]int, len(x))
	for i := range idx {
		idx[i] = i
		if math.IsNaN(x[i]) || math.IsInf(x[i], 0) {
			return weighted{}, fmt.Errorf("reweight: sample %d is %v", i, x[i])
		}
	}
	sort.Slice(idx, func(a, b int) bool { return x[idx[a]] < x[idx[b]] })
	s := weighted{x: make([]float64, len(x)), w: make([]float64, len(x))}
	tot := 0.0
	for k, i := range idx {
		s.x[k] = x[i]
		s.w[k] = 1
		if w != nil {
			s.w[k] = w[i]
		}
		if s.w[k] < 0 || math.IsNaN(s.w[k]) {
			return weighted{}, fmt.Errorf("reweight: weight %d is %v", i, s.w[k])
		}
		tot += s.w[k]
	}
	if !(tot > 0) {
		return weighted{}, errors.New("reweight: the weights sum to zero")
	}
	for k := range s.w {
		s.w[k] /= tot
	}
	return s, nil
}

// W1CDF is the Wasserstein-1 distance ∫|F_w(x) − F(x)| dx between the
// weighted sample (x, w) (nil w: equal weights) and a continuous CDF F
// whose mass lies in [lo, hi]. F_w is constant between samples and F is
// smooth, so the integral is taken by Simpson's rule on every interval
// between consecutive samples and points of a fine grid over [lo, hi].
func W1CDF(x, w []float64, cdf func(float64) float64, lo, hi float64) (float64, error) {
	s, err := sortWeighted(x, w)
	if err != nil {
		return 0, err
	}
	const grid = 4096
	pts := make([]float64, 0, len(s.x)+grid+1)
	pts = append(pts, s.x...)
	for i := range grid + 1 {
		pts = append(pts, lo+(hi-lo)*float64(i)/grid)
	}
	sort.Float64s(pts)
	total := 0.0
	k, fw := 0, 0.0 // samples at or left of the current point, their weight
	fa := cdf(pts[0])
	for i := 0; i+1 < len(pts); i++ {
		a, b := pts[i], pts[i+1]
		for k < len(s.x) && s.x[k] <= a {
			fw += s.w[k]
			k++
		}
		if b == a {
			continue
		}
		fm, fb := cdf((a+b)/2), cdf(b)
		total += (b - a) / 6 * (math.Abs(fw-fa) + 4*math.Abs(fw-fm) + math.Abs(fw-fb))
		fa = fb
	}
	return total, nil
}

// KSCDF is sup |F_w(x) − F(x)| for the weighted sample (x, w) (nil w:
// equal weights) against a continuous CDF F.
func KSCDF(x, w []float64, cdf func(float64) float64) (float64, error) {
	s, err := sortWeighted(x, w)
	if err != nil {
		return 0, err
	}
	d, fw := 0.0, 0.0
	for k, v := range s.x {
		f := cdf(v)
		d = math.Max(d, math.Abs(fw-f)) // just left of the jump
		fw += s.w[k]
		d = math.Max(d, math.Abs(fw-f))
	}
	return d, nil
}
