package pipeline

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"scoresde/atomicfile"
	"scoresde/data"
	"scoresde/exact"
	"scoresde/figures"
	"scoresde/report"
	"scoresde/stats"
	"scoresde/sysinfo"
)

// Rung is one sampler at its ladder of step counts. Method is the sampler
// (as --sampler); Name labels it ("ode-heun" for the fixed-step ODE).
type Rung struct {
	Name, Method, ODESolver string
	Steps                   []int // {0} for the adaptive ODE solver
}

// DefaultLadder runs every sampler from a few steps to the notebook's 500
// (or as far as it keeps improving), about 3400 score evaluations per
// sample in all.
func DefaultLadder() []Rung {
	return []Rung{
		{"em", "em", "", []int{10, 20, 50, 100, 200, 500}},
		{"rd", "rd", "", []int{10, 20, 50, 100, 500}},
		{"pc", "pc", "", []int{10, 20, 50, 100, 250}},
		{"ode-rk45", "ode", "rk45", []int{0}},
		{"ode-heun", "ode", "heun", []int{5, 10, 25, 50}},
		{"edm", "edm", "", []int{5, 10, 18, 25, 50}},
		{"dpm2m", "dpm2m", "", []int{5, 10, 15, 20, 50}},
		{"ancestral", "ancestral", "", []int{10, 20, 50, 100, 200}},
	}
}

// SelectLadder keeps the rungs named in names (comma-separated; empty:
// all).
func SelectLadder(ladder []Rung, names string) ([]Rung, error) {
	if strings.TrimSpace(names) == "" {
		return ladder, nil
	}
	var out []Rung
	var known []string
	for _, r := range ladder {
		known = append(known, r.Name)
	}
	for _, n := range strings.Split(names, ",") {
		n = strings.TrimSpace(n)
		i := slices.IndexFunc(ladder, func(r Rung) bool { return r.Name == n })
		if i < 0 {
			return nil, fmt.Errorf("unknown sampler %q in --samplers; choose from %s", n, strings.Join(known, ", "))
		}
		out = append(out, ladder[i])
	}
	return out, nil
}

// CompareRow is one line of compare.csv: a sampler at one step count.
type CompareRow struct {
	Sampler string  `json:"sampler"`
	Steps   int     `json:"steps"` // 0: adaptive
	NFE     int     `json:"nfe"`
	Seconds float64 `json:"seconds"`
	// Dist is W1 to the data (1-D) or the sliced W1 (d > 1); Exact is W1 to
	// the exact target, NaN when it is unknown.
	Dist  float64 `json:"dist_data"`
	Exact float64 `json:"w1_exact"`
}

// Comparison is what CompareJob measured.
type Comparison struct {
	Rows   []CompareRow
	Metric string // "W1" or "sliced W1"
	Exact  string // the exact target's name, "" when unknown
}

// CompareJob draws cfg.Sample.N samples from the model at modelPath with
// every sampler of ladder, times each run, measures it against ds (and the
// exact target when cfg says it is known), and writes OUT/compare.csv,
// OUT/fig_compare.png/.svg and OUT/report.html. Every run starts from the
// same seed. It is 'scoresde compare'.
func CompareJob(ctx context.Context, modelPath string, cfg Config, ds *data.Set, ladder []Rung, opt Options) (*Comparison, error) {
	model, mf, err := OpenModel(modelPath, cfg.SDE)
	if err != nil {
		return nil, inputErr(err)
	}
	if mf.Dim != ds.D {
		return nil, &InputError{fmt.Errorf("model %s is for dimension %d but the data have dimension %d; pass the data it was trained on", modelPath, mf.Dim, ds.D)}
	}
	cfg.SDE = mf.SDE
	if err := PrepareOut(cfg.Out); err != nil {
		return nil, inputErr(err)
	}
	g, gname, err := truthFor(cfg, ds.D)
	if err != nil {
		return nil, inputErr(err)
	}
	cmp := &Comparison{Metric: "W1", Exact: gname}
	if ds.D > 1 {
		cmp.Metric = "sliced W1"
	}
	total := 0
	for _, r := range ladder {
		total += len(r.Steps)
	}
	for _, r := range ladder {
		for _, n := range r.Steps {
			if ctx.Err() != nil {
				return nil, interrupted(ctx, "compare")
			}
			if opt.Progress != nil {
				fmt.Fprintf(opt.Progress, "compare: %d/%d %s, %d steps\n", len(cmp.Rows)+1, total, r.Name, n)
			}
			sc := cfg.Sample
			sc.Method, sc.Steps = r.Method, max(n, 1)
			if r.ODESolver != "" {
				sc.ODESolver = r.ODESolver
			}
			if r.Method == "edm" || r.Method == "dpm2m" || r.Method == "ancestral" {
				sc.Denoise = false
			}
			start := time.Now()
			res, err := model.Sample(sc, nil, rngFor(cfg.Seed, streamSample), Options{ctx: ctx})
			if ctx.Err() != nil {
				return nil, interrupted(ctx, "compare")
			}
			if err != nil {
				return nil, fmt.Errorf("%s with %d steps: %w", r.Name, n, err)
			}
			row := CompareRow{Sampler: r.Name, Steps: n, NFE: res.NFE, Seconds: time.Since(start).Seconds(), Exact: math.NaN()}
			if ds.D == 1 {
				row.Dist, err = stats.Wasserstein1(res.X, ds.X)
			} else {
				row.Dist, err = stats.SlicedW1(res.X, ds.X, ds.D, 128, 1)
			}
			if err != nil {
				return nil, err
			}
			if g != nil {
				if row.Exact, err = exact.W1(g, res.X); err != nil {
					return nil, err
				}
			}
			cmp.Rows = append(cmp.Rows, row)
		}
	}
	if err := writeCompareCSV(filepath.Join(cfg.Out, "compare.csv"), cmp); err != nil {
		return nil, err
	}
	if err := compareFigure(filepath.Join(cfg.Out, "fig_compare"), cmp, ladder); err != nil {
		return nil, err
	}
	if err := compareReport(filepath.Join(cfg.Out, "report.html"), cfg, modelPath, cmp); err != nil {
		return nil, err
	}
	return cmp, nil
}

