package reweight_test

import (
	"fmt"

	"scoresde/reweight"
)

func ExampleNew() {
	// Three samples of a model, their model log-densities and energies.
	logP := []float64{-1, -1, -2}
	energy := []float64{0.5, 1, 0.5}
	w, err := reweight.New(logP, energy, 2)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("weights %.3f, ESS %.2f of 3\n", w.W, reweight.KishESS(w.W))
	// Output:
	// weights [0.245 0.090 0.665], ESS 1.96 of 3
}
