package sampler

import "math"

// StdErr is the standard error of Mean over the points: the sample
// standard deviation of PerPoint (divided by n − 1) over √n; 0 for fewer
// than two points.
func (r *NLLResult) StdErr() float64 {
	n := len(r.PerPoint)
	if n < 2 {
		return 0
	}
	mean := 0.0
	for _, p := range r.PerPoint {
		mean += p / float64(n)
	}
	v := 0.0
	for _, p := range r.PerPoint {
		v += (p - mean) * (p - mean)
	}
	return math.Sqrt(v / float64(n-1) / float64(n))
}
