package train

import (
	"context"
	"math"
	"math/rand/v2"
	"path/filepath"
	"runtime"
	"slices"
	"testing"

	"scoresde/data"
	"scoresde/nn"
	"scoresde/sde"
)

func gaussianData(n, d int, std float64, seed uint64) *data.Set {
	rng := rand.New(rand.NewPCG(seed, 1))
	s := data.New(n, d)
	for i := range s.X {
		s.X[i] = std * rng.NormFloat64()
	}
	return s
}

func newState(t *testing.T, d int, seed uint64) *State {
	t.Helper()
	net, err := nn.New(d+1, d, []int{16, 16}, rand.New(rand.NewPCG(seed, 2)))
	if err != nil {
		t.Fatal(err)
	}
	return &State{Net: net, RNG: rand.NewPCG(seed, 3)}
}

func trainFor(t *testing.T, cfg Config, s sde.SDE, ds *data.Set, st *State, epochs int) *State {
	t.Helper()
	tr, err := New(cfg, s, ds, st)
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	if err := tr.Run(context.Background(), epochs, nil); err != nil {
		t.Fatal(err)
	}
	return tr.State()
}

// The loss gradient the trainer hands the network is the derivative of the
// per-row loss it reports: check against central differences in float64.
func TestLossGradMatchesFiniteDifferences(t *testing.T) {
	const d, b = 3, 5
	tr := &Trainer{data: &data.Set{D: d}, z: make([]float32, b*d), invS: make([]float32, b), w: make([]float32, b), plain: true}
	rng := rand.New(rand.NewPCG(1, 1))
	u := make([]float32, b*d)
	for i := range u {
		u[i] = float32(rng.NormFloat64())
		tr.z[i] = float32(rng.NormFloat64())
	}
	for r := range b {
		tr.invS[r] = float32(1 / (0.1 + rng.Float64()))
		tr.w[r] = float32(rng.Float64())
	}
	g := make([]float32, b*d)
	tr.lossGrad(0, b, u, g)
	for i := range u {
		h := float32(1e-2)
		up := slices.Clone(u)
		um := slices.Clone(u)
		up[i] += h
		um[i] -= h
		fd := (tr.lossGrad(0, b, up, make([]float32, b*d)) - tr.lossGrad(0, b, um, make([]float32, b*d))) / float64(2*h)
		// The loss is quadratic in u, so central differences are exact up to
		// float32 rounding of the loss (~1e-7 relative, divided by 2h).
		if math.Abs(fd-float64(g[i])) > 1e-3*(1+math.Abs(fd)) {
			t.Errorf("du[%d]: grad %v, finite difference %v", i, g[i], fd)
		}
	}
}

// A trained net approaches the exact score of Gaussian data N(0, s0²),
// −x/(s0² + s(t)²), where the data's mass is.
func TestTrainingLearnsGaussianScore(t *testing.T) {
	ve := sde.DefaultVE()
	const s0 = 0.5
	ds := gaussianData(4000, 1, s0, 5)
	cfg := DefaultConfig()
	cfg.BatchSize, cfg.Epochs, cfg.LR = 500, 400, 3e-3
	st := trainFor(t, cfg, ve, ds, newState(t, 1, 7), cfg.Epochs)
	if first, last := st.Losses[0], st.Losses[len(st.Losses)-1]; !(last < first) {
		t.Errorf("loss did not decrease: %v → %v", first, last)
	}
	// RMS of s(t)·(u − u*) over x ~ N(0, s0²+s(t)²) at a few times: the
	// exact weighted score s·u* is O(1) there. This run reaches ~0.045 at
	// every time (150 epochs leave 0.11 at t=0.8), so 0.1 has 2× margin and
	// still fails for a net that learned little.
	out := make([]float64, 1)
	rng := rand.New(rand.NewPCG(9, 9))
	for _, tt := range []float64{0.2, 0.5, 0.8} {
		s := ve.Std(tt)
		v := s0*s0 + s*s
		e := 0.0
		const m = 400
		for range m {
			x := math.Sqrt(v) * rng.NormFloat64()
			st.Net.Score([]float64{x}, tt, out)
			diff := (out[0] - (-x / v)) * s
			e += diff * diff
		}
		if rms := math.Sqrt(e / m); rms > 0.1 {
			t.Errorf("t=%v: weighted RMS score error %.3f, want ≤ 0.1", tt, rms)
		}
	}
}

// Training is a deterministic function of the seed, whatever GOMAXPROCS.
func TestTrainingIndependentOfGOMAXPROCS(t *testing.T) {
	ds := gaussianData(1000, 2, 1, 3)
	cfg := DefaultConfig()
	cfg.BatchSize = 300
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	var ref []float32
	for _, p := range []int{1, 2, 4} {
		runtime.GOMAXPROCS(p)
		st := trainFor(t, cfg, sde.DefaultVE(), ds, newState(t, 2, 1), 4)
		if ref == nil {
			ref = st.Net.Params
		} else if !slices.Equal(ref, st.Net.Params) {
			t.Errorf("GOMAXPROCS=%d: weights differ from GOMAXPROCS=1", p)
		}
	}
}

