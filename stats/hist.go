package stats

import (
	"fmt"
	"sort"
)

// Histogram returns the density-normalised histogram of x on bins equal bins
// spanning [lo, hi]: bin i covers [lo+i·w, lo+(i+1)·w) with w = (hi−lo)/bins,
// the last bin also holds hi. As numpy's histogram with density=True, values
// outside [lo, hi] are ignored and the heights integrate to 1 over [lo, hi].
func Histogram(x []float64, lo, hi float64, bins int) ([]float64, error) {
	if err := checkSample("sample", x, 1); err != nil {
		return nil, err
	}
	if !isFinite(lo) || !isFinite(hi) || !(lo < hi) {
		return nil, fmt.Errorf("stats: histogram range [%v, %v], want finite lo < hi", lo, hi)
	}
	if bins < 1 {
		return nil, fmt.Errorf("stats: histogram with %d bins, want at least 1", bins)
	}
	w := (hi - lo) / float64(bins)
	h := make([]float64, bins)
	var in int
	for _, v := range x {
		if v < lo || v > hi {
			continue
		}
		i := int((v - lo) / w)
		if i >= bins {
			i = bins - 1
		}
		h[i]++
		in++
	}
	if in == 0 {
		return nil, fmt.Errorf("stats: no value of the %d-point sample lies in the histogram range [%v, %v]", len(x), lo, hi)
	}
	for i := range h {
		h[i] /= float64(in) * w
	}
	return h, nil
}

// MassShares returns the fraction of x in each of the len(splits)+1
// intervals (−∞, s₀), [s₀, s₁), …, [s_last, ∞) cut at the increasing split
// points. With splits −0.5, 0, 0.5 it gives the occupation of the four wells
// of the notebook's potential.
func MassShares(x []float64, splits []float64) ([]float64, error) {
	if err := checkSample("sample", x, 1); err != nil {
		return nil, err
	}
	if err := checkSample("split points", splits, 0); err != nil {
		return nil, err
	}
	for i := 1; i < len(splits); i++ {
		if !(splits[i] > splits[i-1]) {
			return nil, fmt.Errorf("stats: split points %v are not strictly increasing", splits)
		}
	}
	shares := make([]float64, len(splits)+1)
	for _, v := range x {
		// Number of split points ≤ v is the interval index.
		k := sort.Search(len(splits), func(i int) bool { return splits[i] > v })
		shares[k]++
	}
	for i := range shares {
		shares[i] /= float64(len(x))
	}
	return shares, nil
}
