// Package reweight turns samples of a model density p_θ into estimates
// under a Boltzmann density exp(−βV)/Z by importance weights
// w ∝ exp(−βV(x))/p_θ(x), as Boltzmann generators do (Noé et al., Science
// 2019): normalised weights, the Kish effective sample size, weighted well
// shares with bootstrap errors, weighted distances to a known CDF, and
// free energies F = −β⁻¹ ln p along a coordinate or over a plane.
package reweight

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
)

// Weights are importance weights for a set of samples.
type Weights struct {
	// LogW is log w_i = −βV(x_i) − log p_θ(x_i), unnormalised.
	LogW []float64
	// W holds the normalised weights (Σ W = 1).
	W []float64
}

// New computes log w_i = −β·energy_i − logP_i and the normalised weights.
// Points whose energy is +Inf get weight 0; any NaN, or −Inf, is an error.
func New(logP, energy []float64, beta float64) (*Weights, error) {
	if len(logP) != len(energy) {
		return nil, fmt.Errorf("reweight: %d log-densities but %d energies", len(logP), len(energy))
	}
	if len(logP) == 0 {
		return nil, errors.New("reweight: no samples")
	}
	if !(beta > 0) || math.IsInf(beta, 0) {
		return nil, fmt.Errorf("reweight: inverse temperature must be positive and finite, got %v", beta)
	}
	lw := make([]float64, len(logP))
	for i := range lw {
		if math.IsNaN(energy[i]) || math.IsInf(energy[i], -1) {
			return nil, fmt.Errorf("reweight: energy of sample %d is %v", i, energy[i])
		}
		if math.IsNaN(logP[i]) || math.IsInf(logP[i], 0) {
			return nil, fmt.Errorf("reweight: model log-density of sample %d is %v", i, logP[i])
		}
		lw[i] = -beta*energy[i] - logP[i]
	}
	w, err := Normalize(lw)
	if err != nil {
		return nil, err
	}
	return &Weights{LogW: lw, W: w}, nil
}

// Normalize returns exp(lw_i − max) / Σ exp(lw_j − max).
func Normalize(lw []float64) ([]float64, error) {
	top := math.Inf(-1)
	for _, v := range lw {
		top = math.Max(top, v)
	}
	if math.IsInf(top, -1) {
		return nil, errors.New("reweight: every weight is zero (infinite energy at every sample)")
	}
	w := make([]float64, len(lw))
	s := 0.0
	for i, v := range lw {
		w[i] = math.Exp(v - top)
		s += w[i]
	}
	for i := range w {
		w[i] /= s
	}
	return w, nil
}

// KishESS is the effective sample size (Σw)²/Σw² (Kish 1965): n for equal
// weights, 1 when one weight carries everything.
func KishESS(w []float64) float64 {
	var s, s2 float64
	for _, v := range w {
		s += v
		s2 += v * v
	}
	if s2 == 0 {
		return 0
	}
	return s * s / s2
}

// MaxWeight is the largest of the weights divided by their sum.
func MaxWeight(w []float64) float64 {
	var s, m float64
	for _, v := range w {
		s += v
		m = math.Max(m, v)
	}
	return m / s
}

// Shares is the weighted mass of each interval between increasing split
// points of 1-D samples x: len(splits)+1 values summing to 1 (w need not be
// normalised; nil w means equal weights).
func Shares(x, w, splits []float64) []float64 {
	sh := make([]float64, len(splits)+1)
	tot := 0.0
	for i, v := range x {
		wi := 1.0
		if w != nil {
			wi = w[i]
		}
		// A point on a split belongs to the interval on its right.
		sh[sort.Search(len(splits), func(k int) bool { return splits[k] > v })] += wi
		tot += wi
	}
	for k := range sh {
		sh[k] /= tot
	}
	return sh
}

// Bootstrap resamples the n samples with replacement b times (the weights
// travel with their samples and are renormalised each time) and returns
// the mean and standard deviation over the replicates of each component of
// stat, which maps (indices of a resample) to a vector of fixed length.
func Bootstrap(n, b int, rng *rand.Rand, stat func(idx []int) []float64) (mean, sd []float64) {
	idx := make([]int, n)
	var reps [][]float64
	for range b {
		for i := range idx {
			idx[i] = rng.IntN(n)
		}
		reps = append(reps, stat(idx))
	}
	return meanSD(reps)
}

func meanSD(reps [][]float64) (mean, sd []float64) {
	if len(reps) == 0 {
		return nil, nil
	}
	k := len(reps[0])
	mean, sd = make([]float64, k), make([]float64, k)
	cnt := make([]float64, k)
	for _, r := range reps {
		for j, v := range r {
			if !math.IsNaN(v) && !math.IsInf(v, 0) {
				mean[j] += v
				cnt[j]++
			}
		}
	}
	for j := range mean {
		mean[j] /= cnt[j]
	}
	for _, r := range reps {
		for j, v := range r {
			if !math.IsNaN(v) && !math.IsInf(v, 0) {
				sd[j] += (v - mean[j]) * (v - mean[j])
			}
		}
	}
	for j := range sd {
		if cnt[j] > 1 {
			sd[j] = math.Sqrt(sd[j] / (cnt[j] - 1))
		} else {
			sd[j] = math.NaN()
		}
	}
	return mean, sd
}

// SharesBootstrap is Shares with bootstrap standard errors over b resamples.
func SharesBootstrap(x, w, splits []float64, b int, rng *rand.Rand) (shares, se []float64) {
	shares = Shares(x, w, splits)
	xs, ws := make([]float64, len(x)), make([]float64, len(x))
	_, se = Bootstrap(len(x), b, rng, func(idx []int) []float64 {
		for i, j := range idx {
			xs[i] = x[j]
			ws[i] = 1
			if w != nil {
				ws[i] = w[j]
			}
		}
		return Shares(xs, ws, splits)
	})
	return shares, se
}

// DeltaF is the free energy of each basin relative to basin ref,
// ΔF_k = −β⁻¹ ln(P_k/P_ref), from the basins' probabilities; +Inf for an
// empty basin.
func DeltaF(shares []float64, ref int, beta float64) []float64 {
	out := make([]float64, len(shares))
	for k, p := range shares {
		out[k] = math.Log(shares[ref]/p) / beta
	}
	return out
}

// LabelShares is the weighted mass of each of k basins given each
// sample's basin label (0…k−1, or −1 for none), as a fraction of the total
// weight, unlabelled samples included. nil w means equal weights.
func LabelShares(labels []int, w []float64, k int) []float64 {
	sh := make([]float64, k)
	tot := 0.0
	for i, l := range labels {
		wi := weightAt(w, i)
		tot += wi
		if l >= 0 && l < k {
			sh[l] += wi
		}
	}
	for j := range sh {
		sh[j] /= tot
	}
	return sh
}
