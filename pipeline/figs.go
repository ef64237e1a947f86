package pipeline

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"

	"gonum.org/v1/gonum/floats"

	"scoresde/data"
	"scoresde/exact"
	"scoresde/figures"
	"scoresde/sampler"
	"scoresde/sde"
	"scoresde/stats"
)

// scoreGrid evaluates score on a 100×100 grid of x ∈ [lo, hi], t ∈
// [t0(s), T] (the notebook's meshgrid), laid out for figures.ScoreField.
func scoreGrid(score sampler.Score, s sde.SDE, lo, hi float64) (x, t, u []float64) {
	const n = 100
	x = stats.Linspace(lo, hi, n)
	t = stats.Linspace(gridStart(s), s.T(), n)
	u = make([]float64, n*n)
	for j, tj := range t {
		score.Score(x, tj, u[j*n:(j+1)*n])
	}
	return x, t, u
}

// gridStart is the first time of the figures' time grids: 0 (the
// notebook's) where the kernel std is positive there, as for VE, else the
// SDE's ε (VP and sub-VP: s(0) = 0, where every score is infinite).
func gridStart(s sde.SDE) float64 {
	if s.Std(0) > 0 {
		return 0
	}
	return s.MinTime()
}

// dataRange is the smallest and largest coordinate of the data.
func dataRange(ds *data.Set) (float64, float64) { return floats.Min(ds.X), floats.Max(ds.X) }

// plotRange is the notebook's [−2, 2], widened to the data when needed.
func plotRange(ds *data.Set) (float64, float64) {
	lo, hi := dataRange(ds)
	return min(lo, -2), max(hi, 2)
}

// drawQueue collects figures to draw: what needs the model (which is
// not safe for concurrent use) is computed while queueing, and the
// drawing, a pure function of its inputs, runs concurrently afterwards.
type drawQueue struct {
	dir   string
	files []string
	draw  []func() error
	names []string // names[i] is the figure draw[i] makes
}

// add queues draw for the figure called name (its .png and .svg).
func (q *drawQueue) add(name string, draw func(path string) error) {
	p := filepath.Join(q.dir, name)
	q.files = append(q.files, p+".png", p+".svg")
	q.draw = append(q.draw, func() error { return draw(p) })
	q.names = append(q.names, name)
}

// addFirst is add for a figure that takes several times longer than the
// others: it is started first, so that the rest fill the other workers
// around it instead of all waiting for it at the end.
func (q *drawQueue) addFirst(name string, draw func(path string) error) {
	q.add(name, draw)
	n := len(q.draw) - 1
	first := q.draw[n]
	copy(q.draw[1:], q.draw[:n])
	q.draw[0] = first
	firstName := q.names[n]
	copy(q.names[1:], q.names[:n])
	q.names[0] = firstName
}

// run draws the queued figures on up to GOMAXPROCS goroutines and returns
// the error of the first figure, in queue order, that failed.
func (q *drawQueue) run() error {
	errs := make([]error, len(q.draw))
	inParallel(len(q.draw), func(i int) { errs[i] = q.draw[i]() })
	return errors.Join(errs...)
}

// inParallel calls f(0) … f(n−1) on up to GOMAXPROCS goroutines, each
// taking the next index as it finishes one (the figures differ in cost).
func inParallel(n int, f func(i int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), n) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				f(i)
			}
		})
	}
	wg.Wait()
}

// figureInputs is what the figures of a run show.
type figureInputs struct {
	cfg                Config
	s                  sde.SDE
	ds                 *data.Set
	fwd                *forwardView
	smp                *sampler.Result
	untrained, trained sampler.Score
	losses             []float64
	ev                 *Evaluation
}

