package pipeline

import (
	"fmt"
	"io"

	"scoresde/data"
	"scoresde/sde"
)

// warnCoverage warns when the VE prior is clearly too narrow to cover the
// data. Song & Ermon (2020) advise η_max ≥ the data's diameter, a rule of
// thumb: the notebook's own setting (diameter 2.17, η_max 2) works well,
// and a warning on every default run would be noise, so only a diameter
// beyond 1.5·η_max is worth one.
func warnCoverage(w io.Writer, ds *data.Set, s sde.SDE) {
	ve, ok := s.(sde.VE)
	if !ok || w == nil {
		return
	}
	if dia := ds.Diameter(); dia > 1.5*ve.EtaMax {
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
	dia := ds.Diameter()
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
