package nn

import "fmt"

// ShiftInput changes m in place so that it computes, on input z, what it
// computed on z − shift (shift covering the first len(shift) inputs): the
// first layer's bias absorbs −W·shift, summed in float64 and rounded once.
func (m *MLP) ShiftInput(shift []float64) error {
	if len(shift) > m.In {
		return fmt.Errorf("nn: shift of %d inputs for a network of %d", len(shift), m.In)
	}
	out := m.Out
	if len(m.Hidden) > 0 {
		out = m.Hidden[0]
	}
	ly := m.layers()[0]
	for j := range out {
		b := float64(m.Params[ly.b+j])
		for i, s := range shift {
			b -= float64(m.Params[ly.w+j*m.In+i]) * s
		}
		m.Params[ly.b+j] = float32(b)
	}
	return nil
}
