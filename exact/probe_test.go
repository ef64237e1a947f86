package exact

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"scoresde/data"
	"scoresde/langevin"
	"scoresde/sampler"
	"scoresde/sde"
)

// perturbed is u* + δ(x) componentwise.
func perturbed(opt sampler.Score, delta func(x float64) float64) sampler.Score {
	return sampler.ScoreFunc{D: opt.Dim(), F: func(x []float64, t float64, out []float64) {
		opt.Score(x, t, out)
		for i, v := range x {
			out[i] += delta(v)
		}
	}}
}

func zeroScore(d int) sampler.Score {
	return sampler.ScoreFunc{D: d, F: func(x []float64, t float64, out []float64) { clear(out) }}
}

func TestLossProbeTimes(t *testing.T) {
	x0 := randomSet(50, 1, 1)
	ve := sde.DefaultVE()
	p, err := NewLossProbe(x0, ve, ProbeConfig{Times: 4, PointsPerTime: 10, Epsilon: 0.2, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{0.3, 0.5, 0.7, 0.9} // midpoints of 4 strata of [0.2, 1]
	for k, w := range want {
		if math.Abs(p.Times[k]-w) > 1e-15 {
			t.Errorf("Times = %v, want %v", p.Times, want)
			break
		}
	}
	// Same seed, same draws; another seed, other draws.
	q, _ := NewLossProbe(x0, ve, ProbeConfig{Times: 4, PointsPerTime: 10, Epsilon: 0.2, Seed: 1})
	r, _ := NewLossProbe(x0, ve, ProbeConfig{Times: 4, PointsPerTime: 10, Epsilon: 0.2, Seed: 2})
	if !slices.Equal(p.Points(2), q.Points(2)) || slices.Equal(p.Points(2), r.Points(2)) {
		t.Error("probe draws do not follow the seed")
	}
}

// With as many draws per time as data points, every point is used once.
func TestLossProbeWithoutReplacement(t *testing.T) {
	x0 := randomSet(64, 2, 3)
	s := ou{}
	p, err := NewLossProbe(x0, s, ProbeConfig{Times: 3, PointsPerTime: 64, Epsilon: 0.1, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	want := slices.Clone(x0.X)
	slices.Sort(want)
	for k, tm := range p.Times {
		m, sd := s.MeanScale(tm), s.Std(tm)
		got := make([]float64, len(p.x[k]))
		for i := range got {
			got[i] = (p.x[k][i] - sd*p.z[k][i]) / m
		}
		slices.Sort(got)
		for i := range got {
			if math.Abs(got[i]-want[i]) > 1e-12 {
				t.Fatalf("time %d: recovered x0 are not a permutation of the data", k)
			}
		}
	}
}

// The gap of the exact optimum is zero, exactly, even for a separately
// built optimum: the draws are shared and the optimum is deterministic.
func TestGapOfOptimumIsZero(t *testing.T) {
	x0 := randomSet(500, 1, 7)
	p, err := NewLossProbe(x0, sde.DefaultVE(), ProbeConfig{Times: 10, PointsPerTime: 100, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	fresh, err := NewEmpiricalOptimum(x0, sde.DefaultVE())
	if err != nil {
		t.Fatal(err)
	}
	gap, err := p.Gap(fresh)
	if err != nil {
		t.Fatal(err)
	}
	if gap.Mean != 0 || slices.ContainsFunc(gap.PerTime, func(v float64) bool { return v != 0 }) {
		t.Errorf("gap of the optimum = %v per time %v, want exactly 0", gap.Mean, gap.PerTime)
	}
	a, _ := p.Loss(fresh)
	b, _ := p.Loss(p.Optimum())
	if a.Mean != b.Mean {
		t.Errorf("loss of a fresh optimum %v differs from the cached %v", a.Mean, b.Mean)
	}
	if z, _ := p.Loss(zeroScore(1)); z.Mean != 0 {
		t.Errorf("loss of the zero score = %v, want 0", z.Mean)
	}
}

// DSM identity: Loss(u) − Loss(u*) = ½E[s²|u − u*|²] in expectation. On
// the probe's draws the two sides differ by the mean-zero term
// s²δ·(u* + z/s), whose variance is at most that of the gap itself (the
// cross-covariance with ½s²δ² vanishes since E[u* + z/s | x] = 0), so 4
// gap standard errors bound the difference with >99.99% confidence.
func TestDSMIdentity(t *testing.T) {
	half := func(x *data.Set) *data.Set { return &data.Set{D: x.D, X: x.X[:len(x.X)/2]} }
	tests := []struct {
		name string
		x0   *data.Set
		sde  sde.SDE
	}{
		{"1-D ve", randomSet(2000, 1, 11), sde.DefaultVE()},
		{"2-D ou", randomSet(1000, 2, 12), ou{}},
	}
	for _, tt := range tests {
		p, err := NewLossProbe(tt.x0, tt.sde, ProbeConfig{Times: 20, PointsPerTime: 400, Epsilon: tt.sde.MinTime(), Seed: 9})
		if err != nil {
			t.Fatal(err)
		}
		opt := p.Optimum()
		other, err := NewEmpiricalOptimum(half(tt.x0), tt.sde)
		if err != nil {
			t.Fatal(err)
		}
		models := []struct {
			name string
			u    sampler.Score
		}{
			{"u*+0.3", perturbed(opt, func(float64) float64 { return 0.3 })},
			{"u*+0.5sin(3x)", perturbed(opt, func(x float64) float64 { return 0.5 * math.Sin(3*x) })},
			{"zero", zeroScore(tt.x0.D)},
			{"optimum of half the data", other},
		}
		for _, m := range models {
			gap, err := p.Gap(m.u)
			if err != nil {
				t.Fatal(err)
			}
			se, err := p.ScoreError(m.u, opt)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(gap.Mean-se.Mean/2) > 4*gap.StdErr {
				t.Errorf("%s, %s: gap %.5g ± %.2g, ½·score error %.5g", tt.name, m.name, gap.Mean, gap.StdErr, se.Mean/2)
			}
			t.Logf("%s, %s: gap %.5g ± %.2g, ½·score error %.5g", tt.name, m.name, gap.Mean, gap.StdErr, se.Mean/2)
			// The half-data optimum is close to u* except near t=0; the
			// other models must give a gap the draws resolve, or the
			// comparison above would be vacuous.
			if m.name != "optimum of half the data" && !(gap.StdErr < 0.2*gap.Mean) {
				t.Errorf("%s, %s: gap %.5g ± %.2g is not resolved", tt.name, m.name, gap.Mean, gap.StdErr)
			}
		}
		// A constant shift δ has score error δ²·d·mean_k s(t_k)², exactly.
		se, err := p.ScoreError(models[0].u, opt)
		if err != nil {
			t.Fatal(err)
		}
		want := 0.0
		for _, tm := range p.Times {
			want += 0.09 * float64(tt.x0.D) * tt.sde.Std(tm) * tt.sde.Std(tm) / float64(len(p.Times))
		}
		if math.Abs(se.Mean-want) > 1e-12*want {
			t.Errorf("%s: score error of u*+0.3 = %.15g, want %.15g", tt.name, se.Mean, want)
		}
	}
}

func TestLossProbeErrors(t *testing.T) {
	x0 := randomSet(20, 1, 1)
	ve := sde.DefaultVE()
	for _, tt := range []struct {
		c    ProbeConfig
		want string
	}{
		{ProbeConfig{Times: 0, PointsPerTime: 5}, "at least 1 time"},
		{ProbeConfig{Times: 3, PointsPerTime: 0}, "at least 1 point"},
		{ProbeConfig{Times: 3, PointsPerTime: 5, Epsilon: -0.1}, "epsilon"},
		{ProbeConfig{Times: 3, PointsPerTime: 5, Epsilon: 1}, "epsilon"},
		{ProbeConfig{Times: 3, PointsPerTime: 5, Epsilon: math.NaN()}, "epsilon"},
	} {
		if _, err := NewLossProbe(x0, ve, tt.c); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("config %+v: error %v, want one containing %q", tt.c, err, tt.want)
		}
	}
	p, err := NewLossProbe(x0, ve, ProbeConfig{Times: 3, PointsPerTime: 5, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	nan := sampler.ScoreFunc{D: 1, F: func(x []float64, t float64, out []float64) {
		for i := range out {
			out[i] = math.NaN()
		}
	}}
	if _, err := p.Loss(zeroScore(2)); err == nil || !strings.Contains(err.Error(), "dimension") {
		t.Errorf("2-D model on 1-D data: error %v", err)
	}
	if _, err := p.Gap(nan); err == nil || !strings.Contains(err.Error(), "NaN") {
		t.Errorf("NaN model: error %v", err)
	}
	if _, err := p.ScoreError(zeroScore(1), nil); err == nil {
		t.Error("nil reference: no error")
	}
}

// BenchmarkNewLossProbe builds a 20×500 probe on 10,000 four-well points,
// which evaluates the exact optimum at 10,000 points spread over t.
func BenchmarkNewLossProbe(b *testing.B) {
	g, err := NewGibbs(langevin.FourWell{}, 2)
	if err != nil {
		b.Fatal(err)
	}
	x0 := &data.Set{D: 1, X: g.Sample(rand.New(rand.NewPCG(1, 2)), 10000)}
	for b.Loop() {
		if _, err := NewLossProbe(x0, sde.DefaultVE(), ProbeConfig{Times: 20, PointsPerTime: 500, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
}
