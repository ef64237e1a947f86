package pipeline_test

import (
	"context"
	"fmt"
	"os"

	"scoresde/pipeline"
)

// The whole job on a small budget: the notebook's data, training,
// sampling, metrics and files, with figures off.
func ExampleRun() {
	cfg := pipeline.Default()
	cfg.Out, _ = os.MkdirTemp("", "scoresde-example")
	defer os.RemoveAll(cfg.Out)
	cfg.Data.N, cfg.Train.BatchSize, cfg.Train.Epochs = 1000, 250, 20
	cfg.Sample.N, cfg.Sample.Steps = 500, 50
	cfg.Figures, cfg.NLL = false, false
	res, err := pipeline.Run(context.Background(), cfg, nil, pipeline.Options{})
	if err != nil {
		panic(err)
	}
	fmt.Println(res.Samples.Len(), len(res.Losses), res.Metrics.W1 > 0)
	// Output: 500 20 true
}
