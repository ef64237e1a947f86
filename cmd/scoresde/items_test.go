package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// quick is a tiny run without figures or likelihood, for tests about
// files and exits rather than pictures.
var quick = []string{"--n-data", "400", "--batch", "100", "--epochs", "2", "--hidden", "8,8", "--n", "100", "--steps", "10", "--figures=false", "--nll=false", "-q"}

// A figure or metric that cannot be made is a note, not a failed run.
func TestRunWithoutPicturesStillSucceeds(t *testing.T) {
	for _, args := range [][]string{{"--epochs", "0"}, {"--n", "1"}} {
		dir := t.TempDir()
		a := append(append([]string{"run", "--out", dir}, tiny[:len(tiny)-1]...), args...)
		code, out, errs := run(t, append(a, "--json")...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errs)
		}
		var sum struct {
			Skipped []struct{ What, Reason string }
		}
		if err := json.Unmarshal([]byte(out), &sum); err != nil {
			t.Fatal(err)
		}
		if len(sum.Skipped) == 0 {
			t.Errorf("%v: nothing noted as skipped", args)
		}
		if n := strings.Count(errs, "warning:"); n != len(sum.Skipped) {
			t.Errorf("%v: %d warning lines for %d skipped items:\n%s", args, n, len(sum.Skipped), errs)
		}
		for _, f := range []string{"samples.csv", "model.json", "metrics.json", "config.json", "timing.json", "report.html"} {
			if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
				t.Errorf("%v: %v", args, err)
			}
		}
		if b, _ := os.ReadFile(filepath.Join(dir, "report.html")); !strings.Contains(string(b), "Not made:") {
			t.Errorf("%v: the report does not note what was skipped", args)
		}
	}
}

// A fresh run never destroys an unfinished run's checkpoint; an earlier
// run's outputs and temporary files go, the user's own files stay.
func TestFolderIsOneRun(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, append([]string{"train", "--epochs", "3", "--checkpoint-every", "1", "--out", dir}, small...)...)
	// An interrupted run leaves a checkpoint and no model of its epoch.
	os.Remove(filepath.Join(dir, "model.json"))
	ckpt, _ := os.ReadFile(filepath.Join(dir, "checkpoint.json"))
	code, _, errs := run(t, append([]string{"run", "--out", dir}, quick...)...)
	if code != 2 || !strings.Contains(errs, "--resume") || !strings.Contains(errs, "--overwrite") || strings.Count(errs, "\n") != 1 {
		t.Fatalf("fresh run over an unfinished one: exit %d, %q", code, errs)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "checkpoint.json")); string(b) != string(ckpt) {
		t.Fatal("the unfinished run's checkpoint changed")
	}
	stale := []string{"fig9_score_error.png", "samples.npy", ".model.json.tmp123", ".write-test9"}
	for _, f := range append(stale, "notes.txt") {
		os.WriteFile(filepath.Join(dir, f), []byte("x"), 0o644)
	}
	mustRun(t, append([]string{"run", "--out", dir, "--overwrite"}, quick...)...)
	for _, f := range stale {
		if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
			t.Errorf("%s of an earlier run is still there", f)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "notes.txt")); err != nil {
		t.Error("a file the run did not write was removed")
	}
	// A finished run's folder takes a new run without --overwrite.
	mustRun(t, append([]string{"run", "--out", dir}, quick...)...)
}

