package pipeline

import (
	"context"
	"io"
	"strings"
	"testing"
)

// TestBenchDim runs the benchmark on a small network for 3-D data: the
// network, the FLOP count and the per-kernel table must follow --dim.
func TestBenchDim(t *testing.T) {
	bc := BenchConfig{Hidden: []int{8, 9}, Dim: 3, Batch: 100, Steps: 2, Samples: 200, SampleSteps: 2, PeakGFLOPS: 100}
	res, err := Bench(context.Background(), bc, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	// Widths 4→8→9→3: forward 2·(32+72+27) FLOP; backward twice that
	// without the first layer's input gradient.
	fwd, bwd := 2.0*(4*8+8*9+9*3), 2.0*(4*8+2*8*9+2*9*3)
	if res.Dim != 3 || res.FLOPPerStep != 100*(fwd+bwd) || res.ForwardRows != 200 {
		t.Errorf("dim %d, %g FLOP a step (want %g), forward over %d rows", res.Dim, res.FLOPPerStep, 100*(fwd+bwd), res.ForwardRows)
	}
	// Three layers, forward and backward each (all shapes distinct),
	// then tanh, Adam and Add.
	var kinds []string
	for _, k := range res.PerKernel {
		kinds = append(kinds, k.Kernel)
		if k.GFLOPS <= 0 && k.NsPerValue <= 0 {
			t.Errorf("%s %s: no rate", k.Kernel, k.Shape)
		}
		if k.GFLOPS > 0 && k.PeakShare != k.GFLOPS/50 {
			t.Errorf("%s %s: share %g of a 50 GFLOP/s core at %g GFLOP/s", k.Kernel, k.Shape, k.PeakShare, k.GFLOPS)
		}
	}
	if got, want := strings.Join(kinds, " "), "forward backward forward backward forward backward tanh adam add"; got != want {
		t.Errorf("kernels timed: %s, want %s", got, want)
	}
	if !strings.HasPrefix(res.PerKernel[2].Shape, "8→9×") {
		t.Errorf("second layer's shape %q", res.PerKernel[2].Shape)
	}
	var sb strings.Builder
	res.WriteText(&sb)
	if !strings.Contains(sb.String(), "4→[8 9]→3 (data dimension 3)") {
		t.Errorf("report lacks the network:\n%s", sb.String())
	}
}
