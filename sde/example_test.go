package sde_test

import (
	"fmt"

	"scoresde/sde"
)

func ExampleNew() {
	p := sde.DefaultParams()
	p.BetaMax = 10
	s, err := sde.New("vp", p)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s: m(T)=%.4f s(T)=%.4f ε=%g\n", s.Name(), s.MeanScale(s.T()), s.Std(s.T()), s.MinTime())

	_, err = sde.New("vp", sde.Params{BetaMin: 1, BetaMax: 0.5, T: 1})
	fmt.Println(err)
	// Output:
	// vp: m(T)=0.0801 s(T)=0.9968 ε=1e-05
	// sde: vp beta_max must be finite and greater than beta_min (1), got 0.5
}
