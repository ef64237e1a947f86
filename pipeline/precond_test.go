package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"scoresde/precond"
)

// shortRun is a 1-D run of the notebook's job cut down to a few seconds.
func shortRun(t *testing.T) Config {
	cfg := Default()
	cfg.Out = t.TempDir()
	cfg.Data.N = 600
	cfg.Train.Epochs, cfg.Train.BatchSize = 3, 300
	cfg.Sample.N, cfg.Sample.Steps = 300, 20
	cfg.GapEvery, cfg.CheckpointEvery = 2, 0
	return cfg
}

// Every SDE with every parametrisation runs through Run in 1-D with all
// figures, the likelihood and the probability-flow ODE with its default
// adaptive solver (which snapshots for figure 6): VP and sub-VP used to
// fail in figures 9/10 (NaN at t = 0) and rk45 on snapshots. The saved
// model records its parametrisation and scores as the run's model did.
func TestRunEverySDEAndParametrisation(t *testing.T) {
	for _, sdeName := range []string{"ve", "vp", "subvp"} {
		for _, pc := range []string{precond.Auto, precond.None, precond.Sigma, precond.EDM} {
			for _, method := range []string{"ode"} {
				if pc != precond.Auto && precond.Resolve(pc, sdeName) == precond.Resolve(precond.Auto, sdeName) {
					continue // the same as auto
				}
				name := fmt.Sprintf("%s/%s/%s", sdeName, pc, method)
				cfg := shortRun(t)
				cfg.SDE.Name, cfg.Train.Precond, cfg.Sample.Method = sdeName, pc, method
				// Figures once per SDE; the likelihood (the divergence
				// through each parametrisation) every time.
				cfg.Figures = pc == precond.Auto
				res, err := Run(context.Background(), cfg, nil, Options{})
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				for _, v := range res.Samples.X {
					if math.IsNaN(v) || math.IsInf(v, 0) {
						t.Fatalf("%s: non-finite sample", name)
					}
				}
				if res.Metrics.NLL == nil || math.IsNaN(res.Metrics.NLL.Mean) {
					t.Errorf("%s: no likelihood", name)
				}
				for _, f := range []string{"fig6_forward_backward.png", "fig9_score_error.png", "fig10_score_lines.png", "report.html"} {
					if _, err := os.Stat(filepath.Join(cfg.Out, f)); err != nil && cfg.Figures {
						t.Errorf("%s: %v", name, err)
					}
				}
				m, mf, err := LoadModel(filepath.Join(cfg.Out, "model.json"))
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				want := precond.Resolve(pc, sdeName)
				if mf.Precond == nil || mf.Precond.Kind != want || m.Pre.Kind() != want {
					t.Errorf("%s: model.json precond %+v, want kind %s", name, mf.Precond, want)
				}
				if want == precond.EDM && !(mf.Precond.SigmaData > 0.3 && mf.Precond.SigmaData < 1.5) {
					t.Errorf("%s: sigma_data %v is not the centred four-well data's RMS (~0.7)", name, mf.Precond.SigmaData)
				}
			}
		}
	}
}

// eval --model of a VP model evaluates its figures' grids where s(t) > 0.
func TestEvalModelVP(t *testing.T) {
	cfg := shortRun(t)
	cfg.SDE.Name = "vp"
	res, err := Run(context.Background(), cfg, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ec := cfg
	ec.Out = t.TempDir()
	_, skipped, err := EvalJob(context.Background(), ec, res.Data, "", filepath.Join(cfg.Out, "model.json"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(skipped) > 0 {
		t.Errorf("eval --model of a VP model skipped %v", skipped)
	}
	if _, err := os.Stat(filepath.Join(ec.Out, "fig9_score_error.png")); err != nil {
		t.Error(err)
	}
}

// A model file without a parametrisation is the notebook's (all files
// before it existed); an unknown or incomplete one is refused on load.
func TestLoadModelPrecond(t *testing.T) {
	cfg := shortRun(t)
	cfg.Figures, cfg.NLL, cfg.GapEvery = false, false, 0
	cfg.Train.Precond = precond.EDM
	if _, err := Run(context.Background(), cfg, nil, Options{}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(cfg.Out, "model.json")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatal(err)
	}
	write := func(pc string) string {
		m := map[string]json.RawMessage{}
		for k, v := range raw {
			m[k] = v
		}
		if pc == "" {
			delete(m, "precond")
		} else {
			m["precond"] = json.RawMessage(pc)
		}
		out, _ := json.Marshal(m)
		p := filepath.Join(t.TempDir(), "model.json")
		if err := os.WriteFile(p, out, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	m, _, err := LoadModel(write(""))
	if err != nil || m.Pre.Kind() != precond.None {
		t.Errorf("model without precond: %v, kind %v; want none", err, m)
	}
	for _, bad := range []string{`{"kind":"ddpm"}`, `{"kind":"edm"}`, `{"kind":"edm","sigma_data":-1}`, `{"kind":"auto"}`} {
		if _, _, err := LoadModel(write(bad)); err == nil || !strings.Contains(err.Error(), "precond") {
			t.Errorf("precond %s: error %v, want one naming precond", bad, err)
		}
	}
}

// Resuming with another parametrisation is refused.
func TestResumeRefusesOtherPrecond(t *testing.T) {
	cfg := shortRun(t)
	cfg.Figures, cfg.NLL, cfg.GapEvery, cfg.CheckpointEvery = false, false, 0, 1
	cfg.SDE.Name = "vp"
	if _, err := Run(context.Background(), cfg, nil, Options{}); err != nil {
		t.Fatal(err)
	}
	cfg.Resume = filepath.Join(cfg.Out, CheckpointName)
	cfg.Train.Epochs = 4
	cfg.Train.Precond = precond.Sigma
	cfg.Out = t.TempDir()
	if _, err := Run(context.Background(), cfg, nil, Options{}); err == nil {
		t.Error("resume with another parametrisation accepted")
	}
}
