package langevin

import (
	"fmt"
	"math"
	"math/rand/v2"

	"scoresde/data"
)

// Config sets up an Euler–Maruyama run of overdamped Langevin dynamics.
type Config struct {
	Beta float64   // inverse temperature β > 0
	Dt   float64   // step size > 0
	N    int       // number of recorded states ≥ 1
	X0   []float64 // start point; len must equal the potential's dimension
}

// DefaultConfig is the notebook's: β=2, dt=0.005, N=10000, x0=0.
func DefaultConfig() Config { return Config{Beta: 2, Dt: 0.005, N: 10000, X0: []float64{0}} }

// Validate names the first impossible parameter.
func (c Config) Validate(p Potential) error {
	switch {
	case !(c.Beta > 0) || math.IsInf(c.Beta, 0):
		return fmt.Errorf("beta must be a positive finite number, got %v", c.Beta)
	case !(c.Dt > 0) || math.IsInf(c.Dt, 0):
		return fmt.Errorf("dt must be a positive finite number, got %v", c.Dt)
	case c.N < 1:
		return fmt.Errorf("number of states must be at least 1, got %d", c.N)
	case len(c.X0) != p.Dim():
		return fmt.Errorf("start point has %d coordinates, the potential has dimension %d", len(c.X0), p.Dim())
	}
	for _, v := range c.X0 {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("start point %v is not finite; give finite coordinates", c.X0)
		}
	}
	return nil
}

// Simulate runs x ← x − ∇V(x)·dt + sqrt(2·dt/β)·ξ and records the state
// before each update, as the notebook does, so the first state is X0.
func Simulate(p Potential, c Config, rng *rand.Rand) (*data.Set, error) {
	if err := c.Validate(p); err != nil {
		return nil, err
	}
	d := p.Dim()
	out := data.New(c.N, d)
	x := append([]float64(nil), c.X0...)
	g := make([]float64, d)
	noise := math.Sqrt(2 * c.Dt / c.Beta)
	for i := range c.N {
		copy(out.Row(i), x)
		p.Grad(x, g)
		for j := range d {
			x[j] = x[j] - g[j]*c.Dt + noise*rng.NormFloat64()
		}
		for _, v := range x {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("langevin: state diverged at step %d; reduce dt (now %v)", i+1, c.Dt)
			}
		}
	}
	return out, nil
}
