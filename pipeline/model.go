package pipeline

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"

	"scoresde/nn"
	"scoresde/sde"
	"scoresde/train"
)

const modelFormat = "scoresde-model/1"

// ModelFile is model.json: the SDE the network was trained for and the
// weights to sample with (the EMA weights when training kept them).
type ModelFile struct {
	Format  string          `json:"format"`
	SDE     SDEConfig       `json:"sde"`
	Dim     int             `json:"dim"`
	Weights string          `json:"weights"` // "ema" or "raw"
	Epochs  int             `json:"epochs"`
	Net     json.RawMessage `json:"net"`
}

// SaveModel writes the sampling weights of st with the SDE of cfg.
func SaveModel(path string, cfg Config, st *train.State) error {
	net, kind := samplingNet(st), "raw"
	if st.EMA != nil {
		kind = "ema"
	}
	nb, err := net.MarshalJSON()
	if err != nil {
		return err
	}
	mf := ModelFile{Format: modelFormat, SDE: cfg.SDE, Dim: net.Out, Weights: kind, Epochs: st.Epoch, Net: nb}
	return writeJSON(path, mf)
}

// LoadModel reads a model.json written by SaveModel.
func LoadModel(path string) (*nn.MLP, sde.SDE, *ModelFile, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("cannot read model file: %w; pass the model.json written by 'scoresde train' or 'run'", err)
	}
	var mf ModelFile
	if err := json.Unmarshal(b, &mf); err != nil {
		return nil, nil, nil, fmt.Errorf("model file %s is not valid JSON (%v); pass the model.json written by 'scoresde train' or 'run'", path, err)
	}
	if mf.Format != modelFormat {
		return nil, nil, nil, fmt.Errorf("model file %s has format %q, want %q; pass the model.json written by 'scoresde train' or 'run'", path, mf.Format, modelFormat)
	}
	net, err := nn.Load(bytes.NewReader(mf.Net))
	if err != nil {
		return nil, nil, nil, fmt.Errorf("model file %s: %w", path, err)
	}
	if net.Out != mf.Dim || net.In != mf.Dim+1 {
		return nil, nil, nil, fmt.Errorf("model file %s: network maps %d→%d but dim is %d", path, net.In, net.Out, mf.Dim)
	}
	s, err := mf.SDE.Build()
	if err != nil {
		return nil, nil, nil, fmt.Errorf("model file %s: %w", path, err)
	}
	return net, s, &mf, nil
}
