package nn

import (
	"encoding/json"
	"fmt"
	"io"
)

// modelFormat names the JSON model file format.
const modelFormat = "scoresde-mlp"

// modelFile is the JSON form of an MLP: the architecture and the flat
// parameter vector in Params' layout.
type modelFile struct {
	Format  string    `json:"format"`
	Version int       `json:"version"`
	In      int       `json:"in"`
	Out     int       `json:"out"`
	Hidden  []int     `json:"hidden"`
	Act     string    `json:"act"`
	Params  []float32 `json:"params"`
}

// MarshalJSON encodes the architecture and weights. Weights are written in
// the shortest form that reads back to the same float32, so Load restores
// them bit for bit.
func (m *MLP) MarshalJSON() ([]byte, error) {
	if err := m.Validate(); err != nil {
		return nil, fmt.Errorf("nn: cannot save model: %w", err)
	}
	hidden := m.Hidden
	if hidden == nil {
		hidden = []int{}
	}
	return json.Marshal(modelFile{
		Format: modelFormat, Version: 1,
		In: m.In, Out: m.Out, Hidden: hidden, Act: m.Act, Params: m.Params,
	})
}

// UnmarshalJSON decodes a model written by MarshalJSON and validates it.
func (m *MLP) UnmarshalJSON(b []byte) error {
	var f modelFile
	if err := json.Unmarshal(b, &f); err != nil {
		return fmt.Errorf("nn: reading model: %w", err)
	}
	return m.fromFile(f)
}

func (m *MLP) fromFile(f modelFile) error {
	if f.Format != modelFormat {
		return fmt.Errorf("nn: model format is %q, want %q", f.Format, modelFormat)
	}
	if f.Version != 1 {
		return fmt.Errorf("nn: model format version %d is not supported (want 1)", f.Version)
	}
	nm := MLP{In: f.In, Out: f.Out, Hidden: f.Hidden, Act: f.Act, Params: f.Params}
	if err := nm.Validate(); err != nil {
		return fmt.Errorf("nn: invalid model: %w", err)
	}
	*m = nm
	return nil
}

// Load reads a model written by MarshalJSON, checking the format, the
// architecture, the number of parameters and that all are finite.
func Load(r io.Reader) (*MLP, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var f modelFile
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("nn: reading model: %w", err)
	}
	m := &MLP{}
	if err := m.fromFile(f); err != nil {
		return nil, err
	}
	return m, nil
}
