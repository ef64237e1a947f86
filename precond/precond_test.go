package precond

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"scoresde/sde"
)

var testSDEs = []sde.SDE{sde.DefaultVE(), sde.DefaultVP(), sde.DefaultSubVP()}

// gauss is data N(0, v0): under an SDE x_t = m x₀ + s z has variance
// V = m²v0 + s², score −x/V, E[x₀|x] = m·v0·x/V and E[z|x] = s·x/V.
type gauss struct{ v0 float64 }

func (g gauss) V(s sde.SDE, t float64) float64 {
	m, sd := s.MeanScale(t), s.Std(t)
	return m*m*g.v0 + sd*sd
}

// fakeNet plays a network whose output is a known function of the point x
// (before In) at the time set in t; it records the inputs it was given.
type fakeNet struct {
	t        float64
	f        func(x, t float64) float64
	in       float64 // the coefficient expected on x, to recover x
	gotIn    []float64
	gotNoise float64
}

func (n *fakeNet) Dim() int { return 1 }

func (n *fakeNet) Score(x []float64, noise float64, out []float64) {
	n.gotIn = append(n.gotIn[:0], x...)
	n.gotNoise = noise
	for i, v := range x {
		out[i] = n.f(v/n.in, n.t)
	}
}

func (n *fakeNet) ScoreDiv(x []float64, noise float64, out, div []float64) {
	n.Score(x, noise, out)
	// The ideal outputs are linear in x: d/d(input) f(input/in) is exact.
	for i := range x {
		div[i] = (n.f(1, n.t) - n.f(0, n.t)) / n.in
	}
}

// Each parametrisation maps the ideal network output for Gaussian data —
// the score itself (none), the posterior mean of the noise (sigma), EDM's
// F = (E[x₀|x]/… − c_skip·x̂)/c_out (edm) — to the exact score, at every t
// of every SDE; and feeds the network In·x and the documented noise input.
func TestPrecondMapsIdealOutputToExactScore(t *testing.T) {
	const v0 = 0.49 // data variance ≠ σ_data², so EDM's F is not zero
	const sigmaData = 0.8
	g := gauss{v0}
	for _, s := range testSDEs {
		eps := s.MinTime()
		warp := sde.NewTimeWarp(s, eps)
		ideal := map[string]func(x, t float64) float64{
			None: func(x, t float64) float64 { return -x / g.V(s, t) },
			Sigma: func(x, t float64) float64 {
				return s.Std(t) * x / g.V(s, t) // E[z | x]
			},
			EDM: func(x, t float64) float64 {
				// E[x₀|x] − c_skip·x/m = m·v0·x/V − c_skip·x/m, which with
				// c_skip = σ_d²/(σ²+σ_d²), σ = s/m, simplifies to
				// x·m·s²(v0 − σ_d²)/(V·(s² + m²σ_d²)) (no cancellation at small s).
				m, sd := s.MeanScale(t), s.Std(t)
				sig, q := sd/m, sd*sd+m*m*sigmaData*sigmaData
				co := sig * sigmaData / math.Sqrt(sig*sig+sigmaData*sigmaData)
				return x * m * sd * sd * (v0 - sigmaData*sigmaData) / (g.V(s, t) * q) / co
			},
		}
		for kind, f := range ideal {
			p, err := New(kind, s, eps, sigmaData)
			if err != nil {
				t.Fatal(err)
			}
			for _, tt := range []float64{eps, 1e-3, 0.05, 0.3, 0.7, s.T()} {
				m, sd := s.MeanScale(tt), s.Std(tt)
				wantIn, wantNoise := 1.0, warp.At(tt)
				if kind == EDM {
					sig := sd / m
					wantIn = 1 / (m * math.Sqrt(sig*sig+sigmaData*sigmaData))
					wantNoise = math.Log(sig) / 4
				}
				net := &fakeNet{t: tt, f: f, in: wantIn}
				sc := NewScore(net, p)
				x := []float64{-1.3, 0.2, 2.5}
				out := make([]float64, len(x))
				div := make([]float64, len(x))
				sc.ScoreDiv(x, tt, out, div)
				for i, xi := range x {
					want := -xi / g.V(s, tt)
					if math.Abs(out[i]-want) > 1e-9*max(1, math.Abs(want)) {
						t.Errorf("%s %s t=%v: score(%v) = %v, want %v", s.Name(), kind, tt, xi, out[i], want)
					}
					if wd := -1 / g.V(s, tt); math.Abs(div[i]-wd) > 1e-6*max(1, math.Abs(wd)) {
						t.Errorf("%s %s t=%v: divergence %v, want %v", s.Name(), kind, tt, div[i], wd)
					}
					if math.Abs(net.gotIn[i]-wantIn*xi) > 1e-12*max(1, math.Abs(wantIn*xi)) {
						t.Errorf("%s %s t=%v: network input %v, want In·x = %v", s.Name(), kind, tt, net.gotIn[i], wantIn*xi)
					}
				}
				if math.Abs(net.gotNoise-wantNoise) > 1e-12 {
					t.Errorf("%s %s t=%v: noise input %v, want %v", s.Name(), kind, tt, net.gotNoise, wantNoise)
				}
			}
		}
	}
}

