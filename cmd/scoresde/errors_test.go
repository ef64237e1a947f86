package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"scoresde/pipeline"
	"scoresde/train"
)

// The exit code follows the cause, the same in every command.
func TestExitCodeByCause(t *testing.T) {
	cases := []struct {
		err  error
		code int
		says string
	}{
		{nil, 0, ""},
		{errors.New("writing out/samples.csv: no space left on device"), 1, "no space"},
		{fmt.Errorf("sampling: %w", &pipeline.InputError{Err: errors.New("bad model")}), 2, "bad model"},
		{usage(errors.New("bad flag")), 2, "bad flag"},
		{&pipeline.SettingError{Key: "train.lr", Msg: "too big"}, 1, "--lr: too big"},
		{&pipeline.InputError{Err: &pipeline.SettingError{Key: "sde.eta_min", Msg: "tiny"}}, 2, "--eta-min: tiny"},
		{&pipeline.InputError{Err: &pipeline.MismatchError{Checkpoint: "c.json", Key: "train.ema", Saved: "0.999", Now: "0"}}, 2, "--ema 0.999"},
		{fmt.Errorf("figures: %w", pipeline.ErrInterrupted), 130, "interrupted"},
		{context.Canceled, 130, "canceled"},
		{&pipeline.TrainingInterrupted{Epoch: 3, Checkpoint: "out/checkpoint.json"}, 130, "--resume out/checkpoint.json"},
		{&pipeline.InputError{Err: fmt.Errorf("%w at epoch 2", train.ErrDiverged)}, 2, "lower --lr"},
		{&pipeline.InputError{Err: fmt.Errorf("out: %w", pipeline.ErrUnfinished)}, 2, "--overwrite"},
	}
	for _, c := range cases {
		var sb strings.Builder
		code := exitCode(c.err, &sb)
		if code != c.code || !strings.Contains(sb.String(), c.says) || strings.Count(sb.String(), "\n") > 1 {
			t.Errorf("%v: exit %d, %q; want %d saying %q", c.err, code, sb.String(), c.code, c.says)
		}
	}
	if exitCode(errors.New("a\nb"), io.Discard) != 1 {
		t.Error("multi-line error")
	}
}
