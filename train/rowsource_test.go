package train

import (
	"math"
	"slices"
	"testing"
)

// The streams of a step's parts (tiles) must look like independent draws:
// each part's first uniform, across the parts of one step, has the
// uniform's mean and variance, neighbouring parts are uncorrelated, and
// the normals drawn after it are standard. Tolerances are 5 standard errors of each statistic, so a
// correct generator fails with probability below 1e-5 per check; the
// seed is fixed, so the test is deterministic.
func TestRowStreamsLookIndependent(t *testing.T) {
	const n = 100_000
	var src rowSource
	u := make([]float64, n)
	z := make([]float32, 1)
	var zSum, zSq float64
	for _, step := range []uint64{0, 1, 0x9e3779b97f4a7c15, 12345} {
		for r := range n {
			src.seed(step, uint64(r))
			u[r] = src.Float64()
			src.fillNormal(z)
			zSum += float64(z[0])
			zSq += float64(z[0]) * float64(z[0])
		}
		mean, sq, cross := 0.0, 0.0, 0.0
		for r, v := range u {
			mean += v
			sq += v * v
			if r > 0 {
				cross += (v - 0.5) * (u[r-1] - 0.5)
			}
		}
		mean /= n
		variance := sq/n - mean*mean
		corr := cross / (n - 1) / (1.0 / 12)
		if se := math.Sqrt(1.0 / 12 / n); math.Abs(mean-0.5) > 5*se {
			t.Errorf("step %#x: mean of first uniforms %.5f, want 0.5 ± %.5f", step, mean, 5*se)
		}
		// Var of a U(0,1) sample variance: (1/80 - 1/144)/n.
		if se := math.Sqrt((1.0/80 - 1.0/144) / n); math.Abs(variance-1.0/12) > 5*se {
			t.Errorf("step %#x: variance %.5f, want 1/12 ± %.5f", step, variance, 5*se)
		}
		if se := 1 / math.Sqrt(n); math.Abs(corr) > 5*se {
			t.Errorf("step %#x: correlation of neighbouring rows %.4f, want 0 ± %.4f", step, corr, 5*se)
		}
	}
	m := 4.0 * n
	zMean, zVar := zSum/m, zSq/m-(zSum/m)*(zSum/m)
	if se := 1 / math.Sqrt(m); math.Abs(zMean) > 5*se || math.Abs(zVar-1) > 5*math.Sqrt(2/m) {
		t.Errorf("normals: mean %.4f, variance %.4f; want 0 and 1", zMean, zVar)
	}
	// The same row of two steps differs.
	src.seed(1, 7)
	a := src.Uint64()
	src.seed(2, 7)
	if b := src.Uint64(); a == b {
		t.Error("row 7 draws the same number in steps with different seeds")
	}
}

// Shuffling [0 1 2] 60,000 times from consecutive seeds gives each of the
// six orders 10,000 ± 5·91 times (91 is the binomial standard deviation),
// and every shuffle is a permutation.
func TestShuffleUniform(t *testing.T) {
	counts := map[[3]int]int{}
	for s := range uint64(60000) {
		p := []int{0, 1, 2}
		shuffle(p, s*0x9e3779b97f4a7c15)
		counts[[3]int(p)]++
	}
	if len(counts) != 6 {
		t.Fatalf("%d distinct orders, want 6: %v", len(counts), counts)
	}
	for order, c := range counts {
		if math.Abs(float64(c)-10000) > 5*91 {
			t.Errorf("order %v drawn %d times, want 10000 ± 455", order, c)
		}
	}
	p := make([]int, 1000)
	for i := range p {
		p[i] = i
	}
	shuffle(p, 7)
	seen := make([]bool, len(p))
	for _, v := range p {
		if seen[v] {
			t.Fatalf("%d appears twice", v)
		}
		seen[v] = true
	}
}

func TestBelowRange(t *testing.T) {
	g := rowSource{s: 1}
	for _, n := range []uint64{1, 2, 3, 10000, 1<<63 + 1} {
		for range 1000 {
			if v := g.below(n); v >= n {
				t.Fatalf("below(%d) = %d", n, v)
			}
		}
	}
}

