package pipeline

import (
	"fmt"
	"math/rand/v2"

	"scoresde/data"
	"scoresde/data/toy"
)

// toyData draws cfg.N points of the toy set cfg.Dataset, seeded by cfg.Seed.
func toyData(cfg DataConfig) (*data.Set, error) {
	return toy.Generate(cfg.Dataset, cfg.N, rand.New(rand.NewPCG(cfg.Seed, 0)))
}

// validateDataset checks --dataset and its clash with --data.
func validateDataset(c Config) error {
	if c.Data.Dataset == "" {
		return nil
	}
	if c.Data.File != "" {
		return fmt.Errorf("--data %s and --dataset %s both name the training data; keep one", c.Data.File, c.Data.Dataset)
	}
	if err := toy.Check(c.Data.Dataset); err != nil {
		return fmt.Errorf("--dataset: %v", err)
	}
	if c.Data.N < 2 {
		return fmt.Errorf("--n-data must be ≥ 2 for a toy data set, got %d", c.Data.N)
	}
	if c.Data.N < c.Train.BatchSize && c.Train.Epochs > 0 {
		return fmt.Errorf("batch size %d exceeds the %d data points; lower --batch or raise --n-data", c.Train.BatchSize, c.Data.N)
	}
	return nil
}

// OnSquares is the share of samples and data on the checkerboard's
// occupied squares.
type OnSquares struct {
	Samples float64 `json:"samples_on_squares"`
	Data    float64 `json:"data_on_squares"`
}

func checkerboardShares(cfg Config, ds, smp *data.Set) *OnSquares {
	if cfg.Data.Dataset != "checkerboard" || ds.D != 2 {
		return nil
	}
	return &OnSquares{Samples: toy.OnCheckerboard(smp.X), Data: toy.OnCheckerboard(ds.X)}
}
