package nn

// FLOPsPerRow counts the floating-point operations of one row's forward
// pass and of its backward pass, a multiply-add as 2: the forward pass
// does in·out multiply-adds a layer; the backward pass does as many for
// the weight gradient and as many again for the input gradient, except at
// the first layer, whose input needs none. Biases, tanh and the loss are
// not counted (they are O(width), not O(width²)).
func (m *MLP) FLOPsPerRow() (forward, backward float64) {
	for k, ly := range m.layers() {
		mac := float64(ly.in * ly.out)
		forward += 2 * mac
		backward += 2 * mac
		if k > 0 {
			backward += 2 * mac
		}
	}
	return forward, backward
}
