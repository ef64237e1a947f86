package pipeline

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// A cancellation (what SIGINT and SIGTERM do) in any phase ends Run
// promptly with ErrInterrupted, keeping the files of the phases that
// completed and writing none of the later ones.
func TestRunInterruptedInEachPhase(t *testing.T) {
	cases := []struct {
		phase      string
		have, lack []string
	}{
		{"data", nil, []string{"dataset.csv", "model.json"}},
		{"forward", []string{"dataset.csv"}, []string{"model.json"}},
		{"train", []string{"dataset.csv", CheckpointName}, []string{"model.json", "loss.csv"}},
		{"sample", []string{"model.json", "loss.csv"}, []string{"samples.csv"}},
		{"eval", []string{"samples.csv"}, []string{"report.html"}},
		{"figures", []string{"metrics.json", "config.json", "timing.json"}, []string{"report.html", "fig1_data.png"}},
	}
	for _, c := range cases {
		t.Run(c.phase, func(t *testing.T) {
			cfg := Default()
			cfg.Out = t.TempDir()
			// Small, except the phase under test: big enough that ignoring
			// the cancellation would take it seconds.
			cfg.Data.N, cfg.Train.BatchSize, cfg.Train.Epochs = 4000, 1000, 2
			cfg.Sample.N, cfg.Sample.Steps = 2000, 100
			cfg.GapEvery, cfg.CheckpointEvery = 0, 1
			switch c.phase {
			case "data":
				cfg.Data.N = 10000000
			case "forward":
				cfg.Data.N, cfg.Sample.Steps = 100000, 5000
			case "train":
				cfg.Train.Epochs = 100000
			case "sample":
				cfg.Sample.N, cfg.Sample.Steps = 10000, 500 // the notebook's
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var at time.Time
			opt := Options{OnPhase: func(name string) {
				if name == c.phase {
					// Cancel once the phase's work is under way.
					at = time.Now().Add(30 * time.Millisecond)
					time.AfterFunc(30*time.Millisecond, cancel)
				}
			}}
			_, err := Run(ctx, cfg, nil, opt)
			if !errors.Is(err, ErrInterrupted) {
				t.Fatalf("err = %v, want ErrInterrupted", err)
			}
			if at.IsZero() {
				t.Fatal("phase never started")
			}
			if d := time.Since(at); d > 1500*time.Millisecond {
				t.Errorf("Run took %v after the cancellation", d)
			}
			for _, f := range c.have {
				if _, err := os.Stat(filepath.Join(cfg.Out, f)); err != nil {
					t.Errorf("%s of a completed phase missing", f)
				}
			}
			for _, f := range c.lack {
				if _, err := os.Stat(filepath.Join(cfg.Out, f)); err == nil {
					t.Errorf("%s written after the cancellation", f)
				}
			}
		})
	}
}
