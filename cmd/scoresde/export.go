package main

import (
	"context"
	"fmt"
	"io"

	"scoresde/modelio"
	"scoresde/pipeline"
)

func cmdExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cm common
	var model, format, out string
	var unfolded bool
	fs := newFlagSet("export", "Writes a model.json's network (its EMA weights when training kept them) as the state_dict of\nthe notebook's MyScore: keys net.0.weight … with nn.Linear's shapes, the centring folded into\nnet.0.bias, so that MyScore().load_state_dict(...) computes the same u(x, t). Only VE models\nfold exactly; see --unfolded.", stderr)
	fs.StringVar(&model, "model", "", "model.json written by 'scoresde train' or 'run' (required)")
	fs.StringVar(&format, "format", "", "safetensors or npz; empty: from --out's extension")
	fs.StringVar(&out, "out", "", "output file (required)")
	fs.BoolVar(&unfolded, "unfolded", false, "VP/sub-VP: write the raw network anyway, recording the shift and the time warp MyScore lacks in the file's metadata")
	commonFlags(fs.FlagSet, &cm, stderr)
	if err := finishFlags(fs, args, &cm); err != nil {
		return err
	}
	if model == "" || out == "" {
		return usage(fmt.Errorf("export: --model DIR/model.json and --out FILE are required"))
	}
	if format == "" {
		if format = modelio.FormatOf(out); format == "" || format == modelio.PT {
			return usage(fmt.Errorf("export: cannot tell the format from %s; pass --format safetensors or npz", out))
		}
	}
	info, err := pipeline.ExportModel(model, format, out, unfolded)
	if err != nil {
		return usage(err)
	}
	if info.Note != "" && !cm.quiet {
		fmt.Fprintf(stderr, "warning: %s\n", info.Note)
	}
	what := "no centring to fold"
	if info.Folded {
		what = "centring folded into net.0.bias"
	}
	if info.Note != "" {
		what = "shift and time warp recorded in the metadata"
	}
	return report(stdout, cm, map[string]any{"out": out, "format": format, "params": info.Params, "folded": info.Folded},
		fmt.Sprintf("wrote %d parameters as %s to %s (%s)\n", info.Params, format, out, what))
}