// queueFigures queues the notebook's figures (d = 1) or their 2-D and
// marginal counterparts.
func queueFigures(q *drawQueue, in figureInputs) error {
	cfg, s, ds, fwd, smp, untrained, trained, losses, ev := in.cfg, in.s, in.ds, in.fwd, in.smp, in.untrained, in.trained, in.losses, in.ev
	q.add("fig4_loss", func(p string) error { return figures.Loss(p, losses) })
	if o := ev.Metrics.Optimality; o != nil {
		gapFigures(q, o)
	}
	if ds.D > 1 {
		multiFigures(q, ds, smp.X)
		return nil
	}

	tt := make([]float64, ds.Len())
	step := 1.0
	if cfg.Data.File == "" {
		step = cfg.Data.Dt
	}
	for i := range tt {
		tt[i] = float64(i) * step
	}
	q.add("fig1_data", func(p string) error { return figures.Data(p, tt, ds.X) })
	prior := make([]float64, 20000)
	s.SamplePrior(rngFor(cfg.Seed, streamEval), prior)
	q.add("fig2_forward", func(p string) error { return figures.ForwardDensities(p, fwd.Times, fwd.States, prior) })
	lo, hi := plotRange(ds)
	x0, t0, u0 := scoreGrid(untrained, s, lo, hi)
	q.add("fig3_score_untrained", func(p string) error {
		return figures.ScoreField(p, "score function (untrained)", x0, t0, u0)
	})
	x1, t1, u1 := scoreGrid(trained, s, lo, hi)
	q.add("fig5_score_trained", func(p string) error {
		return figures.ScoreField(p, "score function (trained)", x1, t1, u1)
	})
	q.add("fig6_forward_backward", func(p string) error {
		return figures.ForwardBackward(p, fwd.Times, fwd.States, smp.Snapshots, ds.X, smp.X)
	})
	return exactFigures(q, s, ds, smp.X, trained, ev, lo, hi)
}

// multiFigures compares samples with data for d > 1: scatter and density
// contours (d = 2) and the marginals.
func multiFigures(q *drawQueue, ds *data.Set, smp []float64) {
	if ds.D == 2 {
		q.add("fig_scatter", func(p string) error { return figures.Scatter2D(p, ds.X, smp) })
		q.add("fig_density2d", func(p string) error { return figures.Density2D(p, ds.X, smp) })
	}
	q.add("fig_marginals", func(p string) error { return figures.Marginals(p, ds.X, smp, ds.D) })
}

// gapFigures plots the optimality gap during training and the final
// weighted score error as a function of t.
func gapFigures(q *drawQueue, o *Optimality) {
	if len(o.History) > 1 {
		var ep, g, lo, hi []float64
		for _, p := range o.History {
			ep = append(ep, float64(p.Epoch))
			g = append(g, p.Gap)
			lo = append(lo, p.Gap-2*p.StdErr)
			hi = append(hi, p.Gap+2*p.StdErr)
		}
		q.add("fig7_gap", func(p string) error {
			return figures.Line(p, "optimality gap during training", "epoch", "loss − loss of exact optimum",
				figures.Series{Label: "gap", X: ep, Y: g},
				figures.Series{Label: "± 2 standard errors", X: ep, Y: lo, Dashed: true, Color: grey},
				figures.Series{X: ep, Y: hi, Dashed: true, Color: grey})
		})
	}
	q.add("fig8_score_error_t", func(p string) error {
		return figures.Line(p, "weighted score error vs time", "t", "E[s(t)²|u − u*|²]",
			figures.Series{Label: "model vs exact optimum", X: o.Times, Y: o.ScoreErrorByTime})
	})
}

var grey = color.Gray{Y: 140}

