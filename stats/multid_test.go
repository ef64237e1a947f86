package stats

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// gaussian2D returns n points of N(0, diag(sx², sy²)) rotated by angle phi.
func gaussian2D(n int, seed uint64, sx, sy, phi float64) []float64 {
	rng := rand.New(rand.NewPCG(seed, 3))
	c, s := math.Cos(phi), math.Sin(phi)
	x := make([]float64, 2*n)
	for i := range n {
		u, v := sx*rng.NormFloat64(), sy*rng.NormFloat64()
		x[2*i], x[2*i+1] = c*u-s*v, s*u+c*v
	}
	return x
}

func rotate(x []float64, phi float64) []float64 {
	c, s := math.Cos(phi), math.Sin(phi)
	y := make([]float64, len(x))
	for i := 0; i < len(x); i += 2 {
		y[i], y[i+1] = c*x[i]-s*x[i+1], s*x[i]+c*x[i+1]
	}
	return y
}

func TestMarginalW1(t *testing.T) {
	a := gaussian2D(2000, 1, 1, 2, 0)
	b := slices.Clone(a)
	for i := 0; i < len(b); i += 2 {
		b[i] += 0.3  // x shifted: W1 = 0.3 exactly
		b[i+1] *= -1 // y mirrored: a different sample of a symmetric law
	}
	got, err := MarginalW1(a, b, 2)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(got[0]-0.3) > 1e-12 {
		t.Errorf("x-marginal W1 = %v, want 0.3", got[0])
	}
	wy, _ := Wasserstein1(column(a, 2, 1), column(b, 2, 1))
	if got[1] != wy {
		t.Errorf("y-marginal W1 = %v, want W1 of the y columns %v", got[1], wy)
	}
	if _, err := MarginalW1(a, b[:3], 2); err == nil {
		t.Error("MarginalW1 with 3 values in dimension 2: no error")
	}
}

func TestSlicedW1(t *testing.T) {
	// In 1-D both directions are ±1 and W1 is symmetric: sliced = plain W1.
	a, b := normalSample(500, 1, 0, 1), normalSample(700, 2, 0.4, 1.5)
	got, err := SlicedW1(a, b, 1, 5, 42)
	if err != nil {
		t.Fatal(err)
	}
	if w, _ := Wasserstein1(a, b); math.Abs(got-w) > 1e-12 {
		t.Errorf("1-D sliced W1 = %v, want W1 = %v", got, w)
	}

	// A set and its shift by v: each projection is shifted by ⟨θ,v⟩, so the
	// sliced W1 is the mean of |⟨θ,v⟩| = |v|·E|cos φ| = 2|v|/π. With 4000
	// directions the Monte Carlo standard error is |v|·0.31/√4000 ≈ 0.005|v|;
	// the tolerance is 4 of them.
	x := gaussian2D(300, 3, 1, 0.5, 0.3)
	y := slices.Clone(x)
	v := [2]float64{0.6, -0.8}
	for i := 0; i < len(y); i += 2 {
		y[i] += v[0]
		y[i+1] += v[1]
	}
	got, _ = SlicedW1(x, y, 2, 4000, 7)
	t.Logf("shift: sliced W1 %v, 2/π %v", got, 2/math.Pi)
	if want := 2 / math.Pi; math.Abs(got-want) > 0.02 {
		t.Errorf("sliced W1 of a shift by |v| = 1: %v, want 2/π = %v ± 0.02", got, want)
	}

	// A centred Gaussian with standard deviations 3 and 1 against itself
	// rotated by 90°: the projections on θ = (cos φ, sin φ) are centred
	// Gaussians with deviations s1 = √(9cos²φ + sin²φ) and s2 = √(cos²φ +
	// 9sin²φ), whose W1 is |s1 − s2|·√(2/π). Average over φ by quadrature.
	var want float64
	const q = 100000
	for k := range q {
		phi := math.Pi * (float64(k) + 0.5) / q
		c2, s2 := math.Cos(phi)*math.Cos(phi), math.Sin(phi)*math.Sin(phi)
		want += math.Abs(math.Sqrt(9*c2+s2) - math.Sqrt(c2+9*s2))
	}
	want *= math.Sqrt(2/math.Pi) / q
	g := gaussian2D(2000, 4, 3, 1, 0)
	got, _ = SlicedW1(g, rotate(g, math.Pi/2), 2, 300, 9)
	// Tolerance: Monte Carlo over 300 directions of a quantity with spread
	// ≈ 0.5 (s.e. ≈ 0.03) plus the upward bias of an empirical W1 between
	// samples of 2000 points (≈ 0.04 at these scales).
	t.Logf("sliced W1 %v, quadrature %v", got, want)
	if math.Abs(got-want) > 0.1 {
		t.Errorf("sliced W1 of a 3:1 Gaussian vs its 90° rotation = %v, want %v ± 0.08", got, want)
	}
	// A square's corners are invariant under a 90° rotation: zero distance.
	sq := []float64{1, 1, -1, 1, -1, -1, 1, -1}
	if got, _ := SlicedW1(sq, rotate(sq, math.Pi/2), 2, 50, 1); got > 1e-12 {
		t.Errorf("sliced W1 of a square vs its 90° rotation = %v, want 0", got)
	}
	// Determinism.
	r1, _ := SlicedW1(x, g[:600], 2, 30, 5)
	r2, _ := SlicedW1(x, g[:600], 2, 30, 5)
	if r1 != r2 {
		t.Errorf("sliced W1 with one seed gave %v then %v", r1, r2)
	}
	if _, err := SlicedW1(x, y, 2, 0, 1); err == nil {
		t.Error("sliced W1 with 0 directions: no error")
	}
}

