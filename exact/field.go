package exact

import (
	"fmt"
	"math"

	"scoresde/sde"
)

// ScoreErrorField is the weighted score error s(t)·|u − u*| on a grid of
// times t and nx positions: u and ref hold scores laid out as
// figures.ScoreField's (row j is time t[j], nx values), the model's and
// the reference's (the exact optimum's). s(t)·|u − u*| is the root of the
// integrand of the weighted score error E[s(t)²|u − u*|²].
func ScoreErrorField(s sde.SDE, t []float64, nx int, u, ref []float64) ([]float64, error) {
	if len(u) != len(t)*nx || len(ref) != len(u) {
		return nil, fmt.Errorf("exact: score error field of %d times × %d positions got %d and %d scores", len(t), nx, len(u), len(ref))
	}
	e := make([]float64, len(u))
	for j, tj := range t {
		sd := s.Std(tj)
		for i := range nx {
			k := j*nx + i
			e[k] = sd * math.Abs(u[k]-ref[k])
		}
	}
	return e, nil
}
