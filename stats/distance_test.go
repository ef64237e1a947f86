package stats

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

func TestHistogram(t *testing.T) {
	// Bins of width 0.5 on [0, 2): 0.1, 0.2 | 0.7 | — | 1.6, 2 (hi goes in the
	// last bin); −1 and 3 are outside. 5 points in range → height count/(5·0.5).
	x := []float64{0.1, 0.2, 0.7, 1.6, 2, -1, 3}
	got, err := Histogram(x, 0, 2, 4)
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{2 / 2.5, 1 / 2.5, 0, 2 / 2.5}
	for i := range want {
		if math.Abs(got[i]-want[i]) > 1e-15 {
			t.Fatalf("Histogram = %v, want %v", got, want)
		}
	}
	for _, bad := range []struct {
		lo, hi float64
		bins   int
	}{{1, 1, 3}, {0, 1, 0}, {math.NaN(), 1, 2}, {5, 6, 2}} {
		if _, err := Histogram(x, bad.lo, bad.hi, bad.bins); err == nil {
			t.Errorf("Histogram(lo=%v, hi=%v, bins=%d): no error", bad.lo, bad.hi, bad.bins)
		}
	}
}

func TestMassShares(t *testing.T) {
	// (−∞,−0.5): −1 | [−0.5,0): −0.5, −0.2 | [0,0.5): 0, 0.3 | [0.5,∞): 0.5, 0.9, 2
	x := []float64{-1, -0.5, -0.2, 0, 0.3, 0.5, 0.9, 2}
	got, err := MassShares(x, []float64{-0.5, 0, 0.5})
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{1.0 / 8, 2.0 / 8, 2.0 / 8, 3.0 / 8}
	if !slices.Equal(got, want) {
		t.Errorf("MassShares = %v, want %v", got, want)
	}
	if got, _ := MassShares(x, nil); !slices.Equal(got, []float64{1}) {
		t.Errorf("MassShares with no splits = %v, want [1]", got)
	}
	if _, err := MassShares(x, []float64{0, 0}); err == nil {
		t.Error("MassShares with repeated split: no error")
	}
}

