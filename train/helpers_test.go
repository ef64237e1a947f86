package train

import (
	"math/rand/v2"
	"os"
	"testing"

	"scoresde/nn"
)

func writeFile(p, s string) error { return os.WriteFile(p, []byte(s), 0o644) }

func newBenchState(b *testing.B) *State {
	net, err := nn.New(2, 1, []int{50, 50, 50}, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		b.Fatal(err)
	}
	return &State{Net: net, RNG: rand.NewPCG(1, 3)}
}
