package train

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"

	"scoresde/data"
	"scoresde/nn"
	"scoresde/sde"
)

// esTrainer is a small trainer for these tests: n Gaussian points, batch b.
func esTrainer(t *testing.T, n, b int, ema float64) *Trainer {
	t.Helper()
	rng := rand.New(rand.NewPCG(11, 1))
	ds := data.New(n, 1)
	for i := range ds.X {
		ds.X[i] = rng.NormFloat64()
	}
	net, err := nn.New(2, 1, []int{8, 8}, rand.New(rand.NewPCG(11, 2)))
	if err != nil {
		t.Fatal(err)
	}
	cfg := DefaultConfig()
	cfg.BatchSize, cfg.LR, cfg.EMA = b, 1e-2, ema
	tr, err := New(cfg, sde.DefaultVE(), ds, &State{Net: net, RNG: rand.NewPCG(11, 3)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tr.Close)
	return tr
}

// The average follows the weights after each Adam step:
// shadow_k = shadow_{k−1} − (1−decay)(shadow_{k−1} − params_k), with
// params_k the weights after step k (not before it), starting from the
// initial weights.
func TestEMAFollowsAdamStep(t *testing.T) {
	const decay = 0.5
	tr := esTrainer(t, 64, 64, decay) // one step an epoch
	st := tr.State()
	shadow := make([]float64, len(st.Net.Params))
	for i, p := range st.Net.Params {
		shadow[i] = float64(p)
	}
	prev := slices.Clone(st.Net.Params)
	moved := 0.0
	for epoch := 1; epoch <= 3; epoch++ {
		if err := tr.Run(context.Background(), epoch, nil); err != nil {
			t.Fatal(err)
		}
		for i, p := range st.Net.Params {
			shadow[i] -= (1 - decay) * (shadow[i] - float64(p))
			moved = max(moved, math.Abs(float64(p-prev[i])))
		}
		prev = slices.Clone(st.Net.Params)
		for i, s := range st.EMA.Shadow {
			if math.Abs(float64(s)-shadow[i]) > 1e-6 {
				t.Fatalf("step %d, parameter %d: average %v, want %v", epoch, i, s, shadow[i])
			}
		}
	}
	// The check means something only if the steps moved the weights by
	// much more than its tolerance.
	if moved < 1e-3 {
		t.Fatalf("weights moved by at most %g", moved)
	}
}

// recordBatches makes tr record the data rows of every step.
func recordBatches(tr *Trainer) *[][]int {
	var mu sync.Mutex
	var steps [][]int
	inner := tr.batch
	tr.batch = func(tile, lo, hi int, in []float32) {
		if tile == 0 {
			mu.Lock()
			steps = append(steps, slices.Clone(tr.rows))
			mu.Unlock()
		}
		inner(tile, lo, hi, in)
	}
	return &steps
}

// Every epoch reshuffles: its batches are disjoint, cover the data but the
// dropped incomplete batch, and differ from epoch to epoch; over many
// epochs every point is used and each is as often in the first batch as
// the others, within binomial noise.
func TestEpochsReshuffle(t *testing.T) {
	const n, b, epochs = 45, 10, 400 // 4 steps an epoch, 5 points left out
	tr := esTrainer(t, n, b, 0)
	steps := recordBatches(tr)
	if err := tr.Run(context.Background(), epochs, nil); err != nil {
		t.Fatal(err)
	}
	if len(*steps) != 4*epochs {
		t.Fatalf("%d steps, want %d", len(*steps), 4*epochs)
	}
	used := make([]int, n)
	first := make([]int, n)
	for e := range epochs {
		seen := make([]bool, n)
		for k, rows := range (*steps)[4*e : 4*e+4] {
			if len(rows) != b {
				t.Fatalf("epoch %d step %d: %d rows", e, k, len(rows))
			}
			for _, r := range rows {
				if seen[r] {
					t.Fatalf("epoch %d: point %d in two batches", e, r)
				}
				seen[r] = true
				used[r]++
				if k == 0 {
					first[r]++
				}
			}
		}
		if e > 0 && slices.Equal((*steps)[4*e], (*steps)[4*e-4]) {
			t.Fatalf("epochs %d and %d start with the same batch %v", e-1, e, (*steps)[4*e])
		}
	}
	// Each point is in the first batch with probability b/n = 2/9: over
	// 400 epochs 88.9 ± 8.3 times; 5 standard deviations either way.
	mean, sd := float64(epochs*b)/n, math.Sqrt(float64(epochs)*b/n*(1-float64(b)/n))
	for r := range n {
		if used[r] == 0 {
			t.Errorf("point %d never used", r)
		}
		if math.Abs(float64(first[r])-mean) > 5*sd {
			t.Errorf("point %d in the first batch %d times, want %.1f ± %.1f", r, first[r], mean, sd)
		}
	}
}
