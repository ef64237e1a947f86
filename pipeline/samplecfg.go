package pipeline

import "scoresde/sampler"

func samplerOptions(sc SampleConfig, keep []int) sampler.Options {
	// Both use a negative Eps for "the SDE's default"; zero is ε = 0.
	return sampler.Options{
		N: sc.Steps, Keep: keep, Method: sc.Method, ODESolver: sc.ODESolver, Eps: sc.Eps,
		CorrectorSteps: sc.CorrectorSteps, SNR: sc.SNR, RTol: sc.RTol, ATol: sc.ATol, Denoise: sc.Denoise,
		Churn: sc.Churn, SNoise: sc.SNoise,
	}
}
