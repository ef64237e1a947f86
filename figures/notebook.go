package figures

import (
	"fmt"
	"image/color"
	"math"
	"slices"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"scoresde/stats"
)

// Line draws curves in one panel with a legend of the labelled series.
func Line(path, title, xlabel, ylabel string, series ...Series) error {
	c, err := lineChart(title, xlabel, ylabel, series)
	if err != nil {
		return err
	}
	return gridFigure(7, 4.5, [][]*chart{{c}}).save(path)
}

func lineChart(title, xlabel, ylabel string, series []Series) (*chart, error) {
	if len(series) == 0 {
		return nil, fmt.Errorf("figures: %q has no series to plot", title)
	}
	c := newChart(title, xlabel, ylabel)
	c.addGrid()
	for i, s := range series {
		if err := c.addSeries(s, i); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// Data draws the notebook's first figure: the trajectory x against time
// (left) and the empirical density of x as a 50-bin histogram (right).
func Data(path string, t, x []float64) error {
	if len(t) != len(x) {
		return fmt.Errorf("figures: trajectory has %d times and %d values; they must pair up", len(t), len(x))
	}
	traj, err := lineChart("trajectory", "time", "x", []Series{{X: t, Y: x, Color: color.NRGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 0xb3}}})
	if err != nil {
		return err
	}
	traj.setX(t[0], t[len(t)-1])
	lo, hi := slices.Min(x), slices.Max(x)
	if !(hi > lo) {
		return fmt.Errorf("figures: trajectory is constant (%v); no density to draw", lo)
	}
	const bins = 50
	dens, err := stats.Histogram(x, lo, hi, bins)
	if err != nil {
		return fmt.Errorf("figures: empirical density: %w", err)
	}
	w := (hi - lo) / bins
	hist := &plotter.Histogram{Width: w, FillColor: defaultColors[0]}
	hist.LineStyle.Color = color.White
	hist.LineStyle.Width = vg.Points(0.4)
	for i, d := range dens {
		b0 := lo + float64(i)*w
		hist.Bins = append(hist.Bins, plotter.HistogramBin{Min: b0, Max: b0 + w, Weight: d})
	}
	h := newChart("empirical density", "x", "density")
	h.addGrid()
	h.p.Add(hist)
	h.p.Y.Min = 0
	return gridFigure(12, 4.5, [][]*chart{{traj, h}}).save(path)
}

// curve is one density curve: a sample to estimate, drawn as a series.
type curve struct {
	label  string
	sample []float64
	color  color.Color
	dashed bool
}

// densityChart draws Gaussian KDEs (seaborn's kdeplot with the given
// bw_adjust) of the curves' samples, with the horizontal range xlim
// (automatic when xlim[0] ≥ xlim[1]).
func densityChart(title, xlabel string, xlim [2]float64, bwAdjust float64, curves []curve) (*chart, error) {
	c := newChart(title, xlabel, "density")
	c.addGrid()
	for i, cv := range curves {
		grid, dens, err := stats.KDE(cv.sample, stats.KDEOptions{BwAdjust: bwAdjust})
		if err != nil {
			return nil, fmt.Errorf("figures: density of %q: %w", cv.label, err)
		}
		if err := c.addSeries(Series{Label: cv.label, X: grid, Y: dens, Color: cv.color, Dashed: cv.dashed}, i); err != nil {
			return nil, err
		}
	}
	c.p.Y.Min = 0
	if xlim[0] < xlim[1] {
		c.setX(xlim[0], xlim[1])
	}
	return c, nil
}

func checkTimes(times []float64, sets ...[][]float64) error {
	if len(times) == 0 {
		return fmt.Errorf("figures: no times to plot")
	}
	for _, s := range sets {
		if len(s) != len(times) {
			return fmt.Errorf("figures: %d times but %d samples; give one sample per time", len(times), len(s))
		}
	}
	return nil
}

// notebookRange is the notebook's x-range [lo, hi] when the data lie in it,
// else the data's range with a tenth of its width on each side, so data
// far from the origin stay in view.
func notebookRange(lo, hi float64, data []float64) [2]float64 {
	dlo, dhi := math.Inf(1), math.Inf(-1)
	for _, v := range data {
		dlo, dhi = min(dlo, v), max(dhi, v)
	}
	if dlo >= lo && dhi <= hi || !(dhi > dlo) {
		return [2]float64{lo, hi}
	}
	pad := 0.1 * (dhi - dlo)
	return [2]float64{dlo - pad, dhi + pad}
}

// ForwardDensities draws the notebook's second figure: kernel density
// estimates of the forward process at each time (samples[i] taken at
// times[i]; blue, gold, black, red, grey, …) and of prior samples from
// N(0, η_max²), dashed red, for x in [−3, 3] (or the data's range when
// they leave it).
func ForwardDensities(path string, times []float64, samples [][]float64, prior []float64) error {
	if err := checkTimes(times, samples); err != nil {
		return err
	}
	var cs []curve
	for i, t := range times {
		cs = append(cs, curve{label: fmt.Sprintf("t=%.2f", t), sample: samples[i], color: timeColor(i)})
	}
	cs = append(cs, curve{label: "prior", sample: prior, color: notebookColors[3], dashed: true})
	c, err := densityChart("forward process densities", "x", notebookRange(-3, 3, samples[0]), 1, cs)
	if err != nil {
		return err
	}
	return gridFigure(7, 5, [][]*chart{{c}}).save(path)
}

// Loss draws the training loss against the epoch (index of loss).
func Loss(path string, loss []float64) error {
	epochs := make([]float64, len(loss))
	for i := range epochs {
		epochs[i] = float64(i)
	}
	c, err := lineChart("loss vs epoch", "epoch", "loss", []Series{{X: epochs, Y: loss}})
	if err != nil {
		return err
	}
	return gridFigure(7, 4.5, [][]*chart{{c}}).save(path)
}

// ForwardBackward draws the notebook's last figure. Left: densities of the
// forward process (solid) and of the reverse-time sampler (dashed) at each
// time, one colour per time; backward[i] must hold the reverse process's
// samples at forward time times[i]. Right: the training data (truth, solid)
// against the generated samples (dashed). Both use seaborn's bw_adjust=0.2
// and x in [−2, 2], as the notebook (or the data's range when they leave
// it).
func ForwardBackward(path string, times []float64, forward, backward [][]float64, truth, generated []float64) error {
	if err := checkTimes(times, forward, backward); err != nil {
		return err
	}
	const bw = 0.2
	xlim := notebookRange(-2, 2, truth)
	var cs []curve
	for i, t := range times {
		cs = append(cs,
			curve{label: fmt.Sprintf("t=%.2f, forward", t), sample: forward[i], color: timeColor(i)},
			curve{label: fmt.Sprintf("t=%.2f, backward", t), sample: backward[i], color: timeColor(i), dashed: true})
	}
	left, err := densityChart("forward vs backward", "x", xlim, bw, cs)
	if err != nil {
		return err
	}
	right, err := densityChart("truth vs generated", "x", xlim, bw, []curve{
		{label: "truth", sample: truth, color: notebookColors[0]},
		{label: "generated", sample: generated, color: notebookColors[0], dashed: true},
	})
	if err != nil {
		return err
	}
	return gridFigure(13, 5, [][]*chart{{left, right}}).save(path)
}
