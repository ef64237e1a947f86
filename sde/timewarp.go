package sde

import "math"

// TimeWarp maps a time t to the score network's time input: the log of the
// kernel std, rescaled so that ε maps to 0 and T to T. Equal steps of the
// input are then equal ratios of noise, which lets a small network resolve
// the short stretch near t = 0 where VP and sub-VP remove the last of the
// noise. For VE log std is linear in t, so the warp is the identity (and
// the notebook's input t is kept exactly).
type TimeWarp struct {
	s        SDE
	identity bool
	a, b     float64
	eps      float64
	span     float64   // T − ε
	inv      []float64 // inv[k] = t with At(t) = k·T/(len−1), for Time
}

// invTable is the size of the inverse table: linear interpolation between
// 4097 nodes places times to ~1e-6 of T, far finer than any training needs.
const invTable = 4097

// NewTimeWarp returns the warp for s on [eps, T]; it is the identity for
// VE, and whenever the std at eps is not positive.
func NewTimeWarp(s SDE, eps float64) TimeWarp {
	id := TimeWarp{s: s, identity: true, eps: eps, span: s.T() - eps}
	if _, ok := s.(VE); ok {
		return id
	}
	lo, hi := s.Std(eps), s.Std(s.T())
	if !(lo > 0) || !(hi > lo) {
		return id
	}
	a := math.Log(lo)
	w := TimeWarp{s: s, a: a, b: s.T() / (math.Log(hi) - a), eps: eps, inv: make([]float64, invTable)}
	// Invert the increasing map by bisection at each node.
	for k := range w.inv {
		target := s.T() * float64(k) / float64(invTable-1)
		l, h := eps, s.T()
		for range 60 {
			m := 0.5 * (l + h)
			if w.At(m) < target {
				l = m
			} else {
				h = m
			}
		}
		w.inv[k] = 0.5 * (l + h)
	}
	w.inv[0], w.inv[invTable-1] = eps, s.T()
	return w
}

// Time maps u ∈ [0, 1] to a time in [ε, T] that is uniform in the warped
// input: training times drawn this way spend equal effort on equal ratios
// of noise. For the identity warp it is ε + (T − ε)u, plain uniform time.
func (w TimeWarp) Time(u float64) float64 {
	if w.identity {
		return w.eps + w.span*u
	}
	x := u * float64(invTable-1)
	k := min(int(x), invTable-2)
	f := x - float64(k)
	return w.inv[k] + f*(w.inv[k+1]-w.inv[k])
}

// At is the network input for time t.
func (w TimeWarp) At(t float64) float64 {
	if w.identity {
		return t
	}
	return w.warped(t) // kept out of line so that At inlines into row loops
}

func (w TimeWarp) warped(t float64) float64 { return (math.Log(w.s.Std(t)) - w.a) * w.b }
