package stats

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

func normalSample(n int, seed uint64, mean, sd float64) []float64 {
	rng := rand.New(rand.NewPCG(seed, 1))
	x := make([]float64, n)
	for i := range x {
		x[i] = mean + sd*rng.NormFloat64()
	}
	return x
}

// fourModes mimics the notebook's four-well data: a mixture of narrow modes.
func fourModes(n int, seed uint64) []float64 {
	rng := rand.New(rand.NewPCG(seed, 2))
	centres := []float64{-0.5, 0, 0.5, 0.9}
	x := make([]float64, n)
	for i := range x {
		x[i] = centres[rng.IntN(len(centres))] + 0.05*rng.NormFloat64()
	}
	return x
}

// scottByHand is scipy's Scott bandwidth written out: n^(-1/5)·std(ddof=1).
func scottByHand(x []float64) float64 {
	var mean float64
	for _, v := range x {
		mean += v
	}
	mean /= float64(len(x))
	var ss float64
	for _, v := range x {
		ss += (v - mean) * (v - mean)
	}
	return math.Pow(float64(len(x)), -0.2) * math.Sqrt(ss/float64(len(x)-1))
}

// directKDE is the kernel sum with no cutoff.
func directKDE(x []float64, a, bw float64) float64 {
	var s float64
	for _, v := range x {
		s += math.Exp(-(a-v)*(a-v)/(2*bw*bw)) / (bw * math.Sqrt(2*math.Pi))
	}
	return s / float64(len(x))
}

func TestScottBandwidth(t *testing.T) {
	for _, x := range [][]float64{
		{0, 1},
		{1, 2, 3, 4, 10},
		normalSample(1000, 1, 3, 2),
	} {
		got, err := ScottBandwidth(x)
		if err != nil {
			t.Fatal(err)
		}
		if want := scottByHand(x); math.Abs(got-want) > 1e-12*want {
			t.Errorf("ScottBandwidth(%d points) = %v, want %v", len(x), got, want)
		}
	}
	// {0, 1}: std = 1/√2, n^(-1/5) = 2^(-1/5).
	got, _ := ScottBandwidth([]float64{0, 1})
	if want := math.Pow(2, -0.2) / math.Sqrt2; math.Abs(got-want) > 1e-15 {
		t.Errorf("ScottBandwidth({0,1}) = %v, want %v", got, want)
	}
}

