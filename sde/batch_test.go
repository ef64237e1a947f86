package sde

import (
	"math"
	"testing"
)

// Kernels agrees with MeanScale and Std time by time: exactly for the SDEs
// without a batched form, within 2 ulps (fastmath.ExpSlice's bound on top
// of Exp's) plus one rounding of the scale for VE.
func TestKernelsMatchesStdAndMeanScale(t *testing.T) {
	for _, s := range []SDE{DefaultVE(), VE{EtaMin: 0.01, EtaMax: 50, Tmax: 3}, DefaultVP(), DefaultSubVP()} {
		t.Run(s.Name(), func(t *testing.T) {
			_, batched := s.(kernelBatcher)
			ts := make([]float64, 1003) // leaves a tail after the vector blocks
			for i := range ts {
				ts[i] = s.T() * float64(i) / float64(len(ts)-1)
			}
			mean, std := make([]float64, len(ts)), make([]float64, len(ts))
			Kernels(s, ts, mean, std)
			for i, ti := range ts {
				wm, ws := s.MeanScale(ti), s.Std(ti)
				tol := 0.0
				if batched {
					tol = 3 * 0x1p-52 * ws
				}
				if mean[i] != wm || math.Abs(std[i]-ws) > tol {
					t.Fatalf("t=%v: Kernels gives m=%v s=%v, MeanScale and Std %v and %v", ti, mean[i], std[i], wm, ws)
				}
			}
		})
	}
}
