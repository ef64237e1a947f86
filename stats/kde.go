// Package stats estimates densities and measures distances between samples:
// the curves and numbers scoresde uses to compare generated data with
// training data.
//
// One-dimensional samples are plain []float64. Points of dimension d > 1 are
// stored row-major in one flat slice (point i is x[i*d:(i+1)*d]), as in
// package data. Kernel density estimates follow seaborn's kdeplot, which in
// turn uses scipy.stats.gaussian_kde, so curves are comparable with the
// notebook's figures.
package stats

import (
	"fmt"
	"math"
	"runtime"
	"slices"
	"sort"
	"sync"

	"gonum.org/v1/gonum/stat"
)

// kernelCutoff is how many bandwidths away from an evaluation point a data
// point may lie and still be summed. A Gaussian kernel beyond it is below
// exp(-9²/2) ≈ 2.6e-18 of its peak, so dropping those terms changes a
// density by less than 2.6e-18/(bw·√(2π)) in absolute value: far below
// float64 resolution of any density worth plotting.
const kernelCutoff = 9.0

// KDEOptions controls KDE. The zero value gives seaborn's kdeplot defaults.
type KDEOptions struct {
	// BwAdjust multiplies Scott's bandwidth, as seaborn's bw_adjust.
	// Zero means 1.
	BwAdjust float64
	// GridSize is the number of evaluation points. Zero means 200.
	GridSize int
	// Cut extends the grid this many bandwidths beyond the smallest and
	// largest data values. Zero means 3 (seaborn's cut); a negative value
	// means no extension, so the grid spans exactly the data.
	Cut float64
	// Clip, when Clip[0] < Clip[1], limits the grid to that interval.
	Clip [2]float64
}

func (o KDEOptions) withDefaults() (KDEOptions, error) {
	if math.IsNaN(o.BwAdjust) || o.BwAdjust < 0 || math.IsInf(o.BwAdjust, 0) {
		return o, fmt.Errorf("stats: KDE bandwidth adjustment %v, want a positive finite number (0 for the default 1)", o.BwAdjust)
	}
	if o.BwAdjust == 0 {
		o.BwAdjust = 1
	}
	switch {
	case o.GridSize == 0:
		o.GridSize = 200
	case o.GridSize < 2:
		return o, fmt.Errorf("stats: KDE grid size %d, want at least 2 (0 for the default 200)", o.GridSize)
	}
	switch {
	case math.IsNaN(o.Cut) || math.IsInf(o.Cut, 0):
		return o, fmt.Errorf("stats: KDE cut %v, want a finite number", o.Cut)
	case o.Cut == 0:
		o.Cut = 3
	case o.Cut < 0:
		o.Cut = 0
	}
	if !isFinite(o.Clip[0]) || !isFinite(o.Clip[1]) || o.Clip[0] > o.Clip[1] {
		return o, fmt.Errorf("stats: KDE clip %v, want finite lo < hi (or zero value for no clip)", o.Clip)
	}
	return o, nil
}

// ScottBandwidth returns the Gaussian kernel bandwidth of
// scipy.stats.gaussian_kde for a 1-D sample with the default (Scott) rule:
// n^(-1/5) times the sample standard deviation with n−1 in the denominator.
func ScottBandwidth(x []float64) (float64, error) {
	if err := checkSample("sample", x, 2); err != nil {
		return 0, err
	}
	sd := stat.StdDev(x, nil)
	if !(sd > 0) {
		return 0, fmt.Errorf("stats: all %d sample values are equal; a kernel density estimate needs spread data", len(x))
	}
	return math.Pow(float64(len(x)), -0.2) * sd, nil
}

// KDE returns a Gaussian kernel density estimate of the sample x evaluated
// on an even grid, as seaborn's kdeplot draws it: bandwidth
// bw = BwAdjust × ScottBandwidth(x), grid of GridSize points from
// min(x) − Cut·bw to max(x) + Cut·bw, clipped to Clip if set.
//
// As in KDEAt, kernels beyond 9 bandwidths are skipped. On the even grid,
// kernel values follow from their neighbours by a multiplicative recurrence
// (restarted exactly every 16 points, relative rounding ≲ 1e-13), so the
// cost is about n·(1 + GridSize/16) exponentials instead of n·GridSize.
func KDE(x []float64, o KDEOptions) (grid, density []float64, err error) {
	o, err = o.withDefaults()
	if err != nil {
		return nil, nil, err
	}
	bw, err := ScottBandwidth(x)
	if err != nil {
		return nil, nil, err
	}
	bw *= o.BwAdjust
	lo, hi := slices.Min(x)-o.Cut*bw, slices.Max(x)+o.Cut*bw
	if o.Clip[0] < o.Clip[1] {
		lo, hi = math.Max(lo, o.Clip[0]), math.Min(hi, o.Clip[1])
		if lo >= hi {
			return nil, nil, fmt.Errorf("stats: KDE clip %v leaves no room for a grid around data in [%v, %v]", o.Clip, slices.Min(x), slices.Max(x))
		}
	}
	grid = Linspace(lo, hi, o.GridSize)
	step := (hi - lo) / float64(o.GridSize-1)
	norm := 1 / (float64(len(x)) * bw * math.Sqrt(2*math.Pi))
	a := 1 / (2 * bw * bw)
	density = sumOverData(len(x), o.GridSize, func(i int, out []float64) {
		addGaussian(out, lo, step, x[i], a, norm, kernelCutoff*bw)
	})
	return grid, density, nil
}

