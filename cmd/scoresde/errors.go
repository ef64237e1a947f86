package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"scoresde/pipeline"
	"scoresde/train"
)

// Exit codes: the same in every subcommand.
const (
	exitOK          = 0
	exitMachine     = 1   // the machine or a file system failed
	exitInput       = 2   // the user's flags, files or data cannot work
	exitInterrupted = 130 // SIGINT or SIGTERM
)

// flagOf maps config.json keys, as pipeline names settings, to flags.
var flagOf = map[string]string{
	"data.beta": "beta", "data.n": "n-data", "data.dt": "dt", "data.seed": "data-seed", "data.potential": "potential",
	"sde.name": "sde", "sde.eta_min": "eta-min", "sde.eta_max": "eta-max", "sde.beta_min": "beta-min", "sde.beta_max": "beta-max", "sde.T": "T",
	"net.hidden": "hidden", "train.batch_size": "batch", "train.epochs": "epochs", "train.lr": "lr",
	"train.min_time": "min-time", "train.weighting": "weighting", "train.ema": "ema",
	"seed": "seed", "center": "center", "truth": "truth",
	"sample.n": "n", "sample.steps": "steps", "sample.method": "sampler", "sample.ode_solver": "ode-solver",
	"sample.corrector_steps": "corrector-steps", "sample.snr": "snr", "sample.eps": "eps",
	"out": "out", "gap_every": "gap-every", "checkpoint_every": "checkpoint-every", "splits": "splits", "format": "format",
	"data.potential_expr": "potential-expr", "train.precond": "precond",
	"reweight.on": "reweight", "reweight.beta": "reweight-beta", "reweight.bootstrap": "bootstrap",
}

func flagName(key string) string {
	if f, ok := flagOf[key]; ok {
		return "--" + f
	}
	return key
}

// exitCode prints err as one line and returns the exit code for it.
func exitCode(err error, stderr io.Writer) int {
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	fmt.Fprintf(stderr, "scoresde: %s\n", oneLine(advice(err)))
	switch {
	case errors.Is(err, pipeline.ErrInterrupted) || errors.Is(err, context.Canceled):
		return exitInterrupted
	case isUsage(err) || pipeline.IsInput(err):
		return exitInput
	}
	return exitMachine
}

func isUsage(err error) bool {
	var ue usageError
	return errors.As(err, &ue)
}

// advice is err's message in the command line's terms: settings named by
// their flags, and what to do.
func advice(err error) string {
	var se *pipeline.SettingError
	var me *pipeline.MismatchError
	var ti *pipeline.TrainingInterrupted
	switch {
	case errors.As(err, &ti):
		return fmt.Sprintf("%v; continue with --resume %s", err, ti.Checkpoint)
	case errors.As(err, &se):
		return fmt.Sprintf("%s: %s", flagName(se.Key), se.Msg)
	case errors.As(err, &me):
		if me.Key == "data" {
			return me.Error() + " (the same values in the same order)"
		}
		return fmt.Sprintf("checkpoint %s was written with %s %s, this run has %s; resume with the same flags as the interrupted run", me.Checkpoint, flagName(me.Key), me.Saved, me.Now)
	case errors.Is(err, pipeline.ErrUnfinished):
		return err.Error() + "; continue it with --resume, or replace it with --overwrite"
	case errors.Is(err, train.ErrDiverged) && !strings.Contains(err.Error(), "--lr"):
		return err.Error() + "; lower --lr"
	}
	return err.Error()
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", "; ")), " ")
}
