package pipeline

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"

	"scoresde/data"
	"scoresde/nn"
	"scoresde/progress"
	"scoresde/sampler"
	"scoresde/sde"
)

// Model is a trained score network for an SDE, in the data's own
// coordinates. The network was trained on the data minus Shift (their mean
// when centring is on), so that the prior N(0, ·) sits on the data; in the
// data's coordinates the score is s(x,t) = net(x − m(t)·Shift, t).
type Model struct {
	Net   *nn.MLP
	SDE   sde.SDE
	Shift []float64    // nil: no centring
	Warp  sde.TimeWarp // the network's time input (see sde.TimeWarp)
	buf   []float64
}

// NetScore is the network as a score of the centred data, fed the warped
// time: what the samplers and the likelihood integrate.
type NetScore struct {
	Net  *nn.MLP
	Warp sde.TimeWarp
}

// Dim is the data's dimension.
func (n NetScore) Dim() int { return n.Net.Out }

// Score evaluates the network at time t.
func (n NetScore) Score(x []float64, t float64, out []float64) { n.Net.Score(x, n.Warp.At(t), out) }

// ScoreDiv evaluates the network and the exact divergence at time t; the
// warp acts on t only, so the divergence in x is unchanged.
func (n NetScore) ScoreDiv(x []float64, t float64, out, div []float64) {
	n.Net.ScoreDiv(x, n.Warp.At(t), out, div)
}

// Centred is the network in centred coordinates.
func (m *Model) Centred() NetScore { return NetScore{m.Net, m.Warp} }

// Dim is the data's dimension.
func (m *Model) Dim() int { return m.Net.Out }

func (m *Model) shifted(x []float64, t float64) []float64 {
	return shiftBy(&m.buf, x, -m.SDE.MeanScale(t), m.Shift)
}

// shiftBy returns x + f·shift (point by point) in *buf, or x itself when
// shift is nil.
func shiftBy(buf *[]float64, x []float64, f float64, shift []float64) []float64 {
	if shift == nil {
		return x
	}
	if cap(*buf) < len(x) {
		*buf = make([]float64, len(x))
	}
	b := (*buf)[:len(x)]
	d := len(shift)
	for i := range x {
		b[i] = x[i] + f*shift[i%d]
	}
	return b
}

// shiftedScore presents a score of centred data in the data's coordinates.
type shiftedScore struct {
	inner sampler.Score
	sde   sde.SDE
	shift []float64
	buf   []float64
}

func (s *shiftedScore) Dim() int { return s.inner.Dim() }

func (s *shiftedScore) Score(x []float64, t float64, out []float64) {
	s.inner.Score(shiftBy(&s.buf, x, -s.sde.MeanScale(t), s.shift), t, out)
}

// Score is the model's score in the data's coordinates.
func (m *Model) Score(x []float64, t float64, out []float64) {
	m.Net.Score(m.shifted(x, t), m.Warp.At(t), out)
}

// ScoreDiv is Score with the exact divergence (a shift does not change it).
func (m *Model) ScoreDiv(x []float64, t float64, out, div []float64) {
	m.Net.ScoreDiv(m.shifted(x, t), m.Warp.At(t), out, div)
}

// Centre returns ds − m(t)·Shift, the data as the network sees them at
// time t (ds itself when there is no shift).
func (m *Model) Centre(ds *data.Set, t float64) *data.Set {
	if m.Shift == nil {
		return ds
	}
	var buf []float64
	return &data.Set{D: ds.D, X: shiftBy(&buf, ds.X, -m.SDE.MeanScale(t), m.Shift)}
}

// Sample draws sc.N points: prior draws run backwards through the network in
// centred coordinates, then shifted back; snapshots are shifted by m(t)·Shift
// at their own times.
func (m *Model) Sample(sc SampleConfig, keep []int, rng *rand.Rand, opt Options) (*sampler.Result, error) {
	d := m.Dim()
	x := make([]float64, sc.N*d)
	m.SDE.SamplePrior(rng, x)
	bar := progress.New(opt.Progress, "sample", "score evals", expectedNFE(sc))
	o := samplerOptions(sc, keep)
	res, err := sampler.Sample(m.SDE, &countingScore{inner: m.Centred(), bar: bar}, x, o, rng)
	if err != nil {
		return nil, err
	}
	bar.Finish(res.NFE, "")
	if m.Shift == nil {
		return res, nil
	}
	eps := o.Eps
	if eps == 0 {
		eps = m.SDE.MinTime()
	}
	shift := func(v []float64, t float64) { shiftBy(&v, v, m.SDE.MeanScale(t), m.Shift) }
	shift(res.X, eps)
	T := m.SDE.T()
	for k, v := range res.Snapshots {
		shift(v, T-float64(keep[k])*(T-eps)/float64(sc.Steps))
	}
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
	TimeEps float64         `json:"time_eps"`
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
	mf := ModelFile{Format: modelFormat, SDE: cfg.SDE, Dim: m.Dim(), Shift: m.Shift, TimeEps: timeEps, Weights: kind, Epochs: epochs, Net: nb}
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
	return &Model{Net: net, SDE: s, Shift: mf.Shift, Warp: sde.NewTimeWarp(s, mf.TimeEps)}, &mf, nil
}
