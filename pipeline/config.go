// Package pipeline runs scoresde's jobs end to end — data, SDE, network,
// training, sampling, statistics, figures and files — so the command line
// stays a thin shell over it. The pieces are callable alone (LoadData,
// Train, Model.Sample, Evaluate) and as jobs that compose through files
// (TrainJob, SampleJob, EvalJob, Run).
package pipeline

import (
	"fmt"
	"math"

	"scoresde/langevin"
	"scoresde/sampler"
	"scoresde/sde"
	"scoresde/train"
)

// DataConfig says where training data come from: a file, or a Langevin run.
type DataConfig struct {
	File      string    `json:"file,omitempty"`
	Potential string    `json:"potential"`
	Beta      float64   `json:"beta"`
	Dt        float64   `json:"dt"`
	N         int       `json:"n"`
	X0        []float64 `json:"x0"` // nil: the potential's own start point
	Seed      uint64    `json:"seed"`

	// PotentialExpr, when set, is V as an expression in x or x1…xd (see
	// package potential); it replaces Potential.
	PotentialExpr string `json:"potential_expr,omitempty"`
	Dataset       string `json:"dataset,omitempty"` // a 2-D toy set (package data/toy) instead of Langevin data
}

// NetConfig is the score network's architecture.
type NetConfig struct {
	Hidden []int `json:"hidden"`
}

// SampleConfig controls generation.
type SampleConfig struct {
	N              int     `json:"n"`
	Steps          int     `json:"steps"`
	Method         string  `json:"method"`
	ODESolver      string  `json:"ode_solver"`
	CorrectorSteps int     `json:"corrector_steps"`
	SNR            float64 `json:"snr"`
	RTol           float64 `json:"rtol"`
	ATol           float64 `json:"atol"`
	Denoise        bool    `json:"denoise"`
	Eps            float64 `json:"eps"`     // end time; negative means the SDE's default
	Churn          float64 `json:"churn"`   // edm: S_churn (0: deterministic)
	SNoise         float64 `json:"s_noise"` // edm: S_noise (0 means 1)
}

// SDEConfig names the forward SDE and holds its parameters.
type SDEConfig struct {
	Name string `json:"name"`
	sde.Params
}

// Build constructs the SDE.
func (c SDEConfig) Build() (sde.SDE, error) { return sde.New(c.Name, c.Params) }

// Config is every parameter of a run; it is saved as config.json.
type Config struct {
	Data   DataConfig   `json:"data"`
	SDE    SDEConfig    `json:"sde"`
	Net    NetConfig    `json:"net"`
	Train  train.Config `json:"train"`
	Sample SampleConfig `json:"sample"`
	Seed   uint64       `json:"seed"`
	Splits []float64    `json:"splits"`
	// Truth names the potential whose Gibbs density (at Data.Beta) the
	// data follow: "auto" (the generating potential; none for a file),
	// "none", or a potential name.
	Truth string `json:"truth"`
	// GapEvery measures the optimality gap every so many epochs (0: off).
	GapEvery int    `json:"gap_every"`
	Out      string `json:"out"`
	Format   string `json:"format"`
	Figures  bool   `json:"figures"`
	NLL      bool   `json:"nll"`
	// CheckpointEvery saves OUT/checkpoint.json every so many epochs (0:
	// only when interrupted); Resume continues from such a file.
	CheckpointEvery int `json:"checkpoint_every"`
	// Center trains on the data minus their mean and adds it back to the
	// samples, so the prior N(0, ·) sits on the data wherever they lie.
	Center bool `json:"center"`
	// EtaMaxFromData sets the VE prior's std to the data's diameter;
	// EtaMaxAuto only raises it there when it is smaller (the command line
	// turns it on for a data file when --eta-max is not given).
	EtaMaxFromData bool   `json:"eta_max_from_data"`
	EtaMaxAuto     bool   `json:"eta_max_auto"`
	Resume         string `json:"resume,omitempty"`
	// Overwrite lets a fresh run replace an unfinished run's checkpoint.
	Overwrite bool `json:"overwrite,omitempty"`
	// Reweight draws probability-flow samples with their log-density and
	// reweights them to exp(−βV) (see reweight.go).
	Reweight ReweightConfig `json:"reweight"`
}

