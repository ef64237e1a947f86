package main

import (
	"context"
	"fmt"
	"io"
	"math"

	"scoresde/pipeline"
)

func cmdScore(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg := pipeline.Default()
	var cm common
	var model, points, train, out string
	t := math.NaN()
	fs := newFlagSet("score", "Evaluates a model's learned score u(x, t) at given points and one time: one CSV row per point,\nheader s (or s1…sd); with --data the exact optimum for those training data beside it\n(s_opt, or s1_opt…sd_opt), with --truth the exact score of a 1-D Gibbs density (s_true). The model may be a model.json or a PyTorch state_dict of the\nnotebook's MyScore (.pt, .npz, .safetensors; its SDE from --sde and the SDE flags).", stderr)
	fs.StringVar(&model, "model", "", "model.json, or a .pt, .npz or .safetensors state_dict (required)")
	fs.StringVar(&points, "x", "", "points: a .csv/.tsv/.txt/.npy file, or a comma-separated list of 1-D points (required)")
	fs.Float64Var(&t, "t", t, "time t in [0, T] (required)")
	fs.StringVar(&train, "data", "", "training data file: adds the exact denoising-score-matching optimum's score for them")
	fs.StringVar(&out, "out", "", "output CSV file; empty or -: stdout")
	var refs pipeline.ScoreRefs
	fs.StringVar(&refs.Truth, "truth", "", "1-D potential whose Gibbs density the data follow (e.g. fourwell): adds its exact score through the kernel (s_true)")
	fs.Float64Var(&refs.Beta, "beta", cfg.Data.Beta, "inverse temperature β of --truth")
	modelSDEFlags(fs.FlagSet, &cfg.SDE)
	commonFlags(fs.FlagSet, &cm, stderr)
	if err := finishFlags(fs, args, &cm); err != nil {
		return err
	}
	switch {
	case model == "":
		return usage(fmt.Errorf("score: --model is required (a model.json, .pt, .npz or .safetensors file)"))
	case points == "":
		return usage(fmt.Errorf("score: --x is required (a file of points or a list like -1,0,1)"))
	case math.IsNaN(t):
		return usage(fmt.Errorf("score: --t is required (a time in [0, T])"))
	}
	if err := settleModelSDE(&cm, model); err != nil {
		return err
	}
	n, err := pipeline.ScoreJob(model, cfg.SDE, points, t, train, refs, out, stdout)
	if err != nil {
		return usage(err)
	}
	if out != "" && out != "-" {
		return report(stdout, cm, map[string]any{"scores": out, "n": n, "t": t},
			fmt.Sprintf("wrote the score at %d points, t = %g, to %s\n", n, t, out))
	}
	return nil
}
