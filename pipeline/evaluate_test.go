package pipeline

import (
	"math"
	"strings"
	"testing"

	"scoresde/data"
	"scoresde/sde"
)

// The held-out set of generated data is a thinned run of its own: 2000
// points spread over a trajectory as long as the training one, not the
// training points themselves and not the first 2000 steps of a run.
func TestHeldOutGenerated(t *testing.T) {
	cfg := Default()
	cfg.Data.N = 8000
	ds, err := LoadData(cfg.Data)
	if err != nil {
		t.Fatal(err)
	}
	held, what, err := heldOut(cfg, ds)
	if err != nil {
		t.Fatal(err)
	}
	if held.Len() != 2000 || !strings.Contains(what, "independent") {
		t.Fatalf("%d held-out points (%q), want 2000 from an independent run", held.Len(), what)
	}
	train := map[float64]bool{}
	for _, v := range ds.X {
		train[v] = true
	}
	shared := 0
	for _, v := range held.X {
		if train[v] {
			shared++
		}
	}
	if shared > 20 {
		t.Errorf("%d of 2000 held-out points are training points", shared)
	}
	// Thinned over the whole run, the held-out points reach the wells the
	// data reach: their spread is the data's, within sampling error of
	// correlated runs (a run's first quarter covers far less).
	sd := func(x []float64) float64 {
		m := 0.0
		for _, v := range x {
			m += v / float64(len(x))
		}
		s := 0.0
		for _, v := range x {
			s += (v - m) * (v - m) / float64(len(x))
		}
		return math.Sqrt(s)
	}
	r := sd(held.X) / sd(ds.X)
	t.Logf("held-out spread %.3f of the data's", r)
	if r < 0.7 || r > 1.4 {
		t.Errorf("held-out spread %.3f of the data's", r)
	}
}

// For a data file there is no independent run: the first 2000 points of
// the file, said to be training data.
func TestHeldOutFile(t *testing.T) {
	cfg := Default()
	cfg.Data.File = "points.csv"
	ds := data.New(2500, 2)
	for i := range ds.X {
		ds.X[i] = float64(i)
	}
	held, what, err := heldOut(cfg, ds)
	if err != nil {
		t.Fatal(err)
	}
	if held.Len() != 2000 || held.D != 2 || held.X[3999] != 3999 || !strings.Contains(what, "training data") {
		t.Errorf("%d points of dimension %d, last %v, %q", held.Len(), held.D, held.X[len(held.X)-1], what)
	}
}

// The training ε is --min-time when given, zero included, and the SDE's
// default only when it is negative.
func TestMinTime(t *testing.T) {
	for _, c := range []struct {
		s        sde.SDE
		min      float64
		want     float64
		describe string
	}{
		{sde.DefaultVE(), -1, 0, "VE default"},
		{sde.DefaultVP(), -1, 1e-5, "VP default"},
		{sde.DefaultVP(), 0, 0, "VP with --min-time 0"},
		{sde.DefaultVP(), 0.01, 0.01, "VP with --min-time 0.01"},
	} {
		cfg := Default()
		cfg.Train.MinTime = c.min
		if got := minTime(cfg, c.s); got != c.want {
			t.Errorf("%s: ε = %v, want %v", c.describe, got, c.want)
		}
	}
}
