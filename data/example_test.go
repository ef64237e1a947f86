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
