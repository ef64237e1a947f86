package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// reweightMetrics is the part of metrics.json the tests read.
type reweightMetrics struct {
	Reweighting *struct {
		Beta        float64      `json:"beta"`
		Samples     int          `json:"samples"`
		ESS         float64      `json:"ess"`
		ESSFraction float64      `json:"ess_fraction"`
		MaxWeight   float64      `json:"max_weight"`
		Shares      []float64    `json:"shares_weighted"`
		SharesE     []float64    `json:"shares_weighted_stderr"`
		W1          *float64     `json:"w1_weighted_gibbs"`
		MarginalW1  []float64    `json:"marginal_w1_weighted_gibbs"`
		Minima      [][2]float64 `json:"basin_minima"`
	} `json:"reweighting"`
	Truth *struct {
		Potential string `json:"potential"`
	} `json:"truth"`
}

func readReweightMetrics(t *testing.T, dir string) reweightMetrics {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "metrics.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m reweightMetrics
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if m.Reweighting == nil {
		t.Fatalf("metrics.json in %s has no reweighting section", dir)
	}
	return m
}

// checkReweightedCSV checks reweighted.csv's header and rows: the weights
// are non-negative, sum to 1 and follow log_weight = −βV − log p.
func checkReweightedCSV(t *testing.T, path string, coords []string, rows int, beta float64) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := append(append([]string(nil), coords...), "log_p_model", "energy", "log_weight", "weight")
	if strings.Join(recs[0], ",") != strings.Join(want, ",") || len(recs) != rows+1 {
		t.Fatalf("%s: header %v and %d rows, want %v and %d", path, recs[0], len(recs)-1, want, rows)
	}
	d := len(coords)
	sum := 0.0
	for _, r := range recs[1:] {
		v := make([]float64, len(r))
		for j, s := range r {
			if v[j], err = strconv.ParseFloat(s, 64); err != nil {
				t.Fatal(err)
			}
		}
		lp, e, lw, w := v[d], v[d+1], v[d+2], v[d+3]
		if w < 0 || mathAbs(lw-(-beta*e-lp)) > 1e-9*(1+mathAbs(lw)) {
			t.Fatalf("row %v: log_weight %v, want −βV − log p = %v (β=%v)", r, lw, -beta*e-lp, beta)
		}
		sum += w
	}
	if mathAbs(sum-1) > 1e-6 {
		t.Errorf("weights sum to %v, want 1", sum)
	}
}

