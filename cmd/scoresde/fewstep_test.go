package main

import (
	"encoding/csv"
	"encoding/json"
	"image/gif"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// gifFrames decodes path and returns its frame count.
func gifFrames(t *testing.T, path string) int {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	g, err := gif.DecodeAll(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return len(g.Image)
}

// TestFewStepSamplersThroughRun runs the whole job with each new sampler
// on each SDE, in 1-D (Langevin data) and 2-D (a toy set): the NFE lands in
// metrics.json and the summary, and both animations decode with at least
// 20 frames and are embedded in the report.
func TestFewStepSamplersThroughRun(t *testing.T) {
	nfe := map[string]func(steps int) int{
		"edm":       func(n int) int { return 2*n - 1 },
		"dpm2m":     func(n int) int { return n },
		"ancestral": func(n int) int { return n },
	}
	i := 0
	for _, sde := range []string{"ve", "vp", "subvp"} {
		for _, method := range []string{"edm", "dpm2m", "ancestral"} {
			i++
			dir := t.TempDir()
			args := []string{"run", "--out", dir, "--sde", sde, "--sampler", method, "--n-data", "400", "--batch", "100",
				"--epochs", "2", "--n", "200", "--steps", "8", "--hidden", "8", "--gap-every", "0", "--nll=false"}
			twoD := i%2 == 0
			dataset := "moons"
			if i == 4 {
				dataset = "checkerboard" // its share on the squares is in the metrics
			}
			if twoD {
				args = append(args, "--dataset", dataset)
			}
			code, out, errs := run(t, args...)
			if code != 0 {
				t.Fatalf("%s %s: exit %d\n%s%s", sde, method, code, out, errs)
			}
			b, err := os.ReadFile(filepath.Join(dir, "metrics.json"))
			if err != nil {
				t.Fatal(err)
			}
			var m struct {
				NFE          int `json:"nfe"`
				Dim          int `json:"dim"`
				Checkerboard *struct {
					Samples float64 `json:"samples_on_squares"`
					Data    float64 `json:"data_on_squares"`
				} `json:"checkerboard"`
			}
			if err := json.Unmarshal(b, &m); err != nil {
				t.Fatal(err)
			}
			if onBoard := twoD && dataset == "checkerboard"; onBoard != (m.Checkerboard != nil) {
				t.Errorf("%s %s on %s: checkerboard metrics %v", sde, method, dataset, m.Checkerboard)
			} else if onBoard && (m.Checkerboard.Data != 1 || !(m.Checkerboard.Samples >= 0 && m.Checkerboard.Samples <= 1)) {
				t.Errorf("checkerboard shares %+v, want the data all on the squares", *m.Checkerboard)
			}
			want := nfe[method](8)
			if m.NFE != want || !strings.Contains(out, "sampler "+method+" ("+strconv.Itoa(want)+" score evaluations") {
				t.Errorf("%s %s: metrics nfe %d, want %d; summary %q", sde, method, m.NFE, want, out)
			}
			if wantDim := map[bool]int{false: 1, true: 2}[twoD]; m.Dim != wantDim {
				t.Errorf("%s %s: dimension %d, want %d", sde, method, m.Dim, wantDim)
			}
			for _, g := range []string{"forward.gif", "reverse.gif"} {
				if n := gifFrames(t, filepath.Join(dir, g)); n < 20 {
					t.Errorf("%s %s: %s has %d frames, want ≥ 20", sde, method, g, n)
				}
			}
			html, _ := os.ReadFile(filepath.Join(dir, "report.html"))
			if strings.Count(string(html), "data:image/gif;base64,") != 2 {
				t.Errorf("%s %s: report.html does not embed both animations", sde, method)
			}
		}
	}
}

func TestFewStepAndToyBadInput(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"run", "--sampler", "edm", "--denoise"}, "--denoise"},
		{[]string{"run", "--sampler", "edm", "--churn", "-1"}, "--churn"},
		{[]string{"run", "--s-noise", "nan"}, "--s-noise"},
		{[]string{"run", "--dataset", "spiral"}, "unknown data set"},
		{[]string{"run", "--dataset", "moons", "--data", "x.csv"}, "keep one"},
		{[]string{"compare"}, "--model"},
		{[]string{"compare", "--model", "m.json", "--samplers", "em,xx"}, "xx"},
	} {
		code, _, errs := run(t, c.args...)
		lines := strings.Split(strings.TrimSpace(errs), "\n")
		if code != 2 || len(lines) != 1 || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and one line mentioning %q", c.args, code, errs, c.want)
		}
	}
}

// TestDatasetCommand writes a toy set through 'data' and trains on one
// through 'train'.
func TestDatasetCommand(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, "data", "--dataset", "checkerboard", "--n-data", "500", "--out", dir, "-q")
	f, err := os.Open(filepath.Join(dir, "dataset.csv"))
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil || len(recs) != 501 || strings.Join(recs[0], ",") != "x1,x2" {
		t.Fatalf("dataset.csv: %d rows, header %v, %v", len(recs), recs[0], err)
	}
	for _, r := range recs[1:] {
		x, _ := strconv.ParseFloat(r[0], 64)
		y, _ := strconv.ParseFloat(r[1], 64)
		if !(x >= -4 && x < 4 && y >= -4 && y < 4) {
			t.Errorf("point (%v, %v) off the board", x, y)
		}
	}
	mustRun(t, "train", "--dataset", "rings", "--n-data", "400", "--batch", "100", "--epochs", "2", "--hidden", "8", "--out", dir, "-q")
	if _, err := os.Stat(filepath.Join(dir, "model.json")); err != nil {
		t.Error(err)
	}
}

// TestCompare runs 'compare' on a tiny 1-D model: one row per sampler and
// step count with positive NFE and distances, the exact-target column
// filled (generated four-well data), the figure and the report written.
func TestCompare(t *testing.T) {
	dir, out := t.TempDir(), t.TempDir()
	mustRun(t, "train", "--n-data", "400", "--batch", "100", "--epochs", "2", "--hidden", "8", "--out", dir, "-q")
	mustRun(t, "compare", "--model", filepath.Join(dir, "model.json"), "--n-data", "400", "--n", "100",
		"--samplers", "em,edm,dpm2m,ode-rk45", "--out", out, "-q")
	f, err := os.Open(filepath.Join(out, "compare.csv"))
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(recs[0], ","); got != "sampler,steps,nfe,seconds,w1_data,w1_exact" {
		t.Errorf("header %s", got)
	}
	if len(recs) != 1+6+5+5+1 {
		t.Errorf("%d rows, want 17", len(recs)-1)
	}
	for _, r := range recs[1:] {
		steps, _ := strconv.Atoi(r[1])
		nfe, _ := strconv.Atoi(r[2])
		w1, _ := strconv.ParseFloat(r[4], 64)
		ex, _ := strconv.ParseFloat(r[5], 64)
		if r[0] == "edm" && nfe != 2*steps-1 || r[0] == "dpm2m" && nfe != steps || nfe < 1 || !(w1 > 0) || !(ex > 0) {
			t.Errorf("row %v", r)
		}
	}
	for _, name := range []string{"fig_compare.png", "fig_compare.svg", "report.html"} {
		if st, err := os.Stat(filepath.Join(out, name)); err != nil || st.Size() == 0 {
			t.Errorf("%s missing or empty", name)
		}
	}
}
