package pipeline

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"scoresde/data"
	"scoresde/exact"
	"scoresde/langevin"
)

// ecdfAt is the fraction of x at or below v.
func ecdfAt(x []float64, v float64) float64 {
	k := 0
	for _, a := range x {
		if a <= v {
			k++
		}
	}
	return float64(k) / float64(len(x))
}

// countShares counts the fraction of x in each interval cut at splits.
func countShares(x, splits []float64) []float64 {
	sh := make([]float64, len(splits)+1)
	for _, v := range x {
		k := 0
		for k < len(splits) && v >= splits[k] {
			k++
		}
		sh[k] += 1 / float64(len(x))
	}
	return sh
}

// Every 1-D sample metric against a direct computation: W1 of equal-size
// sets is the mean gap between their order statistics, KS the largest ECDF
// gap over the points, the shares plain counts. Data and samples differ so
// that swapping them is seen.
func TestSampleMetrics1D(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	ds, smp := data.New(400, 1), data.New(400, 1)
	for i := range ds.X {
		ds.X[i] = rng.NormFloat64()
		// Narrow samples: the largest share error is in [0, 0.5), not in
		// the first interval.
		smp.X[i] = 0.25*rng.NormFloat64() + 0.25
	}
	splits := []float64{-0.5, 0, 0.5}
	m, err := sampleMetrics(ds, smp, splits)
	if err != nil {
		t.Fatal(err)
	}
	a, b := slices.Sorted(slices.Values(ds.X)), slices.Sorted(slices.Values(smp.X))
	w1, ks := 0.0, 0.0
	for i := range a {
		w1 += math.Abs(a[i]-b[i]) / float64(len(a))
	}
	for _, v := range append(slices.Clone(a), b...) {
		ks = max(ks, math.Abs(ecdfAt(a, v)-ecdfAt(b, v)))
	}
	if math.Abs(m.W1-w1) > 1e-12 || math.Abs(m.KS-ks) > 1e-12 {
		t.Errorf("W1 %v KS %v, want %v and %v", m.W1, m.KS, w1, ks)
	}
	wantD, wantS := countShares(ds.X, splits), countShares(smp.X, splits)
	maxDiff := 0.0
	for k := range wantD {
		if math.Abs(m.Shares.Data[k]-wantD[k]) > 1e-12 || math.Abs(m.Shares.Samples[k]-wantS[k]) > 1e-12 {
			t.Errorf("share %d: data %v samples %v, want %v and %v", k, m.Shares.Data[k], m.Shares.Samples[k], wantD[k], wantS[k])
		}
		maxDiff = max(maxDiff, math.Abs(wantD[k]-wantS[k]))
	}
	if first := math.Abs(wantD[0] - wantS[0]); !(maxDiff > first+0.1) {
		t.Fatalf("the largest share error %v is not clear of the first interval's %v: the test cannot see a sum over too few", maxDiff, first)
	}
	if math.Abs(m.Shares.MaxAbsDiff-maxDiff) > 1e-12 || !slices.Equal(m.Shares.Splits, splits) {
		t.Errorf("max diff %v splits %v, want %v and %v", m.Shares.MaxAbsDiff, m.Shares.Splits, maxDiff, splits)
	}
}