func mathAbs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// --reweight works through 'run' with every SDE, sampler and dimension,
// with named and expression potentials, and through 'eval --model'.
func TestReweightThroughRun(t *testing.T) {
	dwell := "(x1**2-1)**2 + 2*x2**2"
	cases := []struct {
		name   string
		args   []string
		coords []string
		beta   float64
	}{
		{"ve-em-fourwell", []string{"--sde", "ve", "--sampler", "em", "--figures"}, []string{"x"}, 2},
		{"vp-ode-fourwell", []string{"--sde", "vp", "--sampler", "ode"}, []string{"x"}, 2},
		{"subvp-pc-beta3", []string{"--sde", "subvp", "--sampler", "pc", "--reweight-beta", "3"}, []string{"x"}, 3},
		{"ve-rd-expr1d", []string{"--sampler", "rd", "--potential-expr", "(x**2-1)**2", "--x0", "-1"}, []string{"x"}, 2},
		{"ve-em-mullerbrown", []string{"--potential", "mullerbrown", "--beta", "1", "--figures"}, []string{"x1", "x2"}, 1},
		{"vp-ode-expr2d", []string{"--sde", "vp", "--sampler", "ode", "--potential-expr", dwell, "--x0", "1,0"}, []string{"x1", "x2"}, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			args := append(append([]string{"run", "--out", dir, "--reweight", "--figures=false", "--nll=false", "--gap-every", "0"}, tiny...), "-q=false") // the summary is checked
			args = append(args, c.args...)
			code, out, errs := run(t, args...)
			if code != 0 {
				t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, out, errs)
			}
			if !strings.Contains(out, "reweighting to exp(−βV)") {
				t.Errorf("summary lacks the reweighting line:\n%s", out)
			}
			m := readReweightMetrics(t, dir)
			r := m.Reweighting
			if r.Beta != c.beta || r.Samples != 300 || !(r.ESS >= 1 && r.ESS <= 300) || !(r.MaxWeight > 0 && r.MaxWeight <= 1) {
				t.Errorf("reweighting β %v, %d samples, ESS %v, max weight %v", r.Beta, r.Samples, r.ESS, r.MaxWeight)
			}
			if len(c.coords) == 1 && (len(r.Shares) != 4 || r.W1 == nil) {
				t.Errorf("1-D reweighting lacks shares or W1: %+v", r)
			}
			if len(c.coords) == 2 && (len(r.Shares) < 2 || len(r.Shares) != len(r.Minima) || len(r.MarginalW1) != 2) {
				t.Errorf("2-D reweighting lacks basin shares or marginal W1: %+v", r)
			}
			checkReweightedCSV(t, filepath.Join(dir, "reweighted.csv"), c.coords, 300, c.beta)
			rep, err := os.ReadFile(filepath.Join(dir, "report.html"))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(rep), `<section id="reweighting">`) {
				t.Error("report lacks the reweighting rows")
			}
			if slicesContains(c.args, "--figures") {
				if _, err := os.Stat(filepath.Join(dir, "fig13_free_energy_reweighted.png")); err != nil {
					t.Error(err)
				}
				if !strings.Contains(string(rep), "Free energy after reweighting") {
					t.Error("report lacks the free-energy figure")
				}
			}
			if c.name != "ve-em-fourwell" {
				return
			}
			// The saved model through 'eval --model'.
			dir2 := t.TempDir()
			code, out, errs = run(t, "eval", "--model", filepath.Join(dir, "model.json"), "--reweight", "--n", "200",
				"--n-data", "400", "--nll=false", "--figures=false", "--out", dir2, "-q")
			if code != 0 {
				t.Fatalf("eval: exit %d\nstdout: %s\nstderr: %s", code, out, errs)
			}
			if readReweightMetrics(t, dir2).Reweighting.Samples != 200 {
				t.Error("eval --reweight did not reweight 200 samples")
			}
			checkReweightedCSV(t, filepath.Join(dir2, "reweighted.csv"), []string{"x"}, 200, 2)
		})
	}
}

func slicesContains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// A data file with --potential-expr: the expression is the truth (exact
// metrics appear) and the energy to reweight with.
func TestPotentialExprWithDataFile(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "traj.csv")
	var sb strings.Builder
	sb.WriteString("x\n")
	for i := range 400 {
		fmt.Fprintf(&sb, "%g\n", -1+0.3*float64((i*7919)%400)/400)
	}
	os.WriteFile(file, []byte(sb.String()), 0o644)
	out := filepath.Join(dir, "out")
	code, so, se := run(t, "run", "--data", file, "--potential-expr", "(x^2-1)^2", "--beta", "3", "--reweight",
		"--batch", "100", "--epochs", "3", "--n", "300", "--steps", "20", "-q", "--figures=false", "--nll=false", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, so, se)
	}
	m := readReweightMetrics(t, out)
	if m.Truth == nil || m.Truth.Potential != "(x^2-1)^2" || m.Reweighting.Beta != 3 {
		t.Errorf("truth %+v, reweighting β %v; want the expression at β=3", m.Truth, m.Reweighting.Beta)
	}
}

func TestReweightBadInputExitsTwo(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "d.csv")
	os.WriteFile(file, []byte("x1,x2\n0,1\n1,0\n2,2\n0.5,0.1\n"), 0o644)
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"run", "--potential-expr", "x**2 +"}, "column 6"},
		{[]string{"run", "--potential-expr", "x + y"}, "column 5"},
		{[]string{"run", "--potential-expr", "x + x1"}, "mixes"},
		{[]string{"run", "--reweight-beta", "-1", "--reweight"}, "reweight-beta"},
		{[]string{"run", "--reweight-beta", "2"}, "--reweight-beta: another temperature is only used when reweighting"},
		{[]string{"run", "--data", file, "--reweight", "--batch", "2"}, "--reweight: reweighting needs the energy of the data"},
		{[]string{"run", "--data", file, "--potential-expr", "x1+x3", "--batch", "2"}, "dimension 2"},
		{[]string{"data", "--potential-expr", "exp(x", "--out", dir}, "column"},
	}
	for _, c := range cases {
		code, _, errs := run(t, c.args...)
		lines := strings.Split(strings.TrimSpace(errs), "\n")
		if code != 2 || len(lines) != 1 || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and one line mentioning %q", c.args, code, errs, c.want)
		}
	}
}
