package main

import (
	"flag"

	"scoresde/pipeline"
)

// potentialExprFlag registers --potential-expr with the data flags.
func potentialExprFlag(fs *flag.FlagSet, c *pipeline.Config) {
	fs.StringVar(&c.Data.PotentialExpr, "potential-expr", c.Data.PotentialExpr,
		"energy V as an expression in x (1-D) or x1, x2, … (e.g. \"(x**2-1)**2\"; functions exp, log, sqrt, sin, cos, tanh, abs, …): "+
			"generates the Langevin data instead of --potential, and with --data FILE gives the data's energy for --reweight and the exact metrics")
}

// reweightFlags registers the Boltzmann-reweighting flags.
func reweightFlags(fs *flag.FlagSet, c *pipeline.Config) {
	fs.BoolVar(&c.Reweight.On, "reweight", c.Reweight.On,
		"draw probability-flow samples with their log-density and reweight them by exp(−βV)/p_model to the equilibrium density; writes reweighted.csv")
	fs.Float64Var(&c.Reweight.Beta, "reweight-beta", c.Reweight.Beta, "inverse temperature to reweight to (needs --reweight); 0: the data's --beta")
	fs.IntVar(&c.Reweight.Bootstrap, "bootstrap", c.Reweight.Bootstrap, "bootstrap resamples behind the reweighting error bars; 0: 200")
}
