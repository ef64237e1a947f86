// Package toy generates the standard 2-D toy data sets of the normalising
// flow and diffusion literature: moons, circles, rings, 8gaussians,
// pinwheel, 2spirals, swissroll and checkerboard, with the definitions of
// FFJORD's lib/toy_data.py (Grathwohl, Chen et al. 2019,
// https://github.com/rtqichen/ffjord), including the scikit-learn
// generators it calls (make_moons, make_circles, make_swiss_roll), drawn
// from a seeded generator so that a seed fixes the data.
//
// Two departures, neither changing the distribution: every set is shuffled
// (FFJORD's moons, pinwheel and 2spirals come sorted by component), and
// pinwheel and 2spirals return exactly n points (FFJORD's return
// 5·⌊n/5⌋ and 2·⌊n/2⌋).
package toy

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"scoresde/data"
)

// gen fills x (n points × 2) with draws of one data set.
type gen func(x []float64, rng *rand.Rand)

func generators() map[string]gen {
	return map[string]gen{
		"moons": moons, "circles": circles, "rings": rings, "8gaussians": eightGaussians,
		"pinwheel": pinwheel, "2spirals": twoSpirals, "swissroll": swissRoll, "checkerboard": checkerboard,
	}
}

// Names lists the data sets Generate knows.
func Names() []string {
	return []string{"moons", "circles", "rings", "8gaussians", "pinwheel", "2spirals", "swissroll", "checkerboard"}
}

// Generate draws n points of the 2-D data set called name.
func Generate(name string, n int, rng *rand.Rand) (*data.Set, error) {
	g, ok := generators()[strings.ToLower(name)]
	if !ok {
		return nil, fmt.Errorf("toy: unknown data set %q; choose one of %s", name, strings.Join(Names(), ", "))
	}
	if n < 2 {
		return nil, fmt.Errorf("toy: need at least 2 points, got %d", n)
	}
	if rng == nil {
		return nil, fmt.Errorf("toy: nil random source")
	}
	ds := data.New(n, 2)
	g(ds.X, rng)
	shuffle(ds.X, rng)
	return ds, nil
}

// Check reports whether name is a known data set, as an error naming the
// choices.
func Check(name string) error {
	if _, ok := generators()[strings.ToLower(name)]; !ok {
		return fmt.Errorf("unknown data set %q; choose one of %s", name, strings.Join(Names(), ", "))
	}
	return nil
}

func shuffle(x []float64, rng *rand.Rand) {
	rng.Shuffle(len(x)/2, func(i, j int) {
		x[2*i], x[2*j] = x[2*j], x[2*i]
		x[2*i+1], x[2*j+1] = x[2*j+1], x[2*i+1]
	})
}

// addNoise adds N(0, s²) to every coordinate.
func addNoise(x []float64, s float64, rng *rand.Rand) {
	for i := range x {
		x[i] += s * rng.NormFloat64()
	}
}

// evenAngle is the k-th of m angles equally spaced over [0, span], with or
// without the endpoint (numpy's linspace).
func evenAngle(k, m int, span float64, endpoint bool) float64 {
	div := m
	if endpoint {
		div = m - 1
	}
	if div <= 0 {
		return 0
	}
	return span * float64(k) / float64(div)
}

// moons: scikit-learn's make_moons(noise=0.1) — two interleaved half
// circles, the outer (cos a, sin a) and the inner (1 − cos a, ½ − sin a)
// for a evenly over [0, π] — then scaled by 2 and shifted by (−1, −0.2).
func moons(x []float64, rng *rand.Rand) {
	n := len(x) / 2
	nOut := n / 2
	for i := range n {
		var px, py float64
		if i < nOut {
			a := evenAngle(i, nOut, math.Pi, true)
			px, py = math.Cos(a), math.Sin(a)
		} else {
			a := evenAngle(i-nOut, n-nOut, math.Pi, true)
			px, py = 1-math.Cos(a), 1-math.Sin(a)-0.5
		}
		x[2*i], x[2*i+1] = px+0.1*rng.NormFloat64(), py+0.1*rng.NormFloat64()
		x[2*i], x[2*i+1] = 2*x[2*i]-1, 2*x[2*i+1]-0.2
	}
}

// circles: scikit-learn's make_circles(factor=0.5, noise=0.08) — the unit
// circle and one of radius ½, evenly spaced angles, plus noise — scaled by 3.
func circles(x []float64, rng *rand.Rand) {
	n := len(x) / 2
	nOut := n / 2
	for i := range n {
		r, a := 1.0, 0.0
		if i < nOut {
			a = evenAngle(i, nOut, 2*math.Pi, false)
		} else {
			r, a = 0.5, evenAngle(i-nOut, n-nOut, 2*math.Pi, false)
		}
		x[2*i] = 3 * (r*math.Cos(a) + 0.08*rng.NormFloat64())
		x[2*i+1] = 3 * (r*math.Sin(a) + 0.08*rng.NormFloat64())
	}
}