func writeCompareCSV(path string, cmp *Comparison) error {
	return atomicfile.Write(path, func(w io.Writer) error {
		c := csv.NewWriter(w)
		dist := "w1_data"
		if cmp.Metric != "W1" {
			dist = "sliced_w1_data"
		}
		if err := c.Write([]string{"sampler", "steps", "nfe", "seconds", dist, "w1_exact"}); err != nil {
			return err
		}
		f := func(v float64) string {
			if math.IsNaN(v) {
				return ""
			}
			return strconv.FormatFloat(v, 'g', 6, 64)
		}
		for _, r := range cmp.Rows {
			if err := c.Write([]string{r.Sampler, strconv.Itoa(r.Steps), strconv.Itoa(r.NFE), f(r.Seconds), f(r.Dist), f(r.Exact)}); err != nil {
				return err
			}
		}
		c.Flush()
		return c.Error()
	})
}

// compareFigure draws the distance to the data against NFE, one line per
// sampler.
func compareFigure(path string, cmp *Comparison, ladder []Rung) error {
	var series []figures.Series
	for _, r := range ladder {
		s := figures.Series{Label: r.Name}
		for _, row := range cmp.Rows {
			if row.Sampler == r.Name && row.Dist > 0 && row.NFE > 0 {
				s.X, s.Y = append(s.X, float64(row.NFE)), append(s.Y, row.Dist)
			}
		}
		if len(s.X) > 0 {
			series = append(series, s)
		}
	}
	if len(series) == 0 {
		return fmt.Errorf("compare: nothing to plot")
	}
	return figures.QualityVsCost(path, "Sample quality against cost", cmp.Metric+" to the data (lower is better)", series...)
}

// WriteText prints the comparison as an aligned table.
func (c *Comparison) WriteText(w io.Writer) {
	fmt.Fprintf(w, "%-10s %6s %6s %9s %12s", "sampler", "steps", "NFE", "seconds", c.Metric)
	if c.Exact != "" {
		fmt.Fprintf(w, " %12s", "W1 exact")
	}
	fmt.Fprintln(w)
	for _, r := range c.Rows {
		steps := strconv.Itoa(r.Steps)
		if r.Steps == 0 {
			steps = "adapt"
		}
		fmt.Fprintf(w, "%-10s %6s %6d %9.3f %12.4f", r.Sampler, steps, r.NFE, r.Seconds, r.Dist)
		if c.Exact != "" {
			fmt.Fprintf(w, " %12.4f", r.Exact)
		}
		fmt.Fprintln(w)
	}
}

func compareReport(path string, cfg Config, modelPath string, cmp *Comparison) error {
	r := report.Report{
		Title:    "scoresde sampler comparison",
		Subtitle: fmt.Sprintf("model %s, %s SDE, %d samples per run, seed %d", modelPath, cfg.SDE.Name, cfg.Sample.N, cfg.Seed),
		Env:      report.EnvFrom(sysinfo.Collect()),
	}
	best := map[string]CompareRow{}
	for _, row := range cmp.Rows {
		steps := fmt.Sprintf("%d steps", row.Steps)
		if row.Steps == 0 {
			steps = "adaptive"
		}
		note := fmt.Sprintf("%d NFE, %.3f s", row.NFE, row.Seconds)
		if !math.IsNaN(row.Exact) {
			note += fmt.Sprintf("; W1 to the exact %s density %s", cmp.Exact, report.Num(row.Exact))
		}
		r.Metrics = append(r.Metrics, report.Metric{Name: row.Sampler + ", " + steps, Value: report.Num(row.Dist), Unit: cmp.Metric, Note: note})
		if b, ok := best[row.Sampler]; !ok || row.Dist < b.Dist {
			best[row.Sampler] = row
		}
	}
	var names []string
	for n := range best {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		b := best[n]
		r.Summary = append(r.Summary, report.KV{Key: "best " + n, Value: fmt.Sprintf("%s at %d NFE", report.Num(b.Dist), b.NFE)})
	}
	if png, err := os.ReadFile(filepath.Join(cfg.Out, "fig_compare.png")); err == nil {
		r.Figures = append(r.Figures, report.Figure{Title: "Quality against cost", PNG: png,
			Caption: "Each line is a sampler at increasing step counts; lower is better, further left is cheaper. A line that flattens has reached the model's own error, which more steps cannot remove."})
	}
	r.Notes = append(r.Notes,
		"Every run draws the same number of samples from the same seed; seconds are wall clock on a possibly shared machine.",
		"The distance to the data includes their own sampling noise: two independent draws of as many points are not at distance 0.",
		"edm ends, like dpm2m and ancestral, with a denoising step to σ = 0 and here used --churn "+strconv.FormatFloat(cfg.Sample.Churn, 'g', -1, 64)+"; its NFE is 2·steps − 1.")
	return report.Write(path, r)
}
