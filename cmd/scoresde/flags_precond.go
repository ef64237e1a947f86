package main

import (
	"flag"

	"scoresde/pipeline"
)

// precondFlags registers the network's parametrisation (package precond).
func precondFlags(fs *flag.FlagSet, c *pipeline.Config) {
	fs.StringVar(&c.Train.Precond, "precond", c.Train.Precond,
		"network parametrisation: auto (none for ve, edm for vp/subvp), none (the notebook's: the output is the score), sigma (the output predicts the noise; score = −output/std(t)), edm (Karras et al. 2022: c_skip, c_out, c_in, c_noise and log-normal training noise levels)")
}
