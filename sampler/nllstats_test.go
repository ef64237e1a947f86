package sampler

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/stat"
)

// The standard error is gonum's unbiased standard deviation over √n.
func TestNLLStdErr(t *testing.T) {
	cases := [][]float64{{1, 2, 3, 4}, {0.5, 0.5, 0.7}, {-3, 10}}
	for _, p := range cases {
		r := &NLLResult{PerPoint: p}
		want := stat.StdDev(p, nil) / math.Sqrt(float64(len(p)))
		if got := r.StdErr(); math.Abs(got-want) > 1e-14 {
			t.Errorf("%v: standard error %v, want %v", p, got, want)
		}
	}
	if se := (&NLLResult{PerPoint: []float64{2}}).StdErr(); se != 0 {
		t.Errorf("one point: %v, want 0", se)
	}
}
