package potential_test

import (
	"fmt"

	"scoresde/potential"
)

func ExampleParse() {
	v, err := potential.Parse("(x**2 - 1)**2", 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	g := make([]float64, 1)
	v.Grad([]float64{2}, g)
	fmt.Printf("d=%d V(2)=%g V'(2)=%.6f\n", v.Dim(), v.Value([]float64{2}), g[0])
	_, err = potential.Parse("(x**2 - 1", 0)
	fmt.Println(err)
	// Output:
	// d=1 V(2)=9 V'(2)=24.000000
	// potential expression "(x**2 - 1": unexpected token EOF at column 9
}
