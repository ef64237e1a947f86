package pipeline

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// ErrUnfinished is returned (wrapped) when a fresh run would replace the
// checkpoint of an unfinished one.
var ErrUnfinished = errors.New("the folder holds an unfinished run")

// ClaimOut makes dir the folder of one new run: it refuses when dir holds
// the checkpoint of an unfinished run (unless overwrite, or that
// checkpoint is the one being resumed), then removes every output an
// earlier run left there, and leftover temporary files — never a file
// among keep (the run's own inputs).
func ClaimOut(dir string, overwrite bool, resume string, keep ...string) error {
	ckpt := filepath.Join(dir, CheckpointName)
	if !overwrite && !sameFile(resume, ckpt) {
		if epoch, ok := unfinished(dir); ok {
			return &InputError{fmt.Errorf("%s: %w (its checkpoint is at epoch %d, and no model.json of that epoch sits beside it)", dir, ErrUnfinished, epoch)}
		}
	}
	if resume != "" {
		keep = append(keep, resume)
	}
	return removeOutputs(dir, isRunOutput, keep)
}

// unfinished reports whether dir's checkpoint is ahead of its model.json:
// a run that was interrupted, or is still going.
func unfinished(dir string) (int, bool) {
	var ck struct{ Epoch int }
	b, err := os.ReadFile(filepath.Join(dir, CheckpointName))
	if err != nil || json.Unmarshal(b, &ck) != nil {
		return 0, false
	}
	var mf struct{ Epochs int }
	b, err = os.ReadFile(filepath.Join(dir, "model.json"))
	if err != nil || json.Unmarshal(b, &mf) != nil {
		return ck.Epoch, true
	}
	return ck.Epoch, mf.Epochs != ck.Epoch
}

// isTemp matches the temporary files of atomic writes and PrepareOut.
func isTemp(name string) bool {
	return strings.HasPrefix(name, ".") && (strings.Contains(name, ".tmp") || strings.HasPrefix(name, ".write-test"))
}

// isRunOutput matches every file run and train write.
func isRunOutput(name string) bool {
	if isTemp(name) {
		return true
	}
	switch name {
	case "loss.csv", "model.json", "metrics.json", "config.json", "timing.json", "report.html", CheckpointName:
		return true
	}
	return isDataOutput(name, "dataset") || isDataOutput(name, "samples") || isFigure(name)
}

// isEvalOutput matches what eval writes.
func isEvalOutput(name string) bool {
	switch name {
	case "metrics.json", "config.json", "report.html":
		return true
	}
	return isTemp(name) || isFigure(name) || isDataOutput(name, "samples")
}

// isSampleOutput matches what sample writes.
func isSampleOutput(name string) bool {
	return isTemp(name) || name == "config.json" || isDataOutput(name, "samples")
}

func isDataOutput(name, base string) bool {
	switch name {
	case base + ".csv", base + ".tsv", base + ".txt", base + ".npy":
		return true
	}
	return false
}

func isFigure(name string) bool {
	return strings.HasPrefix(name, "fig") && (strings.HasSuffix(name, ".png") || strings.HasSuffix(name, ".svg"))
}

// removeOutputs deletes the regular files of dir that match, except keep.
func removeOutputs(dir string, match func(string) bool, keep []string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return &InputError{fmt.Errorf("cannot read output folder %s: %w", dir, err)}
	}
	for _, e := range entries {
		if !e.Type().IsRegular() || !match(e.Name()) {
			continue
		}
		p := filepath.Join(dir, e.Name())
		kept := false
		for _, k := range keep {
			kept = kept || sameFile(k, p)
		}
		if kept {
			continue
		}
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("cannot remove the earlier run's %s: %w", p, err)
		}
	}
	return nil
}

func sameFile(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	sa, err := os.Stat(a)
	if err != nil {
		return false
	}
	sb, err := os.Stat(b)
	return err == nil && os.SameFile(sa, sb)
}
