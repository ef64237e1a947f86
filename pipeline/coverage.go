package pipeline

import (
	"fmt"
	"io"
	"math"

	"scoresde/data"
	"scoresde/sde"
)

// Diameter is the largest distance between two data points: exact for up
// to 20,000 points, else the bounding box's diagonal (an upper bound).
func Diameter(ds *data.Set) float64 {
	n, d := ds.Len(), ds.D
	if d == 1 || n > 20000 {
		lo := make([]float64, d)
		hi := make([]float64, d)
		for j := range d {
			lo[j], hi[j] = math.Inf(1), math.Inf(-1)
		}
		for i := range n {
			for j, v := range ds.Row(i) {
				lo[j] = math.Min(lo[j], v)
				hi[j] = math.Max(hi[j], v)
			}
		}
		s := 0.0
		for j := range d {
			s += (hi[j] - lo[j]) * (hi[j] - lo[j])
		}
		return math.Sqrt(s)
	}
	best := 0.0
	for i := range n {
		a := ds.Row(i)
		for k := i + 1; k < n; k++ {
			b := ds.Row(k)
			s := 0.0
			for j := range d {
				s += (a[j] - b[j]) * (a[j] - b[j])
			}
			best = math.Max(best, s)
		}
	}
	return math.Sqrt(best)
}

// warnCoverage warns when the VE prior is too narrow to cover the data:
// Song & Ermon (2020) advise η_max ≥ the data's diameter.
func warnCoverage(w io.Writer, ds *data.Set, s sde.SDE) {
	ve, ok := s.(sde.VE)
	if !ok || w == nil {
		return
	}
	if dia := Diameter(ds); dia > ve.EtaMax {
		fmt.Fprintf(w, "warning: the data's diameter %.3g exceeds eta_max %.3g, so the prior N(0, eta_max²) does not cover the data; raise --eta-max or pass --eta-max-from-data\n", dia, ve.EtaMax)
	}
}

// FitToData applies data-dependent settings to cfg: EtaMaxFromData sets
// the VE prior's std to the data's diameter; EtaMaxAuto raises it to the
// diameter only when it is smaller. It returns a note saying what changed.
func FitToData(cfg *Config, ds *data.Set) (string, error) {
	if !cfg.EtaMaxFromData && !cfg.EtaMaxAuto {
		return "", nil
	}
	dia := Diameter(ds)
	if cfg.EtaMaxFromData {
		if !(dia > cfg.SDE.EtaMin) {
			return "", fmt.Errorf("the data's diameter %.3g is not above eta_min %.3g, so it cannot set eta_max; set --eta-max yourself", dia, cfg.SDE.EtaMin)
		}
		cfg.SDE.EtaMax = dia
		return fmt.Sprintf("eta_max set to the data's diameter, %.4g", dia), nil
	}
	if dia > cfg.SDE.EtaMax {
		old := cfg.SDE.EtaMax
		cfg.SDE.EtaMax = dia
		return fmt.Sprintf("the data's diameter %.4g exceeds the default eta_max %.4g, so the prior would not cover them; using eta_max = %.4g (set --eta-max to choose)", dia, old, dia), nil
	}
	return "", nil
}

// CheckSpread rejects data a density cannot be fitted to: fewer than two
// points, or a coordinate that never changes.
func CheckSpread(ds *data.Set) error {
	if ds.Len() < 2 {
		return fmt.Errorf("%d data point; a distribution needs at least 2", ds.Len())
	}
	for j := range ds.D {
		first := ds.X[j]
		constant := true
		for i := 1; i < ds.Len() && constant; i++ {
			constant = ds.X[i*ds.D+j] == first
		}
		if constant {
			return fmt.Errorf("coordinate %d is %v in every point; drop it, it carries no distribution to learn", j+1, first)
		}
	}
	return nil
}
