package pipeline

import (
	"fmt"
	"io"
	"math"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/stat"

	"scoresde/data"
	"scoresde/stats"
)

// Shares compares the mass in each interval between split points.
type Shares struct {
	Splits     []float64 `json:"splits"`
	Data       []float64 `json:"data"`
	Samples    []float64 `json:"samples"`
	MaxAbsDiff float64   `json:"max_abs_diff"`
}

// Metrics measures how close the samples are to the data (and, when known,
// to the exact target). Distances are in the data's units; lower is better.
type Metrics struct {
	Dim int `json:"dim"`
	// NFE is the sampler's score evaluations per sample (0: the samples
	// came from a file).
	NFE int `json:"nfe,omitempty"`
	// W1 is the Wasserstein-1 distance between samples and data (1-D), or
	// the mean of the per-coordinate distances (d > 1).
	W1 float64 `json:"w1_samples_data"`
	// KS is the Kolmogorov–Smirnov statistic between samples and data (1-D).
	KS     float64 `json:"ks_samples_data,omitempty"`
	Shares *Shares `json:"well_shares,omitempty"`
	// d > 1
	MarginalW1 []float64 `json:"marginal_w1,omitempty"`
	SlicedW1   float64   `json:"sliced_w1,omitempty"`
	Energy     float64   `json:"energy_distance,omitempty"`
	// Checkerboard is the share of points on the checkerboard data set's
	// occupied squares (--dataset checkerboard only).
	Checkerboard *OnSquares `json:"checkerboard,omitempty"`

	Truth      *TruthMetrics `json:"truth,omitempty"`
	Optimality *Optimality   `json:"optimality,omitempty"`
	NLL        *NLL          `json:"nll,omitempty"`
	// Reweighting is present with --reweight (see reweight.go).
	Reweighting *Reweighting `json:"reweighting,omitempty"`
}

// sampleMetrics compares samples with data.
func sampleMetrics(ds, smp *data.Set, splits []float64) (*Metrics, error) {
	if ds.D != smp.D {
		return nil, fmt.Errorf("samples have dimension %d, data %d", smp.D, ds.D)
	}
	m := &Metrics{Dim: ds.D}
	var err error
	if ds.D == 1 {
		if m.W1, err = stats.Wasserstein1(smp.X, ds.X); err != nil {
			return nil, err
		}
		if m.KS, err = stats.KolmogorovSmirnov(smp.X, ds.X); err != nil {
			return nil, err
		}
		if len(splits) > 0 {
			sh := &Shares{Splits: splits}
			if sh.Data, err = stats.MassShares(ds.X, splits); err != nil {
				return nil, err
			}
			if sh.Samples, err = stats.MassShares(smp.X, splits); err != nil {
				return nil, err
			}
			sh.MaxAbsDiff = floats.Distance(sh.Data, sh.Samples, math.Inf(1))
			m.Shares = sh
		}
		return m, nil
	}
	if m.MarginalW1, err = stats.MarginalW1(smp.X, ds.X, ds.D); err != nil {
		return nil, err
	}
	m.W1 = stat.Mean(m.MarginalW1, nil)
	if m.SlicedW1, err = stats.SlicedW1(smp.X, ds.X, ds.D, 128, 1); err != nil {
		return nil, err
	}
	if m.Energy, err = stats.EnergyDistance(smp.X, ds.X, ds.D); err != nil {
		return nil, err
	}
	return m, nil
}

// WriteText prints the metrics as aligned lines.
func (m *Metrics) WriteText(w io.Writer) {
	if m.Dim == 1 {
		fmt.Fprintf(w, "W1(samples, data):   %.4f    KS: %.4f\n", m.W1, m.KS)
	} else {
		fmt.Fprintf(w, "W1 per coordinate:   %.4f (mean)  %v\n", m.W1, fmtFloats(m.MarginalW1))
		fmt.Fprintf(w, "sliced W1:           %.4f    energy distance: %.4f\n", m.SlicedW1, m.Energy)
	}
	if c := m.Checkerboard; c != nil {
		fmt.Fprintf(w, "on the checkerboard's squares: samples %.4f, data %.4f\n", c.Samples, c.Data)
	}
	if sh := m.Shares; sh != nil {
		fmt.Fprintf(w, "well shares (split at %v): data %v, samples %v, max diff %.4f\n",
			fmtFloats(sh.Splits), fmtFloats(sh.Data), fmtFloats(sh.Samples), sh.MaxAbsDiff)
	}
	if m.Truth != nil {
		m.Truth.WriteText(w)
	}
	if m.Optimality != nil {
		m.Optimality.WriteText(w)
	}
	if m.NLL != nil {
		m.NLL.WriteText(w)
	}
	if m.Reweighting != nil {
		m.Reweighting.WriteText(w)
	}
}

func fmtFloats(v []float64) string {
	s := "["
	for i, x := range v {
		if i > 0 {
			s += " "
		}
		s += fmt.Sprintf("%.4g", x)
	}
	return s + "]"
}