func TestKDEMatchesDirectSum(t *testing.T) {
	x := fourModes(3000, 3)
	for _, o := range []KDEOptions{
		{},
		{BwAdjust: 0.2},
		{BwAdjust: 2, GridSize: 57, Cut: 1},
		{Cut: -1, GridSize: 10},
	} {
		grid, dens, err := KDE(x, o)
		if err != nil {
			t.Fatal(err)
		}
		adj, size, cut := o.BwAdjust, o.GridSize, o.Cut
		if adj == 0 {
			adj = 1
		}
		if size == 0 {
			size = 200
		}
		switch {
		case cut == 0:
			cut = 3
		case cut < 0:
			cut = 0
		}
		bw := adj * scottByHand(x)
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, v := range x {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
		if len(grid) != size || len(dens) != size {
			t.Fatalf("%+v: got %d grid points, %d densities, want %d", o, len(grid), len(dens), size)
		}
		if math.Abs(grid[0]-(lo-cut*bw)) > 1e-12 || math.Abs(grid[size-1]-(hi+cut*bw)) > 1e-12 {
			t.Errorf("%+v: grid spans [%v, %v], want [%v, %v]", o, grid[0], grid[size-1], lo-cut*bw, hi+cut*bw)
		}
		for i, a := range grid {
			if want := directKDE(x, a, bw); math.Abs(dens[i]-want) > 1e-12*math.Max(want, 1) {
				t.Errorf("%+v: density at %v = %v, direct sum %v", o, a, dens[i], want)
				break
			}
		}
	}
}

// The cutoff must not change values even where kernels from far-away data
// dominate (tails), up to the documented bound.
func TestKDEAtCutoffError(t *testing.T) {
	x := []float64{-50, -1, 0, 0.001, 2, 30}
	bw := 1.0
	at := Linspace(-70, 50, 2001)
	got, err := KDEAt(x, at, bw)
	if err != nil {
		t.Fatal(err)
	}
	bound := math.Exp(-0.5*kernelCutoff*kernelCutoff) / (bw * math.Sqrt(2*math.Pi))
	for i, a := range at {
		if want := directKDE(x, a, bw); math.Abs(got[i]-want) > bound+1e-15*want {
			t.Fatalf("at %v: cutoff sum %v, direct %v, bound %v", a, got[i], want, bound)
		}
	}
}

// Integral of the KDE over its grid: the grid ends 3 bandwidths beyond the
// extreme data points, so at most a tail of Φ(−3) ≈ 0.00135 of one kernel
// is lost on each side; trapezoid error on 200 points is ~1e-4 here.
func TestKDEIntegratesToOne(t *testing.T) {
	for _, x := range [][]float64{normalSample(5000, 4, 0, 1), fourModes(5000, 5)} {
		grid, dens, err := KDE(x, KDEOptions{})
		if err != nil {
			t.Fatal(err)
		}
		var integral float64
		for i := 1; i < len(grid); i++ {
			integral += 0.5 * (dens[i] + dens[i-1]) * (grid[i] - grid[i-1])
		}
		if math.Abs(integral-1) > 3e-3 {
			t.Errorf("KDE integrates to %v, want 1 ± 3e-3", integral)
		}
	}
}

func TestKDEClip(t *testing.T) {
	x := normalSample(500, 6, 0, 1)
	grid, _, err := KDE(x, KDEOptions{Clip: [2]float64{-1, 0.5}, GridSize: 11})
	if err != nil {
		t.Fatal(err)
	}
	if grid[0] != -1 || grid[10] != 0.5 {
		t.Errorf("clipped grid spans [%v, %v], want [-1, 0.5]", grid[0], grid[10])
	}
}

func TestKDEErrors(t *testing.T) {
	good := []float64{0, 1, 2}
	for _, tc := range []struct {
		name string
		x    []float64
		o    KDEOptions
		want string
	}{
		{"empty", nil, KDEOptions{}, "at least 2"},
		{"one point", []float64{1}, KDEOptions{}, "at least 2"},
		{"NaN", []float64{0, math.NaN(), 1}, KDEOptions{}, "non-finite"},
		{"Inf", []float64{0, math.Inf(1)}, KDEOptions{}, "non-finite"},
		{"constant", []float64{2, 2, 2}, KDEOptions{}, "equal"},
		{"negative bw", good, KDEOptions{BwAdjust: -1}, "bandwidth adjustment"},
		{"grid 1", good, KDEOptions{GridSize: 1}, "grid size"},
		{"clip reversed", good, KDEOptions{Clip: [2]float64{1, 0}}, "clip"},
		{"clip outside", good, KDEOptions{Clip: [2]float64{100, 200}}, "clip"},
		{"NaN cut", good, KDEOptions{Cut: math.NaN()}, "cut"},
	} {
		_, _, err := KDE(tc.x, tc.o)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one mentioning %q", tc.name, err, tc.want)
		}
	}
	if _, err := KDEAt(good, []float64{0}, 0); err == nil {
		t.Error("KDEAt with zero bandwidth: no error")
	}
	if _, err := KDEAt(good, []float64{math.NaN()}, 1); err == nil {
		t.Error("KDEAt at NaN: no error")
	}
}

func TestLinspace(t *testing.T) {
	v := Linspace(-1, 1, 5)
	want := []float64{-1, -0.5, 0, 0.5, 1}
	for i := range want {
		if v[i] != want[i] {
			t.Fatalf("Linspace(-1, 1, 5) = %v, want %v", v, want)
		}
	}
	if v := Linspace(3, 4, 1); len(v) != 1 || v[0] != 3 {
		t.Errorf("Linspace(3, 4, 1) = %v, want [3]", v)
	}
}

func BenchmarkKDE10000x200(b *testing.B) {
	x := fourModes(10000, 7)
	for b.Loop() {
		if _, _, err := KDE(x, KDEOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkKDE10000x200BwAdjust02(b *testing.B) {
	x := fourModes(10000, 7)
	for b.Loop() {
		if _, _, err := KDE(x, KDEOptions{BwAdjust: 0.2}); err != nil {
			b.Fatal(err)
		}
	}
}
