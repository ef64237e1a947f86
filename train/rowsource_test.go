package train

import (
	"math"
	"math/rand/v2"
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
	rng := rand.New(&src)
	u := make([]float64, n)
	var zSum, zSq float64
	for _, step := range []uint64{0, 1, 0x9e3779b97f4a7c15, 12345} {
		for r := range n {
			src.seed(step, uint64(r))
			u[r] = rng.Float64()
			z := rng.NormFloat64()
			zSum += z
			zSq += z * z
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
