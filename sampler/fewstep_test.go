package sampler

import (
	"math"
	"math/rand/v2"
	"testing"

	"scoresde/sde"
)

// normalScore is the exact score of p_t for 1-D data N(0, v):
// p_t = N(0, m(t)²v + s(t)²). In σ-coordinates p̂_σ = N(0, v + σ²), the
// denoiser is D(x̂, σ) = x̂·v/(v+σ²) and the probability-flow ODE maps x̂
// at σ₀ to x̂·√((v+σ²)/(v+σ₀²)) at σ: an exact solution to converge to.
type normalScore struct {
	s     sde.SDE
	v     float64
	calls int
}

func (g *normalScore) Dim() int { return 1 }

func (g *normalScore) Score(x []float64, t float64, out []float64) {
	g.calls++
	m, sd := g.s.MeanScale(t), g.s.Std(t)
	q := m*m*g.v + sd*sd
	for j := range x {
		out[j] = -x[j] / q
	}
}

func fewStepSDEs() map[string]sde.SDE {
	return map[string]sde.SDE{"ve": sde.DefaultVE(), "vp": sde.DefaultVP(), "subvp": sde.DefaultSubVP()}
}

// TestSigmaInverse checks TimeOfSigma against Sigma and the closed forms
// σ²_VP = e^B − 1 and σ_subVP = 2 sinh(B/2).
func TestSigmaInverse(t *testing.T) {
	vp, sub := sde.DefaultVP(), sde.DefaultSubVP()
	for _, tt := range []float64{1e-5, 0.01, 0.3, 0.7, 1} {
		B := vp.IntegratedBeta(tt)
		if got, want := Sigma(vp, tt), math.Sqrt(math.Expm1(B)); math.Abs(got-want) > 1e-9*want {
			t.Errorf("vp σ(%v) = %v, want %v", tt, got, want)
		}
		if got, want := Sigma(sub, tt), 2*math.Sinh(B/2); math.Abs(got-want) > 1e-9*want {
			t.Errorf("subvp σ(%v) = %v, want %v", tt, got, want)
		}
		for name, s := range fewStepSDEs() {
			if got := TimeOfSigma(s, Sigma(s, tt)); math.Abs(got-tt) > 1e-9 {
				t.Errorf("%s: t(σ(%v)) = %v", name, tt, got)
			}
		}
	}
}

func TestKarrasSigmas(t *testing.T) {
	got := KarrasSigmas(0.002, 80, 18, 7)
	if len(got) != 19 || math.Abs(got[0]-80) > 1e-12 || got[17] != 0.002 || got[18] != 0 {
		t.Fatalf("ends %v … %v, want 80 … 0.002, 0", got[0], got[16:])
	}
	// EDM's schedule, i = 1: (80^{1/7} + (0.002^{1/7} − 80^{1/7})/17)^7.
	if want := math.Pow(math.Pow(80, 1.0/7)+(math.Pow(0.002, 1.0/7)-math.Pow(80, 1.0/7))/17, 7); math.Abs(got[1]-want) > 1e-12*want {
		t.Errorf("σ₁ = %v, want %v", got[1], want)
	}
	for i := 1; i < 18; i++ {
		if !(got[i] < got[i-1]) {
			t.Errorf("not decreasing at %d: %v", i, got)
		}
	}
	l := LogSNRSigmas(0.01, 100, 5)
	for i := 1; i < 5; i++ {
		if r := l[i-1] / l[i]; math.Abs(r-10) > 1e-9 {
			t.Errorf("log-SNR ratio %v at %d, want 10", r, i)
		}
	}
}

// flowError runs method with n steps on 1-D N(0, v) data with the exact
// score, from fixed points, and returns the largest error of the state at
// σ(ε) (state n−1) against the exact probability-flow map, and the NFE.
func flowError(t *testing.T, s sde.SDE, method string, n int) (float64, int) {
	t.Helper()
	const v = 0.25
	g := &normalScore{s: s, v: v}
	x0 := []float64{-2, -0.5, 0.3, 1, 2.5}
	mT := s.MeanScale(s.T())
	x := make([]float64, len(x0))
	for j, u := range x0 {
		x[j] = u * mT * math.Sqrt(v+math.Pow(Sigma(s, s.T()), 2)) // x̂(T) = u·std
	}
	res, err := Sample(s, g, x, Options{N: n, Method: method, Keep: []int{n - 1}, Eps: DefaultEps}, nil)
	if err != nil {
		t.Fatal(err)
	}
	eps := s.MinTime()
	sMin, m := Sigma(s, eps), s.MeanScale(eps)
	worst := 0.0
	for j, u := range x0 {
		want := m * u * math.Sqrt(v+sMin*sMin)
		worst = max(worst, math.Abs(res.Snapshots[0][j]-want))
	}
	if g.calls != res.NFE {
		t.Errorf("%s: NFE %d but %d score calls", method, res.NFE, g.calls)
	}
	return worst, res.NFE
}

