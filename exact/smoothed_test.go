package exact

import (
	"fmt"
	"math"
	"testing"

	"scoresde/langevin"
	"scoresde/sde"
)

// Harmonic V: p = N(0, 1/β) pushed through N(m y, s²) is N(0, m²/β + s²).
func TestGibbsSmoothedHarmonic(t *testing.T) {
	tests := []struct {
		name  string
		sde   sde.SDE
		times []float64
	}{
		// VE at t=0 has s=0.03, resolved by the Gibbs table's own nodes.
		{"ve", sde.DefaultVE(), []float64{0, 0.3, 0.7, 1}},
		// OU at t ≤ 1e−4 has s < 0.015, below twice the table's panel
		// width, so fresh panels are used; at t=0, s=0 and V' is used.
		{"ou", ou{}, []float64{0, 1e-6, 1e-4, 0.1, 1, 3}},
	}
	for _, beta := range []float64{1, 3} {
		g := harmonicGibbs(t, beta)
		for _, tt := range tests {
			gs, err := NewGibbsSmoothedScore(g, tt.sde)
			if err != nil {
				t.Fatal(err)
			}
			for _, tm := range tt.times {
				m, s := tt.sde.MeanScale(tm), tt.sde.Std(tm)
				v := m*m/beta + s*s
				sd := math.Sqrt(v)
				var xs []float64
				for z := -3.0; z <= 3; z += 0.5 {
					xs = append(xs, z*sd)
				}
				out := make([]float64, len(xs))
				gs.Score(xs, tm, out)
				for i, x := range xs {
					want := -x / v
					if math.Abs(out[i]-want) > 1e-9/sd {
						t.Errorf("β=%v %s t=%v: score(%v) = %.15g, want %.15g", beta, tt.name, tm, x, out[i], want)
					}
					wantLog := -x*x/(2*v) - 0.5*math.Log(2*math.Pi*v)
					if got := gs.LogDensity([]float64{x}, tm); math.Abs(got-wantLog) > 1e-9 {
						t.Errorf("β=%v %s t=%v: log density(%v) = %.15g, want %.15g", beta, tt.name, tm, x, got, wantLog)
					}
				}
			}
		}
	}
}

// For the four-well potential, against direct quadrature of
// ∫ exp(−βV(y))/Z · N(x; y, s²) dy with gonum's rule, and the score
// against central differences of that independent log-density.
func TestGibbsSmoothedFourWell(t *testing.T) {
	const beta = 2.0
	pot := langevin.FourWell{}
	g, err := NewGibbs(pot, beta)
	if err != nil {
		t.Fatal(err)
	}
	ve := sde.DefaultVE()
	gs, err := NewGibbsSmoothedScore(g, ve)
	if err != nil {
		t.Fatal(err)
	}
	boltz := func(y float64) float64 { return math.Exp(-beta * pot.Value([]float64{y})) }
	Z := independentIntegral(boltz, -2, 2)
	logPt := func(x, s float64) float64 {
		f := func(y float64) float64 {
			d := (x - y) / s
			return boltz(y) / Z * math.Exp(-d*d/2) / (s * math.Sqrt(2*math.Pi))
		}
		return math.Log(independentIntegral(f, -2, 2))
	}
	for _, tm := range []float64{0, 0.2, 0.6, 1} {
		s := ve.Std(tm)
		xs := []float64{-1.2, -0.5, -0.1, 0, 0.25, 0.6, 1.0}
		if s > 0.3 {
			xs = append(xs, 2.5, -4)
		}
		out := make([]float64, len(xs))
		gs.Score(xs, tm, out)
		for i, x := range xs {
			want := logPt(x, s)
			if got := gs.LogDensity([]float64{x}, tm); math.Abs(got-want) > 1e-9*math.Max(1, math.Abs(want)) {
				t.Errorf("t=%v: log p_t(%v) = %.12g, direct quadrature %.12g", tm, x, got, want)
			}
			// h = 1e−3·s: truncation ~h²·|∂³log p_t| ~ 1e−6/s, rounding
			// 1e−16/h ~ 1e−13/s.
			h := 1e-3 * s
			fd := (logPt(x+h, s) - logPt(x-h, s)) / (2 * h)
			if math.Abs(out[i]-fd) > 1e-5/s {
				t.Errorf("t=%v: score(%v) = %.10g, finite difference %.10g", tm, x, out[i], fd)
			}
		}
	}
}

func TestGibbsSmoothedBadInput(t *testing.T) {
	g := harmonicGibbs(t, 1)
	if _, err := NewGibbsSmoothedScore(nil, ou{}); err == nil {
		t.Error("nil Gibbs: no error")
	}
	if _, err := NewGibbsSmoothedScore(g, nil); err == nil {
		t.Error("nil SDE: no error")
	}
	gs, err := NewGibbsSmoothedScore(g, ou{})
	if err != nil {
		t.Fatal(err)
	}
	out := []float64{0}
	gs.Score([]float64{math.NaN()}, 0.5, out)
	if !math.IsNaN(out[0]) {
		t.Errorf("score at NaN = %v, want NaN", out[0])
	}
	if !math.IsNaN(gs.LogDensity([]float64{1, 2}, 0.5)) {
		t.Error("LogDensity of a 2-D point is not NaN")
	}
	defer func() {
		if recover() == nil {
			t.Error("Score with mismatched output length did not panic")
		}
	}()
	gs.Score([]float64{1, 2}, 0.5, out)
}

// BenchmarkGibbsSmoothed10k evaluates the four-well population score at
// 10,000 points.
func BenchmarkGibbsSmoothed10k(b *testing.B) {
	g, err := NewGibbs(langevin.FourWell{}, 2)
	if err != nil {
		b.Fatal(err)
	}
	ve := sde.DefaultVE()
	gs, _ := NewGibbsSmoothedScore(g, ve)
	x := make([]float64, 10000)
	for i := range x {
		x[i] = -2 + 4*float64(i)/float64(len(x))
	}
	out := make([]float64, len(x))
	for _, tm := range []float64{0, 0.5, 1} {
		b.Run(fmt.Sprintf("t=%v", tm), func(b *testing.B) {
			for b.Loop() {
				gs.Score(x, tm, out)
			}
		})
	}
}
