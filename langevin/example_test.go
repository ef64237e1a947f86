package langevin_test

import (
	"fmt"
	"math/rand/v2"

	"scoresde/langevin"
)

// The notebook's data: overdamped Langevin dynamics in the four-well
// potential, recording the state before each Euler–Maruyama update.
func ExampleSimulate() {
	p, x0, err := langevin.ByName("fourwell")
	if err != nil {
		panic(err)
	}
	cfg := langevin.DefaultConfig() // β=2, dt=0.005, N=10000
	cfg.X0 = x0
	traj, err := langevin.Simulate(p, cfg, rand.New(rand.NewPCG(42, 0)))
	if err != nil {
		panic(err)
	}
	fmt.Println(traj.Len(), traj.D, traj.X[0])
	// Output: 10000 1 0
}
