package reweight

import (
	"math"
	"math/rand/v2"
	"testing"
)

// Bootstrap's spread is the sample standard deviation (divisor B − 1) of
// the replicates, recomputed here from the replicates the statistic
// returned; a non-finite replicate is left out of its component only.
func TestBootstrapSampleSD(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	x := []float64{0.3, -1.2, 2.5, 0.7, -0.4, 1.9}
	var reps [][]float64
	k := 0
	mean, sd := Bootstrap(len(x), 7, rng, func(idx []int) []float64 {
		s := 0.0
		for _, i := range idx {
			s += x[i]
		}
		second := s * s
		if k == 3 {
			second = math.NaN()
		}
		k++
		reps = append(reps, []float64{s / float64(len(idx)), second})
		return []float64{s / float64(len(idx)), second}
	})
	for j := range 2 {
		var vals []float64
		for _, r := range reps {
			if !math.IsNaN(r[j]) {
				vals = append(vals, r[j])
			}
		}
		m := 0.0
		for _, v := range vals {
			m += v
		}
		m /= float64(len(vals))
		q := 0.0
		for _, v := range vals {
			q += (v - m) * (v - m)
		}
		want := math.Sqrt(q / float64(len(vals)-1))
		if math.Abs(mean[j]-m) > 1e-12*math.Abs(m) || math.Abs(sd[j]-want) > 1e-12*want {
			t.Errorf("component %d: mean %v sd %v, want %v and %v (over %d replicates)", j, mean[j], sd[j], m, want, len(vals))
		}
	}
}

// KS of a single sample at x against a continuous CDF F is
// max(F(x), 1 − F(x)): the empirical CDF jumps from 0 to 1 at x, and the
// larger gap may be on either side of the jump.
func TestKSCDFSinglePoint(t *testing.T) {
	cdf := func(x float64) float64 { return 0.5 * math.Erfc(-x/math.Sqrt2) }
	for _, x := range []float64{-1.5, 0, 1.2} {
		got, err := KSCDF([]float64{x}, nil, cdf)
		if err != nil {
			t.Fatal(err)
		}
		if want := math.Max(cdf(x), 1-cdf(x)); math.Abs(got-want) > 1e-15 {
			t.Errorf("KS of {%v} = %v, want %v", x, got, want)
		}
	}
	// Two weighted points: the ECDF is 0, 0.25, 1 around −1 and 1.
	got, _ := KSCDF([]float64{1, -1}, []float64{3, 1}, cdf)
	want := max(cdf(-1), math.Abs(0.25-cdf(-1)), math.Abs(0.25-cdf(1)), 1-cdf(1))
	if math.Abs(got-want) > 1e-15 {
		t.Errorf("weighted KS %v, want %v", got, want)
	}
}

// Weights of 0 and 1 select a subset: the weighted bandwidth (Scott's
// rule with the Kish ESS for n) must be the subset's unweighted one.
func TestBandwidthZeroOneWeights(t *testing.T) {
	rng := rand.New(rand.NewPCG(23, 24))
	x := make([]float64, 400)
	w := make([]float64, len(x))
	var sub []float64
	for i := range x {
		x[i] = rng.NormFloat64() * (1 + float64(i%3))
		if i%4 == 0 {
			w[i] = 1
			sub = append(sub, x[i])
		}
	}
	got, want := Bandwidth(x, w), Bandwidth(sub, nil)
	if math.Abs(got-want) > 1e-12*want {
		t.Errorf("bandwidth with 0/1 weights %v, subset's %v", got, want)
	}
}

// The binned density must match the direct weighted kernel sum
// Σ wᵢ N(x; xᵢ, h²)/Σ wᵢ to the accuracy of linear binning, O(step²/h²)
// relative: here step = h/25, so within 0.2% of the peak, where putting
// the fractions on the wrong nodes moves mass by up to a step (≈ 2%).
func TestDensityMatchesDirectSum(t *testing.T) {
	x := []float64{-0.73, -0.31, 0.05, 0.42, 0.88}
	w := []float64{1, 3, 0.5, 2, 1.5}
	const lo, hi, m, h = -3.0, 3.0, 601, 0.25
	p, err := Density(x, w, lo, hi, m, h)
	if err != nil {
		t.Fatal(err)
	}
	tot := 0.0
	for _, v := range w {
		tot += v
	}
	worst, top := 0.0, 0.0
	for k, pk := range p {
		at := lo + (hi-lo)*float64(k)/(m-1)
		want := 0.0
		for i, xi := range x {
			d := (at - xi) / h
			want += w[i] * math.Exp(-0.5*d*d) / (h * math.Sqrt(2*math.Pi) * tot)
		}
		worst, top = math.Max(worst, math.Abs(pk-want)), math.Max(top, want)
	}
	if worst > 2e-3*top {
		t.Errorf("binned density off the direct sum by %.3g (peak %.3g)", worst, top)
	}
}
