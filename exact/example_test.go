package exact_test

import (
	"fmt"
	"math"
	"math/rand/v2"

	"scoresde/data"
	"scoresde/exact"
	"scoresde/langevin"
	"scoresde/sampler"
	"scoresde/sde"
)

func ExampleNewGibbs() {
	// V = x²/2 at β = 1 is the standard normal.
	g, err := exact.NewGibbs(langevin.Harmonic{D: 1}, 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("log Z = %.6f (½ log 2π = %.6f)\n", g.LogZ(), 0.5*math.Log(2*math.Pi))
	fmt.Printf("CDF(1) = %.6f, Quantile(0.975) = %.4f\n", g.CDF(1), g.Quantile(0.975))

	// The notebook's target: four wells at β = 2.
	fw, err := exact.NewGibbs(langevin.FourWell{}, 2)
	if err != nil {
		fmt.Println(err)
		return
	}
	lo, hi := fw.Support()
	fmt.Printf("four-well support [%.2f, %.2f]\n", lo, hi)
	xs := fw.Sample(rand.New(rand.NewPCG(1, 2)), 10000)
	w, _ := exact.W1(fw, xs)
	fmt.Printf("W1 of exact samples within 2× the noise level: %v\n", w < 2*exact.ExpectedW1(fw, len(xs)))
	// Output:
	// log Z = 0.918939 (½ log 2π = 0.918939)
	// CDF(1) = 0.841345, Quantile(0.975) = 1.9600
	// four-well support [-1.37, 1.37]
	// W1 of exact samples within 2× the noise level: true
}

func ExampleEmpiricalOptimum() {
	// One training point x0 = 1: the optimum is −(x − m·x0)/s².
	x0, _ := data.FromRows([][]float64{{1}})
	ve := sde.DefaultVE() // m = 1, s(0) = 0.03
	opt, err := exact.NewEmpiricalOptimum(x0, ve)
	if err != nil {
		fmt.Println(err)
		return
	}
	out := make([]float64, 2)
	opt.Score([]float64{0.97, 1.06}, 0, out)
	fmt.Printf("%.4g %.4g\n", out[0], out[1])
	// Output:
	// 33.33 -66.67
}

func ExampleLossProbe() {
	g, _ := exact.NewGibbs(langevin.FourWell{}, 2)
	x0 := &data.Set{D: 1, X: g.Sample(rand.New(rand.NewPCG(1, 1)), 2000)}
	p, err := exact.NewLossProbe(x0, sde.DefaultVE(), exact.ProbeConfig{Times: 20, PointsPerTime: 200, Seed: 7})
	if err != nil {
		fmt.Println(err)
		return
	}
	opt := p.Optimum()
	gap, _ := p.Gap(opt)
	fmt.Println("gap of the optimum:", gap.Mean)

	// A model off by 0.2 everywhere.
	model := sampler.ScoreFunc{D: 1, F: func(x []float64, t float64, out []float64) {
		opt.Score(x, t, out)
		for i := range out {
			out[i] += 0.2
		}
	}}
	gap, _ = p.Gap(model)
	se, _ := p.ScoreError(model, opt)
	fmt.Println("gap = ½·score error within 4 standard errors:", math.Abs(gap.Mean-se.Mean/2) < 4*gap.StdErr)
	// Output:
	// gap of the optimum: 0
	// gap = ½·score error within 4 standard errors: true
}
