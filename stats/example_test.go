package stats_test

import (
	"fmt"
	"log"
	"math"

	"scoresde/stats"
)

func ExampleKDE() {
	x := []float64{-1, -0.9, 0, 0.1, 0.2, 1}
	grid, density, err := stats.KDE(x, stats.KDEOptions{GridSize: 5})
	if err != nil {
		log.Fatal(err)
	}
	bw, _ := stats.ScottBandwidth(x)
	fmt.Printf("bandwidth %.3f, grid from %.3f to %.3f\n", bw, grid[0], grid[len(grid)-1])
	for i := range grid {
		fmt.Printf("p(%6.3f) = %.4f\n", grid[i], density[i])
	}
	// Output:
	// bandwidth 0.523, grid from -2.569 to 2.569
	// p(-2.569) = 0.0022
	// p(-1.284) = 0.2190
	// p( 0.000) = 0.4399
	// p( 1.284) = 0.1405
	// p( 2.569) = 0.0014
}

func ExampleWasserstein1() {
	w, err := stats.Wasserstein1([]float64{0, 1}, []float64{0.5})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(w)
	// Output: 0.5
}

func ExampleKolmogorovSmirnovCDF() {
	uniform := func(x float64) float64 { return math.Min(1, math.Max(0, x)) }
	d, err := stats.KolmogorovSmirnovCDF([]float64{0.1, 0.2, 0.9}, uniform)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%.4f\n", d)
	// Output: 0.4667
}

func ExampleMassShares() {
	// Occupation of the four wells of the notebook's potential.
	x := []float64{-0.6, -0.45, -0.1, 0.05, 0.02, 0.48, 0.55, 0.6}
	shares, err := stats.MassShares(x, []float64{-0.25, 0.25, 0.75})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(shares)
	// Output: [0.25 0.375 0.375 0]
}

func ExampleEnergyDistance() {
	a := []float64{0, 0, 1, 0, 0, 1} // three 2-D points
	b := []float64{0, 0, 1, 0, 0, 1}
	c := []float64{5, 5, 6, 5, 5, 6}
	same, _ := stats.EnergyDistance(a, b, 2)
	far, err := stats.EnergyDistance(a, c, 2)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("identical %.3g, shifted by (5,5) %.3f\n", same, far)
	// Output: identical 0, shifted by (5,5) 3.566
}
