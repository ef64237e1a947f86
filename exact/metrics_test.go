package exact

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"gonum.org/v1/gonum/integrate/quad"
	"gonum.org/v1/gonum/stat/distuv"

	"scoresde/langevin"
)

func harmonicGibbs(t *testing.T, beta float64) *Gibbs {
	t.Helper()
	g, err := NewGibbs(langevin.Harmonic{D: 1}, beta)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// W1 of a single sample x0 is E|X − x0|, in closed form for a normal.
func TestW1SingleSample(t *testing.T) {
	const beta = 2.0
	g := harmonicGibbs(t, beta)
	sd := 1 / math.Sqrt(beta)
	norm := distuv.Normal{Mu: 0, Sigma: sd}
	for _, x0 := range []float64{0, 0.3, -1.1, 2.5, 40} {
		want := sd*math.Sqrt(2/math.Pi)*math.Exp(-x0*x0/(2*sd*sd)) + x0*(2*norm.CDF(x0)-1)
		got, err := W1(g, []float64{x0})
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(got-want) > 1e-10*math.Max(1, want) {
			t.Errorf("W1({%v}) = %.15g, want E|X−x0| = %.15g", x0, got, want)
		}
	}
}

// W1 against direct quadrature of |F_n − F| between consecutive samples
// (each gap split into 50 pieces of 16-point Gauss–Legendre, which bounds
// the error from the kink where F crosses F_n to ~1e−9 per kink).
func TestW1AgainstQuadrature(t *testing.T) {
	g, err := NewGibbs(langevin.FourWell{}, 2)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(5, 6))
	xs := g.Sample(rng, 40)
	xs = append(xs, xs[0], -1.6, 2.0) // a tie and two samples outside the support
	got, err := W1(g, xs)
	if err != nil {
		t.Fatal(err)
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	lo, hi := g.Support()
	bps := append([]float64{math.Min(lo, s[0])}, s...)
	bps = append(bps, math.Max(hi, s[len(s)-1]))
	want := 0.0
	n := float64(len(s))
	for k := 0; k+1 < len(bps); k++ {
		c := float64(k) / n // samples ≤ bps[k] (the first breakpoint is not a sample)
		f := func(x float64) float64 { return math.Abs(c - g.CDF(x)) }
		a, b := bps[k], bps[k+1]
		for j := range 50 {
			want += quad.Fixed(f, a+(b-a)*float64(j)/50, a+(b-a)*float64(j+1)/50, 16, quad.Legendre{}, 0)
		}
	}
	if math.Abs(got-want) > 1e-7 {
		t.Errorf("W1 = %.12g, direct quadrature %.12g", got, want)
	}
}

func TestExpectedW1(t *testing.T) {
	const beta, n = 0.5, 400
	g := harmonicGibbs(t, beta)
	norm := distuv.Normal{Mu: 0, Sigma: 1 / math.Sqrt(beta)}
	f := func(x float64) float64 { F := norm.CDF(x); return math.Sqrt(F * (1 - F)) }
	want := math.Sqrt(2/math.Pi) * independentIntegral(f, -20, 20) / math.Sqrt(n)
	// In the upper tail 1−F is rounded to ~1e−16 and sqrt turns that into
	// ~1e−8 per unit length, in both computations: hence 1e−6 relative.
	if got := ExpectedW1(g, n); math.Abs(got-want) > 1e-6*want {
		t.Errorf("ExpectedW1 = %.12g, want %.12g", got, want)
	}
}

func TestKS(t *testing.T) {
	g := harmonicGibbs(t, 1)
	Phi := func(x float64) float64 { return 0.5 * (1 + math.Erf(x/math.Sqrt2)) }
	tests := []struct {
		name    string
		samples []float64
		want    float64
	}{
		// One sample at x0: F_n jumps from 0 to 1, so D = max(F, 1−F).
		{"one sample", []float64{0.5}, Phi(0.5)},
		// At ±1 the gaps are F(−1), ½ − F(−1), F(1) − ½, 1 − F(1).
		{"two samples", []float64{1, -1}, Phi(1) - 0.5},
		{"far outside", []float64{50}, 1},
	}
	for _, tt := range tests {
		got, err := KS(g, tt.samples)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("%s: KS = %.15g, want %.15g", tt.name, got, tt.want)
		}
	}
}

