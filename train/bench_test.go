package train

import (
	"context"
	"testing"

	"scoresde/nn"
	"scoresde/sde"
)

// BenchmarkEpoch times one epoch of the notebook's job (10,000 points,
// batch 2000: five steps), data handling and Adam included.
func BenchmarkEpoch(b *testing.B) {
	ds := gaussianData(10000, 1, 0.5, 1)
	cfg := DefaultConfig()
	st := newBenchState(b)
	tr, err := New(cfg, sde.DefaultVE(), ds, st)
	if err != nil {
		b.Fatal(err)
	}
	defer tr.Close()
	b.ResetTimer()
	if err := tr.Run(context.Background(), b.N, nil); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(b.Elapsed().Seconds()*1e3/float64(b.N*tr.StepsPerEpoch()), "ms/step")
}

// BenchmarkMakeRows times drawing the notebook batch's times and noise and
// writing its inputs, on one goroutine.
func BenchmarkMakeRows(b *testing.B) {
	ds := gaussianData(10000, 1, 0.5, 1)
	st := newBenchState(b)
	tr, err := New(DefaultConfig(), sde.DefaultVE(), ds, st)
	if err != nil {
		b.Fatal(err)
	}
	defer tr.Close()
	n := tr.cfg.BatchSize
	tr.rows = make([]int, n)
	for i := range tr.rows {
		tr.rows[i] = i
	}
	tiles, size := nn.Tiling(n)
	in := make([]float32, 2*size)
	for b.Loop() {
		for k := range tiles {
			lo, hi := k*size, min(n, (k+1)*size)
			tr.makeRows(k, lo, hi, in[:2*(hi-lo)])
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/row")
}
