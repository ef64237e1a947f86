package pipeline

import (
	"fmt"
	"math"
)

// validateFewStep checks the options of the σ-coordinate samplers (edm,
// dpm2m, ancestral), which end with their own denoising step.
func validateFewStep(s SampleConfig) error {
	switch {
	case s.Churn < 0 || math.IsNaN(s.Churn) || math.IsInf(s.Churn, 0):
		return fmt.Errorf("--churn must be finite and ≥ 0, got %v", s.Churn)
	case s.SNoise < 0 || math.IsNaN(s.SNoise) || math.IsInf(s.SNoise, 0):
		return fmt.Errorf("--s-noise must be finite and ≥ 0 (0 means 1), got %v", s.SNoise)
	case s.Churn > 0 && s.Method != "edm":
		return fmt.Errorf("--churn applies to the edm sampler only; add --sampler edm or drop --churn")
	}
	switch s.Method {
	case "edm", "dpm2m", "ancestral":
		if s.Denoise {
			return fmt.Errorf("--denoise: the %s sampler already ends with a denoising step to σ = 0; drop --denoise", s.Method)
		}
	}
	return nil
}
