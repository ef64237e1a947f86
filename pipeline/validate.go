package pipeline

import (
	"errors"
	"fmt"
	"math"

	"scoresde/data"
	"scoresde/exact"
	"scoresde/sde"
)

// minEtaMin is the smallest VE η_min accepted: below it s(t)² and the
// kernel sums of the exact optimum underflow in float64.
const minEtaMin = 1e-100

// ValidateData checks the settings that depend on the data, after they
// are read and before any work: the batch size against their number and
// the exact target against their dimension. It does no I/O.
func (c Config) ValidateData(ds *data.Set) error {
	if c.Train.Epochs > 0 && ds.Len() < c.Train.BatchSize {
		return &SettingError{Key: "train.batch_size", Msg: fmt.Sprintf("batch size %d exceeds the %d data points", c.Train.BatchSize, ds.Len())}
	}
	return c.validateTruth(ds.D)
}

// validateTruth checks the exact target against data of dimension d:
// Validate calls it for generated data, whose dimension is the
// potential's, ValidateData for a file.
func (c Config) validateTruth(d int) error {
	if c.Truth == "" || c.Truth == "none" || (c.Truth == "auto" && ((c.Data.File != "" && c.Data.PotentialExpr == "") || c.Data.Dataset != "")) {
		return nil
	}
	name := c.Truth
	if name == "auto" {
		name = c.Data.Potential
	}
	p, name, err := truthPotential(c, name, d)
	if err != nil {
		var se *SettingError
		if errors.As(err, &se) {
			return err
		}
		return &SettingError{Key: "truth", Msg: err.Error()}
	}
	if p.Dim() != d {
		return &SettingError{Key: "truth", Msg: fmt.Sprintf("potential %s is %d-dimensional but the data have dimension %d", name, p.Dim(), d)}
	}
	if d != 1 {
		if c.Truth == "auto" {
			return nil // the exact target is evaluated for 1-D data only
		}
		return &SettingError{Key: "truth", Msg: fmt.Sprintf("the exact target is evaluated for 1-D data only, these have dimension %d", d)}
	}
	if _, err := exact.NewGibbs(p, c.Data.Beta); err != nil {
		return &SettingError{Key: "data.beta", Msg: fmt.Sprintf("the Gibbs density exp(−βV) of %s at β = %v cannot be normalised on a grid (β too small or too large for its wells)", name, c.Data.Beta)}
	}
	return nil
}

// MemoryNeed estimates the peak bytes a run of cfg on data of dimension d
// holds: the weights and their copies (gradient, Adam moments, average,
// the untrained and sampling networks), a checkpoint's JSON text, and the
// activations of a training batch and of the samples, and the data and
// samples themselves (with the forward and reverse snapshots of figures).
func (c Config) MemoryNeed(d int) float64 {
	params, width, in := 0.0, 0.0, float64(d+1)
	for _, h := range c.Net.Hidden {
		params += in*float64(h) + float64(h)
		width += float64(h)
		in = float64(h)
	}
	params += in*float64(d) + float64(d)
	const copies = 7              // float32 weights, gradient, M, V, EMA, two clones
	const checkpoint = 4 * 12 * 2 // four arrays as ~12-byte decimals, encoded twice
	rows := float64(c.Train.BatchSize) + float64(min(c.Sample.N, 1<<16))
	points := 3*float64(c.Data.N) + float64(c.Sample.N)*float64(2+2*len(figureTimes))
	return params*(4*copies+checkpoint) + rows*width*4*3 + points*float64(d)*8
}

// validatePC checks the predictor–corrector's Langevin step factor
// 1 + 2a(t)Δt stays positive over [ε, T] (the sampler refuses it after
// training otherwise), by the largest −a(t) on a fine grid.
func (c Config) validatePC(s sde.SDE) error {
	if c.Sample.Method != "pc" {
		return nil
	}
	eps := c.Sample.Eps
	if eps <= 0 {
		eps = s.MinTime()
	}
	worst := 0.0
	const n = 1000
	for i := range n + 1 {
		t := eps + (s.T()-eps)*float64(i)/n
		worst = max(worst, -s.DriftCoef(t))
	}
	if worst == 0 {
		return nil
	}
	need := int(math.Floor(2*worst*(s.T()-eps))) + 1
	if c.Sample.Steps < need {
		return &SettingError{Key: "sample.steps", Msg: fmt.Sprintf("the pc sampler's corrector needs at least %d steps with the %s SDE (its factor 1 + 2a(t)Δt must stay positive), got %d", need, s.Name(), c.Sample.Steps)}
	}
	return nil
}
