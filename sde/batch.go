package sde

import "scoresde/internal/fastmath"

// Kernels writes the perturbation kernel of each time t[i]: mean[i] =
// m(t[i]) and std[i] = s(t[i]). mean and std must be at least as long as
// t. It is what a trainer needs for every row of a batch; SDEs that can
// compute it for many times at once faster than one by one (VE: its std
// is one exponential) do so, within a couple of ulps of Std and
// MeanScale.
func Kernels(s SDE, t, mean, std []float64) {
	mean, std = mean[:len(t)], std[:len(t)]
	if b, ok := s.(kernelBatcher); ok {
		b.kernels(t, mean, std)
		return
	}
	for i, ti := range t {
		mean[i], std[i] = s.MeanScale(ti), s.Std(ti)
	}
}

// kernelBatcher is implemented by SDEs with a batched Kernels.
type kernelBatcher interface {
	kernels(t, mean, std []float64)
}

func (v VE) kernels(t, mean, std []float64) {
	rate := v.logRate()
	for i, ti := range t {
		mean[i], std[i] = 1, ti*rate
	}
	fastmath.ExpSlice(std, std)
	for i := range std {
		std[i] *= v.EtaMin
	}
}
