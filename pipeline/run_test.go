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

// A file that cannot be written is the machine's failure, not the input's.
func TestRunWriteFailureIsNotInput(t *testing.T) {
	cfg := Default()
	cfg.Out = t.TempDir()
	cfg.Data.N, cfg.Train.BatchSize, cfg.Train.Epochs = 400, 100, 1
	cfg.Sample.N, cfg.Sample.Steps, cfg.Figures, cfg.NLL = 50, 5, false, false
	opt := Options{OnPhase: func(name string) {
		if name == "sample" {
			// A folder where the samples file goes: the rename fails.
			os.Mkdir(filepath.Join(cfg.Out, "samples.csv"), 0o755)
		}
	}}
	_, err := Run(context.Background(), cfg, nil, opt)
	if err == nil || IsInput(err) || errors.Is(err, ErrInterrupted) {
		t.Fatalf("err = %v, want a machine failure", err)
	}
	if _, err := os.Stat(filepath.Join(cfg.Out, "model.json")); err != nil {
		t.Error("the model of the completed training is gone")
	}
}

// An unfinished run's checkpoint survives a fresh run into its folder.
func TestClaimOutKeepsUnfinishedCheckpoint(t *testing.T) {
	dir := t.TempDir()
	ck := filepath.Join(dir, CheckpointName)
	os.WriteFile(ck, []byte(`{"epoch": 644}`), 0o644)
	os.WriteFile(filepath.Join(dir, "model.json"), []byte(`{"epochs": 245}`), 0o644)
	if err := ClaimOut(dir, false, ""); !errors.Is(err, ErrUnfinished) || !IsInput(err) {
		t.Fatalf("err = %v, want ErrUnfinished", err)
	}
	if err := ClaimOut(dir, false, ck); err != nil {
		t.Fatalf("resuming it: %v", err)
	}
	if _, err := os.Stat(ck); err != nil {
		t.Fatal("the resumed checkpoint was removed")
	}
	os.WriteFile(filepath.Join(dir, "model.json"), []byte(`{"epochs": 644}`), 0o644)
	if err := ClaimOut(dir, false, ""); err != nil {
		t.Fatalf("a finished run's folder: %v", err)
	}
	if _, err := os.Stat(ck); err == nil {
		t.Error("the finished run's checkpoint stayed beside the new run")
	}
}
