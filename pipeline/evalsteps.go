package pipeline

import (
	"strings"

	"scoresde/exact"
	"scoresde/sampler"
)

// evaluateSteps is Evaluate in the order Run needs it: first the metrics of
// samples against data, handed to written (so they reach the disk before
// anything optional runs), then each optional metric through optional,
// which notes a failure instead of failing the run.
//
// It reads the run's settings, data, samples, model and training record
// (r.trained may be nil) from r.
func (r *runner) evaluateSteps(written func(*Evaluation) error) (*Evaluation, error) {
	ctx, cfg, ds, smp, model, trained, opt, optional := r.ctx, r.cfg, r.ds, r.res.Samples, r.model, r.trained, r.opt, r.optional
	var m *Metrics
	err := interruptible(ctx, "metrics", func() (err error) {
		m, err = sampleMetrics(ds, smp, cfg.Splits)
		return err
	})
	if err != nil {
		return nil, err
	}
	m.Checkerboard = checkerboardShares(cfg, ds, smp)
	ev := &Evaluation{Metrics: m}
	if err := written(ev); err != nil {
		return nil, err
	}
	err = optional("comparison with the exact target", func() error {
		g, name, err := truthFor(cfg, ds.D)
		if err != nil || g == nil {
			return err
		}
		tm, err := truthMetrics(g, name, ds, smp, cfg.Splits)
		if err != nil {
			return err
		}
		ev.Gibbs, m.Truth = g, tm
		return nil
	})
	if err != nil || model == nil {
		return ev, err
	}
	err = optional("optimality gap", func() error {
		// The gap compares the network with the optimum for the data it saw.
		var probe *exact.LossProbe
		if trained != nil {
			probe = trained.Probe
		}
		if probe == nil {
			var err error
			if probe, err = newProbe(cfg, model.SDE, model.Centre(ds, 0)); err != nil {
				return err
			}
		}
		o, err := optimality(probe, model.Centred())
		if err != nil {
			return err
		}
		if trained != nil {
			o.History = trained.GapHistory
		}
		ev.Probe, m.Optimality = probe, o
		ev.Optimum = &sampler.Shifted{Inner: probe.Optimum(), SDE: model.SDE, Shift: model.Shift}
		return nil
	})
	if err != nil || !cfg.NLL {
		return ev, err
	}
	err = optional("likelihood (NLL)", func() error {
		held, what, err := heldOut(cfg, ds)
		if err != nil {
			return err
		}
		nll, err := likelihood(model, held, what, cfg.Sample, opt)
		if err != nil {
			return err
		}
		m.NLL = nll
		return nil
	})
	return ev, err
}

// oneLine joins a multi-line message into one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", "; ")), " ")
}
