package train_test

import (
	"context"
	"fmt"
	"math/rand/v2"

	"scoresde/data"
	"scoresde/nn"
	"scoresde/sde"
	"scoresde/train"
)

// Denoising score matching on Gaussian data with the notebook's VE SDE:
// the loss falls as the network learns the score.
func ExampleTrainer_Run() {
	rng := rand.New(rand.NewPCG(1, 1))
	ds := data.New(1000, 1)
	for i := range ds.X {
		ds.X[i] = 0.5 * rng.NormFloat64()
	}
	net, _ := nn.New(2, 1, []int{32, 32}, rng)
	cfg := train.DefaultConfig()
	cfg.BatchSize = 250
	tr, err := train.New(cfg, sde.DefaultVE(), ds, &train.State{Net: net, RNG: rand.NewPCG(2, 2)})
	if err != nil {
		panic(err)
	}
	defer tr.Close()
	if err := tr.Run(context.Background(), 100, nil); err != nil {
		panic(err)
	}
	l := tr.State().Losses
	fmt.Println(len(l), l[len(l)-1] < l[0])
	// Output: 100 true
}
