// Package sampler generates samples by running an SDE backwards in time with
// a learned (or exact) score ∇ log p_t.
package sampler

import (
	"fmt"
	"math"
	"math/rand/v2"

	"scoresde/sde"
)

// Score is a score model s(x,t) ≈ ∇ₓ log p_t(x) evaluated on a batch of
// points that share one time.
type Score interface {
	// Dim is the dimension d of one point.
	Dim() int
	// Score writes s(x_i, t) for the len(x)/Dim() points of x into out.
	Score(x []float64, t float64, out []float64)
}

// ScoreFunc adapts a function to Score.
type ScoreFunc struct {
	D int
	F func(x []float64, t float64, out []float64)
}

// Dim is D.
func (f ScoreFunc) Dim() int { return f.D }

// Score calls F.
func (f ScoreFunc) Score(x []float64, t float64, out []float64) { f.F(x, t, out) }

// Result is what a sampler returns.
type Result struct {
	// X holds the final samples, points × d flattened.
	X []float64
	// Snapshots[k] is the state after Keep[k] reverse steps (0 = the prior draw).
	Snapshots [][]float64
	// NFE counts score evaluations per point.
	NFE int
}

// Options controls a reverse-time run.
type Options struct {
	N    int   // number of steps (notebook: 500)
	Keep []int // reverse step indices 0..N to keep snapshots of
}

func (o Options) validate() error {
	if o.N < 1 {
		return fmt.Errorf("sampler: number of steps must be at least 1, got %d", o.N)
	}
	for _, k := range o.Keep {
		if k < 0 || k > o.N {
			return fmt.Errorf("sampler: snapshot index %d outside 0..%d", k, o.N)
		}
	}
	return nil
}

// snapshotter copies the state at the requested step indices.
type snapshotter struct {
	want map[int][]int
	out  [][]float64
}

func newSnapshotter(keep []int) *snapshotter {
	s := &snapshotter{want: map[int][]int{}, out: make([][]float64, len(keep))}
	for k, i := range keep {
		s.want[i] = append(s.want[i], k)
	}
	return s
}

func (s *snapshotter) at(i int, x []float64) {
	for _, k := range s.want[i] {
		s.out[k] = append([]float64(nil), x...)
	}
}

// EulerMaruyama integrates the reverse-time SDE
// dY = (−f(Y,T−τ) + g(T−τ)² s(Y,T−τ)) dτ + g(T−τ) dW
// from the prior draws in x (modified in place) on the notebook's grid
// t_i = T − iΔt, i = 0..N−1, with Δt = T/N.
func EulerMaruyama(s sde.SDE, score Score, x []float64, o Options, rng *rand.Rand) (*Result, error) {
	if err := o.validate(); err != nil {
		return nil, err
	}
	if len(x)%score.Dim() != 0 {
		return nil, fmt.Errorf("sampler: %d values do not split into points of dimension %d", len(x), score.Dim())
	}
	snap := newSnapshotter(o.Keep)
	sc := make([]float64, len(x))
	dt := s.T() / float64(o.N)
	sq := math.Sqrt(dt)
	snap.at(0, x)
	for i := range o.N {
		t := s.T() - float64(i)*dt
		score.Score(x, t, sc)
		g := s.Diffusion(t)
		a := s.DriftCoef(t)
		for j := range x {
			x[j] += (-a*x[j]+g*g*sc[j])*dt + g*sq*rng.NormFloat64()
		}
		snap.at(i+1, x)
	}
	return &Result{X: x, Snapshots: snap.out, NFE: o.N}, nil
}
