package pipeline

import (
	"context"

	"scoresde/progress"
	"scoresde/sampler"
)

// countingScore reports each batch score evaluation to a progress bar, so
// every sampler and the likelihood show progress without knowing of it.
// Once ctx is done it stops evaluating the network and returns zeros, so
// the sampler's remaining steps take no time; the caller checks ctx and
// drops the result.
type countingScore struct {
	inner sampler.Score
	bar   *progress.Bar
	done  int
	ctx   context.Context // nil: never stops
}

func (c *countingScore) Dim() int { return c.inner.Dim() }

// stopped reports whether ctx is done, zeroing outs if so.
func (c *countingScore) stopped(outs ...[]float64) bool {
	if c.ctx == nil || c.ctx.Err() == nil {
		return false
	}
	for _, o := range outs {
		clear(o)
	}
	return true
}

func (c *countingScore) Score(x []float64, t float64, out []float64) {
	if c.stopped(out) {
		return
	}
	c.inner.Score(x, t, out)
	c.done++
	c.bar.Update(c.done, "")
}

// countingScoreDiv is countingScore for scores with a divergence.
type countingScoreDiv struct {
	countingScore
	div sampler.ScoreDiv
}

func (c *countingScoreDiv) ScoreDiv(x []float64, t float64, out, div []float64) {
	if c.stopped(out, div) {
		return
	}
	c.div.ScoreDiv(x, t, out, div)
	c.done++
	c.bar.Update(c.done, "")
}

// expectedNFE is the number of score evaluations a fixed-step sampler
// makes; 0 for the adaptive RK45, whose count is not known in advance.
func expectedNFE(sc SampleConfig) int {
	n := sc.Steps
	switch sc.Method {
	case "pc":
		n *= 1 + sc.CorrectorSteps
	case "edm":
		n = 2*n - 1
	case "ode":
		switch sc.ODESolver {
		case "heun":
			n *= 2
		case "rk4":
			n *= 4
		default:
			return 0
		}
	}
	if sc.Denoise {
		n++
	}
	return n
}