// naiveEnergy is the V-statistic definition written out with all pairs.
func naiveEnergy(a, b []float64, d int) float64 {
	mean := func(p, q []float64) float64 {
		var s float64
		for i := 0; i < len(p); i += d {
			for j := 0; j < len(q); j += d {
				var r float64
				for k := range d {
					r += (p[i+k] - q[j+k]) * (p[i+k] - q[j+k])
				}
				s += math.Sqrt(r)
			}
		}
		return s / float64(len(p)/d*len(q)/d)
	}
	return math.Sqrt(2*mean(a, b) - mean(a, a) - mean(b, b))
}

func TestEnergyDistance(t *testing.T) {
	a := gaussian2D(400, 5, 1, 2, 0.1)
	b := gaussian2D(300, 6, 1, 2, 0.9)
	got, err := EnergyDistance(a, b, 2)
	if err != nil {
		t.Fatal(err)
	}
	if want := naiveEnergy(a, b, 2); math.Abs(got-want) > 1e-9 {
		t.Errorf("EnergyDistance = %v, direct sum %v", got, want)
	}
	if got <= 0.01 {
		t.Errorf("EnergyDistance of different sets = %v, want clearly positive", got)
	}
	// Identical sets: the exact value is 0; the square root amplifies
	// rounding in the pair sums (~1e-16 relative) to at most ~1e-7.
	if got, _ := EnergyDistance(a, slices.Clone(a), 2); got > 1e-6 {
		t.Errorf("EnergyDistance of identical sets = %v, want 0", got)
	}

	// 1-D: D² = 2∫(F−G)² dx (Székely's identity), evaluated from the
	// empirical CDFs on the merged sorted sample.
	x, y := normalSample(300, 7, 0, 1), normalSample(200, 8, 0.5, 1)
	merged := append(slices.Clone(x), y...)
	slices.Sort(merged)
	ecdf := func(s []float64, v float64) float64 {
		var c int
		for _, w := range s {
			if w <= v {
				c++
			}
		}
		return float64(c) / float64(len(s))
	}
	var integral float64
	for i := 0; i+1 < len(merged); i++ {
		diff := ecdf(x, merged[i]) - ecdf(y, merged[i])
		integral += diff * diff * (merged[i+1] - merged[i])
	}
	got, _ = EnergyDistance(x, y, 1)
	if want := math.Sqrt(2 * integral); math.Abs(got-want) > 1e-9 {
		t.Errorf("1-D EnergyDistance = %v, want √(2∫(F−G)²) = %v", got, want)
	}
}

func TestEnergyDistanceSubsample(t *testing.T) {
	a := gaussian2D(1000, 9, 1, 1, 0)
	b := gaussian2D(50, 10, 1.5, 1, 0)
	const max = 100
	// Every 10th point of a (1000/100 = 10), b untouched.
	var sub []float64
	for i := 0; i < 1000; i += 10 {
		sub = append(sub, a[2*i], a[2*i+1])
	}
	got, err := energyDistance(a, b, 2, max)
	if err != nil {
		t.Fatal(err)
	}
	if want := naiveEnergy(sub, b, 2); math.Abs(got-want) > 1e-9 {
		t.Errorf("subsampled EnergyDistance = %v, want %v on the stride-10 subsample", got, want)
	}
}

