package data

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// Mean is the per-coordinate mean of the points. It sums x/n rather than
// x, so no partial sum exceeds the largest |x|: data near the float64
// limit have a finite mean.
func (s *Set) Mean() []float64 {
	mu := make([]float64, s.D)
	n := float64(s.Len())
	for i, v := range s.X {
		mu[i%s.D] += v / n
	}
	return mu
}

// maxAbs is the largest |x| over every coordinate of every point.
func (s *Set) maxAbs() float64 {
	m := 0.0
	for _, v := range s.X {
		m = max(m, math.Abs(v))
	}
	return m
}

// Diameter is the largest distance D between two points, or an estimate
// of it in three or more dimensions:
//
//   - d = 1: the range, exact;
//   - d = 2: exact, by rotating calipers over the convex hull
//     (O(n log n), the sort);
//   - d ≥ 3: the longest distance found by farthest-point sweeps (from a
//     start, the farthest point, then the point farthest from that, while
//     the distance grows) from point 0 and from the lowest and highest
//     point along each of the first 8 coordinates, O(n·d) each. The result
//     L is a distance between two points, so L ≤ D, and D ≤ 2L by the
//     triangle inequality through the first start; on Gaussian clouds it
//     is usually exact.
//
// Coordinates are divided by the largest |x| before differencing, so no
// square overflows: data near 1e200 give a finite diameter near 1e200. The
// result is +Inf only when D itself exceeds the float64 range.
func (s *Set) Diameter() float64 {
	n := s.Len()
	scale := s.maxAbs()
	if n < 2 || scale == 0 {
		return 0
	}
	switch s.D {
	case 1:
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, v := range s.X {
			lo, hi = min(lo, v), max(hi, v)
		}
		return scale * (hi/scale - lo/scale)
	case 2:
		return scale * math.Sqrt(calipers(hull(s, scale)))
	}
	return scale * math.Sqrt(s.sweeps(scale))
}

// dist2 is the squared distance between points i and k in units of scale.
func (s *Set) dist2(i, k int, scale float64) float64 {
	a, b := s.Row(i), s.Row(k)
	sum := 0.0
	for j := range a {
		d := a[j]/scale - b[j]/scale
		sum += d * d
	}
	return sum
}

// sweeps is the squared longest distance found by farthest-point sweeps
// (see Diameter), in units of scale.
func (s *Set) sweeps(scale float64) float64 {
	n := s.Len()
	farthest := func(i int) (int, float64) {
		best, bd := i, 0.0
		for k := range n {
			if d := s.dist2(i, k, scale); d > bd {
				best, bd = k, d
			}
		}
		return best, bd
	}
	starts := []int{0}
	for j := range min(s.D, 8) {
		lo, hi := 0, 0
		for i := range n {
			if v := s.X[i*s.D+j]; v < s.X[lo*s.D+j] {
				lo = i
			} else if v > s.X[hi*s.D+j] {
				hi = i
			}
		}
		starts = append(starts, lo, hi)
	}
	best := 0.0
	for _, start := range starts {
		// Each sweep's distance is at least the last one's (the last
		// start is a candidate), and every one is between two points.
		from, last := farthest(start)
		for range 8 {
			next, d := farthest(from)
			if d <= last {
				break
			}
			from, last = next, d
		}
		best = max(best, last)
	}
	return best
}

// hull returns the convex hull of 2-D points, scaled by 1/scale, in
// counter-clockwise order without repeated or collinear points (Andrew's
// monotone chain).
func hull(s *Set, scale float64) [][2]float64 {
	p := make([][2]float64, s.Len())
	for i := range p {
		p[i] = [2]float64{s.X[2*i] / scale, s.X[2*i+1] / scale}
	}
	slices.SortFunc(p, func(a, b [2]float64) int {
		if c := cmp.Compare(a[0], b[0]); c != 0 {
			return c
		}
		return cmp.Compare(a[1], b[1])
	})
	p = slices.Compact(p)
	if len(p) < 3 {
		return p
	}
	h := make([][2]float64, 0, 2*len(p))
	for pass := range 2 {
		base := len(h)
		for _, q := range p {
			for len(h) >= base+2 && cross(h[len(h)-2], h[len(h)-1], q) <= 0 {
				h = h[:len(h)-1]
			}
			h = append(h, q)
		}
		h = h[:len(h)-1] // the last point starts the other chain
		if pass == 0 {
			slices.Reverse(p)
		}
	}
	return h
}

// cross is (a−o)×(b−o): positive when o→a→b turns left.
func cross(o, a, b [2]float64) float64 {
	return (a[0]-o[0])*(b[1]-o[1]) - (a[1]-o[1])*(b[0]-o[0])
}

// calipers is the largest squared distance between vertices of the convex
// polygon h (counter-clockwise), by rotating calipers: for each edge the
// vertex farthest from its line advances monotonically around the polygon.
// Every vertex the caliper passes, and the one after where it stops, is
// compared with both ends of the edge: with parallel edges two vertices
// tie for farthest, and rounding may stop the caliper before either.
func calipers(h [][2]float64) float64 {
	d2 := func(a, b [2]float64) float64 {
		dx, dy := a[0]-b[0], a[1]-b[1]
		return dx*dx + dy*dy
	}
	switch len(h) {
	case 1:
		return 0
	case 2:
		return d2(h[0], h[1])
	}
	n := len(h)
	best, j := 0.0, 1
	for i := range h {
		a, b := h[i], h[(i+1)%n]
		best = max(best, d2(a, h[j]), d2(b, h[j]))
		for cross(a, b, h[(j+1)%n]) > cross(a, b, h[j]) {
			j = (j + 1) % n
			best = max(best, d2(a, h[j]), d2(b, h[j]))
		}
		next := h[(j+1)%n]
		best = max(best, d2(a, next), d2(b, next))
	}
	return best
}

// MaxSpan is the widest data the float32 network can train on: the loss
// weight s(t)², which reaches the prior's variance (the data's diameter
// squared for VE), is stored in float32, whose range ends at 3.4e38.
const MaxSpan = 1e18

// CheckSpread rejects data a density cannot be fitted to: fewer than two
// points, a coordinate that never changes, or points spread wider than
// MaxSpan.
func (s *Set) CheckSpread() error {
	if s.Len() < 2 {
		return fmt.Errorf("%d data point; a distribution needs at least 2", s.Len())
	}
	for j := range s.D {
		first := s.X[j]
		constant := true
		for i := 1; i < s.Len() && constant; i++ {
			constant = s.X[i*s.D+j] == first
		}
		if constant {
			return fmt.Errorf("coordinate %d is %v in every point; drop it, it carries no distribution to learn", j+1, first)
		}
	}
	if dia := s.Diameter(); !(dia <= MaxSpan) {
		return fmt.Errorf("the data span %.3g, wider than the %.0e the float32 network can train on; rescale them (e.g. divide by their standard deviation)", dia, MaxSpan)
	}
	return nil
}
