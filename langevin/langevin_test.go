package langevin

import (
	"math"
	"math/rand/v2"
	"testing"
)

// Gradients of every potential agree with central differences of Value.
func TestGradMatchesFiniteDifferences(t *testing.T) {
	cases := []struct {
		name string
		p    Potential
		pts  [][]float64
	}{
		{"fourwell", FourWell{}, [][]float64{{-0.9}, {-0.5}, {-0.1}, {0}, {0.23}, {0.5}, {0.8}}},
		{"doublewell", DoubleWell{}, [][]float64{{-1.3}, {0}, {0.4}, {2}}},
		{"harmonic3", Harmonic{D: 3}, [][]float64{{1, -2, 0.5}}},
		{"mullerbrown", MullerBrown{}, [][]float64{{-0.558, 1.442}, {0.6, 0.03}, {-0.05, 0.47}, {0.2, 0.8}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := c.p.Dim()
			g := make([]float64, d)
			for _, x := range c.pts {
				c.p.Grad(x, g)
				for j := range d {
					h := 1e-6
					xp := append([]float64(nil), x...)
					xm := append([]float64(nil), x...)
					xp[j] += h
					xm[j] -= h
					fd := (c.p.Value(xp) - c.p.Value(xm)) / (2 * h)
					if math.Abs(fd-g[j]) > 1e-5*(1+math.Abs(fd)) {
						t.Errorf("x=%v coord %d: grad %v, finite difference %v", x, j, g[j], fd)
					}
				}
			}
		})
	}
}

func TestFourWellMatchesNotebookFormula(t *testing.T) {
	for _, x := range []float64{-1, -0.5, -0.25, 0, 0.3, 0.5, 1} {
		want := 2 * (math.Pow(x, 8) + 0.8*math.Exp(-80*x*x) + 0.55*math.Exp(-80*(x-0.5)*(x-0.5)) + 0.3*math.Exp(-80*(x+0.5)*(x+0.5)))
		if got := (FourWell{}).Value([]float64{x}); math.Abs(got-want) > 1e-12 {
			t.Errorf("V(%v) = %v, want %v", x, got, want)
		}
	}
}

// The recorded trajectory starts at x0 and each state follows from the one
// before by exactly one Euler–Maruyama update with the same noise stream.
func TestSimulateRecordsStateBeforeUpdate(t *testing.T) {
	c := Config{Beta: 2, Dt: 0.005, N: 50, X0: []float64{0.1}}
	got, err := Simulate(FourWell{}, c, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		t.Fatal(err)
	}
	if got.Len() != 50 || got.X[0] != 0.1 {
		t.Fatalf("len %d, first %v; want 50 states starting at 0.1", got.Len(), got.X[0])
	}
	rng := rand.New(rand.NewPCG(1, 2))
	x := 0.1
	g := []float64{0}
	for i := 1; i < 50; i++ {
		FourWell{}.Grad([]float64{x}, g)
		x = x - g[0]*c.Dt + math.Sqrt(2*c.Dt/c.Beta)*rng.NormFloat64()
		if got.X[i] != x {
			t.Fatalf("state %d = %v, want %v", i, got.X[i], x)
		}
	}
}

// On the double well (β=1, fast barrier crossings), the long-run histogram
// approaches exp(−βV)/Z computed by quadrature.
func TestSimulateLongRunMatchesGibbs(t *testing.T) {
	const beta, bins, lo, hi = 1.0, 40, -2.2, 2.2
	c := Config{Beta: beta, Dt: 0.002, N: 1_000_000, X0: []float64{-1}}
	if testing.Short() {
		c.N = 300_000
	}
	traj, err := Simulate(DoubleWell{}, c, rand.New(rand.NewPCG(7, 7)))
	if err != nil {
		t.Fatal(err)
	}
	counts := make([]float64, bins)
	w := (hi - lo) / bins
	for _, x := range traj.X {
		if k := int((x - lo) / w); x >= lo && k < bins {
			counts[k]++
		}
	}
	// Gibbs mass of each bin by the midpoint rule on a fine grid.
	mass := make([]float64, bins)
	z := 0.0
	const fine = 200
	for k := range bins {
		for j := range fine {
			x := lo + (float64(k)+(float64(j)+0.5)/fine)*w
			p := math.Exp(-beta * DoubleWell{}.Value([]float64{x}))
			mass[k] += p
			z += p
		}
	}
	tv := 0.0
	for k := range bins {
		tv += math.Abs(counts[k]/float64(c.N) - mass[k]/z)
	}
	tv /= 2
	// The total-variation distance has two sources: Euler–Maruyama's O(dt)
	// bias (about 0.1% here) and sampling noise; the trajectory decorrelates
	// across the barrier within ~2000 steps, so with ≥150 independent
	// crossings the well-share error is ~1/sqrt(150)/2 ≈ 4%. 0.06 holds with
	// margin (observed: 0.013 long run, 0.026 short run).
	t.Logf("tv=%.4f", tv)
	if tv > 0.06 {
		t.Errorf("total variation between histogram and Gibbs density = %.4f, want ≤ 0.06", tv)
	}
}

func TestSimulateRejectsBadConfig(t *testing.T) {
	cases := []Config{
		{Beta: 0, Dt: 0.01, N: 10, X0: []float64{0}},
		{Beta: 1, Dt: -1, N: 10, X0: []float64{0}},
		{Beta: 1, Dt: 0.01, N: 0, X0: []float64{0}},
		{Beta: 1, Dt: 0.01, N: 10, X0: []float64{0, 1}},
		{Beta: math.NaN(), Dt: 0.01, N: 10, X0: []float64{0}},
	}
	for _, c := range cases {
		if _, err := Simulate(FourWell{}, c, rand.New(rand.NewPCG(1, 1))); err == nil {
			t.Errorf("config %+v: no error", c)
		}
	}
	if _, err := Simulate(FourWell{}, Config{Beta: 1, Dt: 10, N: 100, X0: []float64{0.9}}, rand.New(rand.NewPCG(1, 1))); err == nil {
		t.Error("divergent run: no error")
	}
}

func TestByName(t *testing.T) {
	for _, n := range Names() {
		p, x0, err := ByName(n)
		if err != nil || len(x0) != p.Dim() {
			t.Errorf("%s: err %v, start %v for dim %d", n, err, x0, p.Dim())
		}
	}
	if _, _, err := ByName("fivewell"); err == nil {
		t.Error("unknown name accepted")
	}
}
