package figures

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot/plotter"
)

// Profile is a free-energy curve F(x) for FreeEnergyProfiles. NaN values
// (where the estimate has too little mass to say) break the curve.
type Profile struct {
	Label string
	X, F  []float64
	// Band, when set, is the half-width of an uncertainty band around F,
	// drawn as a shaded area (NaN: no band there).
	Band   []float64
	Dashed bool
	Color  color.Color // nil picks the next colour of the cycle
}

// FreeEnergyProfiles draws free-energy curves in one panel, each shifted
// so that its lowest value is 0 (a free energy is defined up to a
// constant; the shift lines the deepest wells up), with shaded bands.
func FreeEnergyProfiles(path, title, xlabel string, profiles ...Profile) error {
	c, err := profileChart(title, xlabel, profiles)
	if err != nil {
		return err
	}
	return gridFigure(7, 4.5, [][]*chart{{c}}).save(path)
}

// FreeEnergyPanels draws one FreeEnergyProfiles panel per coordinate, side
// by side: panels[k] are the profiles along xlabels[k].
func FreeEnergyPanels(path string, titles, xlabels []string, panels [][]Profile) error {
	if len(panels) == 0 || len(titles) != len(panels) || len(xlabels) != len(panels) {
		return fmt.Errorf("figures: %d panels with %d titles and %d axis labels; give one of each per panel", len(panels), len(titles), len(xlabels))
	}
	row := make([]*chart, len(panels))
	for k, p := range panels {
		c, err := profileChart(titles[k], xlabels[k], p)
		if err != nil {
			return err
		}
		row[k] = c
	}
	return gridFigure(6*float64(len(panels)), 4.5, [][]*chart{row}).save(path)
}

func profileChart(title, xlabel string, profiles []Profile) (*chart, error) {
	if len(profiles) == 0 {
		return nil, fmt.Errorf("figures: %q has no profiles to plot", title)
	}
	c := newChart(title, xlabel, "F(x) − min F")
	c.addGrid()
	for i, p := range profiles {
		if len(p.X) != len(p.F) || (p.Band != nil && len(p.Band) != len(p.F)) {
			return nil, fmt.Errorf("figures: profile %q has %d x, %d F and %d band values; they must pair up", p.Label, len(p.X), len(p.F), len(p.Band))
		}
		base := math.Inf(1)
		for _, v := range p.F {
			if finite(v) {
				base = math.Min(base, v)
			}
		}
		if math.IsInf(base, 1) {
			return nil, fmt.Errorf("figures: profile %q has no finite value", p.Label)
		}
		col := p.Color
		if col == nil {
			col = defaultColors[i%len(defaultColors)]
		}
		// Band first, so the curves are drawn over it.
		if p.Band != nil {
			for _, seg := range finiteRuns(p.F, p.Band) {
				var poly plotter.XYs
				for k := seg[0]; k < seg[1]; k++ {
					poly = append(poly, plotter.XY{X: p.X[k], Y: p.F[k] - base + p.Band[k]})
				}
				for k := seg[1] - 1; k >= seg[0]; k-- {
					poly = append(poly, plotter.XY{X: p.X[k], Y: p.F[k] - base - p.Band[k]})
				}
				if len(poly) < 3 {
					continue
				}
				pg, err := plotter.NewPolygon(poly)
				if err != nil {
					return nil, fmt.Errorf("figures: band of %q: %w", p.Label, err)
				}
				r, g, b, _ := col.RGBA()
				pg.Color = color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: 0x50}
				pg.LineStyle.Width = 0
				c.p.Add(pg)
			}
		}
		label := p.Label
		for _, seg := range finiteRuns(p.F, nil) {
			s := Series{Label: label, Dashed: p.Dashed, Color: col}
			for k := seg[0]; k < seg[1]; k++ {
				s.X = append(s.X, p.X[k])
				s.Y = append(s.Y, p.F[k]-base)
			}
			if err := c.addSeries(s, i); err != nil {
				return nil, err
			}
			label = "" // one legend entry per profile
		}
	}
	return c, nil
}

// finiteRuns returns the [start, end) index ranges where a (and b, when
// given) are finite.
func finiteRuns(a, b []float64) [][2]int {
	var runs [][2]int
	start := -1
	for k := range len(a) + 1 {
		ok := k < len(a) && finite(a[k]) && (b == nil || finite(b[k]))
		if ok && start < 0 {
			start = k
		}
		if !ok && start >= 0 {
			runs = append(runs, [2]int{start, k})
			start = -1
		}
	}
	return runs
}

// FreeEnergySurface draws F(x1, x2) on a grid as a heat map, shifted so its
// lowest value is 0 and capped at cap above it (NaN cells, where there is
// too little mass to say, are drawn at the cap).
func FreeEnergySurface(path, title string, x, y, f []float64, cap float64) error {
	base := math.Inf(1)
	for _, v := range f {
		if finite(v) {
			base = math.Min(base, v)
		}
	}
	if math.IsInf(base, 1) {
		return fmt.Errorf("figures: free-energy surface %q has no finite value", title)
	}
	z := make([]float64, len(f))
	for i, v := range f {
		z[i] = cap
		if finite(v) {
			z[i] = math.Min(v-base, cap)
		}
	}
	return HeatMap(path, Heat{Title: title, XLabel: "x₁", YLabel: "x₂", X: x, Y: y, Z: z})
}
