package toy_test

import (
	"fmt"
	"math/rand/v2"

	"scoresde/data/toy"
)

func Example() {
	ds, err := toy.Generate("checkerboard", 1000, rand.New(rand.NewPCG(42, 0)))
	if err != nil {
		panic(err)
	}
	fmt.Printf("%d points of dimension %d, %.0f%% on the dark squares\n", ds.Len(), ds.D, 100*toy.OnCheckerboard(ds.X))
	// Output: 1000 points of dimension 2, 100% on the dark squares
}
