package pipeline

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"scoresde/data"
	"scoresde/exact"
	"scoresde/nn"
	"scoresde/precond"
	"scoresde/sampler"
	"scoresde/sde"
)

// The likelihood is the centred network's at x − m(ε)·shift (a shift has
// unit Jacobian), with every field of the sampler's result carried over:
// a 2-D VP model, so that per-dimension and per-point values and m(ε)
// differ from their look-alikes.
func TestLikelihoodWiring(t *testing.T) {
	net, err := nn.New(3, 2, []int{8}, rand.New(rand.NewPCG(4, 4)))
	if err != nil {
		t.Fatal(err)
	}
	s := sde.DefaultVP()
	shift := []float64{3, -2}
	m := &Model{Net: net, SDE: s, Shift: shift, Pre: plainPrecond(t, s, s.MinTime())}
	rng := rand.New(rand.NewPCG(6, 6))
	x := data.New(20, 2)
	for i := range x.X {
		x.X[i] = rng.NormFloat64() + shift[i%2]
	}
	sc := Default().Sample
	sc.Eps = 0.01 // m(ε) ≠ 1
	got, err := likelihood(m, x, "test points", sc, Options{})
	if err != nil {
		t.Fatal(err)
	}
	c := make([]float64, len(x.X))
	for i, v := range x.X {
		c[i] = v - s.MeanScale(0.01)*shift[i%2]
	}
	r, err := sampler.Likelihood(s, m.Centred(), c, samplerOptions(sc, nil))
	if err != nil {
		t.Fatal(err)
	}
	want := NLL{Mean: r.Mean, PerDim: r.Mean / 2, StdErr: r.StdErr(), N: 20, NFE: r.NFE, On: "test points"}
	if math.Abs(got.PerDim-want.PerDim) > 1e-12 || got.Mean != want.Mean || got.StdErr != want.StdErr ||
		got.N != want.N || got.NFE != want.NFE || got.On != want.On {
		t.Errorf("NLL %+v, want %+v", *got, want)
	}
}

// The optimality numbers are the probe's for the model and for the exact
// optimum, each in its place.
func TestOptimalityWiring(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	ds := data.New(200, 1)
	for i := range ds.X {
		ds.X[i] = rng.NormFloat64()
	}
	s := sde.DefaultVE()
	p, err := exact.NewLossProbe(ds, s, exact.ProbeConfig{Times: 5, PointsPerTime: 40, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	net, err := nn.New(2, 1, []int{8}, rand.New(rand.NewPCG(4, 4)))
	if err != nil {
		t.Fatal(err)
	}
	model := precond.NewScore(net, plainPrecond(t, s, 0))
	o, err := optimality(p, model)
	if err != nil {
		t.Fatal(err)
	}
	lm, _ := p.Loss(model)
	lo, _ := p.Loss(p.Optimum())
	gap, _ := p.Gap(model)
	se, _ := p.ScoreError(model, p.Optimum())
	if o.LossModel != lm.Mean || o.LossOpt != lo.Mean || o.Gap != gap.Mean || o.GapStdErr != gap.StdErr ||
		o.ScoreError != se.Mean || o.ScoreErrorStdErr != se.StdErr ||
		!slices.Equal(o.ScoreErrorByTime, se.PerTime) || !slices.Equal(o.Times, p.Times) {
		t.Errorf("optimality %+v, want loss %v, optimum %v, gap %v ± %v, score error %v ± %v by time %v",
			*o, lm.Mean, lo.Mean, gap.Mean, gap.StdErr, se.Mean, se.StdErr, se.PerTime)
	}
	// The untrained net is worse than the optimum: the gap is positive and
	// half the weighted score error, up to the draws' noise.
	if !(o.Gap > 0) || math.Abs(o.Gap-o.ScoreError/2) > 3*o.GapStdErr+3*o.ScoreErrorStdErr {
		t.Errorf("gap %v ± %v, half the score error %v", o.Gap, o.GapStdErr, o.ScoreError/2)
	}
}

// The forward snapshots sit at the figure times, and the reverse run keeps
// the steps at the same times: step round((T − t)/Δt) of N.
func TestSnapshotIndices(t *testing.T) {
	s := sde.DefaultVE()
	rng := rand.New(rand.NewPCG(1, 1))
	ds := &data.Set{D: 1, X: []float64{0.5, -0.5, 1}}
	const steps = 40
	v, err := forwardSnapshots(s, ds, steps, rng)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(v.Times, []float64{0, 0.5, 0.7, 1}) {
		t.Errorf("times %v", v.Times)
	}
	if !slices.Equal(v.States[0], ds.X) {
		t.Errorf("the t = 0 snapshot %v is not the data %v", v.States[0], ds.X)
	}
	keep := fwdKeep(v, steps)
	for k, tt := range v.Times {
		if want := int(math.Round((1 - tt) * steps)); keep[k] != want {
			t.Errorf("t=%v: reverse step %d, want %d", tt, keep[k], want)
		}
	}
	if fwdKeep(nil, steps) != nil {
		t.Error("no figures, yet steps kept")
	}
}
