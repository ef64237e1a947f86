package pipeline

import (
	"scoresde/data"
	"scoresde/exact"
	"scoresde/sampler"
)

// Evaluation is everything Evaluate computed, for metrics.json, the
// summary, figures and the report.
type Evaluation struct {
	Metrics *Metrics
	Gibbs   *exact.Gibbs     // nil when the target density is unknown
	Probe   *exact.LossProbe // on the centred data the network trained on
	// Optimum is the exact DSM optimum in the data's coordinates.
	Optimum sampler.Score
}

// Evaluate compares samples with the data and, where known, with the exact
// target; with a score model it also measures the optimality gap (reusing
// trained's probe and gap history when given) and the likelihood.
func Evaluate(cfg Config, ds, smp *data.Set, model *Model, trained *Trained, opt Options) (*Evaluation, error) {
	m, err := sampleMetrics(ds, smp, cfg.Splits)
	if err != nil {
		return nil, err
	}
	ev := &Evaluation{Metrics: m}
	m.Checkerboard = checkerboardShares(cfg, ds, smp)
	g, name, err := truthFor(cfg, ds.D)
	if err != nil {
		return nil, err
	}
	if g != nil {
		ev.Gibbs = g
		if m.Truth, err = truthMetrics(g, name, ds, smp, cfg.Splits); err != nil {
			return nil, err
		}
	}
	if model == nil {
		return ev, nil
	}
	// The gap compares the network with the optimum for the data it saw.
	if trained != nil && trained.Probe != nil {
		ev.Probe = trained.Probe
	} else if ev.Probe, err = newProbe(cfg, model.SDE, model.Centre(ds, 0)); err != nil {
		return nil, err
	}
	ev.Optimum = &sampler.Shifted{Inner: ev.Probe.Optimum(), SDE: model.SDE, Shift: model.Shift}
	if m.Optimality, err = optimality(ev.Probe, model.Centred()); err != nil {
		return nil, err
	}
	if trained != nil {
		m.Optimality.History = trained.GapHistory
	}
	if cfg.NLL {
		held, what, err := heldOut(cfg, ds)
		if err != nil {
			return nil, err
		}
		if m.NLL, err = likelihood(model, held, what, cfg.Sample, opt); err != nil {
			return nil, err
		}
	}
	return ev, nil
}

// heldOut returns data the model did not train on: for generated data a
// fresh, independent Langevin run (another seed); for a file, the training
// data themselves, labelled as such.
func heldOut(cfg Config, ds *data.Set) (*data.Set, string, error) {
	const n = 2000
	if cfg.Data.File != "" {
		k := min(n, ds.Len())
		return &data.Set{D: ds.D, X: ds.X[:k*ds.D]}, "training data (no held-out set for a data file)", nil
	}
	// A run as long as the training one, thinned to n points, so the
	// held-out set spans the wells as the data do.
	dc := cfg.Data
	dc.Seed += 7919
	h, err := LoadData(dc)
	if err != nil {
		return nil, "", err
	}
	stride := max(1, h.Len()/n)
	thin := data.New(0, h.D)
	for i := 0; i < h.Len(); i += stride {
		thin.X = append(thin.X, h.Row(i)...)
	}
	if cfg.Data.Dataset != "" {
		return h, "held-out draw of " + cfg.Data.Dataset + " (independent seed)", nil
	}
	return thin, "held-out Langevin run (independent seed, thinned)", nil
}
