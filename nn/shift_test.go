package nn

import (
	"math"
	"math/rand/v2"
	"testing"
)

// A shifted network on z equals the original on z − shift.
func TestShiftInput(t *testing.T) {
	m, err := New(3, 2, []int{6, 5}, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	shift := []float64{0.75, -1.5}
	s := m.Clone()
	if err := s.ShiftInput(shift); err != nil {
		t.Fatal(err)
	}
	x := []float64{0.1, -0.2, 1.3, 0.9, -2, 0}
	xs := make([]float64, len(x))
	for i := range x {
		xs[i] = x[i] - shift[i%2]
	}
	for _, tm := range []float64{0, 0.4, 1} {
		want, got := make([]float64, len(x)), make([]float64, len(x))
		m.Score(xs, tm, want)
		s.Score(x, tm, got)
		for i := range got {
			if math.Abs(got[i]-want[i]) > 1e-5 {
				t.Errorf("t=%v value %d: shifted %v, original at x−shift %v", tm, i, got[i], want[i])
			}
		}
	}
	if err := s.ShiftInput(make([]float64, 4)); err == nil {
		t.Error("a shift longer than the input was accepted")
	}
}
