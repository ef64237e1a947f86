package modelio

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"scoresde/nn"
)

// Tensor is one named array of a state_dict, in row-major (C) order.
type Tensor struct {
	Name  string
	Shape []int
	Data  []float32
}

// StateDict is a network's named tensors in file order, with the file's
// string metadata (safetensors' __metadata__, an .npz archive's comment;
// nil when the file has none).
type StateDict struct {
	Tensors  []Tensor
	Metadata map[string]string
}

// Error is a problem with the contents of a model file (as opposed to
// failing to read it): the caller can blame the input.
type Error struct{ Msg string }

func (e *Error) Error() string { return e.Msg }

func errorf(format string, a ...any) error { return &Error{Msg: fmt.Sprintf(format, a...)} }

// maxParams bounds the total number of values a file may declare; it is
// the nn package's own bound on a network's size.
const maxParams = 1 << 30

// numel is the product of shape, or -1 when a size is negative or the
// product exceeds maxParams.
func numel(shape []int) int {
	n := 1
	for _, s := range shape {
		if s < 0 || (s > 0 && n > maxParams/s) {
			return -1
		}
		n *= s
	}
	if n > maxParams {
		return -1
	}
	return n
}

// linear is the weight and bias of layer net.<index>.
type linear struct {
	index  int
	w, b   *Tensor
	prefix string
}

// ToMLP maps the state_dict of the notebook's network to an MLP: keys
// P.<2k>.weight (out×in) and P.<2k>.bias (out) for k = 0..L, with one common
// prefix P (net, or module.net for a model wrapped by DistributedDataParallel),
// a tanh between consecutive layers (the Tanh modules at the odd indices)
// and the input cat(x, t), so the first layer has d+1 inputs and the last d
// outputs. Depth, widths and d come from the keys and shapes.
func ToMLP(sd *StateDict) (*nn.MLP, error) {
	if len(sd.Tensors) == 0 {
		return nil, errorf("the state_dict holds no tensors; save model.state_dict() of the notebook's MyScore")
	}
	layers := map[int]*linear{}
	prefix := ""
	for i := range sd.Tensors {
		t := &sd.Tensors[i]
		if n := numel(t.Shape); n < 0 || n != len(t.Data) {
			return nil, errorf("state_dict tensor %s has %d values for shape %v", t.Name, len(t.Data), t.Shape)
		}
		p, idx, kind, ok := splitKey(t.Name)
		if !ok {
			return nil, errorf("state_dict key %q is not of the form net.<index>.weight or net.<index>.bias (the notebook's MyScore)", t.Name)
		}
		if i == 0 {
			prefix = p
		} else if p != prefix {
			return nil, errorf("state_dict keys %q and %q have different prefixes; expected one nn.Sequential (net.0.weight, …)", sd.Tensors[0].Name, t.Name)
		}
		ly := layers[idx]
		if ly == nil {
			ly = &linear{index: idx, prefix: p}
			layers[idx] = ly
		}
		if kind == "weight" {
			if ly.w != nil {
				return nil, errorf("state_dict key %q appears twice", t.Name)
			}
			ly.w = t
		} else {
			if ly.b != nil {
				return nil, errorf("state_dict key %q appears twice", t.Name)
			}
			ly.b = t
		}
	}
	idx := make([]int, 0, len(layers))
	for k := range layers {
		idx = append(idx, k)
	}
	sort.Ints(idx)
	var ls []*linear
	for k, i := range idx {
		ly := layers[i]
		if i != 2*k {
			return nil, errorf("state_dict has layer %s.%d where %s.%d was expected: the notebook's network is Linear, Tanh, Linear, … (linear layers at indices 0, 2, 4, …)", prefix, i, prefix, 2*k)
		}
		if ly.w == nil || ly.b == nil {
			return nil, errorf("state_dict layer %s.%d lacks its weight or its bias; both are needed", prefix, i)
		}
		if len(ly.w.Shape) != 2 || len(ly.b.Shape) != 1 {
			return nil, errorf("state_dict layer %s.%d has weight shape %v and bias shape %v; want (out, in) and (out,)", prefix, i, ly.w.Shape, ly.b.Shape)
		}
		if ly.b.Shape[0] != ly.w.Shape[0] {
			return nil, errorf("state_dict layer %s.%d has %d outputs in its weight but %d biases", prefix, i, ly.w.Shape[0], ly.b.Shape[0])
		}
		if k > 0 && ly.w.Shape[1] != ls[k-1].w.Shape[0] {
			return nil, errorf("state_dict layer %s.%d takes %d inputs but the layer before gives %d", prefix, i, ly.w.Shape[1], ls[k-1].w.Shape[0])
		}
		ls = append(ls, ly)
	}
	if len(ls) < 2 {
		return nil, errorf("state_dict has a single linear layer; the notebook's network has hidden layers (net.0, net.2, …)")
	}
	in, out := ls[0].w.Shape[1], ls[len(ls)-1].w.Shape[0]
	if in != out+1 {
		return nil, errorf("state_dict network maps %d inputs to %d outputs; a score network of dimension d maps cat(x, t) (d+1 inputs) to d outputs", in, out)
	}
	m := &nn.MLP{In: in, Out: out, Act: nn.ActTanh}
	n := 0
	for k, ly := range ls {
		if k < len(ls)-1 {
			m.Hidden = append(m.Hidden, ly.w.Shape[0])
		}
		n += len(ly.w.Data) + len(ly.b.Data)
	}
	m.Params = make([]float32, 0, n)
	for _, ly := range ls {
		m.Params = append(m.Params, ly.w.Data...)
		m.Params = append(m.Params, ly.b.Data...)
	}
	if err := m.Validate(); err != nil {
		return nil, errorf("state_dict network: %v", err)
	}
	return m, nil
}

// splitKey splits "net.4.weight" into ("net", 4, "weight").
func splitKey(key string) (prefix string, index int, kind string, ok bool) {
	j := strings.LastIndexByte(key, '.')
	if j < 0 {
		return "", 0, "", false
	}
	kind = key[j+1:]
	if kind != "weight" && kind != "bias" {
		return "", 0, "", false
	}
	rest := key[:j]
	i := strings.LastIndexByte(rest, '.')
	if i <= 0 {
		return "", 0, "", false
	}
	index, err := strconv.Atoi(rest[i+1:])
	if err != nil || index < 0 || strconv.Itoa(index) != rest[i+1:] {
		return "", 0, "", false
	}
	return rest[:i], index, kind, true
}

// FromMLP is the state_dict of m under the notebook's keys net.0.weight,
// net.0.bias, …, net.<2L>.bias with nn.Linear's shapes. The tensors share
// no memory with m.
func FromMLP(m *nn.MLP) (*StateDict, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	sd := &StateDict{}
	in, off := m.In, 0
	widths := append(append([]int(nil), m.Hidden...), m.Out)
	for k, out := range widths {
		w := append([]float32(nil), m.Params[off:off+out*in]...)
		off += out * in
		b := append([]float32(nil), m.Params[off:off+out]...)
		off += out
		sd.Tensors = append(sd.Tensors,
			Tensor{Name: fmt.Sprintf("net.%d.weight", 2*k), Shape: []int{out, in}, Data: w},
			Tensor{Name: fmt.Sprintf("net.%d.bias", 2*k), Shape: []int{out}, Data: b})
		in = out
	}
	return sd, nil
}

// checkFinite reports the first non-finite value of a tensor.
func checkFinite(t *Tensor) error {
	for i, v := range t.Data {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return errorf("tensor %s holds %v at position %d; a model's weights must be finite", t.Name, v, i)
		}
	}
	return nil
}
