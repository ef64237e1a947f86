package train

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"

	"scoresde/atomicfile"
	"scoresde/nn"
	"scoresde/optim"
)

const checkpointFormat = "scoresde-checkpoint/1"

// checkpoint is the on-disk form of State; float32 slices round-trip
// exactly through encoding/json, so a resumed run is bit-identical.
type checkpoint struct {
	Format string          `json:"format"`
	Epoch  int             `json:"epoch"`
	Losses []float64       `json:"losses"`
	RNG    []byte          `json:"rng"`
	Adam   *optim.Adam     `json:"adam"`
	EMA    *optim.EMA      `json:"ema,omitempty"`
	Net    json.RawMessage `json:"net"`
	Extra  json.RawMessage `json:"extra,omitempty"`
}

// SaveCheckpoint writes st atomically (temporary file, fsync, rename), so an
// interrupted save leaves the previous checkpoint intact. extra is stored
// verbatim (the caller's configuration, say) and may be nil.
func SaveCheckpoint(path string, st *State, extra any) error {
	netJSON, err := st.Net.MarshalJSON()
	if err != nil {
		return err
	}
	rng, err := st.RNG.MarshalBinary()
	if err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	cp := checkpoint{Format: checkpointFormat, Epoch: st.Epoch, Losses: st.Losses, RNG: rng, Adam: st.Adam, EMA: st.EMA, Net: netJSON}
	if extra != nil {
		if cp.Extra, err = json.Marshal(extra); err != nil {
			return fmt.Errorf("checkpoint: %w", err)
		}
	}
	b, err := json.Marshal(cp)
	if err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	return atomicfile.WriteBytes(path, b)
}

// LoadCheckpoint reads a checkpoint written by SaveCheckpoint; extra, if
// non-nil, receives the stored extra value.
func LoadCheckpoint(path string, extra any) (*State, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read checkpoint: %w; pass the checkpoint.json of an earlier run", err)
	}
	var cp checkpoint
	if err := json.Unmarshal(b, &cp); err != nil {
		return nil, fmt.Errorf("checkpoint %s is not valid JSON (%v); it may be from a different program", path, err)
	}
	if cp.Format != checkpointFormat {
		return nil, fmt.Errorf("checkpoint %s has format %q, want %q", path, cp.Format, checkpointFormat)
	}
	net, err := nn.Load(bytes.NewReader(cp.Net))
	if err != nil {
		return nil, fmt.Errorf("checkpoint %s: %w", path, err)
	}
	pcg := &rand.PCG{}
	if err := pcg.UnmarshalBinary(cp.RNG); err != nil {
		return nil, fmt.Errorf("checkpoint %s: random state: %w", path, err)
	}
	n := net.NumParams()
	if cp.Adam == nil || len(cp.Adam.M) != n || len(cp.Adam.V) != n {
		return nil, fmt.Errorf("checkpoint %s: optimiser state does not match the network's %d parameters", path, n)
	}
	if cp.EMA != nil && len(cp.EMA.Shadow) != n {
		return nil, fmt.Errorf("checkpoint %s: EMA weights do not match the network's %d parameters", path, n)
	}
	if err := validState(net.Params, cp.Adam, cp.EMA, cp.Losses); err != nil {
		return nil, fmt.Errorf("checkpoint %s: %w; the file was edited or is damaged", path, err)
	}
	if cp.Epoch != len(cp.Losses) {
		return nil, fmt.Errorf("checkpoint %s: epoch %d but %d recorded losses", path, cp.Epoch, len(cp.Losses))
	}
	if extra != nil && len(cp.Extra) > 0 {
		if err := json.Unmarshal(cp.Extra, extra); err != nil {
			return nil, fmt.Errorf("checkpoint %s: %w", path, err)
		}
	}
	return &State{Epoch: cp.Epoch, Net: net, Adam: cp.Adam, EMA: cp.EMA, RNG: pcg, Losses: cp.Losses}, nil
}

// validState checks what a checkpoint restores beyond its shapes: finite
// weights, moments and losses, and usable optimiser and average settings.
func validState(params []float32, adam *optim.Adam, ema *optim.EMA, losses []float64) error {
	if err := adam.Validate(); err != nil {
		return fmt.Errorf("optimiser: %w", err)
	}
	if adam.Step < 0 {
		return fmt.Errorf("optimiser step count %d is negative", adam.Step)
	}
	if !finite32(params) {
		return fmt.Errorf("the network's weights are not all finite")
	}
	if !finite32(adam.M) || !finite32(adam.V) {
		return fmt.Errorf("the optimiser's moments are not all finite")
	}
	for _, v := range adam.V {
		if v < 0 {
			return fmt.Errorf("the optimiser's second moments must be ≥ 0, found %v", v)
		}
	}
	if ema != nil {
		if !(ema.Decay > 0 && ema.Decay < 1) {
			return fmt.Errorf("EMA decay %v outside (0, 1)", ema.Decay)
		}
		if !finite32(ema.Shadow) {
			return fmt.Errorf("the EMA weights are not all finite")
		}
	}
	for _, l := range losses {
		if math.IsNaN(l) || math.IsInf(l, 0) {
			return fmt.Errorf("a recorded loss is %v", l)
		}
	}
	return nil
}

func finite32(v []float32) bool {
	for _, x := range v {
		if f := float64(x); math.IsNaN(f) || math.IsInf(f, 0) {
			return false
		}
	}
	return true
}
