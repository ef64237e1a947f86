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

// Kernels gives a batch's perturbation kernels at once, as a trainer needs
// for every row of a batch; for the notebook's VE the mean scale is 1 and
// the std runs from η_min at t = 0 to η_max at t = T.
func ExampleKernels() {
	ve := sde.DefaultVE()
	t := []float64{0, 0.5, 1}
	mean, std := make([]float64, len(t)), make([]float64, len(t))
	sde.Kernels(ve, t, mean, std)
	for i := range t {
		fmt.Printf("t=%.1f m=%g s=%.4f\n", t[i], mean[i], std[i])
	}
	// Output:
	// t=0.0 m=1 s=0.0300
	// t=0.5 m=1 s=0.2449
	// t=1.0 m=1 s=2.0000
}
