package pipeline

import (
	"scoresde/data"
	"scoresde/dataio"
)

func readData(path string) (*data.Set, error) { return dataio.ReadFile(path, "") }

func writeData(path string, s *data.Set, format string) error {
	return dataio.WriteFile(path, s, format)
}

func writeLoss(path string, losses []float64) error {
	epochs := make([]float64, len(losses))
	for i := range epochs {
		epochs[i] = float64(i)
	}
	return dataio.WriteTable(path, []string{"epoch", "loss"}, [][]float64{epochs, losses})
}
