package potential

import (
	"testing"

	"scoresde/langevin"
)

const fourWellExpr = "2*(x**8 + 0.8*exp(-80*x**2) + 0.55*exp(-80*(x-0.5)**2) + 0.3*exp(-80*(x+0.5)**2))"

// The cost of a Langevin step's gradient: the expression's central
// difference against the named potential's hand-written gradient.
func BenchmarkGradExpr(b *testing.B) {
	e, err := Parse(fourWellExpr, 0)
	if err != nil {
		b.Fatal(err)
	}
	x, g := []float64{0.3}, []float64{0}
	for b.Loop() {
		e.Grad(x, g)
	}
}

func BenchmarkGradNamed(b *testing.B) {
	x, g := []float64{0.3}, []float64{0}
	p := langevin.FourWell{}
	for b.Loop() {
		p.Grad(x, g)
	}
}

func BenchmarkValueExpr(b *testing.B) {
	e, err := Parse(fourWellExpr, 0)
	if err != nil {
		b.Fatal(err)
	}
	x := []float64{0.3}
	for b.Loop() {
		e.Value(x)
	}
}