// rings: four concentric circles of radii 3, 2.25, 1.5 and 0.75 (FFJORD's
// 1, ¾, ½, ¼ times 3), a quarter of the points each (the innermost takes
// the remainder), evenly spaced angles, plus N(0, 0.08²) noise.
func rings(x []float64, rng *rand.Rand) {
	n := len(x) / 2
	q := n / 4
	counts := []int{q, q, q, n - 3*q}
	radii := []float64{3, 2.25, 1.5, 0.75}
	i := 0
	for c, m := range counts {
		for k := range m {
			a := evenAngle(k, m, 2*math.Pi, false)
			x[2*i], x[2*i+1] = radii[c]*math.Cos(a), radii[c]*math.Sin(a)
			i++
		}
	}
	addNoise(x, 0.08, rng)
}

// eightGaussians: eight Gaussians of std 0.5 centred at 4·(cos kπ/4,
// sin kπ/4), each point's component uniform, all divided by 1.414.
func eightGaussians(x []float64, rng *rand.Rand) {
	for i := 0; i < len(x); i += 2 {
		a := float64(rng.IntN(8)) * math.Pi / 4
		x[i] = (4*math.Cos(a) + 0.5*rng.NormFloat64()) / 1.414
		x[i+1] = (4*math.Sin(a) + 0.5*rng.NormFloat64()) / 1.414
	}
}

// pinwheel: five arms; a point of arm k has features f = (1 + 0.3ξ₁, 0.1ξ₂)
// rotated by −(2πk/5 + 0.25·e^{f₁}) and scaled by 2, so each arm curls
// outwards.
func pinwheel(x []float64, rng *rand.Rand) {
	for i := 0; i < len(x); i += 2 {
		k := (i / 2) % 5
		f0, f1 := 1+0.3*rng.NormFloat64(), 0.1*rng.NormFloat64()
		a := 2*math.Pi*float64(k)/5 + 0.25*math.Exp(f0)
		c, s := math.Cos(a), math.Sin(a)
		x[i], x[i+1] = 2*(f0*c+f1*s), 2*(-f0*s+f1*c)
	}
}

// twoSpirals: u = 3π√U along the spiral, the point (−u cos u + a,
// u sin u + b) with offsets a, b ~ U(0, ½), or its mirror image through 0
// (half the points each), divided by 3, plus N(0, 0.1²) noise.
func twoSpirals(x []float64, rng *rand.Rand) {
	n := len(x) / 2
	for i := range n {
		u := math.Sqrt(rng.Float64()) * 540 * 2 * math.Pi / 360
		px := -math.Cos(u)*u + 0.5*rng.Float64()
		py := math.Sin(u)*u + 0.5*rng.Float64()
		if i >= n/2 {
			px, py = -px, -py
		}
		x[2*i] = px/3 + 0.1*rng.NormFloat64()
		x[2*i+1] = py/3 + 0.1*rng.NormFloat64()
	}
}

// swissRoll: scikit-learn's make_swiss_roll(noise=1) seen from its axis:
// u = 1.5π(1 + 2U), the point (u cos u, u sin u) plus N(0, 1) noise, divided
// by 5.
func swissRoll(x []float64, rng *rand.Rand) {
	for i := 0; i < len(x); i += 2 {
		u := 1.5 * math.Pi * (1 + 2*rng.Float64())
		x[i] = (u*math.Cos(u) + rng.NormFloat64()) / 5
		x[i+1] = (u*math.Sin(u) + rng.NormFloat64()) / 5
	}
}

// checkerboard: uniform on the eight dark squares of a 4×4 board of
// 2×2 squares covering [−4, 4)²: the squares whose column and row indices
// ⌊x/2⌋ + ⌊y/2⌋ sum to an even number.
func checkerboard(x []float64, rng *rand.Rand) {
	for i := 0; i < len(x); i += 2 {
		x1 := 4*rng.Float64() - 2
		x2 := rng.Float64() - 2*float64(rng.IntN(2))
		x2 += math.Mod(math.Floor(x1)+4, 2) // floor(x1) mod 2, as numpy's %
		x[i], x[i+1] = 2*x1, 2*x2
	}
}

// OnCheckerboard returns the share of the points (n × 2, flattened) that
// lie on the checkerboard's occupied squares: inside [−4, 4)² with
// ⌊x/2⌋ + ⌊y/2⌋ even.
func OnCheckerboard(x []float64) float64 {
	n := len(x) / 2
	if n == 0 {
		return 0
	}
	on := 0
	for i := 0; i < 2*n; i += 2 {
		if OnSquare(x[i], x[i+1]) {
			on++
		}
	}
	return float64(on) / float64(n)
}

// OnSquare reports whether (x, y) lies on an occupied checkerboard square.
func OnSquare(x, y float64) bool {
	if !(x >= -4 && x < 4 && y >= -4 && y < 4) {
		return false
	}
	i, j := int(math.Floor(x/2))+2, int(math.Floor(y/2))+2
	return (i+j)%2 == 0
}
