package pipeline

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"scoresde/report"
	"scoresde/sysinfo"
)

// figureNotes titles each figure and says, in one line, what to look for.
var figureNotes = []struct{ file, title, caption string }{
	{"fig1_data", "Training data", "The Langevin trajectory and its histogram: every well should be visited, in proportion to its depth."},
	{"fig2_forward", "Forward process densities", "Noise washes out the wells as t grows; at t = T the density should match the dashed prior."},
	{"fig3_score_untrained", "Score before training", "The freshly initialised network: small values with no structure."},
	{"fig4_loss", "Loss per epoch", "Falls fast, then flattens; its floor is the exact optimum's loss, not zero (the DSM loss is shifted by a constant)."},
	{"fig5_score_trained", "Learned score", "Points towards the wells at small t (red left of a well, blue right of it) and becomes −x/η_max² at t = T."},
	{"fig6_forward_backward", "Forward vs backward densities", "Dashed (generated, reverse time) should lie on solid (forward) at each t; right: generated samples against the training data."},
	{"fig7_gap", "Optimality gap during training", "Loss minus the loss of the exact optimum on the same noise draws: it should shrink towards 0 as training goes on."},
	{"fig8_score_error_t", "Score error vs time", "Where in time the model is furthest from the exact optimum E[s²|u − u*|²]; small t, where the target is sharp, is the hardest."},
	{"fig9_score_error", "Weighted score error field", "s(t)·|u − u*| over the data's range (compare with the learned score, figure 5): bright cells are where the model departs from the optimum."},
	{"fig10_score_lines", "Learned vs exact score", "Solid (learned) should track dashed (exact optimum) where the data are; departures far from the data matter little."},
	{"fig11_free_energy", "Free-energy profile", "F(x) = −ln p(x)/β of samples and data against the exact curve: wells and barriers should line up."},
	{"fig12_cdf", "Cumulative distributions", "The samples' CDF should overlap the data's (and the exact one); the largest vertical gap is the KS statistic."},
	{"fig13_free_energy_reweighted", "Free energy after reweighting", "F = −ln p/β of the data, the model and the model's samples reweighted by exp(−βV)/p_θ (shaded: ±2 bootstrap s.d.), against the exact curve, along each coordinate: reweighting should move the wells' depths from the data's onto the exact ones."},
	{"fig13b_free_energy_surface", "Reweighted free-energy surface", "F(x₁, x₂) = −ln p/β of the reweighted samples; white where too few samples fall to say."},
	{"fig13c_free_energy_exact", "Exact free-energy surface", "F = V for comparison with the reweighted surface above: the basins should sit in the same places with the same depths."},
	{"fig_scatter", "Data and samples", "The generated cloud should cover the same modes, with the same spread, as the data."},
	{"fig_density2d", "Density contours", "Contours of the samples' density should match the data's, mode by mode."},
	{"fig_marginals", "Marginal densities", "Each coordinate's density: generated (dashed) against data (solid)."},
}

// WriteReport writes OUT/report.html: one self-contained file with the
// configuration, timings, machine, metrics and every figure in the folder.
// Skipped figures and metrics are listed among the notes.
func WriteReport(path string, cfg Config, tm *Timing, m *Metrics, finalLoss *float64, skipped ...Skipped) error {
	r := report.Report{
		Title:    "scoresde report",
		Subtitle: fmt.Sprintf("%s SDE, %s sampler, output folder %s", cfg.SDE.Name, cfg.Sample.Method, cfg.Out),
		Env:      report.EnvFrom(sysinfo.Collect()),
	}
	if m != nil {
		r.Summary = append(r.Summary, report.KV{Key: "W1(samples, data)", Value: report.Num(m.W1)})
		r.Metrics = metricRows(m)
		r.Sections = append(r.Sections, reweightSection(m.Reweighting)...)
	}
	if finalLoss != nil {
		r.Summary = append(r.Summary, report.KV{Key: "final loss", Value: report.Num(*finalLoss)})
	}
	if m != nil && m.Optimality != nil {
		r.Summary = append(r.Summary, report.KV{Key: "optimality gap", Value: report.Num(m.Optimality.Gap)})
	}
	if m != nil && m.NLL != nil {
		r.Summary = append(r.Summary, report.KV{Key: "NLL (nats/point)", Value: report.Num(m.NLL.Mean)})
	}
	if tm != nil {
		r.Summary = append(r.Summary, report.KV{Key: "total time", Value: fmt.Sprintf("%.1f s", tm.Total)})
		for _, p := range tm.Phases {
			r.Timing = append(r.Timing, report.Phase{Name: p.Name, Seconds: p.Seconds})
		}
	}
	kv, err := flatten(cfg)
	if err != nil {
		return err
	}
	r.Config = kv
	for _, f := range figureNotes {
		b, err := os.ReadFile(filepath.Join(cfg.Out, f.file+".png"))
		if err != nil {
			continue // not drawn for this run (d > 1, no exact target, …)
		}
		r.Figures = append(r.Figures, report.Figure{Title: f.title, Caption: f.caption, PNG: b})
	}
	for _, sk := range skipped {
		r.Notes = append(r.Notes, fmt.Sprintf("Not made: %s (%s).", sk.What, sk.Reason))
	}
	r.Figures = append(r.Figures, animationFigures(cfg.Out)...)
	r.Notes = append(r.Notes,
		"Distances (W1, KS) are in the data's units; lower is better. The NLL is in nats per point, lower is better.",
		"The optimality gap is the model's DSM loss minus that of the exact minimiser over all functions (the score of the training data smoothed by the perturbation kernel), on the same fixed noise draws; it is ≥ 0 up to sampling error and equals half the weighted score error.")
	return report.Write(path, r)
}

