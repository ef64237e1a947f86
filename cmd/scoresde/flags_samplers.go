package main

import (
	"flag"

	"scoresde/pipeline"
)

// fewStepFlags registers the options of the σ-coordinate samplers (edm,
// dpm2m, ancestral); --steps sets their step counts.
func fewStepFlags(fs *flag.FlagSet, c *pipeline.Config) {
	fs.Float64Var(&c.Sample.Churn, "churn", c.Sample.Churn, "edm: S_churn, fresh noise raising σ by the factor 1+min(churn/steps, √2−1) before each step (0: the deterministic Heun sampler; see pipeline.DefaultChurn for the measured choice)")
	fs.Float64Var(&c.Sample.SNoise, "s-noise", c.Sample.SNoise, "edm with --churn > 0: S_noise, the scale of the added noise")
}
