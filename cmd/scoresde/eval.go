package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"scoresde/pipeline"
)

func cmdEval(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg := pipeline.Default()
	var cm common
	var samples, model string
	fs := newFlagSet("eval", "Measures samples (--samples FILE, or drawn from --model FILE) against the training data\n(--data FILE, or the Langevin data the flags describe) and, for 1-D Langevin data, the exact\nGibbs density; with --model also the optimality gap and the likelihood. Writes DIR/metrics.json\nand figures.", stderr)
	fs.StringVar(&samples, "samples", "", "samples file to evaluate")
	fs.StringVar(&model, "model", "", "model.json (or a .pt/.npz/.safetensors state_dict): adds the optimality gap and the NLL, and samples when --samples is absent (written as OUT/samples.FORMAT)")
	dataFlags(fs.FlagSet, &cfg)
	modelSDEFlags(fs.FlagSet, &cfg.SDE)
	sampleFlags(fs.FlagSet, &cfg)
	evalFlags(fs.FlagSet, &cfg)
	outFlags(fs.FlagSet, &cfg)
	reweightFlags(fs.FlagSet, &cfg)
	commonFlags(fs.FlagSet, &cm, stderr)
	if err := finishFlags(fs, args, &cm); err != nil {
		return err
	}
	if err := settleModelSDE(&cm, model); err != nil {
		return err
	}
	if samples == "" && model == "" {
		return usage(fmt.Errorf("eval: pass --samples FILE, --model FILE, or both"))
	}
	cfg.Train.Epochs = 0
	ds, err := prepareJob(ctx, &cfg, &cm)
	if err != nil {
		return err
	}
	ev, skipped, err := pipeline.EvalJob(ctx, cfg, ds, samples, model, cm.options(stderr))
	if err != nil {
		return err
	}
	if cm.jsonOut {
		b, err := json.MarshalIndent(struct {
			*pipeline.Metrics
			Skipped []pipeline.Skipped `json:"skipped,omitempty"`
		}{ev.Metrics, skipped}, "", "  ")
		if err != nil {
			return err
		}
		_, err = fmt.Fprintln(stdout, string(b))
		return err
	}
	if cm.quiet {
		return nil
	}
	var sb strings.Builder
	ev.Metrics.WriteText(&sb)
	for _, sk := range skipped {
		fmt.Fprintf(&sb, "not made:   %s (%s)\n", sk.What, sk.Reason)
	}
	fmt.Fprintf(&sb, "metrics in: %s\n", filepath.Join(cfg.Out, "metrics.json"))
	_, err = io.WriteString(stdout, sb.String())
	return err
}
