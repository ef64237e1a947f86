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

func cmdCompare(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg := pipeline.Default()
	cfg.Out = "compare"
	var cm common
	var model, samplers string
	fs := newFlagSet("compare", "Runs every sampler of --model FILE at a ladder of step counts (em, rd, pc: 10–500; ode: adaptive\nand Heun 5–50; edm, dpm2m: 5–50; ancestral: 10–200), each from the same seed, and measures the\nsamples against the training data (--data FILE, --dataset NAME, or the Langevin data the flags\ndescribe) and, for 1-D Langevin data, the exact Gibbs density. Writes DIR/compare.csv,\nDIR/fig_compare.png (quality against NFE) and DIR/report.html.", stderr)
	fs.StringVar(&model, "model", "", "model.json written by 'scoresde train' or 'run' (required)")
	fs.StringVar(&samplers, "samplers", "", "comma-separated subset of em, rd, pc, ode-rk45, ode-heun, edm, dpm2m, ancestral (default: all)")
	dataFlags(fs.FlagSet, &cfg)
	sampleFlags(fs.FlagSet, &cfg)
	fs.StringVar(&cfg.Truth, "truth", cfg.Truth, "potential whose Gibbs density (at --beta) the data follow: auto (the generating potential; none for a data file), none, or a name")
	outFlags(fs.FlagSet, &cfg)
	commonFlags(fs.FlagSet, &cm, stderr)
	if err := finishFlags(fs, args, &cm); err != nil {
		return err
	}
	if model == "" {
		return usage(fmt.Errorf("compare: --model is required (the model.json written by 'scoresde train' or 'run')"))
	}
	ladder, err := pipeline.SelectLadder(pipeline.DefaultLadder(), samplers)
	if err != nil {
		return usage(err)
	}
	cfg.Train.Epochs = 0
	ds, err := prepareJob(ctx, &cfg, &cm)
	if err != nil {
		return err
	}
	cmp, err := pipeline.CompareJob(ctx, model, cfg, ds, ladder, cm.options(stderr))
	if err != nil {
		return err
	}
	if cm.jsonOut {
		b, err := json.MarshalIndent(cmp.Rows, "", "  ")
		if err != nil {
			return err
		}
		_, err = fmt.Fprintln(stdout, string(b))
		return err
	}
	var sb strings.Builder
	cmp.WriteText(&sb)
	fmt.Fprintf(&sb, "table in %s, figure in %s, report in %s\n", filepath.Join(cfg.Out, "compare.csv"),
		filepath.Join(cfg.Out, "fig_compare.png"), filepath.Join(cfg.Out, "report.html"))
	_, err = io.WriteString(stdout, sb.String())
	return err
}
