package figures_test

import (
	"fmt"
	"log"
	"math"
	"os"
	"path/filepath"

	"scoresde/figures"
)

func ExampleLine() {
	dir, err := os.MkdirTemp("", "figures")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	x := make([]float64, 101)
	y := make([]float64, 101)
	for i := range x {
		x[i] = -1 + 2*float64(i)/100
		y[i] = 0.5 * (1 + math.Erf(x[i]/0.3))
	}
	err = figures.Line(filepath.Join(dir, "cdf"), "CDF", "x", "F(x)",
		figures.Series{Label: "model", X: x, Y: y},
		figures.Series{Label: "data", X: []float64{-1, 0, 1}, Y: []float64{0, 0.5, 1}, Dashed: true})
	if err != nil {
		log.Fatal(err)
	}
	names, _ := filepath.Glob(filepath.Join(dir, "cdf.*"))
	for _, n := range names {
		fmt.Println(filepath.Base(n))
	}
	// Output:
	// cdf.png
	// cdf.svg
}

func ExampleScoreField() {
	dir, err := os.MkdirTemp("", "figures")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	// The exact score of N(0, 1) diffused by a VE SDE with σ(t) = t.
	x := []float64{-2, -1, 0, 1, 2}
	t := []float64{0, 0.5, 1}
	u := make([]float64, len(x)*len(t))
	for j, tt := range t {
		for i, xv := range x {
			u[j*len(x)+i] = -xv / (1 + tt*tt)
		}
	}
	err = figures.ScoreField(filepath.Join(dir, "score"), "score function (exact)", x, t, u)
	fmt.Println(err)
	// Output: <nil>
}
