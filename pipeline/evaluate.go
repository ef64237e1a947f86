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
