package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"scoresde/pipeline"
)

func cmdBench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	bc := pipeline.DefaultBench()
	var cm common
	fs := newFlagSet("bench", "Times the training step (the notebook's network and batch, data handling and Adam included),\na forward pass and a reverse-sampling step over --n points, and each kernel of the step on one\ncore, and prints the machine they ran on.", stderr)
	fs.Var(intList{&bc.Hidden}, "hidden", "hidden layer widths")
	fs.IntVar(&bc.Dim, "dim", bc.Dim, "data dimension (the network maps dim+1 inputs to dim outputs)")
	fs.IntVar(&bc.Batch, "batch", bc.Batch, "batch size")
	fs.IntVar(&bc.Steps, "steps", bc.Steps, "training steps to time")
	fs.IntVar(&bc.Samples, "n", bc.Samples, "points in the forward-pass and reverse-sampling benchmarks")
	fs.IntVar(&bc.SampleSteps, "sample-steps", bc.SampleSteps, "reverse steps to time")
	fs.Float64Var(&bc.PeakGFLOPS, "peak-gflops", bc.PeakGFLOPS, "the machine's float32 peak for the FLOP-floor share; 0: measure it (or, without SIMD kernels, assume cores × clock × 32)")
	commonFlags(fs.FlagSet, &cm, stderr)
	if err := finishFlags(fs, args, &cm); err != nil {
		return err
	}
	if bc.Batch < 1 || bc.Steps < 1 || bc.Samples < 1 || bc.SampleSteps < 1 || bc.Dim < 1 || bc.PeakGFLOPS < 0 {
		return usage(fmt.Errorf("bench: --batch, --steps, --n, --sample-steps and --dim must be ≥ 1 and --peak-gflops ≥ 0"))
	}
	for _, h := range bc.Hidden {
		if h < 1 {
			return usage(fmt.Errorf("bench: hidden widths must be ≥ 1, got %v", bc.Hidden))
		}
	}
	res, err := pipeline.Bench(ctx, bc, stderr)
	if err != nil {
		return err
	}
	if cm.jsonOut {
		b, err := json.MarshalIndent(res, "", "  ")
		if err != nil {
			return err
		}
		_, err = fmt.Fprintln(stdout, string(b))
		return err
	}
	var sb strings.Builder
	res.WriteText(&sb)
	_, err = io.WriteString(stdout, sb.String())
	return err
}
