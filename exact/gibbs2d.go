package exact

import (
	"errors"
	"fmt"
	"math"
	"sort"

	"scoresde/langevin"
)

// Gibbs2D is the Gibbs density exp(−βV)/Z of a 2-D potential, tabulated by
// the midpoint rule on an n × n grid of cells over a box: the exact
// target where a 1-D quadrature is not available. Mass outside the box is
// taken as zero; EdgeMass says how much lies in the box's outer cells, a
// warning sign that the box is too small.
type Gibbs2D struct {
	X, Y     []float64 // cell centres
	hx, hy   float64
	logP     []float64 // log of each cell's probability, [j*nx+i]
	beta     float64
	EdgeMass float64
}

// NewGibbs2D tabulates exp(−βV) over [x0, x1] × [y0, y1] on n × n cells.
func NewGibbs2D(p langevin.Potential, beta, x0, x1, y0, y1 float64, n int) (*Gibbs2D, error) {
	if p == nil || p.Dim() != 2 {
		return nil, errors.New("exact: Gibbs2D needs a 2-D potential")
	}
	if !(beta > 0) || math.IsInf(beta, 0) {
		return nil, fmt.Errorf("exact: inverse temperature β must be positive and finite, got %v", beta)
	}
	if n < 2 || !(x1 > x0) || !(y1 > y0) || math.IsInf(x1-x0, 0) || math.IsInf(y1-y0, 0) {
		return nil, fmt.Errorf("exact: Gibbs2D needs n ≥ 2 and a finite box, got %d on [%v,%v]×[%v,%v]", n, x0, x1, y0, y1)
	}
	g := &Gibbs2D{X: make([]float64, n), Y: make([]float64, n), hx: (x1 - x0) / float64(n), hy: (y1 - y0) / float64(n), beta: beta}
	for i := range n {
		g.X[i] = x0 + (float64(i)+0.5)*g.hx
		g.Y[i] = y0 + (float64(i)+0.5)*g.hy
	}
	g.logP = make([]float64, n*n)
	top := math.Inf(-1)
	pt := make([]float64, 2)
	for j, y := range g.Y {
		for i, x := range g.X {
			pt[0], pt[1] = x, y
			e := -beta * p.Value(pt)
			if math.IsNaN(e) || math.IsInf(e, 1) {
				return nil, fmt.Errorf("exact: V(%v, %v) = %v; the potential must be finite or +Inf", x, y, -e/beta)
			}
			g.logP[j*n+i] = e
			top = math.Max(top, e)
		}
	}
	if math.IsInf(top, -1) {
		return nil, errors.New("exact: V is +Inf on the whole box")
	}
	z := 0.0
	for _, e := range g.logP {
		z += math.Exp(e - top)
	}
	logZ := top + math.Log(z)
	for k := range g.logP {
		g.logP[k] -= logZ
		i, j := k%n, k/n
		if i == 0 || j == 0 || i == n-1 || j == n-1 {
			g.EdgeMass += math.Exp(g.logP[k])
		}
	}
	return g, nil
}

// cell returns the index of the cell holding (x, y), or −1 outside the box.
func (g *Gibbs2D) cell(x, y float64) int {
	n := len(g.X)
	i := int(math.Floor((x - (g.X[0] - g.hx/2)) / g.hx))
	j := int(math.Floor((y - (g.Y[0] - g.hy/2)) / g.hy))
	if i < 0 || j < 0 || i >= n || j >= n {
		return -1
	}
	return j*n + i
}

// MarginalCDF returns the CDF of coordinate k (0 or 1), piecewise linear
// between cell edges.
func (g *Gibbs2D) MarginalCDF(k int) func(float64) float64 {
	n := len(g.X)
	edges := make([]float64, n+1)
	cum := make([]float64, n+1)
	c, h := g.X, g.hx
	if k == 1 {
		c, h = g.Y, g.hy
	}
	for i := range n {
		edges[i] = c[i] - h/2
		m := 0.0
		for l := range n {
			idx := l*n + i // column i of x
			if k == 1 {
				idx = i*n + l // row i of y
			}
			m += math.Exp(g.logP[idx])
		}
		cum[i+1] = cum[i] + m
	}
	edges[n] = c[n-1] + h/2
	return func(x float64) float64 {
		switch {
		case x <= edges[0]:
			return 0
		case x >= edges[n]:
			return cum[n]
		}
		i := min(int((x-edges[0])/h), n-1)
		f := (x - edges[i]) / h
		return cum[i] + f*(cum[i+1]-cum[i])
	}
}

// Basins partitions the box into the basins of attraction of V's local
// minima on the grid (each cell follows its lowest neighbour, eight
// neighbours, down to a cell lower than all its neighbours), keeping the
// basins that hold at least minMass of the exact probability, ordered
// by decreasing mass. Label maps a point to its basin's index in that
// order, or −1 (outside the box or in a dropped basin).
func (g *Gibbs2D) Basins(minMass float64) *Basins {
	n := len(g.X)
	next := make([]int, n*n)
	for j := range n {
		for i := range n {
			k, best := j*n+i, j*n+i
			for dj := -1; dj <= 1; dj++ {
				for di := -1; di <= 1; di++ {
					a, b := i+di, j+dj
					if a < 0 || b < 0 || a >= n || b >= n {
						continue
					}
					// Higher log-probability is lower energy; ties go to
					// the lower index, so a plateau (a symmetric grid puts
					// cells at equal energy) drains to one cell.
					if c := b*n + a; g.logP[c] > g.logP[best] || (g.logP[c] == g.logP[best] && c < best) {
						best = c
					}
				}
			}
			next[k] = best
		}
	}
	root := make([]int, n*n)
	for k := range root {
		r := k
		for next[r] != r {
			r = next[r]
		}
		root[k] = r
	}
	mass := map[int]float64{}
	for k, r := range root {
		mass[r] += math.Exp(g.logP[k])
	}
	var keep []int
	for r, m := range mass {
		if m >= minMass {
			keep = append(keep, r)
		}
	}
	sort.Slice(keep, func(a, b int) bool { return mass[keep[a]] > mass[keep[b]] })
	order := map[int]int{}
	b := &Basins{g: g, label: make([]int, n*n)}
	for i, r := range keep {
		order[r] = i
		b.Minima = append(b.Minima, [2]float64{g.X[r%n], g.Y[r/n]})
		b.Mass = append(b.Mass, mass[r])
	}
	for k, r := range root {
		b.label[k] = -1
		if i, ok := order[r]; ok {
			b.label[k] = i
		}
	}
	return b
}

// Basins are regions of attraction of V's minima on a Gibbs2D grid.
type Basins struct {
	g *Gibbs2D
	// Minima are the grid minima, Mass each basin's exact probability.
	Minima [][2]float64
	Mass   []float64
	label  []int
}

// Label returns the basin of (x, y), or −1.
func (b *Basins) Label(x, y float64) int {
	k := b.g.cell(x, y)
	if k < 0 {
		return -1
	}
	return b.label[k]
}

// MarginalPDF returns the density of coordinate k (0 or 1) at the cell
// centres along that axis.
func (g *Gibbs2D) MarginalPDF(k int) (x, p []float64) {
	n := len(g.X)
	c, h := g.X, g.hx
	if k == 1 {
		c, h = g.Y, g.hy
	}
	p = make([]float64, n)
	for i := range n {
		for l := range n {
			idx := l*n + i
			if k == 1 {
				idx = i*n + l
			}
			p[i] += math.Exp(g.logP[idx])
		}
		p[i] /= h
	}
	return append([]float64(nil), c...), p
}
