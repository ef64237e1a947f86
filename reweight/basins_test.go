package reweight

import (
	"math"
	"math/rand/v2"
	"testing"
)

// Basins against shares and ΔF worked out by hand: three samples in
// basin 0 and one in basin 1, weighted 0.1 each in basin 0 and 0.7 in
// basin 1.
func TestBasinsByHand(t *testing.T) {
	data := []int{0, 0, 1, 1, 1}
	lab := []int{0, 0, 0, 1}
	w := []float64{0.1, 0.1, 0.1, 0.7}
	exact := []float64{0.25, 0.75}
	const beta = 2.0
	b := Basins(data, lab, w, exact, beta, 100, rand.New(rand.NewPCG(1, 1)))
	near := func(got, want float64) bool { return math.Abs(got-want) < 1e-12 }
	checks := []struct {
		name      string
		got, want []float64
	}{
		{"data", b.Data, []float64{0.4, 0.6}},
		{"model", b.Model, []float64{0.75, 0.25}},
		{"weighted", b.Weighted, []float64{0.3, 0.7}},
		// Reference: basin 1, the larger weighted share.
		{"ΔF weighted", b.DeltaF, []float64{-math.Log(0.3/0.7) / beta, 0}},
		{"ΔF exact", b.DeltaFExact, []float64{-math.Log(0.25/0.75) / beta, 0}},
		{"ΔF data", b.DeltaFData, []float64{-math.Log(0.4/0.6) / beta, 0}},
		{"ΔF model", b.DeltaFModel, []float64{-math.Log(0.75/0.25) / beta, 0}},
	}
	for _, c := range checks {
		for j := range c.want {
			if !near(c.got[j], c.want[j]) {
				t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
				break
			}
		}
	}
	if b.Reference != 1 || !near(b.MaxDiff, 0.05) {
		t.Errorf("reference %d, largest difference %v; want 1 and 0.05", b.Reference, b.MaxDiff)
	}
	// Resampling four points moves the weighted shares: errors are
	// positive, the same for both shares (they sum to 1), and zero for
	// the reference's own ΔF.
	if !(b.WeightedSE[0] > 0) || !near(b.WeightedSE[0], b.WeightedSE[1]) || b.DeltaFSE[1] != 0 {
		t.Errorf("bootstrap errors %v (shares), %v (ΔF)", b.WeightedSE, b.DeltaFSE)
	}
}

func TestInterpolate(t *testing.T) {
	xs, ys := []float64{0, 1, 3}, []float64{2, 4, 0}
	got := Interpolate(xs, ys, []float64{-1, 0, 0.5, 1, 2, 3, 4})
	want := []float64{0, 2, 3, 4, 2, 0, 0}
	for i := range want {
		if math.Abs(got[i]-want[i]) > 1e-12 {
			t.Fatalf("Interpolate = %v, want %v", got, want)
		}
	}
}