// Hand-computed: for N(0,1) on two bins of its symmetric support each bin
// has Gibbs mass ½.
func TestKLHistogram(t *testing.T) {
	g := harmonicGibbs(t, 1)
	const floor = 1e-6
	tests := []struct {
		name    string
		samples []float64
		want    float64
	}{
		{"matching", []float64{-1, 2}, 0},
		{"3 left 1 right", []float64{-1, -2, -0.5, 1}, 0.5 * math.Log(4.0/3)},                    // Q = (¾, ¼)
		{"empty bin floored", []float64{-1, -2}, 0.5*math.Log(0.5) + 0.5*math.Log(0.5/floor)},    // Q = (1, floor)
		{"escaped sample", []float64{-1, -2, 3, 100}, 0.5 * math.Log(2)},                         // Q = (½, ¼)
		{"all escaped", []float64{100, -100}, 0.5*math.Log(0.5/floor) + 0.5*math.Log(0.5/floor)}, // Q = (floor, floor)
	}
	for _, tt := range tests {
		got, err := KLHistogram(g, tt.samples, 2, floor)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("%s: KL = %.15g, want %.15g", tt.name, got, tt.want)
		}
	}
}

func TestMetricErrors(t *testing.T) {
	g := harmonicGibbs(t, 1)
	ok := []float64{0.1, 0.2}
	if _, err := W1(g, nil); err == nil {
		t.Error("W1 with no samples: no error")
	}
	if _, err := W1(g, []float64{0, math.NaN()}); err == nil {
		t.Error("W1 with NaN sample: no error")
	}
	if _, err := KS(g, []float64{math.Inf(1)}); err == nil {
		t.Error("KS with Inf sample: no error")
	}
	for _, c := range []struct {
		s     []float64
		bins  int
		floor float64
	}{{ok, 0, 1e-6}, {ok, 2, 0}, {ok, 2, 1}, {ok, 2, math.NaN()}, {nil, 2, 1e-6}, {[]float64{math.NaN()}, 2, 1e-6}} {
		if _, err := KLHistogram(g, c.s, c.bins, c.floor); err == nil {
			t.Errorf("KLHistogram(%v, %d, %v): no error", c.s, c.bins, c.floor)
		}
	}
}

// For exact samples 2n·KL is asymptotically χ² with B−1 degrees of
// freedom, B the bins with n·P_b ≫ 1: mean B−1, standard deviation
// sqrt(2(B−1)). The mean over R seeds must be within 4 standard errors.
func TestKLHistogramExactSamplesBias(t *testing.T) {
	g, err := NewGibbs(langevin.FourWell{}, 2)
	if err != nil {
		t.Fatal(err)
	}
	const n, bins, R = 5000, 20, 20
	lo, hi := g.Support()
	dof := -1.0
	for b := range bins {
		P := g.CDF(lo+float64(b+1)*(hi-lo)/bins) - g.CDF(lo+float64(b)*(hi-lo)/bins)
		if P*n > 5 {
			dof++
		}
	}
	mean := 0.0
	for s := range R {
		kl, err := KLHistogram(g, g.Sample(rand.New(rand.NewPCG(uint64(s), 3)), n), bins, 1e-6)
		if err != nil {
			t.Fatal(err)
		}
		mean += 2 * n * kl / R
	}
	if se := math.Sqrt(2 * dof / R); math.Abs(mean-dof) > 4*se {
		t.Errorf("mean 2n·KL = %.2f, want %v ± %.2f (χ² with %v degrees of freedom)", mean, dof, 4*se, dof)
	}
}
