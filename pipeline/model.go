package pipeline

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"

	"scoresde/data"
	"scoresde/nn"
	"scoresde/precond"
	"scoresde/progress"
	"scoresde/sampler"
	"scoresde/sde"
	"scoresde/train"
)

// Model is a trained score network for an SDE, in the data's own
// coordinates. The network was trained on the data minus Shift (their mean
// when centring is on), so that the prior N(0, ·) sits on the data; in the
// data's coordinates the score is s(x,t) = net(x − m(t)·Shift, t), the
// network read through its parametrisation Pre (see package precond).
type Model struct {
	Net   *nn.MLP
	SDE   sde.SDE
	Shift []float64        // nil: no centring
	Pre   *precond.Precond // the network's parametrisation and time input
	data  *sampler.Shifted
}

// newModel is net as a model of ds under s: centred when cfg.Center, with
// the parametrisation training with cfg uses (train.NewPrecond on the
// centred data).
func newModel(cfg Config, s sde.SDE, net *nn.MLP, ds *data.Set) (*Model, error) {
	var shift []float64
	if cfg.Center {
		shift = ds.Mean()
	}
	pre, err := train.NewPrecond(cfg.Train, s, centreAt(ds, s, 0, shift))
	if err != nil {
		return nil, err
	}
	return &Model{Net: net, SDE: s, Shift: shift, Pre: pre}, nil
}

// Centred is the network as a score of the centred data: what the
// samplers and the likelihood integrate. Each call returns a new value
// with its own buffers.
func (m *Model) Centred() *precond.Score { return precond.NewScore(m.Net, m.Pre) }

// Dim is the data's dimension.
func (m *Model) Dim() int { return m.Net.Out }

// inData is the score in the data's coordinates, rebuilt when Net or Pre
// were replaced since the last call.
func (m *Model) inData() *sampler.Shifted {
	if c, ok := m.dataScore(); ok {
		return c
	}
	m.data = &sampler.Shifted{Inner: m.Centred(), SDE: m.SDE, Shift: m.Shift}
	return m.data
}

func (m *Model) dataScore() (*sampler.Shifted, bool) {
	if m.data == nil {
		return nil, false
	}
	ps := m.data.Inner.(*precond.Score)
	return m.data, ps.Net == precond.Network(m.Net) && ps.P == m.Pre && m.data.SDE == m.SDE
}

// Score is the model's score in the data's coordinates.
func (m *Model) Score(x []float64, t float64, out []float64) { m.inData().Score(x, t, out) }

// ScoreDiv is Score with the exact divergence (a shift does not change it).
func (m *Model) ScoreDiv(x []float64, t float64, out, div []float64) {
	m.inData().ScoreDiv(x, t, out, div)
}

// Centre returns ds − m(t)·Shift, the data as the network sees them at
// time t (ds itself when there is no shift).
func (m *Model) Centre(ds *data.Set, t float64) *data.Set {
	return centreAt(ds, m.SDE, t, m.Shift)
}

func centreAt(ds *data.Set, s sde.SDE, t float64, shift []float64) *data.Set {
	if shift == nil {
		return ds
	}
	c := &sampler.Shifted{SDE: s, Shift: shift}
	return &data.Set{D: ds.D, X: c.Move(ds.X, t)}
}

// Sample draws sc.N points: prior draws run backwards through the network in
// centred coordinates, then shifted back; snapshots are shifted by m(t)·Shift
// at the times the sampler reports for them.
func (m *Model) Sample(sc SampleConfig, keep []int, rng *rand.Rand, opt Options) (*sampler.Result, error) {
	d := m.Dim()
	x := make([]float64, sc.N*d)
	m.SDE.SamplePrior(rng, x)
	bar := progress.New(opt.Progress, "sample", "score evals", expectedNFE(sc))
	o := samplerOptions(sc, keep)
	if o.Eps < 0 && m.Pre != nil && m.Pre.MinTime() > 0 {
		// The SDE's default end time is below the times a model trained
		// with a larger --min-time ever saw: stop where its training did.
		o.Eps = m.Pre.MinTime()
	}
	o.Stop = opt.stop()
	res, err := sampler.Sample(m.SDE, &countingScore{inner: m.Centred(), bar: bar, ctx: opt.ctx}, x, o, rng)
	if err != nil {
		return nil, err
	}
	bar.Finish(res.NFE, "")
	sampler.UnshiftResult(res, m.SDE, m.Shift)
	return res, nil
}

