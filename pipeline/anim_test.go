package pipeline

import (
	"slices"
	"testing"
)

func TestEvenIndices(t *testing.T) {
	if got := evenIndices(500, 30); got[0] != 0 || got[29] != 500 || len(got) != 30 || !slices.IsSorted(got) {
		t.Errorf("evenIndices(500, 30) = %v", got)
	}
	if got := evenIndices(18, 19); !slices.Equal(got, []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18}) {
		t.Errorf("evenIndices(18, 19) = %v", got)
	}
}

// TestTween checks that a few-step sampler's states are filled up to the
// frame count by straight lines, keeping every real state.
func TestTween(t *testing.T) {
	times := []float64{1, 0.5, 0}
	states := [][]float64{{4}, {2}, {0}}
	ts, ss := tween(times, states, 7)
	if len(ts) < 7 || len(ss) != len(ts) {
		t.Fatalf("%d times, %d states, want ≥ 7", len(ts), len(ss))
	}
	if ts[0] != 1 || ts[len(ts)-1] != 0 || ss[0][0] != 4 || ss[len(ss)-1][0] != 0 {
		t.Errorf("ends %v %v", ts, ss)
	}
	for i := range ts {
		if ss[i][0] != 4*ts[i] {
			t.Errorf("frame %d: state %v at t=%v, want %v", i, ss[i][0], ts[i], 4*ts[i])
		}
	}
	if ts2, _ := tween(times, states, 3); len(ts2) != 3 {
		t.Errorf("enough frames were tweened: %v", ts2)
	}
}