func TestKDE2D(t *testing.T) {
	x := gaussian2D(800, 11, 1, 0.4, 0.5)
	g, err := KDE2D(x, KDE2DOptions{GridSize: 30})
	if err != nil {
		t.Fatal(err)
	}
	// scipy's kernel written out: covariance (n−1 denominator) × n^(−1/3).
	n := float64(len(x) / 2)
	var mx, my float64
	for i := 0; i < len(x); i += 2 {
		mx += x[i]
		my += x[i+1]
	}
	mx, my = mx/n, my/n
	var sxx, sxy, syy float64
	for i := 0; i < len(x); i += 2 {
		sxx += (x[i] - mx) * (x[i] - mx)
		sxy += (x[i] - mx) * (x[i+1] - my)
		syy += (x[i+1] - my) * (x[i+1] - my)
	}
	f2 := math.Pow(n, -1.0/3) / (n - 1)
	sxx, sxy, syy = sxx*f2, sxy*f2, syy*f2
	det := sxx*syy - sxy*sxy
	ixx, ixy, iyy := syy/det, -sxy/det, sxx/det
	direct := func(p, q float64) float64 {
		var s float64
		for i := 0; i < len(x); i += 2 {
			dx, dy := p-x[i], q-x[i+1]
			s += math.Exp(-0.5 * (ixx*dx*dx + 2*ixy*dx*dy + iyy*dy*dy))
		}
		return s / (n * 2 * math.Pi * math.Sqrt(det))
	}
	minX := slices.Min(column(x, 2, 0))
	if want := minX - 3*math.Sqrt(sxx); math.Abs(g.X[0]-want) > 1e-12 {
		t.Errorf("grid starts at x = %v, want min − 3·bw = %v", g.X[0], want)
	}
	if len(g.X) != 30 || len(g.Y) != 30 || len(g.Z) != 900 {
		t.Fatalf("grid sizes %d, %d, %d, want 30, 30, 900", len(g.X), len(g.Y), len(g.Z))
	}
	for j, yv := range g.Y {
		for i, xv := range g.X {
			if want := direct(xv, yv); math.Abs(g.At(i, j)-want) > 1e-12*math.Max(want, 1) {
				t.Fatalf("density at (%v, %v) = %v, direct sum %v", xv, yv, g.At(i, j), want)
			}
		}
	}

	// The estimate integrates to 1: with the grid 6 bandwidths past the
	// data almost no kernel mass is lost; trapezoid error on 120² points
	// is ~1e-4.
	g, err = KDE2D(x, KDE2DOptions{GridSize: 120, Cut: 6})
	if err != nil {
		t.Fatal(err)
	}
	var integral float64
	hx, hy := g.X[1]-g.X[0], g.Y[1]-g.Y[0]
	for j := range g.Y {
		for i := range g.X {
			w := 1.0
			if i == 0 || i == len(g.X)-1 {
				w /= 2
			}
			if j == 0 || j == len(g.Y)-1 {
				w /= 2
			}
			integral += w * g.At(i, j) * hx * hy
		}
	}
	if math.Abs(integral-1) > 1e-3 {
		t.Errorf("2-D KDE integrates to %v, want 1 ± 1e-3", integral)
	}

	g, err = KDE2D(x, KDE2DOptions{GridSize: 5, XRange: [2]float64{-1, 1}, YRange: [2]float64{0, 4}})
	if err != nil {
		t.Fatal(err)
	}
	if g.X[0] != -1 || g.X[4] != 1 || g.Y[0] != 0 || g.Y[4] != 4 {
		t.Errorf("ranged grid X %v Y %v, want [-1,1] × [0,4]", g.X, g.Y)
	}

	line := []float64{0, 0, 1, 1, 2, 2, 3, 3}
	if _, err := KDE2D(line, KDE2DOptions{}); err == nil {
		t.Error("2-D KDE of collinear points: no error")
	}
	if _, err := KDE2D(x[:5], KDE2DOptions{}); err == nil {
		t.Error("2-D KDE of 5 values: no error")
	}
}

func BenchmarkEnergyDistance5000x2(b *testing.B) {
	x, y := gaussian2D(5000, 1, 1, 1, 0), gaussian2D(5000, 2, 1, 1, 0)
	for b.Loop() {
		if _, err := EnergyDistance(x, y, 2); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkKDE2D10000x100x100(b *testing.B) {
	x := gaussian2D(10000, 1, 1, 0.5, 0.3)
	for b.Loop() {
		if _, err := KDE2D(x, KDE2DOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
