package exact

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/integrate/quad"
	"gonum.org/v1/gonum/stat/distuv"

	"scoresde/langevin"
)

// potFunc is a 1-D potential from a function, for error cases.
type potFunc func(x float64) float64

func (potFunc) Dim() int                    { return 1 }
func (f potFunc) Value(x []float64) float64 { return f(x[0]) }
func (potFunc) Grad(x, g []float64)         { g[0] = math.NaN() }

// independentIntegral integrates f over [lo, hi] with gonum's 64-point
// Gauss–Legendre rule on 300 equal pieces: different nodes and panels from
// the package's 8-point rule, so agreement is an independent check.
func independentIntegral(f func(float64) float64, lo, hi float64) float64 {
	const pieces = 300
	s := 0.0
	for k := range pieces {
		a := lo + (hi-lo)*float64(k)/pieces
		b := lo + (hi-lo)*float64(k+1)/pieces
		s += quad.Fixed(f, a, b, 64, quad.Legendre{}, 0)
	}
	return s
}

func TestNewGibbsErrors(t *testing.T) {
	tests := []struct {
		name string
		p    langevin.Potential
		beta float64
		want string
	}{
		{"nil potential", nil, 1, "nil potential"},
		{"2-D potential", langevin.Harmonic{D: 2}, 1, "1-D potential"},
		{"zero beta", langevin.FourWell{}, 0, "β must be positive"},
		{"negative beta", langevin.FourWell{}, -1, "β must be positive"},
		{"NaN beta", langevin.FourWell{}, math.NaN(), "β must be positive"},
		{"infinite beta", langevin.FourWell{}, math.Inf(1), "β must be positive"},
		{"flat potential", potFunc(func(float64) float64 { return 0 }), 1, "not normalisable"},
		{"unbounded below", potFunc(func(x float64) float64 { return -x * x }), 1, "not normalisable"},
		{"NaN potential", potFunc(func(x float64) float64 { return math.NaN() }), 1, "must be finite"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewGibbs(tt.p, tt.beta)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
	for _, b := range [][2]float64{{1, 1}, {2, 1}, {math.NaN(), 1}, {0, math.Inf(1)}} {
		if _, err := NewGibbsOn(langevin.FourWell{}, 2, b[0], b[1]); err == nil {
			t.Errorf("NewGibbsOn bounds %v: no error", b)
		}
	}
	if _, err := NewGibbsOn(potFunc(func(float64) float64 { return math.Inf(1) }), 1, -1, 1); err == nil {
		t.Error("NewGibbsOn with V = +Inf everywhere: no error")
	}
}

// The density integrates to 1 by an independent rule, and the CDF matches
// independent integrals of the PDF.
func TestGibbsNormalisation(t *testing.T) {
	tests := []struct {
		name string
		p    langevin.Potential
		beta float64
	}{
		{"fourwell β=2 (notebook)", langevin.FourWell{}, 2},
		{"fourwell β=8", langevin.FourWell{}, 8},
		{"doublewell β=3", langevin.DoubleWell{}, 3},
		{"harmonic β=0.5", langevin.Harmonic{D: 1}, 0.5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, err := NewGibbs(tt.p, tt.beta)
			if err != nil {
				t.Fatal(err)
			}
			lo, hi := g.Support()
			if z := independentIntegral(g.PDF, lo, hi); math.Abs(z-1) > 1e-8 {
				t.Errorf("∫p over the support = %.15g, want 1 within 1e-8", z)
			}
			// Mass beyond the support is negligible: integrate one more
			// support width on each side.
			w := hi - lo
			if tail := independentIntegral(g.PDF, lo-w, lo) + independentIntegral(g.PDF, hi, hi+w); tail > 1e-12 {
				t.Errorf("mass outside the support %g, want < 1e-12", tail)
			}
			for _, u := range []float64{0.05, 0.25, 0.5, 0.8, 0.97} {
				x := lo + u*(hi-lo)
				want := independentIntegral(g.PDF, lo, x)
				if got := g.CDF(x); math.Abs(got-want) > 1e-10 {
					t.Errorf("CDF(%v) = %.15g, independent integral %.15g", x, got, want)
				}
			}
		})
	}
}

// Against the closed form: V = x²/2 gives N(0, 1/β).
func TestGibbsHarmonic(t *testing.T) {
	for _, beta := range []float64{0.5, 1, 4} {
		g, err := NewGibbs(langevin.Harmonic{D: 1}, beta)
		if err != nil {
			t.Fatal(err)
		}
		sd := 1 / math.Sqrt(beta)
		norm := distuv.Normal{Mu: 0, Sigma: sd}
		if got, want := g.LogZ(), 0.5*math.Log(2*math.Pi/beta); math.Abs(got-want) > 1e-12 {
			t.Errorf("β=%v: log Z = %.15g, want %.15g", beta, got, want)
		}
		for _, z := range []float64{-4, -2.5, -1, -0.3, 0, 0.7, 1.5, 3, 5} {
			x := z * sd
			if got, want := g.PDF(x), norm.Prob(x); math.Abs(got-want) > 1e-12*want {
				t.Errorf("β=%v: PDF(%v) = %.15g, want %.15g", beta, x, got, want)
			}
			if got, want := g.CDF(x), 0.5*(1+math.Erf(x*math.Sqrt(beta/2))); math.Abs(got-want) > 1e-12 {
				t.Errorf("β=%v: CDF(%v) = %.15g, want %.15g", beta, x, got, want)
			}
			want := x*x/2 + math.Log(2*math.Pi/beta)/(2*beta)
			if got := g.FreeEnergy(x); math.Abs(got-want) > 1e-12*math.Max(1, math.Abs(want)) {
				t.Errorf("β=%v: FreeEnergy(%v) = %.15g, want %.15g", beta, x, got, want)
			}
		}
		for _, u := range []float64{1e-6, 0.01, 0.2, 0.5, 0.9, 0.999} {
			if got, want := g.Quantile(u), norm.Quantile(u); math.Abs(got-want) > 1e-9*sd {
				t.Errorf("β=%v: Quantile(%v) = %.15g, want %.15g", beta, u, got, want)
			}
		}
	}
}

func TestGibbsQuantile(t *testing.T) {
	g, err := NewGibbs(langevin.FourWell{}, 2)
	if err != nil {
		t.Fatal(err)
	}
	lo, hi := g.Support()
	for i := 1; i < 1000; i++ {
		u := float64(i) / 1000
		x := g.Quantile(u)
		if got := g.CDF(x); math.Abs(got-u) > 1e-13 {
			t.Fatalf("CDF(Quantile(%v)) = %.17g", u, got)
		}
	}
	for _, tt := range []struct{ u, want float64 }{{0, lo}, {1, hi}} {
		if got := g.Quantile(tt.u); got != tt.want {
			t.Errorf("Quantile(%v) = %v, want %v", tt.u, got, tt.want)
		}
	}
	for _, u := range []float64{-0.1, 1.1, math.NaN()} {
		if got := g.Quantile(u); !math.IsNaN(got) {
			t.Errorf("Quantile(%v) = %v, want NaN", u, got)
		}
	}
	if got := g.CDF(math.NaN()); !math.IsNaN(got) {
		t.Errorf("CDF(NaN) = %v", got)
	}
}

// Sample inverts the Hermite table: its draws must match the exact
// quantiles of the same uniforms. The Hermite error is at most
// h⁴/384·max|p”'| ≈ 1e−10 in the CDF here, so 1e−8 in x leaves margin even
// where the density is low.
func TestSampleMatchesQuantile(t *testing.T) {
	g, err := NewGibbs(langevin.FourWell{}, 2)
	if err != nil {
		t.Fatal(err)
	}
	xs := g.Sample(rand.New(rand.NewPCG(3, 4)), 5000)
	rng := rand.New(rand.NewPCG(3, 4))
	worst := 0.0
	for _, x := range xs {
		u := rng.Float64()
		if u < 1e-6 || u > 1-1e-6 {
			continue // far tails: density tiny, x error not meaningful
		}
		worst = math.Max(worst, math.Abs(x-g.Quantile(u)))
	}
	if worst > 1e-8 {
		t.Errorf("max |Sample − Quantile| = %g, want < 1e-8", worst)
	}
	if g.Sample(rand.New(rand.NewPCG(1, 1)), 0) != nil {
		t.Error("Sample(0) is not empty")
	}
}

// Exact samples must be as far from the truth as sampling noise, no more:
// W1 near its expected level, KS below its 99% critical value.
func TestSampleW1AndKS(t *testing.T) {
	g, err := NewGibbs(langevin.FourWell{}, 2)
	if err != nil {
		t.Fatal(err)
	}
	const n, seeds = 5000, 8
	want := ExpectedW1(g, n)
	mean := 0.0
	var pooled []float64
	for s := range seeds {
		xs := g.Sample(rand.New(rand.NewPCG(uint64(s), 99)), n)
		w, err := W1(g, xs)
		if err != nil {
			t.Fatal(err)
		}
		mean += w / seeds
		pooled = append(pooled, xs...)
	}
	// 1.63/sqrt(N) is the asymptotic 99% point of the KS statistic; one test
	// on the pooled draws keeps the false-alarm rate at 1% (over 300 seeds
	// sqrt(n)·KS averaged 0.88 against the theoretical 0.87, 4 above 1.63).
	ks, err := KS(g, pooled)
	if err != nil {
		t.Fatal(err)
	}
	if crit := 1.63 / math.Sqrt(float64(len(pooled))); ks > crit {
		t.Errorf("KS = %.4f above the 99%% critical value %.4f", ks, crit)
	}
	// Over 40 seeds at n=1e4 a single W1 had relative spread 0.4, so the
	// mean of 8 has about 0.14: [0.6, 1.4] is ±3 of those. A shift of the
	// samples by ExpectedW1 alone would push the ratio above 1.4.
	if r := mean / want; r < 0.6 || r > 1.4 {
		t.Errorf("mean W1 %.5f is %.2f × the expected noise level %.5f, want within [0.6, 1.4]", mean, r, want)
	}
	// The same test on samples shifted by twice the noise level must fail.
	xs := g.Sample(rand.New(rand.NewPCG(0, 99)), n)
	for i := range xs {
		xs[i] += 2 * want
	}
	if w, _ := W1(g, xs); w/want < 1.4 {
		t.Errorf("shifted samples: W1 ratio %.2f, the test cannot detect a shift", w/want)
	}
}
