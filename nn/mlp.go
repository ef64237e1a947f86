// Package nn is a small multilayer perceptron with hand-written forward and
// backward passes in float32, built for training score networks: a batch is
// split into fixed tiles that are processed in parallel by a persistent
// worker pool, deterministically and without allocation.
//
// The network is x → tanh(W₁x+b₁) → … → tanh(W_kh+b_k) → W_{k+1}h+b_{k+1}
// (tanh on the hidden layers, a linear output layer), with PyTorch's
// nn.Linear weight layout and default initialisation.
package nn

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
)

// ActTanh is the only supported hidden activation.
const ActTanh = "tanh"

// maxParams bounds the network size so that index arithmetic cannot
// overflow and a corrupt model file cannot request absurd allocations.
const maxParams = 1 << 30

// MLP is a fully connected network with tanh hidden layers and a linear
// output layer.
type MLP struct {
	In, Out int
	Hidden  []int
	// Act is the hidden activation; only "tanh" is supported.
	Act string
	// Params holds, for each layer in order, its weight matrix W (out×in,
	// row-major, as PyTorch's nn.Linear.weight) followed by its bias b.
	Params []float32

	score *scoreState // lazily grown buffers for Score and ScoreDiv
}

// New returns a network with PyTorch's nn.Linear default initialisation:
// every weight and bias of a layer with fan-in n is drawn from
// U(-1/√n, 1/√n), layer by layer, W before b.
func New(in, out int, hidden []int, rng *rand.Rand) (*MLP, error) {
	if rng == nil {
		return nil, errors.New("nn: New needs a random source, got nil")
	}
	m := &MLP{In: in, Out: out, Hidden: append([]int(nil), hidden...), Act: ActTanh}
	if err := m.checkShape(); err != nil {
		return nil, err
	}
	m.Params = make([]float32, m.NumParams())
	for _, ly := range m.layers() {
		bound := 1 / math.Sqrt(float64(ly.in))
		for j := ly.w; j < ly.b+ly.out; j++ {
			m.Params[j] = float32(bound * (2*rng.Float64() - 1))
		}
	}
	return m, nil
}

// layer locates one fully connected layer inside Params.
type layer struct {
	in, out int
	w, b    int // offsets of W and b in Params
}

func (m *MLP) layers() []layer {
	ls := make([]layer, 0, len(m.Hidden)+1)
	in, off := m.In, 0
	for k := 0; k <= len(m.Hidden); k++ {
		out := m.Out
		if k < len(m.Hidden) {
			out = m.Hidden[k]
		}
		ls = append(ls, layer{in: in, out: out, w: off, b: off + in*out})
		off += in*out + out
		in = out
	}
	return ls
}

// NumParams is the number of weights and biases.
func (m *MLP) NumParams() int {
	n, in := 0, m.In
	for _, h := range m.Hidden {
		n += in*h + h
		in = h
	}
	return n + in*m.Out + m.Out
}

// checkShape validates the architecture fields.
func (m *MLP) checkShape() error {
	if m.In < 1 || m.Out < 1 {
		return fmt.Errorf("nn: input and output sizes must be at least 1, got in=%d out=%d", m.In, m.Out)
	}
	for k, h := range m.Hidden {
		if h < 1 {
			return fmt.Errorf("nn: hidden layer %d has width %d; widths must be at least 1", k, h)
		}
	}
	if m.Act != ActTanh {
		return fmt.Errorf("nn: unsupported activation %q; only %q is implemented", m.Act, ActTanh)
	}
	// Count in float64 so that absurd widths cannot overflow the check.
	n, in := 0.0, float64(m.In)
	for _, h := range append(m.Hidden[:len(m.Hidden):len(m.Hidden)], m.Out) {
		n += in*float64(h) + float64(h)
		in = float64(h)
	}
	if n > maxParams {
		return fmt.Errorf("nn: network would have %.0f parameters, more than the supported %d", n, maxParams)
	}
	return nil
}

// Validate reports whether the architecture is supported and Params has
// the right length and only finite values.
func (m *MLP) Validate() error {
	if err := m.checkShape(); err != nil {
		return err
	}
	if want := m.NumParams(); len(m.Params) != want {
		return fmt.Errorf("nn: %d parameters for a %d→%v→%d network, want %d", len(m.Params), m.In, m.Hidden, m.Out, want)
	}
	for j, p := range m.Params {
		if math.IsNaN(float64(p)) || math.IsInf(float64(p), 0) {
			return fmt.Errorf("nn: parameter %d is %g; all parameters must be finite", j, p)
		}
	}
	return nil
}

// Clone returns a deep copy that shares no memory with m.
func (m *MLP) Clone() *MLP {
	return &MLP{
		In:     m.In,
		Out:    m.Out,
		Hidden: append([]int(nil), m.Hidden...),
		Act:    m.Act,
		Params: append([]float32(nil), m.Params...),
	}
}