// Stopping, checkpointing and resuming gives the uninterrupted run's
// weights bit for bit, EMA and loss history included.
func TestResumeIsBitIdentical(t *testing.T) {
	ds := gaussianData(900, 1, 0.7, 4)
	cfg := DefaultConfig()
	cfg.BatchSize, cfg.EMA = 200, 0.9
	s := sde.DefaultVE()
	full := trainFor(t, cfg, s, ds, newState(t, 1, 2), 6)

	path := filepath.Join(t.TempDir(), "ck.json")
	half := trainFor(t, cfg, s, ds, newState(t, 1, 2), 3)
	if err := SaveCheckpoint(path, half, map[string]int{"k": 1}); err != nil {
		t.Fatal(err)
	}
	var extra map[string]int
	st, err := LoadCheckpoint(path, &extra)
	if err != nil {
		t.Fatal(err)
	}
	if extra["k"] != 1 || st.Epoch != 3 {
		t.Fatalf("extra %v, epoch %d", extra, st.Epoch)
	}
	resumed := trainFor(t, cfg, s, ds, st, 6)
	if !slices.Equal(full.Net.Params, resumed.Net.Params) || !slices.Equal(full.EMA.Shadow, resumed.EMA.Shadow) || !slices.Equal(full.Losses, resumed.Losses) {
		t.Error("resumed run differs from the uninterrupted one")
	}
}

// A cancelled context stops training between epochs with the state intact.
func TestRunStopsOnCancel(t *testing.T) {
	ds := gaussianData(400, 1, 1, 4)
	cfg := DefaultConfig()
	cfg.BatchSize = 100
	tr, err := New(cfg, sde.DefaultVE(), ds, newState(t, 1, 2))
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	ctx, cancel := context.WithCancel(context.Background())
	err = tr.Run(ctx, 100, func(st *State) error {
		if st.Epoch == 2 {
			cancel()
		}
		return nil
	})
	if err == nil || tr.State().Epoch != 2 || len(tr.State().Losses) != 2 {
		t.Errorf("err %v after epoch %d", err, tr.State().Epoch)
	}
}

func TestDivergenceIsReported(t *testing.T) {
	ds := gaussianData(400, 1, 1, 4)
	cfg := DefaultConfig()
	cfg.BatchSize, cfg.LR = 100, 1e30
	tr, err := New(cfg, sde.DefaultVE(), ds, newState(t, 1, 2))
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	if err := tr.Run(context.Background(), 50, nil); err == nil {
		t.Error("absurd learning rate trained without error")
	}
}

func TestConfigValidate(t *testing.T) {
	bad := []func(*Config){
		func(c *Config) { c.Epochs = -1 },
		func(c *Config) { c.BatchSize = 0 },
		func(c *Config) { c.BatchSize = 20000 },
		func(c *Config) { c.LR = 0 },
		func(c *Config) { c.LR = math.Inf(1) },
		func(c *Config) { c.Weighting = "x" },
		func(c *Config) { c.EMA = 1 },
		func(c *Config) { c.MinTime = math.NaN() },
	}
	for i, f := range bad {
		c := DefaultConfig()
		f(&c)
		if c.Validate(10000) == nil {
			t.Errorf("case %d: %+v accepted", i, c)
		}
	}
	if err := DefaultConfig().Validate(10000); err != nil {
		t.Error(err)
	}
}

func TestLoadCheckpointRejectsGarbage(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{"empty.json": "", "wrong.json": `{"format":"other"}`, "trunc.json": `{"format":"scoresde-checkpoint/1","net":`} {
		p := filepath.Join(dir, name)
		if err := writeFile(p, content); err != nil {
			t.Fatal(err)
		}
		if _, err := LoadCheckpoint(p, nil); err == nil {
			t.Errorf("%s loaded", name)
		}
	}
	if _, err := LoadCheckpoint(filepath.Join(dir, "missing.json"), nil); err == nil {
		t.Error("missing file loaded")
	}
}

// A training step allocates nothing: the batch, noise, times and gradient
// all live in buffers made once by New.
func TestStepAllocatesNothing(t *testing.T) {
	ds := gaussianData(1000, 2, 1, 3)
	cfg := DefaultConfig()
	cfg.BatchSize, cfg.EMA = 500, 0.99
	tr, err := New(cfg, sde.DefaultVP(), ds, newState(t, 2, 1))
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	rows := make([]int, 500)
	for i := range rows {
		rows[i] = 2 * i
	}
	tr.step(rows) // first call sizes the network's per-tile buffers
	if n := testing.AllocsPerRun(20, func() { tr.step(rows) }); n != 0 {
		t.Errorf("%v allocations per step, want 0", n)
	}
}
