package reweight

import (
	"math"
	"math/rand/v2"
	"testing"

	"scoresde/exact"
	"scoresde/langevin"
	"scoresde/sampler"
	"scoresde/sde"
)

// gaussModel is the exact score of data N(0, σ²) under an SDE, with the
// divergence: what a perfectly trained network would be.
type gaussModel struct {
	s     sde.SDE
	sigma float64
}

func (g gaussModel) Dim() int { return 1 }
func (g gaussModel) variance(t float64) float64 {
	m, sd := g.s.MeanScale(t), g.s.Std(t)
	return m*m*g.sigma*g.sigma + sd*sd
}
func (g gaussModel) Score(x []float64, t float64, out []float64) {
	v := g.variance(t)
	for i := range x {
		out[i] = -x[i] / v
	}
}
func (g gaussModel) ScoreDiv(x []float64, t float64, out, div []float64) {
	g.Score(x, t, out)
	for i := range div {
		div[i] = -1 / g.variance(t)
	}
}

// A Gaussian model N(0, q²) reweighted to the harmonic V = x²/2 at β: the
// weights are p/q for p = N(0, 1/β) and q the prior carried by the flow,
// known in closed form, and the Kish
// ESS fraction tends to 1/E_q[(p/q)²] = σ²·sqrt(2/σ² − 1/q²)/q. The model's
// samples and log-densities come through the probability-flow ODE, so
// this checks the whole chain.
func TestHarmonicClosedForm(t *testing.T) {
	p := sde.DefaultParams()
	s, err := sde.New("ve", p)
	if err != nil {
		t.Fatal(err)
	}
	const n = 20000
	const beta = 1.0
	g := gaussModel{s: s, sigma: 1.5}
	// The flow of a Gaussian score is linear, x_ε = x_T·sqrt(v(ε)/v(T)),
	// so the prior N(0, η_max²) is carried to N(0, q²) exactly.
	q2 := p.EtaMax * p.EtaMax * g.variance(0) / g.variance(s.T())
	x := make([]float64, n)
	s.SamplePrior(rand.New(rand.NewPCG(7, 8)), x)
	r, err := sampler.ProbabilityFlowLogP(s, g, x, sampler.Options{RTol: 1e-7, ATol: 1e-7})
	if err != nil {
		t.Fatal(err)
	}
	h := langevin.Harmonic{D: 1}
	energy := make([]float64, n)
	for i, v := range r.X {
		energy[i] = h.Value([]float64{v})
	}
	wt, err := New(r.LogP, energy, beta)
	if err != nil {
		t.Fatal(err)
	}
	// Exact weights: p(x)/q(x) normalised.
	exactLW := make([]float64, n)
	for i, v := range r.X {
		exactLW[i] = -beta*v*v/2 + v*v/(2*q2)
	}
	ew, _ := Normalize(exactLW)
	worst := 0.0
	for i := range ew {
		worst = math.Max(worst, math.Abs(wt.W[i]-ew[i])/ew[i])
	}
	if worst > 1e-3 {
		t.Errorf("largest relative weight error %.3g, want ≤ 1e-3", worst)
	}
	sigma2 := 1 / beta
	want := sigma2 * math.Sqrt(2/sigma2-1/q2) / math.Sqrt(q2)
	got := KishESS(wt.W) / n
	// The estimator's spread at n = 20000 is ~0.003 here; 0.015 is 5 s.d.
	if math.Abs(got-want) > 0.015 {
		t.Errorf("ESS fraction %.4f, want %.4f", got, want)
	}
	if mw := MaxWeight(wt.W); !(mw > 1.0/n && mw < 20.0/n) {
		t.Errorf("largest weight %.3g outside (1/n, 20/n)", mw)
	}
}

// mixture is a 1-D Gaussian mixture density.
type mixture struct{ w, mu, sd []float64 }

func (m mixture) logPDF(x float64) float64 {
	s := 0.0
	for k := range m.w {
		z := (x - m.mu[k]) / m.sd[k]
		s += m.w[k] * math.Exp(-0.5*z*z) / (m.sd[k] * math.Sqrt(2*math.Pi))
	}
	return math.Log(s)
}

func (m mixture) draw(rng *rand.Rand, n int) []float64 {
	x := make([]float64, n)
	for i := range x {
		u, k := rng.Float64(), 0
		for k < len(m.w)-1 && u > m.w[k] {
			u -= m.w[k]
			k++
		}
		x[i] = m.mu[k] + m.sd[k]*rng.NormFloat64()
	}
	return x
}

