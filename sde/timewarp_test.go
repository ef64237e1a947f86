package sde

import "testing"

func TestTimeWarp(t *testing.T) {
	ve := DefaultVE()
	w := NewTimeWarp(ve, 0)
	for _, x := range []float64{0, 0.3, 0.7, 1} {
		if w.At(x) != x || w.Time(x) != x {
			t.Errorf("VE warp(%v) = %v, time %v; want identity", x, w.At(x), w.Time(x))
		}
	}
	for _, s := range []SDE{DefaultVP(), DefaultSubVP()} {
		eps := s.MinTime()
		w := NewTimeWarp(s, eps)
		if got := w.At(eps); got != 0 {
			t.Errorf("%s: warp(ε) = %v, want 0", s.Name(), got)
		}
		if got := w.At(s.T()); got < s.T()-1e-12 || got > s.T()+1e-12 {
			t.Errorf("%s: warp(T) = %v, want T", s.Name(), got)
		}
		prev := -1.0
		for i := range 101 {
			x := eps + (s.T()-eps)*float64(i)/100
			if v := w.At(x); !(v > prev) {
				t.Fatalf("%s: warp not increasing at t=%v", s.Name(), x)
			} else {
				prev = v
			}
		}
		// Time inverts At.
		for _, u := range []float64{0, 0.1, 0.5, 0.77, 1} {
			if got := w.At(w.Time(u)); got < u*s.T()-1e-4 || got > u*s.T()+1e-4 {
				t.Errorf("%s: At(Time(%v)) = %v", s.Name(), u, got)
			}
		}
		// The first 5% of [ε, T] holds most of the noise range: it gets
		// more than half of the network's input range.
		if v := w.At(0.05 * s.T()); v < 0.5*s.T() {
			t.Errorf("%s: warp(0.05T) = %v, want > T/2", s.Name(), v)
		}
	}
}