func TestWasserstein1Small(t *testing.T) {
	for _, tc := range []struct {
		a, b []float64
		want float64
	}{
		// F_a − F_b = 1/2 on [0, 0.5) and −1/2 on [0.5, 1): 0.25 + 0.25.
		{[]float64{0, 1}, []float64{0.5}, 0.5},
		{[]float64{0.5}, []float64{1, 0}, 0.5},
		// Equal sizes: mean |sorted a − sorted b| = (|0−1| + |1−2| + |3−2|)/3.
		{[]float64{3, 0, 1}, []float64{2, 1, 2}, 1},
		// {0,1,3} vs {1,2}: F_a−F_b = 1/3 on [0,1), 2/3−1/2 on [1,2),
		// 2/3−1 on [2,3): 1/3 + 1/6 + 1/3.
		{[]float64{0, 1, 3}, []float64{1, 2}, 5.0 / 6},
		{[]float64{4, 4}, []float64{4}, 0},
		{[]float64{1}, []float64{-2}, 3},
	} {
		got, err := Wasserstein1(tc.a, tc.b)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(got-tc.want) > 1e-15 {
			t.Errorf("Wasserstein1(%v, %v) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

// gonum's quadratic-time implementation is an independent reference; integer
// values make ties.
func TestWasserstein1MatchesGonum(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	for range 20 {
		a := make([]float64, 1+rng.IntN(30))
		b := make([]float64, 1+rng.IntN(30))
		for i := range a {
			a[i] = float64(rng.IntN(10))
		}
		for i := range b {
			b[i] = float64(rng.IntN(12)) - 1.5
		}
		got, _ := Wasserstein1(a, b)
		want := stat.WassersteinDistance(slices.Clone(a), slices.Clone(b), nil, nil)
		if math.Abs(got-want) > 1e-12 {
			t.Fatalf("Wasserstein1(%v, %v) = %v, gonum %v", a, b, got, want)
		}
	}
}

func TestWasserstein1Shift(t *testing.T) {
	const delta = 0.7
	a := normalSample(20000, 9, 0, 1)
	// Same sample shifted: the optimal plan moves every point by δ exactly.
	b := slices.Clone(a)
	for i := range b {
		b[i] += delta
	}
	if got, _ := Wasserstein1(a, b); math.Abs(got-delta) > 1e-12 {
		t.Errorf("W1(x, x+δ) = %v, want %v", got, delta)
	}
	// Independent samples: W1 between two empirical N(0,1) samples of size n
	// is O(√(log n / n)) ≈ 0.02 for n = 20000 (several standard errors).
	c := normalSample(20000, 10, delta, 1)
	if got, _ := Wasserstein1(a, c); math.Abs(got-delta) > 0.03 {
		t.Errorf("W1(N(0,1), N(δ,1)) = %v, want %v ± 0.03", got, delta)
	}
}

func TestKolmogorovSmirnovSmall(t *testing.T) {
	for _, tc := range []struct {
		a, b []float64
		want float64
	}{
		{[]float64{0, 1}, []float64{0.5}, 0.5},
		{[]float64{1, 2, 3}, []float64{4, 5}, 1},
		{[]float64{1, 2, 3}, []float64{3, 2, 1}, 0},
		// F_a(1) = 1/2 vs F_b(1) = 1/4; F_a(2) = 1 vs 1/2.
		{[]float64{1, 2}, []float64{1, 2, 3, 4}, 0.5},
		// Ties across samples count together: at 1, F_a = 2/3 and F_b = 1/2.
		{[]float64{1, 1, 2}, []float64{1, 2}, 1.0 / 6},
	} {
		got, err := KolmogorovSmirnov(tc.a, tc.b)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(got-tc.want) > 1e-15 {
			t.Errorf("KolmogorovSmirnov(%v, %v) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
	rng := rand.New(rand.NewPCG(11, 11))
	for range 20 {
		a := make([]float64, 1+rng.IntN(30))
		b := make([]float64, 1+rng.IntN(30))
		for i := range a {
			a[i] = float64(rng.IntN(8))
		}
		for i := range b {
			b[i] = float64(rng.IntN(10))
		}
		got, _ := KolmogorovSmirnov(a, b)
		want := stat.KolmogorovSmirnov(sortedCopy(a), nil, sortedCopy(b), nil)
		if math.Abs(got-want) > 1e-12 {
			t.Fatalf("KolmogorovSmirnov(%v, %v) = %v, gonum %v", a, b, got, want)
		}
	}
}

func TestKolmogorovSmirnovCDF(t *testing.T) {
	uniform := func(x float64) float64 { return math.Min(1, math.Max(0, x)) }
	for _, tc := range []struct {
		x    []float64
		want float64
	}{
		{[]float64{0.5}, 0.5},
		// i=2: 2/3 − 0.2 is the largest gap.
		{[]float64{0.9, 0.1, 0.2}, 2.0/3 - 0.2},
		{[]float64{0.25, 0.75}, 0.25},
	} {
		got, err := KolmogorovSmirnovCDF(tc.x, uniform)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(got-tc.want) > 1e-15 {
			t.Errorf("KolmogorovSmirnovCDF(%v, uniform) = %v, want %v", tc.x, got, tc.want)
		}
	}
	norm := distuv.UnitNormal.CDF
	x := normalSample(10000, 12, 0, 1)
	// The Kolmogorov distribution's 0.999 quantile is 1.95: √n·D < 1.95.
	if d, _ := KolmogorovSmirnovCDF(x, norm); d > 1.95/100 {
		t.Errorf("KS of a N(0,1) sample against its own CDF = %v, want < 0.0195", d)
	}
	// Against N(0.5,1): D → Φ(0.25) − Φ(−0.25) = 0.197, ± 0.0195 as above.
	shifted := func(v float64) float64 { return norm(v - 0.5) }
	if d, _ := KolmogorovSmirnovCDF(x, shifted); math.Abs(d-0.1974) > 0.0195 {
		t.Errorf("KS of N(0,1) sample against N(0.5,1) = %v, want 0.197 ± 0.0195", d)
	}
	if _, err := KolmogorovSmirnovCDF(x, func(float64) float64 { return 2 }); err == nil {
		t.Error("CDF returning 2: no error")
	}
	if _, err := KolmogorovSmirnovCDF(x, nil); err == nil {
		t.Error("nil CDF: no error")
	}
}

func TestDistanceErrors(t *testing.T) {
	if _, err := Wasserstein1(nil, []float64{1}); err == nil {
		t.Error("Wasserstein1 of empty sample: no error")
	}
	if _, err := Wasserstein1([]float64{1}, []float64{math.NaN()}); err == nil {
		t.Error("Wasserstein1 with NaN: no error")
	}
	if _, err := KolmogorovSmirnov([]float64{math.Inf(-1)}, []float64{1}); err == nil {
		t.Error("KolmogorovSmirnov with −Inf: no error")
	}
}

func BenchmarkWasserstein1_10000(b *testing.B) {
	x, y := normalSample(10000, 1, 0, 1), normalSample(10000, 2, 0, 1)
	for b.Loop() {
		if _, err := Wasserstein1(x, y); err != nil {
			b.Fatal(err)
		}
	}
}
