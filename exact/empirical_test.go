package exact

import (
	"math"
	"math/rand/v2"
	"testing"

	"scoresde/data"
	"scoresde/langevin"
	"scoresde/sde"
)

// ou is the Ornstein–Uhlenbeck SDE dX = −X dt + sqrt(2) dW, whose kernel
// has m(t) = e^−t ≠ 1 and s(t) = sqrt(1 − e^−2t) → 0 at t = 0, so it
// exercises the mean scaling that the VE SDE does not.
type ou struct{}

func (ou) Name() string                      { return "ou" }
func (ou) T() float64                        { return 3 }
func (ou) DriftCoef(float64) float64         { return -1 }
func (ou) Diffusion(float64) float64         { return math.Sqrt2 }
func (ou) MeanScale(t float64) float64       { return math.Exp(-t) }
func (ou) Std(t float64) float64             { return math.Sqrt(-math.Expm1(-2 * t)) }
func (ou) MinTime() float64                  { return 1e-3 }
func (ou) PriorLogDensity([]float64) float64 { return 0 }
func (ou) SamplePrior(rng *rand.Rand, x []float64) {
	for i := range x {
		x[i] = rng.NormFloat64()
	}
}

var _ sde.SDE = ou{}

// randomSet returns n points of dimension d: clusters of different widths,
// so that the smoothed density has both flat and sharp regions.
func randomSet(n, d int, seed uint64) *data.Set {
	rng := rand.New(rand.NewPCG(seed, 17))
	s := data.New(n, d)
	centres := []float64{-0.5, 0, 0.5, 1.3}
	widths := []float64{0.08, 0.3, 0.05, 0.02}
	for i := range n {
		c := rng.IntN(len(centres))
		for k := range d {
			s.X[i*d+k] = centres[c] + widths[c]*rng.NormFloat64() + 0.1*float64(k)
		}
	}
	return s
}

func TestEmpiricalOptimumSinglePoint(t *testing.T) {
	for _, s := range []sde.SDE{sde.DefaultVE(), ou{}} {
		for _, d := range []int{1, 3} {
			x0 := data.New(1, d)
			for k := range d {
				x0.X[k] = 0.3 - 0.4*float64(k)
			}
			e, err := NewEmpiricalOptimum(x0, s)
			if err != nil {
				t.Fatal(err)
			}
			x := []float64{-1, 0.2, 2, 0.25, 0.31, -0.5}[:2*d] // two points
			out := make([]float64, len(x))
			for _, tt := range []float64{0.01, 0.3, 0.9} {
				e.Score(x, tt, out)
				m, sd := s.MeanScale(tt), s.Std(tt)
				for i, v := range x {
					want := -(v - m*x0.X[i%d]) / (sd * sd)
					if math.Abs(out[i]-want) > 1e-12*math.Abs(want) {
						t.Errorf("%s d=%d t=%v: score[%d] = %.15g, want %.15g", s.Name(), d, tt, i, out[i], want)
					}
				}
			}
		}
	}
}

// The score is the gradient of LogDensity (central differences, h=1e−5,
// truncation error ~h²·|∂³ log p| well below the 1e−6 tolerance here).
func TestEmpiricalOptimumFiniteDifferences(t *testing.T) {
	x0 := randomSet(300, 2, 1)
	for _, s := range []sde.SDE{sde.DefaultVE(), ou{}} {
		e, err := NewEmpiricalOptimum(x0, s)
		if err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(2, 3))
		for _, tt := range []float64{0.2, 0.5, 1} {
			sd := s.Std(tt)
			for range 10 {
				q := []float64{rng.NormFloat64(), rng.NormFloat64()}
				got := make([]float64, 2)
				e.Score(q, tt, got)
				const h = 1e-5
				for k := range 2 {
					qp, qm := append([]float64(nil), q...), append([]float64(nil), q...)
					qp[k] += h * sd
					qm[k] -= h * sd
					fd := (e.LogDensity(qp, tt) - e.LogDensity(qm, tt)) / (2 * h * sd)
					if math.Abs(got[k]-fd) > 1e-6*(math.Abs(fd)+1/sd) {
						t.Errorf("%s t=%v x=%v: score[%d] = %.10g, finite difference %.10g", s.Name(), tt, q, k, got[k], fd)
					}
				}
			}
		}
	}
}

// LogDensity against the direct formula log((1/M) Σ_j N(x; m x_j, s²I)),
// at times where no term underflows.
func TestEmpiricalOptimumLogDensity(t *testing.T) {
	x0 := randomSet(200, 2, 4)
	s := ou{}
	e, err := NewEmpiricalOptimum(x0, s)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []float64{0.3, 1} {
		m, sd := s.MeanScale(tt), s.Std(tt)
		for _, q := range [][]float64{{0, 0}, {0.5, -0.2}, {2, 1}} {
			sum := 0.0
			for j := range x0.Len() {
				r := x0.Row(j)
				d0, d1 := q[0]-m*r[0], q[1]-m*r[1]
				sum += math.Exp(-(d0*d0+d1*d1)/(2*sd*sd)) / (2 * math.Pi * sd * sd)
			}
			want := math.Log(sum / float64(x0.Len()))
			if got := e.LogDensity(q, tt); math.Abs(got-want) > 1e-12*math.Max(1, math.Abs(want)) {
				t.Errorf("t=%v x=%v: log density %.15g, direct sum %.15g", tt, q, got, want)
			}
		}
	}
}