// EDM's c_skip·x̂ alone is the exact denoiser of data N(0, σ_data²): with
// F = 0 the edm score is −x/(m²σ_d² + s²) at every t.
func TestEDMSkipIsGaussianDenoiser(t *testing.T) {
	const sd = 0.6
	for _, s := range testSDEs {
		p, err := New(EDM, s, s.MinTime(), sd)
		if err != nil {
			t.Fatal(err)
		}
		for _, tt := range []float64{s.MinTime(), 0.1, 0.5, s.T()} {
			c := p.At(tt)
			want := -1 / (gauss{sd * sd}).V(s, tt)
			if math.Abs(c.Skip-want) > 1e-9*math.Abs(want) {
				t.Errorf("%s t=%v: Skip %v, want %v", s.Name(), tt, c.Skip, want)
			}
		}
	}
}

// None is the network's output bit for bit, fed t through the time warp.
func TestNoneIsTheNetwork(t *testing.T) {
	s := sde.DefaultVP()
	p, err := New(None, s, s.MinTime(), 0)
	if err != nil {
		t.Fatal(err)
	}
	f := func(x, t float64) float64 { return math.Sin(3*x) / (t + 0.1) }
	net := &fakeNet{f: f, in: 1}
	sc := NewScore(net, p)
	x := []float64{0.1, -0.7}
	out := make([]float64, 2)
	for _, tt := range []float64{1e-4, 0.4} {
		net.t = tt
		sc.Score(x, tt, out)
		for i := range x {
			if out[i] != f(x[i], tt) {
				t.Errorf("t=%v: %v, want the network's %v", tt, out[i], f(x[i], tt))
			}
		}
	}
}

// EDM's training times have ln σ(t) distributed as N(PMean, PStd²)
// truncated to [ln σ(ε), ln σ(T)]: check the empirical CDF at several
// points against the truncated normal's (n = 20000: 5 standard errors of
// a proportion are ≤ 0.018).
func TestEDMTimeDistribution(t *testing.T) {
	for _, s := range testSDEs {
		p, err := New(EDM, s, s.MinTime(), 0.5)
		if err != nil {
			t.Fatal(err)
		}
		sig := func(t float64) float64 { return s.Std(t) / s.MeanScale(t) }
		a, b := math.Log(sig(s.MinTime())), math.Log(sig(s.T()))
		cdf := func(y float64) float64 {
			F := func(y float64) float64 { return 0.5 * math.Erfc(-(y-PMean)/(PStd*math.Sqrt2)) }
			return (F(y) - F(a)) / (F(b) - F(a))
		}
		rng := rand.New(rand.NewPCG(3, 4))
		const n = 20000
		ys := make([]float64, n)
		for i := range ys {
			tt := p.Time(rng.Float64())
			if tt < s.MinTime() || tt > s.T() {
				t.Fatalf("%s: time %v outside [ε, T]", s.Name(), tt)
			}
			ys[i] = math.Log(sig(tt))
		}
		for _, q := range []float64{0.1, 0.3, 0.5, 0.7, 0.9} {
			y := a + q*(b-a)
			c := 0
			for _, v := range ys {
				if v <= y {
					c++
				}
			}
			if got, want := float64(c)/n, cdf(y); math.Abs(got-want) > 0.018 {
				t.Errorf("%s: P(ln σ ≤ %.3f) = %.4f, want %.4f", s.Name(), y, got, want)
			}
		}
	}
}

func TestKinds(t *testing.T) {
	for _, tc := range []struct{ kind, sde, want string }{
		{Auto, "ve", None}, {Auto, "vp", EDM}, {Auto, "subvp", EDM}, {EDM, "ve", EDM}, {None, "vp", None},
	} {
		if got := Resolve(tc.kind, tc.sde); got != tc.want {
			t.Errorf("Resolve(%s, %s) = %s, want %s", tc.kind, tc.sde, got, tc.want)
		}
	}
	if err := Check("ddpm"); err == nil || !strings.Contains(err.Error(), "choose") {
		t.Errorf("Check(ddpm) = %v", err)
	}
	for _, c := range []Config{{Kind: "x"}, {Kind: EDM}, {Kind: EDM, SigmaData: math.Inf(1)}, {Kind: Auto}} {
		if c.Validate() == nil {
			t.Errorf("%+v validated", c)
		}
	}
	if _, err := New(EDM, sde.DefaultVP(), 0, 0.5); err == nil {
		t.Error("edm with σ(ε) = 0 accepted")
	}
}

func ExampleEDMCoefs() {
	c := EDMCoefs(0.5, 0.5) // σ = σ_data: half skip, half network
	fmt.Printf("c_in %.4f c_noise %.4f c_skip %.2f c_out %.4f\n", c.In, c.Noise, c.Skip, c.Out)
	// Output:
	// c_in 1.4142 c_noise -0.1733 c_skip 0.50 c_out 0.3536
}
