package exact

import (
	"errors"
	"fmt"
	"math"
	"slices"
)

// sortedSamples checks samples and returns a sorted copy.
func sortedSamples(samples []float64) ([]float64, error) {
	if len(samples) == 0 {
		return nil, errors.New("exact: no samples")
	}
	for i, x := range samples {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, fmt.Errorf("exact: sample %d is %v; remove non-finite samples first", i, x)
		}
	}
	xs := slices.Clone(samples)
	slices.Sort(xs)
	return xs, nil
}

// W1 returns the 1-Wasserstein distance ∫|F_n(x) − F(x)| dx between the
// empirical CDF F_n of samples and the Gibbs CDF F. It is computed exactly up
// to quadrature error: between the samples and the Gibbs quantiles F⁻¹(i/n)
// the integrand has one sign, so each piece is |c·(b−a) − ∫_a^b F|, with
// ∫F from the partial first moment. Samples may lie outside the support.
//
// For exact samples its expected value is about
// sqrt(2/π)·∫ sqrt(F(1−F)/n) dx (see ExpectedW1).
func W1(g *Gibbs, samples []float64) (float64, error) {
	xs, err := sortedSamples(samples)
	if err != nil {
		return 0, err
	}
	n := len(xs)
	// A crossing point misplaced by δ changes the integral by O(p·δ²), so
	// the tabulated inverse (δ < 1e−9) is as good as Quantile and cheaper.
	qs := make([]float64, n-1)
	for i := range qs {
		qs[i] = g.invertTable(float64(i+1) / float64(n))
	}
	// Merge samples and quantiles; F_n on (b[j], b[j+1]) is the number of
	// samples at or left of b[j], over n.
	type point struct {
		x      float64
		sample bool
	}
	pts := make([]point, 0, 2*n-1)
	i, j := 0, 0
	for i < n || j < len(qs) {
		if j == len(qs) || (i < n && xs[i] <= qs[j]) {
			pts = append(pts, point{xs[i], true})
			i++
		} else {
			pts = append(pts, point{qs[j], false})
			j++
		}
	}
	H := make([]float64, len(pts))
	for k, p := range pts {
		H[k] = g.intCDF(p.x)
	}
	w := H[0] // left of everything F_n = 0
	count := 0
	for k := 0; k+1 < len(pts); k++ {
		if pts[k].sample {
			count++
		}
		c := float64(count) / float64(n)
		w += math.Abs(c*(pts[k+1].x-pts[k].x) - (H[k+1] - H[k]))
	}
	last := pts[len(pts)-1].x
	right := math.Max(g.hi, last)
	w += (right - last) - (g.intCDF(right) - H[len(H)-1])
	return w, nil
}

// ExpectedW1 returns sqrt(2/π)·∫ sqrt(F(1−F)/n) dx, the large-n expected
// W1 between n exact samples and the Gibbs density: by the central limit
// theorem F_n(x) − F(x) is close to N(0, F(1−F)/n), whose mean absolute
// value is sqrt(2/π) times its standard deviation. A model whose samples
// give a W1 near this level is indistinguishable from the truth at n.
func ExpectedW1(g *Gibbs, n int) float64 {
	if n < 1 {
		return math.NaN()
	}
	s := 0.0
	for k := range len(g.edges) - 1 {
		s += glPanel(func(x float64) float64 {
			F := g.CDF(x)
			return math.Sqrt(F * (1 - F))
		}, g.edges[k], g.edges[k+1])
	}
	return math.Sqrt(2/math.Pi) * s / math.Sqrt(float64(n))
}

// KS returns the Kolmogorov–Smirnov statistic sup_x |F_n(x) − F(x)| between
// the samples and the Gibbs CDF. For exact samples, sqrt(n)·KS exceeds 1.63
// with probability about 1%.
func KS(g *Gibbs, samples []float64) (float64, error) {
	xs, err := sortedSamples(samples)
	if err != nil {
		return 0, err
	}
	n := float64(len(xs))
	d := 0.0
	for i, x := range xs {
		F := g.CDF(x)
		d = math.Max(d, math.Max(float64(i+1)/n-F, F-float64(i)/n))
	}
	return d, nil
}

// KLHistogram returns the Kullback–Leibler divergence Σ_b P_b ln(P_b/Q_b)
// between the Gibbs distribution and a histogram of samples, both binned on
// `bins` equal bins of the Gibbs support [lo, hi]:
//
//   - P_b is the exact Gibbs mass of bin b (from the CDF);
//   - Q_b = max(c_b/n, floor), with c_b the samples in bin b and n the total
//     number of samples. Samples outside the support count in n but in no bin,
//     so mass a model puts where the truth has none raises the divergence.
//     The floor (e.g. 1e−6) keeps ln(P_b/Q_b) finite for empty bins; it caps
//     each empty bin's term at P_b·ln(P_b/floor).
//
// It measures the coarse-grained mismatch only: structure within a bin is
// invisible. For n exact samples it is not zero but about (B−1)/(2n), B the
// number of bins with n·P_b ≫ 1 (the χ² bias of a histogram).
func KLHistogram(g *Gibbs, samples []float64, bins int, floor float64) (float64, error) {
	if bins < 1 {
		return 0, fmt.Errorf("exact: number of bins must be at least 1, got %d", bins)
	}
	if !(floor > 0 && floor < 1) {
		return 0, fmt.Errorf("exact: histogram floor must be in (0, 1), e.g. 1e-6; got %v", floor)
	}
	if len(samples) == 0 {
		return 0, errors.New("exact: no samples")
	}
	counts := make([]int, bins)
	width := (g.hi - g.lo) / float64(bins)
	for i, x := range samples {
		if math.IsNaN(x) {
			return 0, fmt.Errorf("exact: sample %d is NaN; remove non-finite samples first", i)
		}
		if x < g.lo || x > g.hi {
			continue
		}
		counts[min(int((x-g.lo)/width), bins-1)]++
	}
	n := float64(len(samples))
	kl := 0.0
	prev := 0.0
	for b := range bins {
		next := 1.0
		if b < bins-1 {
			next = g.CDF(g.lo + float64(b+1)*width)
		}
		P := next - prev
		prev = next
		if P <= 0 {
			continue
		}
		Q := math.Max(float64(counts[b])/n, floor)
		kl += P * math.Log(P/Q)
	}
	return kl, nil
}
