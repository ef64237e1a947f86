package data_test

import (
	"fmt"

	"scoresde/data"
)

func ExampleSet() {
	s, err := data.FromRows([][]float64{{0, 1}, {2, 3}, {4, 5}})
	if err != nil {
		panic(err)
	}
	fmt.Println(s.Len(), s.D, s.Row(1), s.Column(1))
	// Output: 3 2 [2 3] [1 3 5]
}

func ExampleSet_Diameter() {
	s, err := data.FromRows([][]float64{{0, 0}, {3, 4}, {1, 1}, {1e200, 0}})
	if err != nil {
		panic(err)
	}
	fmt.Println(s.Diameter(), s.Mean()[0])
	// Output: 1e+200 2.5e+199
}
