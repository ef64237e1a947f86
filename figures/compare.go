package figures

import (
	"fmt"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// QualityVsCost draws one line per sampler of a distance (lower is better)
// against the score evaluations per sample, both on log scales, each step
// count a dot: the lower left is fast and good.
func QualityVsCost(path, title, ylabel string, series ...Series) error {
	for _, s := range series {
		for k := range s.X {
			if !(s.X[k] > 0) || !(s.Y[k] > 0) {
				return fmt.Errorf("figures: series %q point %d is (%v, %v); a log-log plot needs positive values", s.Label, k, s.X[k], s.Y[k])
			}
		}
	}
	c, err := lineChart(title, "score evaluations per sample (NFE)", ylabel, series)
	if err != nil {
		return err
	}
	c.p.X.Scale, c.p.Y.Scale = plot.LogScale{}, plot.LogScale{}
	c.p.X.Tick.Marker, c.p.Y.Tick.Marker = plot.LogTicks{Prec: -1}, plot.LogTicks{Prec: -1}
	c.headroom = false
	for i, s := range series {
		xy := make(plotter.XYs, len(s.X))
		for k := range xy {
			xy[k].X, xy[k].Y = s.X[k], s.Y[k]
		}
		sc, err := plotter.NewScatter(xy)
		if err != nil {
			return err
		}
		sc.Color = s.Color
		if sc.Color == nil {
			sc.Color = defaultColors[i%len(defaultColors)]
		}
		sc.Shape = draw.CircleGlyph{}
		sc.Radius = vg.Points(2.5)
		c.p.Add(sc)
	}
	return gridFigure(8, 5, [][]*chart{{c}}).save(path)
}
