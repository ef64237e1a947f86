package main

import (
	"flag"

	"scoresde/pipeline"
)

// fewStepFlags registers the options of the σ-coordinate samplers (edm,
// dpm2m, ancestral); --steps sets their step counts.
func fewStepFlags(fs *flag.FlagSet, c *pipeline.Config) {
	if c.Sample.SNoise == 0 {
		c.Sample.SNoise = 1
	}
	fs.Float64Var(&c.Sample.Churn, "churn", c.Sample.Churn, "edm: S_churn, the stochasticity added at each step (0: the deterministic Heun sampler; EDM used 10–80 with hundreds of steps)")
	fs.Float64Var(&c.Sample.SNoise, "s-noise", c.Sample.SNoise, "edm with --churn: S_noise, the scale of the added noise")
}
