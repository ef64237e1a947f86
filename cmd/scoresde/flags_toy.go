package main

import (
	"flag"
	"strings"

	"scoresde/data/toy"
	"scoresde/pipeline"
)

// toyFlags registers --dataset, the 2-D toy sets of package data/toy.
func toyFlags(fs *flag.FlagSet, c *pipeline.Config) {
	fs.StringVar(&c.Data.Dataset, "dataset", c.Data.Dataset, "2-D toy data set instead of Langevin data: "+strings.Join(toy.Names(), ", ")+
		" (FFJORD's definitions; --n-data points, seeded by --data-seed). Suggested: --hidden 128,128,128 --epochs 2000 (checkerboard, 2spirals, rings) or 1000 (the others); VE's eta_max is raised to the data's diameter")
}