// Resume identifies the data by content, names the setting that differs,
// refuses fewer epochs than done and a checkpoint whose state was edited.
func TestResumeChecks(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "d.csv")
	var sb strings.Builder
	sb.WriteString("x\n")
	for i := range 400 {
		fmt.Fprintf(&sb, "%g\n", math.Sin(float64(i)))
	}
	os.WriteFile(data, []byte(sb.String()), 0o644)
	out := filepath.Join(dir, "out")
	args := []string{"train", "--data", data, "--batch", "100", "--hidden", "8,8", "--out", out, "-q"}
	mustRun(t, append(args, "--epochs", "3")...)
	ck := filepath.Join(out, "checkpoint.json")
	// The same file under another path resumes.
	sep := string(os.PathSeparator)
	other := []string{"train", "--data", dir + sep + "." + sep + "d.csv", "--batch", "100", "--hidden", "8,8", "--out", out, "-q"}
	mustRun(t, append(other, "--epochs", "4", "--resume", ck)...)
	// Shuffled data do not.
	lines := strings.Split(strings.TrimSpace(sb.String()), "\n")
	lines[1], lines[2] = lines[2], lines[1]
	shuffled := filepath.Join(dir, "s.csv")
	os.WriteFile(shuffled, []byte(strings.Join(lines, "\n")+"\n"), 0o644)
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"train", "--data", shuffled, "--batch", "100", "--hidden", "8,8", "--out", out, "-q", "--epochs", "6", "--resume", ck}, "other data"},
		{append(args, "--epochs", "6", "--lr", "0.01", "--resume", ck), "--lr"},
		{append(args, "--epochs", "2", "--resume", ck), "--epochs"},
	}
	for _, c := range cases {
		code, _, errs := run(t, c.args...)
		if code != 2 || !strings.Contains(errs, c.want) || strings.Count(errs, "\n") != 1 {
			t.Errorf("%v: exit %d, %q; want exit 2 naming %s", c.args[len(c.args)-4:], code, errs, c.want)
		}
	}
	// An edited EMA decay is refused on load.
	b, _ := os.ReadFile(ck)
	var m map[string]any
	json.Unmarshal(b, &m)
	m["ema"].(map[string]any)["Decay"] = 5
	b, _ = json.Marshal(m)
	os.WriteFile(ck, b, 0o644)
	code, _, errs := run(t, append(args, "--epochs", "6", "--resume", ck)...)
	if code != 2 || !strings.Contains(errs, "EMA decay") {
		t.Errorf("edited EMA decay: exit %d, %q", code, errs)
	}
}

// The documented behaviour of -q, --json, eval's outputs and the default
// run's warnings.
func TestDocumentedBehaviour(t *testing.T) {
	dir := t.TempDir()
	// data --json prints JSON; -q silences the text result of every command.
	code, out, _ := run(t, "data", "--n-data", "100", "--out", dir, "--json")
	var v map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &v) != nil || v["n"] != float64(100) {
		t.Errorf("data --json: exit %d, %q", code, out)
	}
	runDir := filepath.Join(dir, "run")
	if code, out, _ := run(t, append([]string{"run", "--out", runDir}, quick...)...); code != 0 || out != "" {
		t.Errorf("run -q: exit %d, stdout %q", code, out)
	}
	// eval draws samples in --format and writes config.json.
	evalDir := filepath.Join(dir, "eval")
	code, out, errs := run(t, "eval", "--model", filepath.Join(runDir, "model.json"), "--n-data", "400", "--n", "50", "--steps", "5",
		"--nll=false", "--format", "npy", "--out", evalDir, "-q")
	if code != 0 || out != "" {
		t.Errorf("eval -q: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	for _, f := range []string{"samples.npy", "config.json", "metrics.json"} {
		if _, err := os.Stat(filepath.Join(evalDir, f)); err != nil {
			t.Error(err)
		}
	}
	// Flags that would do nothing are not offered.
	for _, c := range [][]string{{"train", "--format", "npy"}, {"eval", "--gap-every", "5"}} {
		if code, _, _ := run(t, c...); code != 2 {
			t.Errorf("%v: exit %d, want 2 (no such flag)", c, code)
		}
	}
	// The notebook's own setting does not warn about the prior's width.
	_, _, errs = run(t, "run", "--out", filepath.Join(dir, "nb"), "--epochs", "1", "--n", "50", "--steps", "5", "--figures=false", "--nll=false")
	if strings.Contains(errs, "warning") {
		t.Errorf("the default run warns: %s", errs)
	}
}
