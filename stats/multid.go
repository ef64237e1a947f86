package stats

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
)

// EnergyMaxPoints caps the number of points of each sample that
// EnergyDistance uses, keeping its O(n·m) pair sums to a fraction of a
// second.
const EnergyMaxPoints = 5000

// checkPoints validates a flat row-major sample of d-dimensional points and
// returns the number of points.
func checkPoints(what string, x []float64, d int) (int, error) {
	if d < 1 {
		return 0, fmt.Errorf("stats: dimension %d, want at least 1", d)
	}
	if len(x) == 0 || len(x)%d != 0 {
		return 0, fmt.Errorf("stats: %s has %d values, want a positive multiple of the dimension %d", what, len(x), d)
	}
	if err := checkSample(what, x, 1); err != nil {
		return 0, err
	}
	return len(x) / d, nil
}

func checkPair(a, b []float64, d int) (n, m int, err error) {
	if n, err = checkPoints("first sample", a, d); err != nil {
		return 0, 0, err
	}
	if m, err = checkPoints("second sample", b, d); err != nil {
		return 0, 0, err
	}
	return n, m, nil
}

// column returns coordinate j of the n points of x.
func column(x []float64, d, j int) []float64 {
	c := make([]float64, len(x)/d)
	for i := range c {
		c[i] = x[i*d+j]
	}
	return c
}

// MarginalW1 returns, for each coordinate j < d, the 1-Wasserstein distance
// between the j-th marginals of the two point sets.
func MarginalW1(a, b []float64, d int) ([]float64, error) {
	if _, _, err := checkPair(a, b, d); err != nil {
		return nil, err
	}
	w := make([]float64, d)
	for j := range w {
		var err error
		if w[j], err = Wasserstein1(column(a, d, j), column(b, d, j)); err != nil {
			return nil, err
		}
	}
	return w, nil
}

// SlicedW1 returns the sliced 1-Wasserstein distance between two point sets:
// the mean, over the given number of random unit directions θ, of the W1
// distance between the projections ⟨θ, x⟩ of the two sets. Directions are
// uniform on the sphere and drawn from a PCG generator seeded with seed, so
// the result is deterministic.
func SlicedW1(a, b []float64, d, directions int, seed uint64) (float64, error) {
	n, m, err := checkPair(a, b, d)
	if err != nil {
		return 0, err
	}
	if directions < 1 {
		return 0, fmt.Errorf("stats: sliced W1 with %d directions, want at least 1", directions)
	}
	rng := rand.New(rand.NewPCG(seed, 0x5eed5eed))
	theta := make([]float64, d)
	pa, pb := make([]float64, n), make([]float64, m)
	var sum float64
	for range directions {
		// A normalised standard normal vector is uniform on the sphere.
		var norm float64
		for norm == 0 {
			for k := range theta {
				theta[k] = rng.NormFloat64()
				norm += theta[k] * theta[k]
			}
		}
		norm = math.Sqrt(norm)
		for k := range theta {
			theta[k] /= norm
		}
		project(a, d, theta, pa)
		project(b, d, theta, pb)
		w, err := Wasserstein1(pa, pb)
		if err != nil {
			return 0, err
		}
		sum += w
	}
	return sum / float64(directions), nil
}

func project(x []float64, d int, theta, out []float64) {
	for i := range out {
		var s float64
		for k, t := range theta {
			s += t * x[i*d+k]
		}
		out[i] = s
	}
}

// EnergyDistance returns the energy distance between two point sets,
//
//	D = (2·E|X−Y| − E|X−X'| − E|Y−Y'|)^½,
//
// with Euclidean norms and expectations over all pairs including i = j (the
// V-statistic, as scipy.stats.energy_distance in 1-D, where D² equals
// 2∫(F−G)²dx). It is zero for identical sets and positive otherwise.
//
// The cost is O((n+m)²·d). A sample larger than EnergyMaxPoints is replaced
// by the deterministic stride subsample of EnergyMaxPoints points
// x[⌊k·n/EnergyMaxPoints⌋], k = 0, 1, …, which spreads over the whole sample
// even when it is a time-ordered trajectory.
func EnergyDistance(a, b []float64, d int) (float64, error) {
	return energyDistance(a, b, d, EnergyMaxPoints)
}

func energyDistance(a, b []float64, d, maxPoints int) (float64, error) {
	if _, _, err := checkPair(a, b, d); err != nil {
		return 0, err
	}
	a, b = strideSubsample(a, d, maxPoints), strideSubsample(b, d, maxPoints)
	n, m := float64(len(a)/d), float64(len(b)/d)
	ab := pairDistanceSum(a, b, d, false)
	aa := pairDistanceSum(a, a, d, true)
	bb := pairDistanceSum(b, b, d, true)
	e2 := 2*ab/(n*m) - aa/(n*n) - bb/(m*m)
	// The V-statistic is a squared norm, so it is ≥ 0 up to rounding.
	return math.Sqrt(math.Max(e2, 0)), nil
}

// strideSubsample returns max evenly strided points of x, or x itself if it
// has at most max points.
func strideSubsample(x []float64, d, max int) []float64 {
	n := len(x) / d
	if n <= max {
		return x
	}
	s := make([]float64, 0, max*d)
	for k := range max {
		i := k * n / max
		s = append(s, x[i*d:(i+1)*d]...)
	}
	return s
}

// pairDistanceSum returns Σᵢⱼ |aᵢ − bⱼ|. With same (a and b are one set) it
// sums i < j and doubles, which is the same total for half the work.
func pairDistanceSum(a, b []float64, d int, same bool) float64 {
	n, m := len(a)/d, len(b)/d
	var mu sync.Mutex
	var total float64
	parallelFor(n, n*m, func(lo, hi int) {
		var s float64
		for k := lo; k < hi; k++ {
			// Alternate rows from both ends so that, for the triangular
			// same-set sum, each contiguous chunk gets an equal share.
			i := k / 2
			if k%2 == 1 {
				i = n - 1 - k/2
			}
			ai := a[i*d : (i+1)*d]
			j0 := 0
			if same {
				j0 = i + 1
			}
			for j := j0; j < m; j++ {
				bj := b[j*d : (j+1)*d]
				var q float64
				for k, v := range ai {
					t := v - bj[k]
					q += t * t
				}
				s += math.Sqrt(q)
			}
		}
		mu.Lock()
		total += s
		mu.Unlock()
	})
	if same {
		total *= 2
	}
	return total
}
