package pipeline

import "scoresde/sampler"

func samplerOptions(sc SampleConfig, keep []int) sampler.Options {
	return sampler.Options{N: sc.Steps, Keep: keep}
}
