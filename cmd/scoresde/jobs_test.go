package main

import (
	"bytes"
	"encoding/binary"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"scoresde/train"
)

var small = []string{"--n-data", "400", "--batch", "100", "--hidden", "16,16", "-q"}

func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	code, out, errs := run(t, args...)
	if code != 0 {
		t.Fatalf("%v: exit %d\n%s%s", args, code, out, errs)
	}
	return out
}

// Training in two legs through a checkpoint gives the same model.json, byte
// for byte, as training in one go.
func TestTrainResumeMatchesUninterrupted(t *testing.T) {
	full, legs := t.TempDir(), t.TempDir()
	mustRun(t, append([]string{"train", "--epochs", "6", "--out", full}, small...)...)
	mustRun(t, append([]string{"train", "--epochs", "3", "--out", legs}, small...)...)
	mustRun(t, append([]string{"train", "--epochs", "6", "--out", legs, "--resume", filepath.Join(legs, "checkpoint.json")}, small...)...)
	a, _ := os.ReadFile(filepath.Join(full, "model.json"))
	b, _ := os.ReadFile(filepath.Join(legs, "model.json"))
	if len(a) == 0 || !bytes.Equal(a, b) {
		t.Error("resumed model differs from the uninterrupted one")
	}
	// Resuming with other settings is refused.
	code, _, errs := run(t, append([]string{"train", "--epochs", "6", "--lr", "0.01", "--out", legs, "--resume", filepath.Join(legs, "checkpoint.json")}, small...)...)
	if code == 0 || !strings.Contains(errs, "same flags") {
		t.Errorf("mismatched resume: exit %d, %s", code, errs)
	}
}