const modelFormat = "scoresde-model/1"

// ModelFile is model.json: the SDE the network was trained for, the shift
// of the data and the weights to sample with (the EMA weights when training
// kept them).
type ModelFile struct {
	Format string    `json:"format"`
	SDE    SDEConfig `json:"sde"`
	Dim    int       `json:"dim"`
	Shift  []float64 `json:"shift,omitempty"`
	// TimeEps is the ε of the network's time warp (see sde.TimeWarp).
	TimeEps float64 `json:"time_eps"`
	// Precond is the network's parametrisation; absent in files written
	// before it existed, which are all "none".
	Precond *precond.Config `json:"precond,omitempty"`
	Weights string          `json:"weights"` // "ema" or "raw"
	Epochs  int             `json:"epochs"`
	Net     json.RawMessage `json:"net"`
}

// SaveModel writes model.json.
func SaveModel(path string, cfg Config, m *Model, timeEps float64, ema bool, epochs int) error {
	nb, err := m.Net.MarshalJSON()
	if err != nil {
		return err
	}
	kind := "raw"
	if ema {
		kind = "ema"
	}
	pc := m.Pre.Config()
	if timeEps != m.Pre.MinTime() {
		return fmt.Errorf("model: time ε %v differs from the parametrisation's %v", timeEps, m.Pre.MinTime())
	}
	mf := ModelFile{Format: modelFormat, SDE: cfg.SDE, Dim: m.Dim(), Shift: m.Shift, TimeEps: timeEps, Precond: &pc, Weights: kind, Epochs: epochs, Net: nb}
	return writeJSON(path, mf)
}

// LoadModel reads a model.json written by SaveModel.
func LoadModel(path string) (*Model, *ModelFile, error) {
	fail := func(format string, a ...any) (*Model, *ModelFile, error) {
		return nil, nil, fmt.Errorf("model file %s: %s; pass the model.json written by 'scoresde train' or 'run'", path, fmt.Sprintf(format, a...))
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("cannot read model file: %w; pass the model.json written by 'scoresde train' or 'run'", err)
	}
	var mf ModelFile
	if err := json.Unmarshal(b, &mf); err != nil {
		return fail("not valid JSON (%v)", err)
	}
	if mf.Format != modelFormat {
		return fail("format %q, want %q", mf.Format, modelFormat)
	}
	net, err := nn.Load(bytes.NewReader(mf.Net))
	if err != nil {
		return fail("%v", err)
	}
	if net.Out != mf.Dim || net.In != mf.Dim+1 {
		return fail("network maps %d→%d but dim is %d", net.In, net.Out, mf.Dim)
	}
	if mf.Shift != nil && len(mf.Shift) != mf.Dim {
		return fail("shift has %d coordinates, dim is %d", len(mf.Shift), mf.Dim)
	}
	s, err := mf.SDE.Build()
	if err != nil {
		return fail("%v", err)
	}
	if mf.TimeEps < 0 || mf.TimeEps >= s.T() {
		return fail("time_eps %v outside [0, T)", mf.TimeEps)
	}
	pc := precond.Config{Kind: precond.None}
	if mf.Precond != nil {
		pc = *mf.Precond
	}
	pre, err := precond.FromConfig(pc, s, mf.TimeEps)
	if err != nil {
		return fail("precond: %v", err)
	}
	return &Model{Net: net, SDE: s, Shift: mf.Shift, Pre: pre}, &mf, nil
}