// restartEvery is how many grid steps addGaussian advances by the ratio
// recurrence before recomputing a kernel value exactly. The recurrence's
// relative rounding error grows as k²·ε after k steps, so this bounds it
// by about 16²/2·ε ≈ 3e-14.
const restartEvery = 16

// addGaussian adds s·exp(−a·(g_k − c)²) to out[k] for the points
// g_k = lo + k·step of an even grid that lie within r of c.
//
// Along an even grid consecutive Gaussian values have the ratio
// exp(−a(2uΔ + Δ²)) with u = g_k − c, which itself changes by the constant
// factor exp(−2aΔ²), so the values follow from two multiplications per
// point instead of one exponential.
func addGaussian(out []float64, lo, step, c, a, s, r float64) {
	kmin := max(int(math.Ceil((c-r-lo)/step)), 0)
	kmax := min(int(math.Floor((c+r-lo)/step)), len(out)-1)
	decay := math.Exp(-2 * a * step * step)
	for k := kmin; k <= kmax; {
		u := lo + float64(k)*step - c
		e := s * math.Exp(-a*u*u)
		ratio := math.Exp(-a * (2*u*step + step*step))
		for end := min(k+restartEvery, kmax+1); k < end; k++ {
			out[k] += e
			e *= ratio
			ratio *= decay
		}
	}
}

// sumOverData calls add(i, out) for each data index i < n, splitting the
// data across GOMAXPROCS goroutines that each accumulate into their own
// buffer of length m, and returns the sum of the buffers.
func sumOverData(n, m int, add func(i int, out []float64)) []float64 {
	workers := min(runtime.GOMAXPROCS(0), max(n/256, 1))
	bufs := make([][]float64, workers)
	var wg sync.WaitGroup
	for w := range workers {
		bufs[w] = make([]float64, m)
		lo, hi := w*n/workers, (w+1)*n/workers
		wg.Go(func() {
			for i := lo; i < hi; i++ {
				add(i, bufs[w])
			}
		})
	}
	wg.Wait()
	for _, b := range bufs[1:] {
		for k, v := range b {
			bufs[0][k] += v
		}
	}
	return bufs[0]
}

// KDEAt evaluates the Gaussian kernel density estimate of the sample x with
// bandwidth bw at the points at:
//
//	p(a) = 1/(n·bw·√(2π)) Σᵢ exp(−(a−xᵢ)²/(2bw²)).
//
// Kernels farther than 9 bandwidths from a are skipped, an absolute error
// below 2.6e-18/(bw·√(2π)). Work is split across GOMAXPROCS goroutines.
func KDEAt(x, at []float64, bw float64) ([]float64, error) {
	if err := checkSample("sample", x, 1); err != nil {
		return nil, err
	}
	if err := checkSample("evaluation points", at, 0); err != nil {
		return nil, err
	}
	if !(bw > 0) || math.IsInf(bw, 0) {
		return nil, fmt.Errorf("stats: KDE bandwidth %v, want a positive finite number", bw)
	}
	xs := slices.Clone(x)
	slices.Sort(xs)
	out := make([]float64, len(at))
	norm := 1 / (float64(len(xs)) * bw * math.Sqrt(2*math.Pi))
	inv := 1 / bw
	parallelFor(len(at), len(at)*len(xs), func(lo, hi int) {
		for k := lo; k < hi; k++ {
			a := at[k]
			i := sort.SearchFloat64s(xs, a-kernelCutoff*bw)
			var s float64
			for ; i < len(xs) && xs[i] <= a+kernelCutoff*bw; i++ {
				u := (a - xs[i]) * inv
				s += math.Exp(-0.5 * u * u)
			}
			out[k] = s * norm
		}
	})
	return out, nil
}

// Linspace returns n evenly spaced values from lo to hi inclusive (n ≥ 2), or
// {lo} when n is 1.
func Linspace(lo, hi float64, n int) []float64 {
	if n <= 0 {
		return nil
	}
	v := make([]float64, n)
	if n == 1 {
		v[0] = lo
		return v
	}
	step := (hi - lo) / float64(n-1)
	for i := range v {
		v[i] = lo + float64(i)*step
	}
	v[n-1] = hi
	return v
}

// parallelFor splits [0, n) into contiguous chunks, one per available core,
// when the total work (in inner-loop iterations) is large enough to pay for
// the goroutines.
func parallelFor(n, work int, f func(lo, hi int)) {
	workers := runtime.GOMAXPROCS(0)
	if workers > n {
		workers = n
	}
	if workers <= 1 || work < 1<<16 {
		f(0, n)
		return
	}
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := w*n/workers, (w+1)*n/workers
		wg.Go(func() { f(lo, hi) })
	}
	wg.Wait()
}

func isFinite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// checkSample reports a sample shorter than min or holding a non-finite value.
func checkSample(what string, x []float64, min int) error {
	if len(x) < min {
		return fmt.Errorf("stats: %s has %d values, want at least %d", what, len(x), min)
	}
	for i, v := range x {
		if !isFinite(v) {
			return fmt.Errorf("stats: %s value %d is %v; remove or fix non-finite values", what, i, v)
		}
	}
	return nil
}