// TestFewStepOrder checks that EDM's Heun and DPM-Solver++(2M) converge at
// second order: doubling the steps divides the error by about 4. The
// grids have n−1 intervals down to σ(ε), so the expected ratio is
// ((2n−1)/(n−1))², and the measured order must lie in [1.7, 2.3] (first
// order would give 1). At 32 steps all three SDEs are in the asymptotic
// regime (VP's σ spans 0.001 to 152, and below 32 steps the errors
// are still settling).
func TestFewStepOrder(t *testing.T) {
	for name, s := range fewStepSDEs() {
		for _, tc := range []struct {
			method string
			nfe    func(n int) int
		}{
			{"edm", func(n int) int { return 2*n - 1 }},
			{"dpm2m", func(n int) int { return n }},
		} {
			const n = 32
			e1, nfe1 := flowError(t, s, tc.method, n)
			e2, nfe2 := flowError(t, s, tc.method, 2*n)
			if nfe1 != tc.nfe(n) || nfe2 != tc.nfe(2*n) {
				t.Errorf("%s %s: NFE %d, %d, want %d, %d", name, tc.method, nfe1, nfe2, tc.nfe(n), tc.nfe(2*n))
			}
			order := math.Log(e1/e2) / math.Log(float64(2*n-1)/float64(n-1))
			t.Logf("%s %s: error %.3g at %d steps, %.3g at %d: order %.2f", name, tc.method, e1, n, e2, 2*n, order)
			if !(order > 1.7 && order < 2.3) || !(e2 < 0.01) {
				t.Errorf("%s %s: errors %.3g → %.3g, order %.2f, want second order", name, tc.method, e1, e2, order)
			}
		}
	}
}

// ancestralVarError is |Var − (v+σ(ε)²)m²| of state n−1 of EulerAncestral
// on N(0, v) data from exact prior draws.
func ancestralVarError(t *testing.T, s sde.SDE, n int) float64 {
	t.Helper()
	const v, pts = 0.25, 200000
	rng := rand.New(rand.NewPCG(1, 2))
	mT := s.MeanScale(s.T())
	sd := mT * math.Sqrt(v+math.Pow(Sigma(s, s.T()), 2))
	x := make([]float64, pts)
	for j := range x {
		x[j] = sd * rng.NormFloat64()
	}
	res, err := Sample(s, &normalScore{s: s, v: v}, x, Options{N: n, Method: "ancestral", Keep: []int{n - 1}, Eps: DefaultEps}, rng)
	if err != nil {
		t.Fatal(err)
	}
	if res.NFE != n {
		t.Errorf("ancestral NFE %d, want %d", res.NFE, n)
	}
	var q float64
	for _, u := range res.Snapshots[0] {
		q += u * u
	}
	eps := s.MinTime()
	m, sMin := s.MeanScale(eps), Sigma(s, eps)
	want := m * m * (v + sMin*sMin)
	return math.Abs(q/pts-want) / want
}

// TestAncestralOrder checks Euler ancestral's weak first order on the
// variance: doubling the steps about halves its relative error (at 64
// and 128 steps: 6.5% → 3.5% for VE, 19% → 10% for VP). The estimate's
// noise, √(2/200000) ≈ 0.3%, is well below those errors.
func TestAncestralOrder(t *testing.T) {
	for name, s := range fewStepSDEs() {
		e1, e2 := ancestralVarError(t, s, 64), ancestralVarError(t, s, 128)
		order := math.Log(e1/e2) / math.Log(127.0/63)
		t.Logf("%s ancestral: variance error %.4f at 64 steps, %.4f at 128: order %.2f", name, e1, e2, order)
		if !(order > 0.7 && order < 1.3) {
			t.Errorf("%s ancestral: variance errors %.4f → %.4f, order %.2f, want first order", name, e1, e2, order)
		}
	}
}
