package sde

import (
	"fmt"
	"strings"
)

// Params holds the parameters of every SDE here; New reads the ones its
// SDE uses. Start from DefaultParams and change what you need: New takes
// the values as given, so a zero field is a zero parameter, not "default".
type Params struct {
	EtaMin  float64 `json:"eta_min"`  // VE: kernel std at t=0
	EtaMax  float64 `json:"eta_max"`  // VE: kernel std at t=T
	BetaMin float64 `json:"beta_min"` // VP, SubVP: β at t=0 (in T=1 units)
	BetaMax float64 `json:"beta_max"` // VP, SubVP: β at t=T (in T=1 units)
	T       float64 `json:"T"`        // final time, all SDEs
}

// DefaultParams are the notebook's VE (η_min=0.03, η_max=2) and Song et
// al.'s VP/sub-VP (β_min=0.1, β_max=20), all with T=1.
func DefaultParams() Params {
	return Params{EtaMin: 0.03, EtaMax: 2, BetaMin: 0.1, BetaMax: 20, T: 1}
}

// names lists the SDEs New knows, for error messages.
var names = []string{"ve", "vp", "subvp"}

// New returns the SDE called name ("ve", "vp" or "subvp", any case) with
// parameters p, or an error naming the bad parameter.
func New(name string, p Params) (SDE, error) {
	var (
		s   SDE
		err error
	)
	switch strings.ToLower(name) {
	case "ve":
		s, err = NewVE(p.EtaMin, p.EtaMax, p.T)
	case "vp":
		s, err = NewVP(p.BetaMin, p.BetaMax, p.T)
	case "subvp", "sub-vp":
		s, err = NewSubVP(p.BetaMin, p.BetaMax, p.T)
	default:
		return nil, fmt.Errorf("sde: unknown SDE %q, want one of %s", name, strings.Join(names, ", "))
	}
	if err != nil {
		return nil, err
	}
	return s, nil
}
