package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"scoresde/dataio"
)

const fixtures = "../../modelio/testdata"

// readScores parses the CSV written by 'score': a header row, then one row
// per point.
func readScores(t *testing.T, text string) (header []string, rows [][]float64) {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(text), "\n")
	header = strings.Split(lines[0], ",")
	for _, l := range lines[1:] {
		var row []float64
		for _, f := range strings.Split(l, ",") {
			v, err := strconv.ParseFloat(f, 64)
			if err != nil {
				t.Fatalf("score output line %q: %v", l, err)
			}
			row = append(row, v)
		}
		rows = append(rows, row)
	}
	return header, rows
}

// 'score' on the PyTorch fixtures gives PyTorch's own u(x, t) (recorded by
// make_fixtures.py) for every format, 1-D and 2-D.
func TestScoreCommandMatchesPyTorch(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(fixtures, "expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	var exp map[string][]struct {
		T float64     `json:"t"`
		X [][]float64 `json:"x"`
		U [][]float64 `json:"u"`
	}
	if err := json.Unmarshal(b, &exp); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, file := range []string{"mlp1d.pt", "mlp1d.npz", "mlp1d.safetensors", "mlp2d.pt"} {
		key := strings.TrimSuffix(file, filepath.Ext(file))
		for k, row := range exp[key] {
			points := filepath.Join(dir, fmt.Sprintf("%s-%d.csv", key, k))
			var sb strings.Builder
			for _, x := range row.X {
				sb.WriteString(strings.Trim(strings.Join(strings.Fields(fmt.Sprint(x)), ","), "[]") + "\n")
			}
			os.WriteFile(points, []byte(sb.String()), 0o644)
			out := filepath.Join(dir, "s.csv")
			mustRun(t, "score", "--model", filepath.Join(fixtures, file), "--x", points, "--t", fmt.Sprint(row.T), "--out", out, "-q")
			text, _ := os.ReadFile(out)
			header, got := readScores(t, string(text))
			want := "s"
			if len(row.X[0]) == 2 {
				want = "s1,s2"
			}
			if strings.Join(header, ",") != want || len(got) != len(row.U) {
				t.Fatalf("%s: header %v and %d rows, want %s and %d", file, header, len(got), want, len(row.U))
			}
			for i := range got {
				for j := range got[i] {
					if d := math.Abs(got[i][j] - row.U[i][j]); d > 2e-6 {
						t.Errorf("%s t=%v point %d: %v, PyTorch %v", file, row.T, i, got[i][j], row.U[i][j])
					}
				}
			}
		}
	}
}

// The exact references come beside the model's score through the command.
func TestScoreCommandReferences(t *testing.T) {
	train := filepath.Join(t.TempDir(), "train.csv")
	os.WriteFile(train, []byte("x\n-0.5\n0.1\n0.6\n"), 0o644)
	header, rows := readScores(t, mustRun(t, "score", "--model", filepath.Join(fixtures, "mlp1d.pt"), "--x", "-1,0,1", "--t", "0.5",
		"--data", train, "--truth", "fourwell", "--beta", "2"))
	if strings.Join(header, ",") != "s,s_opt,s_true" || len(rows) != 3 {
		t.Errorf("header %v, %d rows", header, len(rows))
	}
}

// 'sample --model mlp1d.pt' draws what the notebook's own reverse-time
// Euler–Maruyama draws from that network: the W1 distance between our
// 8000 samples and the quantiles of PyTorch's 40000 (make_fixtures.py),
// averaged over 1000 levels, was 0.030–0.049 for seeds 0–3 (sampling
// noise; the samples' std is 2.6), and 0.082 with η_max 5% off.
func TestSamplePyTorchModelMatchesNotebookSampler(t *testing.T) {
	out := t.TempDir()
	mustRun(t, "sample", "--model", filepath.Join(fixtures, "mlp1d.pt"), "--n", "8000", "--steps", "100", "--format", "npy", "--out", out, "-q")
	smp, err := dataio.ReadFile(filepath.Join(out, "samples.npy"), "npy")
	if err != nil {
		t.Fatal(err)
	}
	ref, err := dataio.ReadFile(filepath.Join(fixtures, "mlp1d_quantiles.npy"), "npy")
	if err != nil {
		t.Fatal(err)
	}
	x := append([]float64(nil), smp.X...)
	sort.Float64s(x)
	w1 := 0.0
	for k, q := range ref.X {
		// numpy's default quantile: linear between order statistics.
		h := (float64(len(x)) - 1) * (float64(k) + 0.5) / float64(len(ref.X))
		i := int(h)
		w1 += math.Abs(x[i]+(h-float64(i))*(x[min(i+1, len(x)-1)]-x[i])-q) / float64(len(ref.X))
	}
	if w1 > 0.06 {
		t.Errorf("W1 to PyTorch's samples %.4f, want ≤ 0.06", w1)
	}
}

