package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"

	"scoresde/dataio"
	"scoresde/pipeline"
)

func cmdData(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg := pipeline.Default()
	var cm common
	fs := newFlagSet("data", "Generates overdamped Langevin data for a named potential and writes DIR/dataset.FORMAT.", stderr)
	dataFlags(fs.FlagSet, &cfg)
	fs.StringVar(&cfg.Out, "out", cfg.Out, "output folder")
	fs.StringVar(&cfg.Format, "format", cfg.Format, "output format: csv, tsv, txt or npy")
	commonFlags(fs.FlagSet, &cm, stderr)
	if err := finishFlags(fs, args, &cm); err != nil {
		return err
	}
	if cfg.Data.File != "" {
		return usage(fmt.Errorf("data: --data reads a file; to generate data drop it and pick --potential"))
	}
	cfg.Train.Epochs = 0 // no batch-size check: nothing trains here
	ds, err := prepareJob(ctx, &cfg, &cm)
	if err != nil {
		return err
	}
	path := filepath.Join(cfg.Out, "dataset."+cfg.Format)
	if err := dataio.WriteFile(path, ds, cfg.Format); err != nil {
		return err
	}
	return report(stdout, cm, map[string]any{"dataset": path, "n": ds.Len(), "dim": ds.D},
		fmt.Sprintf("wrote %d points of dimension %d to %s\n", ds.Len(), ds.D, path))
}

func cmdTrain(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg := pipeline.Default()
	var cm common
	fs := newFlagSet("train", "Trains a score model on --data FILE (or on generated Langevin data) and writes\nDIR/model.json, loss.csv, config.json and checkpoint.json.", stderr)
	cfg.GapEvery = 0 // measured only when asked: train reports no metrics
	dataFlags(fs.FlagSet, &cfg)
	sdeFlags(fs.FlagSet, &cfg)
	trainFlags(fs.FlagSet, &cfg)
	precondFlags(fs.FlagSet, &cfg)
	gapFlag(fs.FlagSet, &cfg)
	fs.StringVar(&cfg.Out, "out", cfg.Out, "output folder")
	fs.Uint64Var(&cfg.Seed, "seed", cfg.Seed, "seed of initialisation and training")
	checkpointFlags(fs.FlagSet, &cfg)
	commonFlags(fs.FlagSet, &cm, stderr)
	if err := finishFlags(fs, args, &cm); err != nil {
		return err
	}
	ds, err := prepareJob(ctx, &cfg, &cm)
	if err != nil {
		return err
	}
	st, tm, err := pipeline.TrainJob(ctx, cfg, ds, cm.options(stderr))
	if err != nil {
		return err
	}
	last := 0.0
	if n := len(st.Losses); n > 0 {
		last = st.Losses[n-1]
	}
	return report(stdout, cm, map[string]any{
		"model": filepath.Join(cfg.Out, "model.json"), "epochs": st.Epoch, "final_loss": last, "train_s": tm.Total,
	}, fmt.Sprintf("trained %d epochs in %.1fs, final loss %.5f; model in %s\n", st.Epoch, tm.Total, last, filepath.Join(cfg.Out, "model.json")))
}

func cmdSample(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg := pipeline.Default()
	var cm common
	var model string
	fs := newFlagSet("sample", "Draws samples from a trained model (--model DIR/model.json) and writes DIR2/samples.FORMAT.", stderr)
	fs.StringVar(&model, "model", "", "model.json written by 'scoresde train' or 'run', or a PyTorch state_dict (.pt, .npz, .safetensors) (required)")
	modelSDEFlags(fs.FlagSet, &cfg.SDE)
	sampleFlags(fs.FlagSet, &cfg)
	outFlags(fs.FlagSet, &cfg)
	commonFlags(fs.FlagSet, &cm, stderr)
	if err := finishFlags(fs, args, &cm); err != nil {
		return err
	}
	if err := settleModelSDE(&cm, model); err != nil {
		return err
	}
	if model == "" {
		return usage(fmt.Errorf("sample: --model is required (the model.json written by 'scoresde train')"))
	}
	if err := cfg.Validate(); err != nil {
		return usage(err)
	}
	if err := pipeline.PrepareOut(cfg.Out); err != nil {
		return usage(err)
	}
	smp, nfe, err := pipeline.SampleJob(ctx, model, cfg, cm.options(stderr))
	if err != nil {
		return err
	}
	path := filepath.Join(cfg.Out, "samples."+cfg.Format)
	return report(stdout, cm, map[string]any{"samples": path, "n": smp.Len(), "dim": smp.D, "nfe": nfe},
		fmt.Sprintf("wrote %d samples of dimension %d to %s (%d score evaluations each)\n", smp.Len(), smp.D, path, nfe))
}

// report prints a one-line text result, or JSON with --json.
func report(w io.Writer, cm common, fields map[string]any, text string) error {
	if cm.jsonOut {
		b, err := json.MarshalIndent(fields, "", "  ")
		if err != nil {
			return err
		}
		_, err = fmt.Fprintln(w, string(b))
		return err
	}
	if cm.quiet {
		return nil
	}
	_, err := io.WriteString(w, text)
	return err
}
