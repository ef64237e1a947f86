package pipeline

import (
	"math/rand/v2"

	"scoresde/data"
	"scoresde/sde"
)

// figureTimes are the notebook's times for density snapshots.
var figureTimes = [...]float64{0, 0.5, 0.7, 1}

// forwardView holds forward-process states at figureTimes·T.
type forwardView struct {
	Times  []float64
	States [][]float64
}

func forwardSnapshots(s sde.SDE, ds *data.Set, steps int, rng *rand.Rand) (*forwardView, error) {
	g := sde.Grid{T: s.T(), N: steps}
	v := &forwardView{}
	var keep []int
	for _, f := range figureTimes {
		v.Times = append(v.Times, f*s.T())
		keep = append(keep, g.Index(f*s.T()))
	}
	st, err := sde.Forward(s, ds.X, g, keep, rng)
	if err != nil {
		return nil, err
	}
	v.States = st
	return v, nil
}

// fwdKeep returns the reverse-step indices matching the forward snapshot
// times, as the notebook's int((T−t)/Δt); nil when no figures are drawn.
func fwdKeep(v *forwardView, steps int) []int {
	if v == nil {
		return nil
	}
	T := v.Times[len(v.Times)-1]
	g := sde.Grid{T: T, N: steps}
	var keep []int
	for _, t := range v.Times {
		keep = append(keep, g.Index(T-t))
	}
	return keep
}
