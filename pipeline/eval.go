package pipeline

import (
	"fmt"
	"io"

	"scoresde/data"
	"scoresde/exact"
	"scoresde/sampler"
	"scoresde/sde"
)

// TruthMetrics compares samples and data with the exact Gibbs density
// exp(−βV)/Z the data were drawn from (1-D potentials only).
type TruthMetrics struct {
	Potential string  `json:"potential"`
	Beta      float64 `json:"beta"`
	// W1 and KS distances to the Gibbs density; lower is better.
	W1Samples float64 `json:"w1_samples_gibbs"`
	W1Data    float64 `json:"w1_data_gibbs"`
	KSSamples float64 `json:"ks_samples_gibbs"`
	KSData    float64 `json:"ks_data_gibbs"`
	// W1Noise is the W1 that n exact independent samples would show: the
	// floor set by sample size alone (correlated data sit above it).
	W1Noise float64 `json:"w1_noise_level"`
	// KL(Gibbs ‖ histogram) in nats over KLBins equal bins of the support.
	KLSamples float64   `json:"kl_gibbs_samples_hist"`
	KLData    float64   `json:"kl_gibbs_data_hist"`
	KLBins    int       `json:"kl_bins"`
	Shares    []float64 `json:"well_shares_gibbs,omitempty"`
}

// Optimality measures the model against the exact minimiser u* of the DSM
// loss for the training data (the score of the data smoothed by the
// perturbation kernel), on fixed shared noise draws.
type Optimality struct {
	// Gap is Loss(model) − Loss(u*): ≥ 0 in expectation, 0 only for u*; by
	// the DSM identity it equals ½E[s(t)²|u − u*|²].
	Gap       float64 `json:"gap"`
	GapStdErr float64 `json:"gap_stderr"`
	LossModel float64 `json:"loss_model"`
	LossOpt   float64 `json:"loss_optimum"`
	// ScoreError is E[s(t)²|u − u*|²], overall and at each probe time.
	ScoreError       float64   `json:"weighted_score_error"`
	ScoreErrorStdErr float64   `json:"weighted_score_error_stderr"`
	Times            []float64 `json:"times"`
	ScoreErrorByTime []float64 `json:"weighted_score_error_by_time"`
	// History is the gap measured during training.
	History []GapPoint `json:"history,omitempty"`
}

// GapPoint is the optimality gap after Epoch epochs.
type GapPoint struct {
	Epoch  int     `json:"epoch"`
	Gap    float64 `json:"gap"`
	StdErr float64 `json:"stderr"`
}

// truthFor returns the Gibbs density of the data, or nil when unknown: the
// generating potential for Langevin data, or cfg.Truth for a data file.
func truthFor(cfg Config, d int) (*exact.Gibbs, string, error) {
	name := cfg.Truth
	switch name {
	case "none":
		return nil, "", nil
	case "", "auto":
		if (cfg.Data.File != "" && cfg.Data.PotentialExpr == "") || cfg.Data.Dataset != "" {
			return nil, "", nil
		}
		name = cfg.Data.Potential
	}
	p, name, err := truthPotential(cfg, name, d)
	if err != nil {
		return nil, "", err
	}
	if p.Dim() != 1 || d != 1 {
		return nil, "", nil // exact evaluation is 1-D only
	}
	g, err := exact.NewGibbs(p, cfg.Data.Beta)
	return g, name, err
}

func truthMetrics(g *exact.Gibbs, name string, ds, smp *data.Set, splits []float64) (*TruthMetrics, error) {
	tm := &TruthMetrics{Potential: name, Beta: g.Beta(), KLBins: 100}
	var err error
	if tm.W1Samples, err = exact.W1(g, smp.X); err != nil {
		return nil, err
	}
	if tm.W1Data, err = exact.W1(g, ds.X); err != nil {
		return nil, err
	}
	if tm.KSSamples, err = exact.KS(g, smp.X); err != nil {
		return nil, err
	}
	if tm.KSData, err = exact.KS(g, ds.X); err != nil {
		return nil, err
	}
	tm.W1Noise = exact.ExpectedW1(g, smp.Len())
	const floor = 1e-6
	if tm.KLSamples, err = exact.KLHistogram(g, smp.X, tm.KLBins, floor); err != nil {
		return nil, err
	}
	if tm.KLData, err = exact.KLHistogram(g, ds.X, tm.KLBins, floor); err != nil {
		return nil, err
	}
	if len(splits) > 0 {
		if tm.Shares, err = g.Shares(splits); err != nil {
			return nil, err
		}
	}
	return tm, nil
}

// newProbe builds the fixed draws on which losses are compared.
func newProbe(cfg Config, s sde.SDE, ds *data.Set) (*exact.LossProbe, error) {
	return exact.NewLossProbe(ds, s, exact.ProbeConfig{Times: 20, PointsPerTime: 250, Epsilon: minTime(cfg, s), Seed: cfg.Seed + 1000})
}

// minTime is the training ε: --min-time, or the SDE's default.
func minTime(cfg Config, s sde.SDE) float64 {
	if cfg.Train.MinTime >= 0 {
		return cfg.Train.MinTime
	}
	return s.MinTime()
}

func optimality(p *exact.LossProbe, model sampler.Score) (*Optimality, error) {
	lm, err := p.Loss(model)
	if err != nil {
		return nil, err
	}
	lo, err := p.Loss(p.Optimum())
	if err != nil {
		return nil, err
	}
	gap, err := p.Gap(model)
	if err != nil {
		return nil, err
	}
	se, err := p.ScoreError(model, p.Optimum())
	if err != nil {
		return nil, err
	}
	return &Optimality{
		Gap: gap.Mean, GapStdErr: gap.StdErr, LossModel: lm.Mean, LossOpt: lo.Mean,
		ScoreError: se.Mean, ScoreErrorStdErr: se.StdErr, Times: p.Times, ScoreErrorByTime: se.PerTime,
	}, nil
}

// WriteText prints the truth and optimality lines of the summary.
func (t *TruthMetrics) WriteText(w io.Writer) {
	fmt.Fprintf(w, "vs exact Gibbs density (%s, β=%g): W1 samples %.4f, data %.4f (noise level %.4f); KS samples %.4f, data %.4f; KL(Gibbs‖hist) samples %.4f, data %.4f\n",
		t.Potential, t.Beta, t.W1Samples, t.W1Data, t.W1Noise, t.KSSamples, t.KSData, t.KLSamples, t.KLData)
}

// WriteText prints the optimality line of the summary.
func (o *Optimality) WriteText(w io.Writer) {
	fmt.Fprintf(w, "optimality gap:      %.5f ± %.5f (loss %.5f vs exact optimum %.5f); weighted score error %.5f\n",
		o.Gap, o.GapStdErr, o.LossModel, o.LossOpt, o.ScoreError)
}