// exactFigures draws what needs the exact optimum or the Gibbs density: the
// weighted score error field, learned vs exact score lines, the free-energy
// profile and the CDFs.
func exactFigures(q *drawQueue, s sde.SDE, ds *data.Set, smp []float64, model sampler.Score, ev *Evaluation, lo, hi float64) error {
	if ev.Optimum != nil && model != nil {
		opt := ev.Optimum
		// The data's own range: far from the data the optimum's score is
		// huge and the model never trained there, which would swamp both
		// the error map and the line plot.
		dlo, dhi := dataRange(ds)
		dlo, dhi = dlo-0.1, dhi+0.1
		x, t, u := scoreGrid(model, s, dlo, dhi)
		// The optimum costs a sum over the data per point: evaluate it with
		// the drawing. The exact optimum is safe for concurrent use; its
		// centring adaptor keeps a buffer, so each figure gets its own.
		optFor := func() sampler.Score {
			if sh, ok := opt.(*sampler.Shifted); ok {
				return sh.Clone()
			}
			return opt
		}
		opt9, opt10 := optFor(), optFor()
		q.addFirst("fig9_score_error", func(p string) error {
			_, _, us := scoreGrid(opt9, s, dlo, dhi)
			e, err := exact.ScoreErrorField(s, t, len(x), u, us)
			if err != nil {
				return err
			}
			return figures.HeatMap(p, figures.Heat{Title: "weighted score error s(t)·|u − u*| over the data's range", XLabel: "x", YLabel: "t", X: x, Y: t, Z: e})
		})
		xs := stats.Linspace(dlo, dhi, 400)
		times := []float64{gridStart(s), 0.25 * s.T(), 0.5 * s.T(), s.T()}
		learned := make([][]float64, len(times))
		for k, tt := range times {
			learned[k] = make([]float64, len(xs))
			model.Score(xs, tt, learned[k])
		}
		q.add("fig10_score_lines", func(p string) error {
			var ser []figures.Series
			out := make([]float64, len(xs))
			for k, tt := range times {
				c, sd := lineColors[k], s.Std(tt)
				ser = append(ser, figures.Series{Label: fmt.Sprintf("t=%.2f learned", tt), X: xs, Y: scaled(learned[k], sd), Color: c})
				opt10.Score(xs, tt, out)
				ser = append(ser, figures.Series{Label: fmt.Sprintf("t=%.2f exact optimum", tt), X: xs, Y: scaled(out, sd), Dashed: true, Color: c})
			}
			return figures.Line(p, "learned vs exact score, scaled by s(t)", "x", "s(t)·score", ser...)
		})
	}
	g := ev.Gibbs
	sx, sf := stats.ECDF(smp)
	dx, df := stats.ECDF(ds.X)
	cdf := []figures.Series{
		{Label: "samples", X: sx, Y: sf, Dashed: true},
		{Label: "data", X: dx, Y: df},
	}
	if g == nil {
		q.add("fig12_cdf", func(p string) error { return figures.Line(p, "cumulative distribution", "x", "F(x)", cdf...) })
		return nil
	}
	xs := stats.Linspace(lo, hi, 400)
	fe := make([]float64, len(xs))
	gc := make([]float64, len(xs))
	for i, x := range xs {
		fe[i] = g.FreeEnergy(x)
		if fe[i] > 8 {
			fe[i] = math.NaN()
		}
		gc[i] = g.CDF(x)
	}
	fs, err := stats.FreeEnergyKDE(smp, xs, g.Beta())
	if err != nil {
		return err
	}
	fd, err := stats.FreeEnergyKDE(ds.X, xs, g.Beta())
	if err != nil {
		return err
	}
	q.add("fig11_free_energy", func(p string) error {
		return figures.Line(p, "free energy F(x) = −ln p(x)/β", "x", "F(x)",
			finite(figures.Series{Label: "exact (Gibbs)", X: xs, Y: fe, Color: color.Black}),
			finite(figures.Series{Label: "data (KDE)", X: xs, Y: fd}),
			finite(figures.Series{Label: "samples (KDE)", X: xs, Y: fs, Dashed: true}))
	})
	cdf = append(cdf, figures.Series{Label: "exact (Gibbs)", X: xs, Y: gc, Color: color.Black})
	q.add("fig12_cdf", func(p string) error { return figures.Line(p, "cumulative distribution", "x", "F(x)", cdf...) })
	return nil
}

var lineColors = []color.Color{
	color.RGBA{R: 31, G: 119, B: 180, A: 255}, color.RGBA{R: 255, G: 127, B: 14, A: 255},
	color.RGBA{R: 44, G: 160, B: 44, A: 255}, color.RGBA{R: 214, G: 39, B: 40, A: 255},
}

func scaled(v []float64, f float64) []float64 { return floats.ScaleTo(make([]float64, len(v)), f, v) }

// finite keeps the points of s where F(x) is defined: the free energy is
// +∞ (NaN here) where a density is negligible.
func finite(s figures.Series) figures.Series {
	var x, y []float64
	for i := range s.X {
		if !math.IsNaN(s.Y[i]) && !math.IsInf(s.Y[i], 0) {
			x, y = append(x, s.X[i]), append(y, s.Y[i])
		}
	}
	s.X, s.Y = x, y
	return s
}
