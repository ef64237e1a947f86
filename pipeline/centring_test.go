package pipeline

import (
	"context"
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"

	"scoresde/data"
	"scoresde/nn"
	"scoresde/precond"
	"scoresde/sampler"
	"scoresde/sde"
	"scoresde/train"
)

// centredModel is a VP model (m(t) ≠ 1, so a misplaced m(t) shows) with a
// shift far from the origin.
func centredModel(t *testing.T) *Model {
	t.Helper()
	net, err := nn.New(2, 1, []int{8}, rand.New(rand.NewPCG(5, 5)))
	if err != nil {
		t.Fatal(err)
	}
	s := sde.DefaultVP()
	return &Model{Net: net, SDE: s, Shift: []float64{50}, Pre: plainPrecond(t, s, s.MinTime())}
}

// In the data's coordinates the score is the network's at x − m(t)·shift,
// and Centre moves data by −m(t)·shift.
func TestModelScoreAndCentre(t *testing.T) {
	m := centredModel(t)
	x := []float64{48, 50, 53}
	for _, tt := range []float64{0.01, 0.3, 0.9} {
		c := make([]float64, len(x))
		for i, v := range x {
			c[i] = v - m.SDE.MeanScale(tt)*50
		}
		want := make([]float64, len(x))
		m.Net.Score(c, m.Pre.Warp().At(tt), want)
		got := make([]float64, len(x))
		m.Score(x, tt, got)
		if !slices.Equal(got, want) {
			t.Errorf("t=%v: score %v, want the network's at the centred points %v", tt, got, want)
		}
		if cd := m.Centre(&data.Set{D: 1, X: x}, tt); !slices.Equal(cd.X, c) {
			t.Errorf("t=%v: centred %v, want %v", tt, cd.X, c)
		}
	}
}

// Sample runs the sampler on the centred network and moves the result back
// by m(ε)·shift, and each snapshot by m(t)·shift at its own time
// t = T − k(T − ε)/N: compared with the sampler run directly.
func TestModelSampleUncentres(t *testing.T) {
	m := centredModel(t)
	sc := Default().Sample
	sc.N, sc.Steps = 50, 20
	keep := []int{0, 7, 13, 20}
	got, err := m.Sample(sc, keep, rand.New(rand.NewPCG(9, 9)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(9, 9))
	x := make([]float64, sc.N)
	m.SDE.SamplePrior(rng, x)
	raw, err := sampler.Sample(m.SDE, m.Centred(), x, samplerOptions(sc, keep), rng)
	if err != nil {
		t.Fatal(err)
	}
	T, eps := m.SDE.T(), m.SDE.MinTime()
	check := func(what string, got, raw []float64, tt float64) {
		for i := range raw {
			want := raw[i] + m.SDE.MeanScale(tt)*50
			if math.Abs(got[i]-want) > 1e-9*math.Abs(want) {
				t.Fatalf("%s, point %d: %v, want %v (t = %v)", what, i, got[i], want, tt)
			}
		}
	}
	check("samples", got.X, raw.X, eps)
	for k, idx := range keep {
		check("snapshot "+string(rune('0'+k)), got.Snapshots[k], raw.Snapshots[k], T-float64(idx)*(T-eps)/float64(sc.Steps))
	}
}

// A run samples with the weight average, not the last iterate: model.json
// holds the checkpoint's EMA weights, and the run's samples are what that
// model draws.
func TestRunSamplesWithEMA(t *testing.T) {
	cfg := Default()
	cfg.Out = t.TempDir()
	cfg.Data.N = 600
	cfg.Net.Hidden = []int{8}
	cfg.Train.Epochs, cfg.Train.BatchSize, cfg.Train.EMA = 4, 200, 0.9
	cfg.Sample.N, cfg.Sample.Steps = 30, 10
	cfg.Figures, cfg.NLL, cfg.GapEvery, cfg.CheckpointEvery = false, false, 0, 1
	res, err := Run(context.Background(), cfg, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	model, _, err := LoadModel(filepath.Join(cfg.Out, "model.json"))
	if err != nil {
		t.Fatal(err)
	}
	st, err := train.LoadCheckpoint(filepath.Join(cfg.Out, CheckpointName), nil)
	if err != nil {
		t.Fatal(err)
	}
	if st.EMA == nil || !slices.Equal(model.Net.Params, st.EMA.Shadow) {
		t.Fatal("model.json does not hold the checkpoint's EMA weights")
	}
	if slices.Equal(model.Net.Params, st.Net.Params) {
		t.Fatal("the EMA weights equal the last iterate; the test cannot tell them apart")
	}
	again, err := model.Sample(cfg.Sample, nil, rngFor(cfg.Seed, streamSample), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(again.X, res.Samples.X) {
		t.Error("the run's samples are not those of the EMA model")
	}
}

// plainPrecond is the notebook's parametrisation (the network is the
// score) on [eps, T], fed the SDE's time warp.
func plainPrecond(t *testing.T, s sde.SDE, eps float64) *precond.Precond {
	t.Helper()
	p, err := precond.FromConfig(precond.Config{Kind: precond.None}, s, eps)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// Sampling at the default end time stops at the model's training ε, not
// below the times it was trained on.
func TestSampleEndsAtTrainingEpsilon(t *testing.T) {
	m := centredModel(t)
	m.Pre = plainPrecond(t, m.SDE, 1e-3)
	sc := Default().Sample
	sc.N, sc.Steps, sc.Eps = 10, 5, -1
	res, err := m.Sample(sc, nil, rand.New(rand.NewPCG(1, 1)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.End != 1e-3 {
		t.Errorf("samples at t = %v, want the training ε 1e-3", res.End)
	}
	sc.Eps = 1e-2
	if res, err = m.Sample(sc, nil, rand.New(rand.NewPCG(1, 1)), Options{}); err != nil || res.End != 1e-2 {
		t.Errorf("an explicit end time 1e-2 gave %v (%v)", res.End, err)
	}
}