// A PyTorch model samples and evaluates through the ordinary commands, for
// each SDE (from the flags) and sampler, in 1-D and 2-D.
func TestForeignModelsSampleAndEval(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		file string
		args []string
	}{
		{"mlp1d.pt", []string{"--sampler", "em"}},
		{"mlp1d.safetensors", []string{"--sde", "vp", "--sampler", "pc"}},
		{"mlp1d.npz", []string{"--sde", "subvp", "--sampler", "ode", "--ode-solver", "heun"}},
		{"mlp2d.pt", []string{"--sampler", "rd", "--eta-max", "3"}},
	} {
		out := filepath.Join(dir, c.file)
		args := append([]string{"sample", "--model", filepath.Join(fixtures, c.file), "--n", "200", "--steps", "20", "--out", out, "-q"}, c.args...)
		mustRun(t, args...)
		text, err := os.ReadFile(filepath.Join(out, "samples.csv"))
		if err != nil {
			t.Fatal(err)
		}
		_, rows := readScores(t, string(text))
		if len(rows) != 200 {
			t.Errorf("%s: %d samples, want 200", c.file, len(rows))
		}
		for _, r := range rows {
			for _, v := range r {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					t.Fatalf("%s: sample %v", c.file, r)
				}
			}
		}
	}
	mustRun(t, "eval", "--model", filepath.Join(fixtures, "mlp1d.pt"), "--n-data", "400", "--n", "200", "--steps", "20",
		"--figures=false", "--nll=false", "--out", filepath.Join(dir, "eval"), "-q")
	if _, err := os.Stat(filepath.Join(dir, "eval", "metrics.json")); err != nil {
		t.Error(err)
	}
	// The PyTorch model's SDE is the flags', never fitted to a data file
	// (whose diameter, 5, would raise eta_max for training).
	wide := filepath.Join(dir, "wide.csv")
	var sb strings.Builder
	sb.WriteString("x\n")
	for i := range 400 {
		fmt.Fprintf(&sb, "%g\n", -2.5+5*float64(i)/399)
	}
	os.WriteFile(wide, []byte(sb.String()), 0o644)
	code, _, errs := run(t, "eval", "--model", filepath.Join(fixtures, "mlp1d.pt"), "--data", wide, "--n", "100", "--steps", "10",
		"--figures=false", "--nll=false", "--out", filepath.Join(dir, "eval2"))
	if code != 0 || strings.Contains(errs, "eta_max") {
		t.Errorf("eval of a PyTorch model on a wide data file: exit %d, stderr %q; want the flags' eta_max kept", code, errs)
	}
}