func metricRows(m *Metrics) []report.Metric {
	var rows []report.Metric
	add := func(name string, v float64, unit, note string) {
		rows = append(rows, report.Metric{Name: name, Value: report.Num(v), Unit: unit, Note: note})
	}
	add("W1(samples, data)", m.W1, "x", "Wasserstein-1; per-coordinate mean when d > 1")
	if m.Dim == 1 {
		add("KS(samples, data)", m.KS, "", "largest CDF gap")
	} else {
		add("sliced W1", m.SlicedW1, "x", "mean over 128 random directions")
		add("energy distance", m.Energy, "x", "")
	}
	if c := m.Checkerboard; c != nil {
		rows = append(rows, report.Metric{Name: "share on the checkerboard's squares", Value: fmt.Sprintf("%.4f (data %.4f)", c.Samples, c.Data), Note: "occupied squares of the checkerboard data set"})
	}
	if sh := m.Shares; sh != nil {
		for i := range sh.Data {
			rows = append(rows, report.Metric{Name: fmt.Sprintf("well %d share", i+1),
				Value: fmt.Sprintf("%.4f (data %.4f)", sh.Samples[i], sh.Data[i]), Note: fmt.Sprintf("split points %v", sh.Splits)})
		}
	}
	if t := m.Truth; t != nil {
		add("W1(samples, Gibbs)", t.W1Samples, "x", fmt.Sprintf("exact target, %s at β=%g", t.Potential, t.Beta))
		add("W1(data, Gibbs)", t.W1Data, "x", "noise level of as many exact samples: "+report.Num(t.W1Noise))
		add("KS(samples, Gibbs)", t.KSSamples, "", "")
		add("KS(data, Gibbs)", t.KSData, "", "")
		add("KL(Gibbs ‖ samples histogram)", t.KLSamples, "nats", fmt.Sprintf("%d bins", t.KLBins))
		add("KL(Gibbs ‖ data histogram)", t.KLData, "nats", "")
	}
	if o := m.Optimality; o != nil {
		rows = append(rows, report.Metric{Name: "optimality gap", Value: fmt.Sprintf("%s ± %s", report.Num(o.Gap), report.Num(o.GapStdErr)), Note: "loss − loss of the exact optimum"})
		add("weighted score error", o.ScoreError, "", "E[s(t)²|u − u*|²]")
	}
	if l := m.NLL; l != nil {
		rows = append(rows, report.Metric{Name: "NLL", Value: fmt.Sprintf("%s ± %s", report.Num(l.Mean), report.Num(l.StdErr)), Unit: "nats/point", Note: fmt.Sprintf("%d points of the %s; %d NFE", l.N, l.On, l.NFE)})
	}
	return rows
}

// flatten turns the configuration into sorted dotted key/value rows.
func flatten(cfg Config) ([]report.KV, error) {
	b, err := json.Marshal(cfg)
	if err != nil {
		return nil, err
	}
	var v map[string]any
	if err := json.Unmarshal(b, &v); err != nil {
		return nil, err
	}
	var kv []report.KV
	var walk func(prefix string, x any)
	walk = func(prefix string, x any) {
		if m, ok := x.(map[string]any); ok {
			for k, y := range m {
				walk(strings.TrimPrefix(prefix+"."+k, "."), y)
			}
			return
		}
		s, _ := json.Marshal(x)
		kv = append(kv, report.KV{Key: prefix, Value: string(s)})
	}
	walk("", v)
	sort.Slice(kv, func(i, j int) bool { return kv[i].Key < kv[j].Key })
	return kv, nil
}