// Samples with the wrong proportions (0.8/0.2) of a two-well density whose
// true proportions are 0.3/0.7: reweighting by exp(−βV)/p with V the
// true density's −ln/β must give back 0.3/0.7, within the bootstrap error.
func TestWrongProportionsRecovered(t *testing.T) {
	const beta = 2.0
	truth := mixture{w: []float64{0.3, 0.7}, mu: []float64{-1, 1}, sd: []float64{0.3, 0.4}}
	model := mixture{w: []float64{0.8, 0.2}, mu: []float64{-1, 1}, sd: []float64{0.3, 0.4}}
	rng := rand.New(rand.NewPCG(9, 10))
	x := model.draw(rng, 20000)
	logP, energy := make([]float64, len(x)), make([]float64, len(x))
	for i, v := range x {
		logP[i] = model.logPDF(v)
		energy[i] = -truth.logPDF(v) / beta
	}
	wt, err := New(logP, energy, beta)
	if err != nil {
		t.Fatal(err)
	}
	raw := Shares(x, nil, []float64{0})
	sh, se := SharesBootstrap(x, wt.W, []float64{0}, 200, rng)
	if math.Abs(raw[0]-0.8) > 0.02 {
		t.Fatalf("unweighted share %.3f, want ≈ 0.8 (the test's premise)", raw[0])
	}
	for k, want := range []float64{0.3, 0.7} {
		if math.Abs(sh[k]-want) > 4*se[k] || se[k] > 0.01 {
			t.Errorf("basin %d: weighted share %.4f ± %.4f, want %.1f", k, sh[k], se[k], want)
		}
	}
	// ΔF of basin 0 relative to basin 1: −β⁻¹ ln(0.3/0.7).
	df := DeltaF(sh, 1, beta)
	if want := -math.Log(0.3/0.7) / beta; math.Abs(df[0]-want) > 0.05 {
		t.Errorf("ΔF %.4f, want %.4f", df[0], want)
	}
}

// With equal weights the weighted W1 and KS must equal package exact's
// unweighted ones, an independent implementation; with weights that
// duplicate samples they must equal the unweighted distance of the
// duplicated set.
func TestDistancesAgainstExact(t *testing.T) {
	g, err := exact.NewGibbs(langevin.FourWell{}, 2)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(11, 12))
	x := make([]float64, 3000)
	for i := range x {
		x[i] = 0.4*rng.NormFloat64() - 0.1
	}
	lo, hi := g.Support()
	w1, err := W1CDF(x, nil, g.CDF, lo, hi)
	if err != nil {
		t.Fatal(err)
	}
	w1e, _ := exact.W1(g, x)
	if math.Abs(w1-w1e) > 1e-4 {
		t.Errorf("W1 %.6f, exact package %.6f", w1, w1e)
	}
	ks, _ := KSCDF(x, nil, g.CDF)
	kse, _ := exact.KS(g, x)
	if math.Abs(ks-kse) > 1e-9 {
		t.Errorf("KS %.6f, exact package %.6f", ks, kse)
	}
	// Weight 2 on the first half = that half listed twice.
	w := make([]float64, len(x))
	var dup []float64
	for i := range x {
		w[i] = 1
		dup = append(dup, x[i])
		if i < len(x)/2 {
			w[i] = 2
			dup = append(dup, x[i])
		}
	}
	a, _ := W1CDF(x, w, g.CDF, lo, hi)
	b, _ := exact.W1(g, dup)
	if math.Abs(a-b) > 1e-4 {
		t.Errorf("weighted W1 %.6f, duplicated %.6f", a, b)
	}
}

// A KDE of N(0,1) draws, from the binned estimate, must match the normal
// density convolved with the kernel, N(0, 1 + h²), to within its noise.
func TestDensityAgainstClosedForm(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	x := make([]float64, 50000)
	for i := range x {
		x[i] = rng.NormFloat64()
	}
	const h = 0.2
	p, err := Density(x, nil, -4, 4, 401, h)
	if err != nil {
		t.Fatal(err)
	}
	v := 1 + h*h
	for j, pj := range p {
		xj := -4 + 8*float64(j)/400
		want := math.Exp(-xj*xj/(2*v)) / math.Sqrt(2*math.Pi*v)
		if math.Abs(pj-want) > 0.01 {
			t.Fatalf("density at %.2f: %.4f, want %.4f", xj, pj, want)
		}
	}
	s, err := Density2D(interleave(x[:25000], x[25000:]), nil, -4, 4, -4, 4, 81, 81, h, h)
	if err != nil {
		t.Fatal(err)
	}
	for j, yj := range s.Y {
		for i, xi := range s.X {
			want := math.Exp(-(xi*xi+yj*yj)/(2*v)) / (2 * math.Pi * v)
			if math.Abs(s.Z[j*len(s.X)+i]-want) > 0.012 {
				t.Fatalf("2-D density at (%.1f, %.1f): %.4f, want %.4f", xi, yj, s.Z[j*len(s.X)+i], want)
			}
		}
	}
}

func interleave(a, b []float64) []float64 {
	out := make([]float64, 0, 2*len(a))
	for i := range a {
		out = append(out, a[i], b[i])
	}
	return out
}

func TestNewRejectsBadInput(t *testing.T) {
	for _, c := range []struct {
		logP, energy []float64
		beta         float64
	}{
		{[]float64{0}, []float64{0, 1}, 1},
		{nil, nil, 1},
		{[]float64{0}, []float64{0}, 0},
		{[]float64{math.NaN()}, []float64{0}, 1},
		{[]float64{0}, []float64{math.NaN()}, 1},
		{[]float64{0}, []float64{math.Inf(1)}, 1},
	} {
		if _, err := New(c.logP, c.energy, c.beta); err == nil {
			t.Errorf("New(%v, %v, %v) accepted", c.logP, c.energy, c.beta)
		}
	}
}
