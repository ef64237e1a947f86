package main

import (
	"flag"
	"fmt"

	"scoresde/modelio"
	"scoresde/pipeline"
)

// modelSDEFlagNames are the flags that give a PyTorch model's SDE.
var modelSDEFlagNames = []string{"sde", "eta-min", "eta-max", "beta-min", "beta-max", "T"}

// modelSDEFlags registers the SDE of a model read from a PyTorch state_dict
// (.pt, .npz, .safetensors), which, unlike model.json, does not say which
// SDE its score is for.
func modelSDEFlags(fs *flag.FlagSet, c *pipeline.SDEConfig) {
	fs.StringVar(&c.Name, "sde", c.Name, "SDE of a .pt/.npz/.safetensors --model: ve (the notebook's), vp or subvp (a model.json carries its own)")
	fs.Float64Var(&c.EtaMin, "eta-min", c.EtaMin, "VE: smallest noise std η_min (for a .pt/.npz/.safetensors --model)")
	fs.Float64Var(&c.EtaMax, "eta-max", c.EtaMax, "VE: largest noise std η_max (for a .pt/.npz/.safetensors --model)")
	fs.Float64Var(&c.BetaMin, "beta-min", c.BetaMin, "VP/sub-VP: β_min (for a .pt/.npz/.safetensors --model)")
	fs.Float64Var(&c.BetaMax, "beta-max", c.BetaMax, "VP/sub-VP: β_max (for a .pt/.npz/.safetensors --model)")
	fs.Float64Var(&c.T, "T", c.T, "final time T (for a .pt/.npz/.safetensors --model)")
}

// settleModelSDE refuses SDE flags beside a model.json, which carries its
// own SDE (silently ignoring them would mislead), and pins the SDE of a
// PyTorch model to the flags: the network was trained for that SDE, so
// eta_max must not be fitted to a data file as it is for training.
func settleModelSDE(cm *common, model string) error {
	if model == "" {
		return nil
	}
	if modelio.FormatOf(model) != "" {
		cm.set["eta-max"] = true
		return nil
	}
	for _, name := range modelSDEFlagNames {
		if cm.set[name] {
			return usage(fmt.Errorf("--%s describes the SDE of a .pt/.npz/.safetensors model; %s carries its own SDE, drop the flag", name, model))
		}
	}
	return nil
}
