package reweight

import (
	"math"
	"math/rand/v2"
	"sort"
)

// BasinEstimates are the basin shares and free-energy differences of the
// data, the model's samples, the reweighted samples and the exact target,
// with bootstrap errors for the reweighted ones.
type BasinEstimates struct {
	Exact, Data, Model, Weighted []float64 // shares
	WeightedSE                   []float64 // bootstrap standard errors of Weighted
	MaxDiff                      float64   // largest |Weighted − Exact|
	// Reference is the basin ΔF is measured from: the most populated one
	// of the reweighted estimate.
	Reference                            int
	DeltaFExact, DeltaFData, DeltaFModel []float64
	DeltaF, DeltaFSE                     []float64 // reweighted, with bootstrap errors
}

// Basins estimates basin shares and ΔF = −β⁻¹ ln(p_j/p_ref) from the basin
// labels of the data and of the samples (0..k−1, k = len(exact)), the
// samples' normalised weights w, and the exact shares; nb bootstrap
// resamples of the samples give the errors.
func Basins(dataLabels, labels []int, w, exact []float64, beta float64, nb int, rng *rand.Rand) *BasinEstimates {
	k := len(exact)
	b := &BasinEstimates{
		Exact:    exact,
		Data:     LabelShares(dataLabels, nil, k),
		Model:    LabelShares(labels, nil, k),
		Weighted: LabelShares(labels, w, k),
	}
	for j := range exact {
		b.MaxDiff = math.Max(b.MaxDiff, math.Abs(b.Weighted[j]-exact[j]))
	}
	for j, p := range b.Weighted {
		if p > b.Weighted[b.Reference] {
			b.Reference = j
		}
	}
	ref := b.Reference
	b.DeltaFData = DeltaF(b.Data, ref, beta)
	b.DeltaFModel = DeltaF(b.Model, ref, beta)
	b.DeltaF = DeltaF(b.Weighted, ref, beta)
	b.DeltaFExact = DeltaF(exact, ref, beta)
	ls, ws := make([]int, len(labels)), make([]float64, len(labels))
	_, sd := Bootstrap(len(labels), nb, rng, func(idx []int) []float64 {
		for i, j := range idx {
			ls[i], ws[i] = labels[j], w[j]
		}
		sh := LabelShares(ls, ws, k)
		return append(sh, DeltaF(sh, ref, beta)...)
	})
	b.WeightedSE, b.DeltaFSE = sd[:k], sd[k:]
	return b
}

// Interpolate evaluates the piecewise-linear function through (xs, ys),
// xs increasing, at each of at; 0 outside [xs[0], xs[last]] (a density
// outside its support).
func Interpolate(xs, ys, at []float64) []float64 {
	out := make([]float64, len(at))
	for i, v := range at {
		j := sort.SearchFloat64s(xs, v)
		switch {
		case j == 0 && v == xs[0]:
			out[i] = ys[0]
		case j == 0 || j == len(xs):
			out[i] = 0
		default:
			f := (v - xs[j-1]) / (xs[j] - xs[j-1])
			out[i] = ys[j-1] + f*(ys[j]-ys[j-1])
		}
	}
	return out
}