// SIGINT mid-training saves a checkpoint that loads and resumes.
func TestSignalLeavesLoadableCheckpoint(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "scoresde")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	dir := t.TempDir()
	cmd := exec.Command(bin, append([]string{"train", "--epochs", "100000", "--checkpoint-every", "1", "--out", dir}, small...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Signal only once training is under way (the first checkpoint exists),
	// however slow the machine.
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if _, err := os.Stat(filepath.Join(dir, "checkpoint.json")); err == nil {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("no checkpoint after 60 s")
		}
	}
	cmd.Process.Signal(syscall.SIGINT)
	err := cmd.Wait()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 130 {
		t.Fatalf("exit %v, want 130; stderr %s", err, stderr.String())
	}
	if !strings.Contains(stderr.String(), "--resume") {
		t.Errorf("stderr does not say how to resume: %s", stderr.String())
	}
	st, err := train.LoadCheckpoint(filepath.Join(dir, "checkpoint.json"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if st.Epoch < 1 {
		t.Fatalf("checkpoint at epoch %d", st.Epoch)
	}
	mustRun(t, append([]string{"train", "--epochs", strconv.Itoa(st.Epoch + 2), "--out", dir, "--resume", filepath.Join(dir, "checkpoint.json")}, small...)...)
}

// The report is one self-contained HTML file: it references nothing outside.
func TestRunReportIsSelfContained(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, append([]string{"run", "--out", dir}, tiny...)...)
	b, err := os.ReadFile(filepath.Join(dir, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	html := string(b)
	for _, bad := range []string{"http://", "https://", "<script src", "<link", "@import"} {
		if strings.Contains(html, bad) {
			t.Errorf("report.html contains %q", bad)
		}
	}
	if n := strings.Count(html, "data:image/png;base64,"); n < 10 {
		t.Errorf("report inlines %d figures, want ≥ 10", n)
	}
	// eval on the run's outputs reproduces the run's sample metrics.
	dir2 := t.TempDir()
	out := mustRun(t, "eval", "--data", filepath.Join(dir, "dataset.csv"), "--samples", filepath.Join(dir, "samples.csv"),
		"--model", filepath.Join(dir, "model.json"), "--truth", "fourwell", "--out", dir2, "--steps", "20")
	for _, want := range []string{"W1(samples, data)", "optimality gap", "NLL", "Gibbs"} {
		if !strings.Contains(out, want) {
			t.Errorf("eval output lacks %q:\n%s", want, out)
		}
	}
	for _, f := range []string{"metrics.json", "report.html", "fig12_cdf.png"} {
		if _, err := os.Stat(filepath.Join(dir2, f)); err != nil {
			t.Error(err)
		}
	}
}

// Data come in as .npy and the config file sets flags the command line does not.
func TestNpyDataAndConfigFile(t *testing.T) {
	dir := t.TempDir()
	npy := filepath.Join(dir, "d.npy")
	writeNpy(t, npy, 300, 2)
	cfg := filepath.Join(dir, "c.yaml")
	os.WriteFile(cfg, []byte("epochs: 2\nbatch: 100\nhidden: [8, 8]\nn: 50\nsteps: 5\n"), 0o644)
	out := filepath.Join(dir, "out")
	mustRun(t, "run", "--data", npy, "--config", cfg, "--epochs", "3", "--out", out, "-q", "--format", "npy")
	b, _ := os.ReadFile(filepath.Join(out, "config.json"))
	for _, want := range []string{`"epochs": 3`, `"batch": 100`, `"hidden": "8,8"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("config.json lacks %s:\n%s", want, b)
		}
	}
	// config.json passes back to --config and reproduces the run.
	out2 := filepath.Join(dir, "out2")
	mustRun(t, "run", "--config", filepath.Join(out, "config.json"), "--out", out2, "-q")
	a, _ := os.ReadFile(filepath.Join(out, "samples.npy"))
	c, _ := os.ReadFile(filepath.Join(out2, "samples.npy"))
	if len(a) == 0 || !bytes.Equal(a, c) {
		t.Error("a run from config.json drew other samples")
	}
	for _, f := range []string{"samples.npy", "fig_scatter.png", "fig_density2d.png", "fig_marginals.png"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Error(err)
		}
	}
}

// writeNpy writes an n×d float64 .npy file of a two-blob mixture.
func writeNpy(t *testing.T, path string, n, d int) {
	t.Helper()
	hdr := "{'descr': '<f8', 'fortran_order': False, 'shape': (" + strconv.Itoa(n) + ", " + strconv.Itoa(d) + "), }"
	pad := 64 - (10+len(hdr)+1)%64
	hdr += strings.Repeat(" ", pad) + "\n"
	var buf bytes.Buffer
	buf.WriteString("\x93NUMPY\x01\x00")
	binary.Write(&buf, binary.LittleEndian, uint16(len(hdr)))
	buf.WriteString(hdr)
	for i := range n * d {
		v := math.Sin(float64(i)) * 0.3
		if i/d%2 == 0 {
			v += 1
		}
		binary.Write(&buf, binary.LittleEndian, v)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// The same seed gives byte-identical model and samples whatever GOMAXPROCS.
func TestOutputsIndependentOfGOMAXPROCS(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	var model, samples []byte
	for _, p := range []int{1, 2, 4} {
		runtime.GOMAXPROCS(p)
		dir := t.TempDir()
		// Batches and sample sets span several tiles, so the workers share them.
		mustRun(t, "run", "--out", dir, "--figures=false", "--nll=false", "--gap-every", "0", "-q",
			"--n-data", "2000", "--batch", "1000", "--epochs", "3", "--n", "1000", "--steps", "20")
		m, _ := os.ReadFile(filepath.Join(dir, "model.json"))
		s, _ := os.ReadFile(filepath.Join(dir, "samples.csv"))
		if model == nil {
			model, samples = m, s
			continue
		}
		if !bytes.Equal(m, model) || !bytes.Equal(s, samples) {
			t.Errorf("GOMAXPROCS=%d: model or samples differ from GOMAXPROCS=1", p)
		}
	}
}

// SIGTERM while sampling ends the program within a few seconds with exit
// 130, keeping the trained model and writing no samples.
func TestSigtermWhileSampling(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "scoresde")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	dir := t.TempDir()
	// 400,000 points × 2000 steps: minutes of sampling if it ran on.
	cmd := exec.Command(bin, append([]string{"run", "--epochs", "1", "--n", "400000", "--steps", "2000", "--figures=false", "--out", dir}, small...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if _, err := os.Stat(filepath.Join(dir, "model.json")); err == nil {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("no model after 60 s")
		}
	}
	time.Sleep(200 * time.Millisecond) // into the sampling loop
	start := time.Now()
	cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var err error
	select {
	case err = <-done:
	case <-time.After(20 * time.Second):
		cmd.Process.Kill()
		t.Fatal("still running 20 s after SIGTERM")
	}
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 130 {
		t.Fatalf("exit %v, want 130; stderr %s", err, stderr.String())
	}
	t.Logf("ended %v after SIGTERM", time.Since(start))
	if _, err := os.Stat(filepath.Join(dir, "samples.csv")); err == nil {
		t.Error("samples written after SIGTERM")
	}
	if _, err := os.Stat(filepath.Join(dir, "model.json")); err != nil {
		t.Error("the model did not survive")
	}
}
