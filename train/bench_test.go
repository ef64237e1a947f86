package train

import (
	"context"
	"testing"

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