// DefaultEMA is the default decay of the weight average the samples are
// drawn with. Training is the notebook's, Adam step for Adam step; only
// the weights read out differ: the notebook samples with the last
// iterate, which at lr 1e-3 still jitters enough to move the wells'
// shares. On the notebook's job, over seeds 0–2, the last iterate gave
// W1 0.0127–0.0166 and largest share error 0.0145–0.0153 (the foundation
// issue's bound is 0.015; before this session's changes to the random
// stream seed 1 gave 0.0253 and 0.0214); the average over ~1000 steps
// gave 0.0067–0.0100 and 0.0092–0.0107. --ema 0 restores the notebook.
const DefaultEMA = 0.999

// Default is the notebook's configuration, with samples drawn from the
// weights' moving average (DefaultEMA).
func Default() Config {
	lc := langevin.DefaultConfig()
	tc := train.DefaultConfig()
	tc.EMA = DefaultEMA
	return Config{
		Data:            DataConfig{Potential: "fourwell", Beta: lc.Beta, Dt: lc.Dt, N: lc.N, Seed: 42},
		SDE:             SDEConfig{Name: "ve", Params: sde.DefaultParams()},
		Net:             NetConfig{Hidden: []int{50, 50, 50}},
		Train:           tc,
		Sample:          SampleConfig{N: 10000, Steps: 500, Method: "em", ODESolver: "rk45", CorrectorSteps: sampler.DefaultCorrectorSteps, SNR: sampler.DefaultSNR, RTol: sampler.DefaultRTol, ATol: sampler.DefaultATol, Eps: -1, Churn: DefaultChurn, SNoise: 1},
		Seed:            0,
		Splits:          []float64{-0.5, 0, 0.5},
		Truth:           "auto",
		GapEvery:        100,
		Out:             "out",
		Format:          "csv",
		Figures:         true,
		NLL:             true,
		CheckpointEvery: 500,
		Center:          true,
	}
}

