package dataio_test

import (
	"fmt"
	"os"
	"strings"

	"scoresde/data"
	"scoresde/dataio"
)

func ExampleRead() {
	in := "# Langevin samples\nx1,x2\n0.5,-1\n1.25,2\n"
	s, err := dataio.Read(strings.NewReader(in), dataio.CSV)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(s.Len(), "points of dimension", s.D, s.X)

	_, err = dataio.Read(strings.NewReader("x1,x2\n0.5,-1\n1.25\n"), dataio.CSV)
	fmt.Println(err)
	// Output:
	// 2 points of dimension 2 [0.5 -1 1.25 2]
	// data: line 3 has 1 value, line 2 had 2; every point needs the same number of coordinates
}

func ExampleWrite() {
	s := &data.Set{D: 2, X: []float64{0.1, -2, 1.0 / 3, 4}}
	if err := dataio.Write(os.Stdout, s, dataio.CSV); err != nil {
		fmt.Println(err)
	}
	// Output:
	// x1,x2
	// 0.1,-2
	// 0.3333333333333333,4
}

func ExampleWriteTableTo() {
	epochs := []float64{1, 2, 3}
	loss := []float64{1.5, 0.75, 0.5}
	if err := dataio.WriteTableTo(os.Stdout, []string{"epoch", "loss"}, [][]float64{epochs, loss}); err != nil {
		fmt.Println(err)
	}
	// Output:
	// epoch,loss
	// 1,1.5
	// 2,0.75
	// 3,0.5
}

func ExampleExpect() {
	s := &data.Set{D: 1, X: []float64{0.5, 1.5}}
	fmt.Println(dataio.Expect(s, 2))
	// Output:
	// data points have 1 coordinate(s) but 2 are expected; use a data file with 2 column(s) or a model made for 1
}
