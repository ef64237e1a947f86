package nn_test

import (
	"fmt"
	"math"
	"math/rand/v2"

	"scoresde/nn"
	"scoresde/optim"
	"scoresde/sampler"
)

// *MLP is a sampler.Score when In = Out+1.
var _ sampler.Score = (*nn.MLP)(nil)

func ExampleNew() {
	// The notebook's score network: [x, t] → 50 → 50 → 50 → u.
	m, err := nn.New(2, 1, []int{50, 50, 50}, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(m.NumParams(), "parameters")
	// Output: 5301 parameters
}

func ExampleMLP_Forward() {
	// 1 → 1 → 1 with hand-set weights: u = 2·tanh(x) + 0.5.
	m := &nn.MLP{In: 1, Out: 1, Hidden: []int{1}, Act: nn.ActTanh, Params: []float32{1, 0, 2, 0.5}}
	ws := m.NewWorkspace(3)
	defer ws.Close()
	out := make([]float32, 3)
	m.Forward(ws, []float32{0, 20, -20}, 3, out)
	fmt.Println(out)
	// Output: [0.5 2.5 -1.5]
}

func ExampleMLP_Gradient() {
	// Fit u(x) = x with a linear network by Adam on the squared error.
	m, _ := nn.New(1, 1, nil, rand.New(rand.NewPCG(1, 2)))
	x := []float32{-1, -0.5, 0, 0.5, 1}
	ws := m.NewWorkspace(len(x))
	defer ws.Close()
	sq := func(lo, hi int, u, g []float32) float64 {
		l := 0.0
		for r := range hi - lo {
			e := u[r] - x[lo+r]
			g[r] = e
			l += 0.5 * float64(e*e)
		}
		return l
	}
	grad := make([]float32, m.NumParams())
	opt := optim.NewAdam(m.NumParams(), 0.05)
	for range 400 {
		m.Gradient(ws, x, len(x), sq, grad)
		opt.Update(m.Params, grad)
	}
	fmt.Printf("w = %.2f, |b| < 0.01: %v\n", m.Params[0], math.Abs(float64(m.Params[1])) < 0.01)
	// Output: w = 1.00, |b| < 0.01: true
}
