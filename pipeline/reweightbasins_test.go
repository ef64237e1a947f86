package pipeline

import (
	"math"
	"math/rand/v2"
	"testing"
)

// basins reports shares and ΔF_k = β⁻¹ ln(p_ref/p_k) for the data, the raw
// model samples, the weighted samples and the exact target, relative to the
// most populated weighted basin; recomputed here by hand from the labels.
func TestReweightBasinsDeltaF(t *testing.T) {
	const beta = 2.0
	dataLab := []int{0, 0, 1, 2, 2, 2}
	lab := []int{0, 1, 1, 2, 0, 1, 2, 1}
	w := []float64{4, 1, 0.5, 2, 3, 1, 0.5, 1}
	exactShares := []float64{0.5, 0.3, 0.2}
	var r Reweighting
	r.basins(dataLab, lab, w, exactShares, beta, 50, rand.New(rand.NewPCG(1, 2)))
	share := func(l []int, w []float64) []float64 {
		sh := make([]float64, 3)
		tot := 0.0
		for i, k := range l {
			wi := 1.0
			if w != nil {
				wi = w[i]
			}
			sh[k] += wi
			tot += wi
		}
		for k := range sh {
			sh[k] /= tot
		}
		return sh
	}
	weighted := share(lab, w) // 7/13, 3.5/13, 2.5/13: basin 0 is the reference
	if r.Reference != 0 {
		t.Fatalf("reference basin %d, want 0 (weighted shares %v)", r.Reference, weighted)
	}
	for _, c := range []struct {
		name   string
		shares []float64
		sh, df []float64
	}{
		{"data", share(dataLab, nil), r.SharesData, r.DeltaFData},
		{"model", share(lab, nil), r.SharesModel, r.DeltaFModel},
		{"weighted", weighted, r.SharesWeighted, r.DeltaF},
		{"exact", exactShares, r.SharesExact, r.DeltaFExact},
	} {
		for k := range 3 {
			want := math.Log(c.shares[0]/c.shares[k]) / beta
			if math.Abs(c.sh[k]-c.shares[k]) > 1e-12 || math.Abs(c.df[k]-want) > 1e-12 {
				t.Errorf("%s basin %d: share %v ΔF %v, want %v and %v", c.name, k, c.sh[k], c.df[k], c.shares[k], want)
			}
		}
	}
	md := 0.0
	for k := range 3 {
		md = math.Max(md, math.Abs(weighted[k]-exactShares[k]))
	}
	if r.MaxShareDiff == nil || math.Abs(*r.MaxShareDiff-md) > 1e-12 {
		t.Errorf("max share difference %v, want %v", r.MaxShareDiff, md)
	}
	if len(r.SharesWeightedE) != 3 || len(r.DeltaFE) != 3 {
		t.Errorf("bootstrap errors %v %v, want 3 each", r.SharesWeightedE, r.DeltaFE)
	}
}
