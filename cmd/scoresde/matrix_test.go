package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"scoresde/dataio"
)

type matrixCase struct {
	sde, sampler, solver string
	potential            string // fourwell: 1-D, mullerbrown: 2-D
	weighting, format    string
	center, denoise, nll bool
	ema                  string
	gapEvery             int
}

// matrixCases is every SDE × sampler (ODE with each solver) × dimension,
// with the other options (weighting, format, centring, denoising, NLL,
// EMA, gap) cycled across the cases at different periods, so that each of
// their values meets many SDE, sampler and dimension combinations.
func matrixCases() []matrixCase {
	var cs []matrixCase
	k := 0
	for _, s := range []string{"ve", "vp", "subvp"} {
		for _, sm := range []string{"em", "rd", "pc", "ode/rk45", "ode/heun", "ode/rk4"} {
			for _, pot := range []string{"fourwell", "mullerbrown"} {
				method, solver, _ := strings.Cut(sm, "/")
				if solver == "" {
					solver = "rk45"
				}
				c := matrixCase{sde: s, sampler: method, solver: solver, potential: pot,
					weighting: []string{"std2", "g2"}[k%2],
					format:    []string{"csv", "tsv", "txt", "npy"}[(k/2)%4],
					center:    (k/3)%2 == 0,
					denoise:   (k/5)%2 == 1,
					nll:       (k/2)%2 == 0,
					ema:       []string{"0.9", "0"}[(k/7)%2],
					gapEvery:  (k / 4) % 2,
				}
				cs = append(cs, c)
				k++
			}
		}
	}
	return cs
}

func (c matrixCase) args(out string) []string {
	return []string{"run", "--out", out, "--json", "-q",
		"--potential", c.potential, "--n-data", "400", "--batch", "200", "--epochs", "2", "--hidden", "8,8",
		"--n", "200", "--steps", "20",
		"--sde", c.sde, "--sampler", c.sampler, "--ode-solver", c.solver,
		"--weighting", c.weighting, "--format", c.format, "--ema", c.ema,
		fmt.Sprintf("--center=%v", c.center), fmt.Sprintf("--denoise=%v", c.denoise), fmt.Sprintf("--nll=%v", c.nll),
		fmt.Sprintf("--gap-every=%d", c.gapEvery)}
}

// TestRunMatrix runs every path through 'run' and checks each completes
// with exit 0, every output file, finite samples and finite metrics.
func TestRunMatrix(t *testing.T) {
	for _, c := range matrixCases() {
		name := fmt.Sprintf("%s-%s-%s-%s", c.sde, c.sampler, c.solver, c.potential)
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			code, stdout, stderr := run(t, c.args(dir)...)
			if code != 0 {
				t.Fatalf("%v: exit %d: %s", c.args(dir), code, stderr)
			}
			var sum struct {
				Dim     int
				Files   []string
				Skipped []struct{ What, Reason string }
			}
			if err := json.Unmarshal([]byte(stdout), &sum); err != nil {
				t.Fatalf("summary: %v\n%s", err, stdout)
			}
			dim := map[string]int{"fourwell": 1, "mullerbrown": 2}[c.potential]
			if sum.Dim != dim {
				t.Errorf("dimension %d, want %d", sum.Dim, dim)
			}
			skipped := ""
			for _, sk := range sum.Skipped {
				t.Errorf("skipped %s: %s", sk.What, sk.Reason)
				skipped += sk.What + " "
			}
			want := []string{"dataset." + c.format, "samples." + c.format, "loss.csv", "model.json", "checkpoint.json",
				"metrics.json", "config.json", "timing.json", "report.html"}
			figs := []string{"fig4_loss", "fig_scatter", "fig_density2d", "fig_marginals"}
			if dim == 1 {
				figs = []string{"fig1_data", "fig2_forward", "fig3_score_untrained", "fig4_loss", "fig5_score_trained",
					"fig6_forward_backward", "fig8_score_error_t", "fig9_score_error", "fig10_score_lines", "fig11_free_energy", "fig12_cdf"}
			}
			if c.gapEvery > 0 {
				figs = append(figs, "fig7_gap")
			}
			for _, f := range figs {
				if !strings.Contains(skipped, f) {
					want = append(want, f+".png", f+".svg")
				}
			}
			for _, f := range append(want, relative(dir, sum.Files)...) {
				if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() == 0 {
					t.Errorf("%s missing or empty", f)
				}
			}
			smp, err := dataio.ReadFile(filepath.Join(dir, "samples."+c.format), "")
			if err != nil {
				t.Fatal(err)
			}
			if smp.Len() != 200 || smp.D != dim {
				t.Errorf("samples: %d of dimension %d, want 200 of %d", smp.Len(), smp.D, dim)
			}
			for _, v := range smp.X {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					t.Fatalf("sample %v", v)
				}
			}
			checkMetrics(t, filepath.Join(dir, "metrics.json"), dim, c.nll)
		})
	}
}

func relative(dir string, files []string) []string {
	var out []string
	for _, f := range files {
		r, err := filepath.Rel(dir, f)
		if err != nil {
			r = f
		}
		out = append(out, r)
	}
	return out
}

// checkMetrics checks metrics.json holds the metrics the case asks for,
// every one a finite number.
func checkMetrics(t *testing.T, path string, dim int, nll bool) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	keys := []string{"w1_samples_data", "optimality"}
	if dim == 1 {
		keys = append(keys, "ks_samples_data", "truth")
	} else {
		keys = append(keys, "sliced_w1", "energy_distance")
	}
	if nll {
		keys = append(keys, "nll")
	}
	for _, k := range keys {
		if _, ok := m[k]; !ok {
			t.Errorf("metrics.json lacks %s", k)
		}
	}
	var walk func(string, any)
	walk = func(at string, v any) {
		switch v := v.(type) {
		case float64:
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Errorf("%s = %v", at, v)
			}
		case map[string]any:
			for k, x := range v {
				walk(at+"."+k, x)
			}
		case []any:
			for i, x := range v {
				walk(fmt.Sprintf("%s[%d]", at, i), x)
			}
		}
	}
	walk("metrics", m)
	if w, _ := m["w1_samples_data"].(float64); !(w > 0) {
		t.Errorf("W1 = %v", m["w1_samples_data"])
	}
}
