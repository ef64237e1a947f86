package train

import (
	"fmt"
	"math"
)

// divergenceFactor is how far above the loss's natural scale an epoch's
// loss must be to count as divergence: orders of magnitude beyond what a
// network that fits nothing scores (a zero output scores 0, the optimum
// about −LossScale), far beyond the early spikes a high but workable
// learning rate gives (lr 10 on the notebook's job peaks at 1.3e4 times).
const divergenceFactor = 1e6

// LossScale is ½·d·E_t[λ(t)/s(t)²] over the training times: the expected
// size of the loss's constant term, ½E[λ|z/s|²]. The DSM loss lies above
// −LossScale, and a network with outputs of order one scores a few times it.
func (tr *Trainer) LossScale() float64 {
	if tr.cfg.Weighting != WeightG2 {
		return 0.5 * float64(tr.data.D) // λ = s²
	}
	const n = 1000
	sum := 0.0
	for i := range n {
		t := tr.warp.Time((float64(i) + 0.5) / n)
		g, s := tr.sde.Diffusion(t), tr.sde.Std(t)
		sum += g * g / (s * s)
	}
	return 0.5 * float64(tr.data.D) * sum / n
}

// CheckDiverged returns an error wrapping ErrDiverged (as Run does for a
// non-finite loss) when the last epoch's
// loss is not finite or orders of magnitude above LossScale, or a weight
// is not finite. Call it after each epoch, before saving a checkpoint, so
// that the last checkpoint saved is a good one.
func (tr *Trainer) CheckDiverged() error {
	st := tr.st
	if n := len(st.Losses); n > 0 {
		l, scale := st.Losses[n-1], tr.LossScale()
		if math.IsNaN(l) || math.IsInf(l, 0) || l > divergenceFactor*scale {
			return fmt.Errorf("%w at epoch %d: loss %.3g, where a network that learned nothing scores about %.3g; the learning rate %g is too high for these data", ErrDiverged, st.Epoch, l, scale, tr.cfg.LR)
		}
	}
	for _, w := range st.Net.Params {
		if math.IsNaN(float64(w)) || math.IsInf(float64(w), 0) {
			return fmt.Errorf("%w at epoch %d: the network's weights are no longer finite; the learning rate %g is too high for these data", ErrDiverged, st.Epoch, tr.cfg.LR)
		}
	}
	return nil
}