// A model trained here, exported and read back through 'score', gives the
// model.json's own score: VE folds the centring, VP and sub-VP go through
// --unfolded metadata; 1-D and 2-D.
func TestExportScoreRoundTrip(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		sde, potential, points string
	}{
		{"ve", "fourwell", "-1.2,-0.4,0,0.3,1.1"},
		{"vp", "mullerbrown", ""},
		{"subvp", "fourwell", "-0.5,0.5"},
	} {
		work := filepath.Join(dir, c.sde)
		// --precond none: only the plain parametrisation exports (VP/sub-VP default to edm).
		mustRun(t, append([]string{"train", "--sde", c.sde, "--precond", "none", "--potential", c.potential, "--epochs", "2", "--out", work}, small...)...)
		model := filepath.Join(work, "model.json")
		points := c.points
		if points == "" {
			points = filepath.Join(dir, "p2.csv")
			os.WriteFile(points, []byte("x1,x2\n-0.5,1.4\n0.6,0.1\n-1,0\n"), 0o644)
		}
		for _, format := range []string{"safetensors", "npz"} {
			out := filepath.Join(work, "m."+format)
			exportArgs := []string{"export", "--model", model, "--out", out, "-q"}
			if c.sde != "ve" {
				code, _, errs := run(t, exportArgs...)
				if code != 2 || strings.Count(strings.TrimSpace(errs), "\n") != 0 || !strings.Contains(errs, "--unfolded") {
					t.Errorf("%s export without --unfolded: exit %d, %q", c.sde, code, errs)
				}
				exportArgs = append(exportArgs, "--unfolded")
			}
			mustRun(t, exportArgs...)
			for _, tm := range []string{"0.01", "0.5", "1"} {
				_, want := readScores(t, mustRun(t, "score", "--model", model, "--x", points, "--t", tm))
				_, got := readScores(t, mustRun(t, "score", "--model", out, "--x", points, "--t", tm))
				for i := range want {
					for j := range want[i] {
						if math.Abs(got[i][j]-want[i][j]) > 1e-5 {
							t.Errorf("%s %s t=%s point %d: exported %v, model.json %v", c.sde, format, tm, i, got[i][j], want[i][j])
						}
					}
				}
			}
		}
	}
}

// Damaged model files of each kind, and contradictory flags, exit 2 with
// one line.
func TestBadModelFilesExitTwo(t *testing.T) {
	dir := t.TempDir()
	var cases [][]string
	for _, file := range []string{"mlp1d.pt", "mlp1d.npz", "mlp1d.safetensors"} {
		good, err := os.ReadFile(filepath.Join(fixtures, file))
		if err != nil {
			t.Fatal(err)
		}
		ext := filepath.Ext(file)
		for name, b := range map[string][]byte{"empty": nil, "truncated": good[:len(good)*2/3], "garbage": []byte(strings.Repeat("not a model ", 40))} {
			p := filepath.Join(dir, name+ext)
			os.WriteFile(p, b, 0o644)
			cases = append(cases, []string{"score", "--model", p, "--x", "0", "--t", "0.5"})
			cases = append(cases, []string{"sample", "--model", p, "--out", filepath.Join(dir, "o")})
		}
	}
	train := filepath.Join(dir, "train")
	mustRun(t, append([]string{"train", "--epochs", "1", "--out", train}, small...)...)
	model := filepath.Join(train, "model.json")
	pt := filepath.Join(fixtures, "mlp1d.pt")
	cases = append(cases,
		[]string{"score", "--model", filepath.Join(fixtures, "wholemodel.pt"), "--x", "0", "--t", "0.5"},
		[]string{"score", "--model", filepath.Join(fixtures, "legacy.pt"), "--x", "0", "--t", "0.5"},
		[]string{"score", "--model", filepath.Join(fixtures, "mlp2d.pt"), "--x", "0,1", "--t", "0.5"},
		[]string{"score", "--model", pt, "--x", "0", "--t", "2"},
		[]string{"score", "--model", pt, "--x", "zero", "--t", "0.5"},
		[]string{"score", "--model", pt, "--x", "0"},
		[]string{"score", "--model", model, "--x", "0", "--t", "0.5", "--sde", "vp"},
		[]string{"sample", "--model", model, "--eta-max", "3", "--out", filepath.Join(dir, "o")},
		[]string{"export", "--model", pt, "--out", filepath.Join(dir, "x.npz")},
		[]string{"export", "--model", model, "--out", filepath.Join(dir, "x.bin")},
		[]string{"export", "--model", model, "--out", filepath.Join(dir, "x.npz"), "--format", "pt"},
	)
	for _, args := range cases {
		code, _, errs := run(t, args...)
		if code != 2 || strings.Count(strings.TrimSpace(errs), "\n") != 0 || errs == "" {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and one line", args, code, errs)
		}
	}
}