// Every layer of the ziggurat has the same area zigV: the top layers
// x_i·(f(x_{i−1}) − f(x_i)), and the base layer its rectangle plus the
// tail beyond zigR, by the closed form ∫_r^∞ e^(−x²/2) = √(π/2)·erfc(r/√2).
func TestZigguratLayersEqualArea(t *testing.T) {
	const m = 1 << 31
	x := func(i int) float64 { return zig.w[i] * m }
	tail := math.Sqrt(math.Pi/2) * math.Erfc(zigR/math.Sqrt2)
	if base := zigR*zig.f[zigLayers-1] + tail; math.Abs(base/zigV-1) > 1e-9 {
		t.Errorf("base layer area %.12g, want %.12g", base, zigV)
	}
	for i := 1; i < zigLayers; i++ {
		area := x(i) * (zig.f[i-1] - zig.f[i])
		if math.Abs(area/zigV-1) > 1e-6 {
			t.Errorf("layer %d area %.9g, want %.9g", i, area, zigV)
		}
		if want := math.Exp(-0.5 * x(i) * x(i)); math.Abs(zig.f[i]-want) > 1e-15 {
			t.Errorf("f[%d] = %v, want e^(−x²/2) = %v", i, zig.f[i], want)
		}
	}
	// The top layer's rectangle is empty (x_0 = 0): all its draws are wedge tests.
	if zig.k[1] != 0 {
		t.Errorf("k[1] = %d, want 0", zig.k[1])
	}
}

// fillNormal's draws follow N(0, 1): the Kolmogorov–Smirnov distance of
// 10⁶ draws to Φ stays below 2.5/√n (P(K > 2.5) ≈ 4e−6 for a correct
// generator), and the share beyond the base layer's edge zigR, the mean
// excess of those draws (made by the tail method) and the fourth moment
// are within 5 standard errors. The
// seed is fixed, so the test is deterministic.
func TestFillNormalIsStandardNormal(t *testing.T) {
	const n = 1_000_000
	g := rowSource{s: 99}
	z := make([]float32, n)
	g.fillNormal(z)
	xs := make([]float64, n)
	tail, m4, excess := 0, 0.0, 0.0
	for i, v := range z {
		x := float64(v)
		xs[i] = x
		if math.Abs(x) > zigR {
			tail++
			excess += math.Abs(x) - zigR
		}
		m4 += x * x * x * x
	}
	slices.Sort(xs)
	dmax := 0.0
	for i, x := range xs {
		cdf := 0.5 * math.Erfc(-x/math.Sqrt2)
		dmax = max(dmax, math.Abs(cdf-float64(i)/n), math.Abs(cdf-float64(i+1)/n))
	}
	if lim := 2.5 / math.Sqrt(n); dmax > lim {
		t.Errorf("KS distance %.5f to N(0,1), want below %.5f", dmax, lim)
	}
	p := math.Erfc(zigR / math.Sqrt2)
	if want, se := p*n, math.Sqrt(p*(1-p)*n); math.Abs(float64(tail)-want) > 5*se {
		t.Errorf("%d draws beyond ±%.3f, want %.0f ± %.0f", tail, zigR, want, 5*se)
	}
	// The tail method's draws: given |z| > r, |z| − r has mean λ − r and
	// variance 1 + rλ − λ², λ = φ(r)/Q(r) (the inverse Mills ratio).
	lambda := math.Exp(-zigR*zigR/2) / math.Sqrt(2*math.Pi) / (p / 2)
	if want, se := lambda-zigR, math.Sqrt((1+zigR*lambda-lambda*lambda)/float64(tail)); math.Abs(excess/float64(tail)-want) > 5*se {
		t.Errorf("mean excess beyond ±%.3f %.4f, want %.4f ± %.4f", zigR, excess/float64(tail), want, 5*se)
	}
	// Var(z⁴) = E z⁸ − 9 = 105 − 9.
	if se := math.Sqrt(96.0 / n); math.Abs(m4/n-3) > 5*se {
		t.Errorf("fourth moment %.4f, want 3 ± %.4f", m4/n, 5*se)
	}
}
