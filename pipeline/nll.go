package pipeline

import (
	"fmt"
	"io"

	"scoresde/data"
	"scoresde/progress"
	"scoresde/sampler"
)

// NLL is the model's negative log-likelihood: −log p_ε(x) in nats, where
// p_ε is the density of the model's probability-flow ODE at the end time ε,
// averaged over the points in On. Lower is better.
type NLL struct {
	Mean   float64 `json:"nats_per_point"`
	PerDim float64 `json:"nats_per_dim"`
	StdErr float64 `json:"stderr"`
	N      int     `json:"points"`
	NFE    int     `json:"nfe"`
	On     string  `json:"on"`
}

// likelihood evaluates the model's NLL at the points of x; a shift of the
// data has unit Jacobian, so it is the network's NLL at the centred points.
func likelihood(model *Model, x *data.Set, on string, sc SampleConfig, opt Options) (*NLL, error) {
	o := samplerOptions(sc, nil)
	eps, err := sampler.EndTime(model.SDE, o)
	if err != nil {
		return nil, fmt.Errorf("likelihood: %w", err)
	}
	bar := progress.New(opt.Progress, "likelihood", "score evals", 0)
	net := model.Centred()
	counted := &countingScoreDiv{countingScore: countingScore{inner: net, bar: bar, ctx: opt.ctx}, div: net}
	r, err := sampler.Likelihood(model.SDE, counted, model.Centre(x, eps).X, o)
	if err != nil {
		return nil, fmt.Errorf("likelihood: %w", err)
	}
	bar.Finish(r.NFE, "")
	return &NLL{Mean: r.Mean, PerDim: r.MeanPerDim, StdErr: r.StdErr(), N: len(r.PerPoint), NFE: r.NFE, On: on}, nil
}

// WriteText prints the likelihood line of the summary.
func (l *NLL) WriteText(w io.Writer) {
	fmt.Fprintf(w, "NLL:                 %.4f ± %.4f nats per point (%.4f per dim; lower is better) on %d points of the %s, %d NFE\n",
		l.Mean, l.StdErr, l.PerDim, l.N, l.On, l.NFE)
}