// The cut-off window must agree with the brute-force sum over all data to
// rounding, including far from the data and at the smallest noise level.
func TestEmpiricalOptimumWindowMatchesBruteForce(t *testing.T) {
	for _, d := range []int{1, 2} {
		x0 := randomSet(2000, d, uint64(10+d))
		for _, s := range []sde.SDE{sde.DefaultVE(), ou{}} {
			e, err := NewEmpiricalOptimum(x0, s)
			if err != nil {
				t.Fatal(err)
			}
			rng := rand.New(rand.NewPCG(7, uint64(d)))
			n := 200
			q := make([]float64, n*d)
			for i := range q {
				q[i] = 1.5 * rng.NormFloat64()
			}
			q[0] = 25 // far outside the data
			got := make([]float64, n*d)
			want := make([]float64, d)
			buf := make([]float64, e.Len())
			for _, tt := range []float64{0.001, 0.05, 0.3, 1} {
				e.Score(q, tt, got)
				m, sd := s.MeanScale(tt), s.Std(tt)
				for i := range n {
					pt := q[i*d : (i+1)*d]
					lw := e.LogDensity(pt, tt)
					lb := e.sum(pt, m, sd, 0, e.Len(), want, buf, math.Inf(1))
					for k := range d {
						// Scale: |x − m x_j|/s² for the data's extent.
						tol := 1e-12 * (math.Abs(want[k]) + 1/sd)
						if math.Abs(got[i*d+k]-want[k]) > tol {
							t.Fatalf("d=%d %s t=%v x=%v: windowed %.15g, brute force %.15g", d, s.Name(), tt, pt, got[i*d+k], want[k])
						}
					}
					if math.Abs(lw-lb) > 1e-12*math.Max(1, math.Abs(lb)) {
						t.Fatalf("d=%d %s t=%v x=%v: windowed log density %.15g, brute force %.15g", d, s.Name(), tt, pt, lw, lb)
					}
				}
			}
		}
	}
}

func TestEmpiricalOptimumBadInput(t *testing.T) {
	if _, err := NewEmpiricalOptimum(nil, sde.DefaultVE()); err == nil {
		t.Error("nil data: no error")
	}
	if _, err := NewEmpiricalOptimum(randomSet(3, 1, 1), nil); err == nil {
		t.Error("nil SDE: no error")
	}
	if _, err := NewEmpiricalOptimum(&data.Set{D: 1, X: []float64{0, math.NaN()}}, sde.DefaultVE()); err == nil {
		t.Error("NaN data: no error")
	}
	e, err := NewEmpiricalOptimum(randomSet(3, 1, 1), ou{})
	if err != nil {
		t.Fatal(err)
	}
	// s(0) = 0: the smoothed distribution is a sum of point masses.
	out := []float64{1}
	e.Score([]float64{0.1}, 0, out)
	if !math.IsNaN(out[0]) || !math.IsNaN(e.LogDensity([]float64{0.1}, 0)) {
		t.Errorf("at s=0 got score %v, want NaN", out[0])
	}
	if !math.IsNaN(e.LogDensity([]float64{0.1, 0.2}, 0.5)) {
		t.Error("LogDensity with a 2-D point for 1-D data is not NaN")
	}
	defer func() {
		if recover() == nil {
			t.Error("Score with mismatched output length did not panic")
		}
	}()
	e.Score([]float64{0.1, 0.2}, 0.5, out)
}

// BenchmarkEmpiricalOptimum10k evaluates the optimum for 10,000 training
// points (notebook data: four-well Gibbs samples) at 10,000 query points.
func BenchmarkEmpiricalOptimum10k(b *testing.B) {
	g, err := NewGibbs(langevin.FourWell{}, 2)
	if err != nil {
		b.Fatal(err)
	}
	xs := g.Sample(rand.New(rand.NewPCG(1, 2)), 10000)
	s := sde.DefaultVE()
	e, err := NewEmpiricalOptimum(&data.Set{D: 1, X: xs}, s)
	if err != nil {
		b.Fatal(err)
	}
	q := make([]float64, 10000)
	rng := rand.New(rand.NewPCG(3, 4))
	out := make([]float64, len(q))
	for _, tt := range []struct {
		name string
		t    float64
	}{{"t=0(s=0.03)", 0}, {"t=0.5(s=0.24)", 0.5}, {"t=1(s=2)", 1}} {
		for i := range q {
			q[i] = xs[i] + s.Std(tt.t)*rng.NormFloat64()
		}
		b.Run(tt.name, func(b *testing.B) {
			for b.Loop() {
				e.Score(q, tt.t, out)
			}
		})
		b.Run(tt.name+"/bruteforce", func(b *testing.B) {
			m, sd := s.MeanScale(tt.t), s.Std(tt.t)
			for b.Loop() {
				parallelFor(len(q), 8, func(lo, hi int) {
					buf := make([]float64, e.Len())
					for i := lo; i < hi; i++ {
						e.sum(q[i:i+1], m, sd, 0, e.Len(), out[i:i+1], buf, math.Inf(1))
					}
				})
			}
		})
	}
}
