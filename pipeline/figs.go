package pipeline

import (
	"path/filepath"

	"scoresde/data"
	"scoresde/figures"
	"scoresde/sampler"
	"scoresde/sde"
	"scoresde/stats"
)

// scoreGrid evaluates score on a 100×100 grid of x ∈ [lo, hi], t ∈ [0, T]
// (the notebook's meshgrid), laid out for figures.ScoreField.
func scoreGrid(score sampler.Score, lo, hi, T float64) (x, t, u []float64) {
	const n = 100
	x = stats.Linspace(lo, hi, n)
	t = stats.Linspace(0, T, n)
	u = make([]float64, n*n)
	for j, tj := range t {
		score.Score(x, tj, u[j*n:(j+1)*n])
	}
	return x, t, u
}

// plotRange is the notebook's [−2, 2], widened to the data when needed.
func plotRange(ds *data.Set) (float64, float64) {
	lo, hi := -2.0, 2.0
	for _, v := range ds.X {
		lo, hi = min(lo, v), max(hi, v)
	}
	return lo, hi
}

// drawFigures writes the notebook's figures (d = 1) or their 2-D and
// marginal counterparts, returning the files written.
func drawFigures(cfg Config, s sde.SDE, ds *data.Set, fwd *forwardView, smp *sampler.Result,
	untrained, trained sampler.Score, losses []float64) ([]string, error) {
	var files []string
	path := func(name string) string {
		p := filepath.Join(cfg.Out, name)
		files = append(files, p+".png", p+".svg")
		return p
	}
	if err := figures.Loss(path("fig4_loss"), losses); err != nil {
		return nil, err
	}
	if ds.D > 1 {
		if ds.D == 2 {
			if err := figures.Scatter2D(path("fig_scatter"), ds.X, smp.X); err != nil {
				return nil, err
			}
			if err := figures.Density2D(path("fig_density2d"), ds.X, smp.X); err != nil {
				return nil, err
			}
		}
		if err := figures.Marginals(path("fig_marginals"), ds.X, smp.X, ds.D); err != nil {
			return nil, err
		}
		return files, nil
	}

	tt := make([]float64, ds.Len())
	step := 1.0
	if cfg.Data.File == "" {
		step = cfg.Data.Dt
	}
	for i := range tt {
		tt[i] = float64(i) * step
	}
	if err := figures.Data(path("fig1_data"), tt, ds.X); err != nil {
		return nil, err
	}
	prior := make([]float64, 20000)
	s.SamplePrior(rngFor(cfg.Seed, streamEval), prior)
	if err := figures.ForwardDensities(path("fig2_forward"), fwd.Times, fwd.States, prior); err != nil {
		return nil, err
	}
	lo, hi := plotRange(ds)
	x, t, u := scoreGrid(untrained, lo, hi, s.T())
	if err := figures.ScoreField(path("fig3_score_untrained"), "score function (untrained)", x, t, u); err != nil {
		return nil, err
	}
	x, t, u = scoreGrid(trained, lo, hi, s.T())
	if err := figures.ScoreField(path("fig5_score_trained"), "score function (trained)", x, t, u); err != nil {
		return nil, err
	}
	if err := figures.ForwardBackward(path("fig6_forward_backward"), fwd.Times, fwd.States, smp.Snapshots, ds.X, smp.X); err != nil {
		return nil, err
	}
	return files, nil
}
