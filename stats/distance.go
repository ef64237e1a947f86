package stats

import (
	"fmt"
	"math"
	"slices"
)

// Wasserstein1 returns the exact 1-Wasserstein (earth mover's) distance
// between the empirical distributions of two 1-D samples, ∫|F_a − F_b| dx,
// where F_a and F_b are their empirical CDFs. The samples may differ in
// size. It sorts copies, so it costs O((n+m) log(n+m)).
func Wasserstein1(a, b []float64) (float64, error) {
	if err := checkSample("first sample", a, 1); err != nil {
		return 0, err
	}
	if err := checkSample("second sample", b, 1); err != nil {
		return 0, err
	}
	as, bs := sortedCopy(a), sortedCopy(b)
	var w float64
	walkCDFs(as, bs, func(x, next, fa, fb float64) {
		w += math.Abs(fa-fb) * (next - x)
	})
	return w, nil
}

// KolmogorovSmirnov returns the two-sample Kolmogorov–Smirnov statistic
// sup_x |F_a(x) − F_b(x)| of the empirical CDFs of a and b.
func KolmogorovSmirnov(a, b []float64) (float64, error) {
	if err := checkSample("first sample", a, 1); err != nil {
		return 0, err
	}
	if err := checkSample("second sample", b, 1); err != nil {
		return 0, err
	}
	var d float64
	walkCDFs(sortedCopy(a), sortedCopy(b), func(_, _, fa, fb float64) {
		d = math.Max(d, math.Abs(fa-fb))
	})
	return d, nil
}

// KolmogorovSmirnovCDF returns the one-sample Kolmogorov–Smirnov statistic
// sup_x |F_n(x) − cdf(x)| between the empirical CDF of x and a continuous
// CDF. cdf must return values in [0, 1].
func KolmogorovSmirnovCDF(x []float64, cdf func(float64) float64) (float64, error) {
	if err := checkSample("sample", x, 1); err != nil {
		return 0, err
	}
	if cdf == nil {
		return 0, fmt.Errorf("stats: nil CDF function")
	}
	xs := sortedCopy(x)
	n := float64(len(xs))
	var d float64
	for i, v := range xs {
		f := cdf(v)
		if !(f >= 0 && f <= 1) {
			return 0, fmt.Errorf("stats: CDF(%v) = %v, want a value in [0, 1]", v, f)
		}
		// The empirical CDF jumps from i/n to (i+1)/n at v; the supremum
		// is attained at one side of a jump.
		d = math.Max(d, math.Max(float64(i+1)/n-f, f-float64(i)/n))
	}
	return d, nil
}

// walkCDFs visits the pieces on which the empirical CDFs of the sorted
// samples a and b are both constant: for each distinct value x of the merged
// samples, fn gets x, the next distinct value (x itself for the last one),
// and the CDFs on [x, next).
func walkCDFs(a, b []float64, fn func(x, next, fa, fb float64)) {
	i, j := 0, 0
	na, nb := float64(len(a)), float64(len(b))
	for i < len(a) || j < len(b) {
		x := math.Inf(1)
		if i < len(a) {
			x = a[i]
		}
		if j < len(b) && b[j] < x {
			x = b[j]
		}
		for i < len(a) && a[i] == x {
			i++
		}
		for j < len(b) && b[j] == x {
			j++
		}
		next := x
		switch {
		case i < len(a) && j < len(b):
			next = math.Min(a[i], b[j])
		case i < len(a):
			next = a[i]
		case j < len(b):
			next = b[j]
		}
		fn(x, next, float64(i)/na, float64(j)/nb)
	}
}

func sortedCopy(x []float64) []float64 {
	s := slices.Clone(x)
	slices.Sort(s)
	return s
}