// Validate names the first impossible parameter (before any work starts).
// It does no I/O: files are checked where they are read.
func (c Config) Validate() error {
	if err := validateDataset(c); err != nil {
		return err
	}
	if c.Data.File == "" && c.Data.Dataset == "" {
		p, x0, err := dataPotential(c.Data, 0)
		if err != nil {
			return err
		}
		lc := langevin.Config{Beta: c.Data.Beta, Dt: c.Data.Dt, N: c.Data.N, X0: c.Data.X0}
		if len(lc.X0) == 0 {
			lc.X0 = x0
		}
		if err := lc.Validate(p); err != nil {
			return err
		}
		if err := c.validateTruth(p.Dim()); err != nil {
			return err
		}
		if c.Data.N < c.Train.BatchSize && c.Train.Epochs > 0 {
			return &SettingError{Key: "train.batch_size", Msg: fmt.Sprintf("batch size %d exceeds the %d data points to be generated; lower it or generate more points", c.Train.BatchSize, c.Data.N)}
		}
	}
	sd, err := c.SDE.Build()
	if err != nil {
		return err
	}
	if c.Sample.Eps >= sd.T() || math.IsNaN(c.Sample.Eps) {
		return &SettingError{Key: "sample.eps", Msg: fmt.Sprintf("sampling end time %v must be below T = %v", c.Sample.Eps, sd.T())}
	}
	if c.Sample.Eps >= 0 && !(sd.Std(c.Sample.Eps) > 0) {
		return fmt.Errorf("sampling end time --eps %v: the %s SDE's noise std is 0 there, so the score is infinite; use a positive --eps or a negative one for the default %v", c.Sample.Eps, sd.Name(), sd.MinTime())
	}
	if c.Train.MinTime >= sd.T() {
		return &SettingError{Key: "train.min_time", Msg: fmt.Sprintf("minimum training time %v must be below T = %v", c.Train.MinTime, sd.T())}
	}
	if err := c.validatePC(sd); err != nil {
		return err
	}
	if c.SDE.Name == "ve" && c.SDE.EtaMin < minEtaMin {
		return &SettingError{Key: "sde.eta_min", Msg: fmt.Sprintf("η_min %v is too small to compute with (its square underflows); use at least %v", c.SDE.EtaMin, minEtaMin)}
	}
	if c.SDE.Name == "ve" && c.SDE.EtaMax > 1/minEtaMin {
		return &SettingError{Key: "sde.eta_max", Msg: fmt.Sprintf("η_max %v is too large to compute with (the loss's weight s(t)² overflows); use at most %v", c.SDE.EtaMax, 1/minEtaMin)}
	}
	for _, h := range c.Net.Hidden {
		if h < 1 {
			return &SettingError{Key: "net.hidden", Msg: fmt.Sprintf("hidden layer widths must be ≥ 1, got %v", c.Net.Hidden)}
		}
	}
	if len(c.Net.Hidden) == 0 {
		return &SettingError{Key: "net.hidden", Msg: "the network needs at least one hidden layer"}
	}
	if err := c.Train.Validate(math.MaxInt); err != nil {
		return err
	}
	if c.GapEvery < 0 {
		return &SettingError{Key: "gap_every", Msg: fmt.Sprintf("gap interval must be ≥ 0 epochs, got %d", c.GapEvery)}
	}
	if c.Truth != "auto" && c.Truth != "none" && c.Truth != "" {
		if _, _, err := langevin.ByName(c.Truth); err != nil {
			return &SettingError{Key: "truth", Msg: err.Error()}
		}
	}
	if c.CheckpointEvery < 0 {
		return &SettingError{Key: "checkpoint_every", Msg: fmt.Sprintf("checkpoint interval must be ≥ 0 epochs, got %d", c.CheckpointEvery)}
	}
	s := c.Sample
	switch {
	case s.N < 1:
		return &SettingError{Key: "sample.n", Msg: fmt.Sprintf("number of samples must be ≥ 1, got %d", s.N)}
	case s.Steps < 1:
		return &SettingError{Key: "sample.steps", Msg: fmt.Sprintf("number of sampling steps must be ≥ 1, got %d", s.Steps)}
	case s.CorrectorSteps < 0:
		return &SettingError{Key: "sample.corrector_steps", Msg: fmt.Sprintf("corrector steps must be ≥ 0, got %d", s.CorrectorSteps)}
	case !(s.SNR > 0):
		return &SettingError{Key: "sample.snr", Msg: fmt.Sprintf("snr must be positive, got %v", s.SNR)}
	case !(s.RTol > 0) || !(s.ATol > 0):
		return fmt.Errorf("rtol and atol must be positive, got %v and %v", s.RTol, s.ATol)
	}
	switch s.Method {
	case "em", "rd", "pc", "ode", "edm", "dpm2m", "ancestral":
	default:
		return &SettingError{Key: "sample.method", Msg: fmt.Sprintf("unknown sampler %q; choose em, rd, pc, ode, edm, dpm2m or ancestral", s.Method)}
	}
	if err := validateFewStep(s); err != nil {
		return err
	}
	switch s.ODESolver {
	case "rk45", "heun", "rk4":
	default:
		return &SettingError{Key: "sample.ode_solver", Msg: fmt.Sprintf("unknown ODE solver %q; choose rk45, heun or rk4", s.ODESolver)}
	}
	for i := 1; i < len(c.Splits); i++ {
		if !(c.Splits[i] > c.Splits[i-1]) {
			return &SettingError{Key: "splits", Msg: fmt.Sprintf("split points must increase, got %v", c.Splits)}
		}
	}
	switch c.Format {
	case "csv", "tsv", "txt", "npy":
	default:
		return &SettingError{Key: "format", Msg: fmt.Sprintf("unknown output format %q; choose csv, tsv, txt or npy", c.Format)}
	}
	return c.validateReweight()
}
