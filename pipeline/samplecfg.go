package pipeline

import "scoresde/sampler"

func samplerOptions(sc SampleConfig, keep []int) sampler.Options {
	o := sampler.Options{
		N: sc.Steps, Keep: keep, Method: sc.Method, ODESolver: sc.ODESolver,
		CorrectorSteps: sc.CorrectorSteps, SNR: sc.SNR, RTol: sc.RTol, ATol: sc.ATol, Denoise: sc.Denoise,
		Churn: sc.Churn, SNoise: sc.SNoise,
	}
	if sc.Eps > 0 {
		o.Eps = sc.Eps
	}
	return o
}