// For d > 1: W1 is the mean of the per-coordinate W1s, and the energy
// distance is (2E|X−Y| − E|X−X'| − E|Y−Y'|)^½ over all pairs.
func TestSampleMetrics2D(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	ds, smp := data.New(60, 2), data.New(60, 2)
	for i := range ds.X {
		ds.X[i] = rng.NormFloat64()
		smp.X[i] = 2*rng.NormFloat64() + float64(i%2)
	}
	m, err := sampleMetrics(ds, smp, nil)
	if err != nil {
		t.Fatal(err)
	}
	mean := 0.0
	for j := range 2 {
		a, b := slices.Sorted(slices.Values(ds.Column(j))), slices.Sorted(slices.Values(smp.Column(j)))
		w := 0.0
		for i := range a {
			w += math.Abs(a[i]-b[i]) / float64(len(a))
		}
		if math.Abs(m.MarginalW1[j]-w) > 1e-12 {
			t.Errorf("coordinate %d: W1 %v, want %v", j, m.MarginalW1[j], w)
		}
		mean += w / 2
	}
	if math.Abs(m.W1-mean) > 1e-12 {
		t.Errorf("W1 %v, want the mean %v", m.W1, mean)
	}
	avg := func(x, y *data.Set) float64 {
		s := 0.0
		for i := range x.Len() {
			for k := range y.Len() {
				p, q := x.Row(i), y.Row(k)
				s += math.Hypot(p[0]-q[0], p[1]-q[1])
			}
		}
		return s / float64(x.Len()*y.Len())
	}
	e := math.Sqrt(2*avg(ds, smp) - avg(ds, ds) - avg(smp, smp))
	if math.Abs(m.Energy-e) > 1e-9 {
		t.Errorf("energy distance %v, want %v", m.Energy, e)
	}
	// Every projection's W1 is at most the mean displacement of any
	// coupling; the sorted-coordinate coupling's bounds it.
	if !(m.SlicedW1 > 0 && m.SlicedW1 <= m.MarginalW1[0]+m.MarginalW1[1]) {
		t.Errorf("sliced W1 %v outside (0, %v]", m.SlicedW1, m.MarginalW1[0]+m.MarginalW1[1])
	}
}

// Against the Gibbs density: W1 = ∫|F_n − G| by a fine Riemann sum, KS the
// largest gap at the points, the noise level for the samples' own size,
// the shares those of the density. Samples are moved off the data so that
// swapping samples and data is seen.
func TestTruthMetrics(t *testing.T) {
	p, _, err := langevin.ByName("fourwell")
	if err != nil {
		t.Fatal(err)
	}
	g, err := exact.NewGibbs(p, 2)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 3))
	ds := &data.Set{D: 1, X: g.Sample(rng, 3000)}
	smp := &data.Set{D: 1, X: g.Sample(rng, 1000)}
	for i := range smp.X {
		smp.X[i] += 0.2
	}
	splits := []float64{-0.5, 0, 0.5}
	tm, err := truthMetrics(g, "fourwell", ds, smp, splits)
	if err != nil {
		t.Fatal(err)
	}
	lo, hi := g.Support()
	w1 := func(x []float64) float64 {
		xs := slices.Sorted(slices.Values(x))
		const n = 200000
		h := (hi + 1 - lo) / n
		s, k := 0.0, 0
		for i := range n {
			v := lo + (float64(i)+0.5)*h
			for k < len(xs) && xs[k] <= v {
				k++
			}
			s += math.Abs(float64(k)/float64(len(xs))-g.CDF(v)) * h
		}
		return s
	}
	ks := func(x []float64) float64 {
		xs := slices.Sorted(slices.Values(x))
		d := 0.0
		for i, v := range xs {
			c := g.CDF(v)
			d = max(d, math.Abs(float64(i+1)/float64(len(xs))-c), math.Abs(float64(i)/float64(len(xs))-c))
		}
		return d
	}
	for _, c := range []struct {
		name      string
		got, want float64
		tol       float64
	}{
		{"W1 samples", tm.W1Samples, w1(smp.X), 1e-4},
		{"W1 data", tm.W1Data, w1(ds.X), 1e-4},
		{"KS samples", tm.KSSamples, ks(smp.X), 1e-9},
		{"KS data", tm.KSData, ks(ds.X), 1e-9},
		{"noise level", tm.W1Noise, exact.ExpectedW1(g, 1000), 0},
	} {
		if math.Abs(c.got-c.want) > c.tol {
			t.Errorf("%s: %v, want %v", c.name, c.got, c.want)
		}
	}
	// Moved samples sit farther from the density than the data.
	if !(tm.KLSamples > tm.KLData) {
		t.Errorf("KL samples %v, data %v: the shifted samples should be farther", tm.KLSamples, tm.KLData)
	}
	want, _ := g.Shares(splits)
	if !slices.Equal(tm.Shares, want) {
		t.Errorf("shares %v, want %v", tm.Shares, want)
	}
	if tm.Beta != 2 || tm.Potential != "fourwell" {
		t.Errorf("β %v potential %q", tm.Beta, tm.Potential)
	}
}
