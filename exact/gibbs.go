package exact

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

	"scoresde/langevin"
)

const (
	// tailCut is the scaled energy β(V − V_min) beyond which the Gibbs density
	// counts as zero: e^−50 ≈ 2e−22 of its peak.
	tailCut = 50.0
	// scanPoints is the resolution of the grid that locates the support.
	scanPoints = 20001
	// maxHalfWidth bounds the automatic support search.
	maxHalfWidth = 1e6
	// Quadrature panels start at minPanels and double until the normaliser
	// changes by less than zTol relative, up to maxPanels.
	minPanels = 1024
	maxPanels = 1 << 18
	zTol      = 1e-13
)

// Gibbs is the 1-D Gibbs density p(x) = exp(−βV(x))/Z, normalised by
// composite 8-point Gauss–Legendre quadrature on a support [lo, hi] outside
// which exp(−β(V − V_min)) is below e^−50. PDF, LogPDF and FreeEnergy use
// V directly and are valid everywhere; CDF, Quantile and Sample treat the
// mass outside the support (relative size ~e^−50) as zero.
//
// A Gibbs is immutable after construction and safe for concurrent use.
type Gibbs struct {
	pot  langevin.Potential
	beta float64
	emin float64 // reference scaled energy β·V_min on the scan grid
	logZ float64 // log ∫ exp(−(βV − emin)) over [lo, hi]

	lo, hi, h float64
	// At the P+1 panel edges: CDF, density, and ∫_lo^x (y−lo)p(y)dy.
	edges, cdf, pdf, mom []float64
	// Per-panel end slopes of the monotone cubic Hermite CDF used by Sample.
	dl, dr []float64
	// Quadrature nodes over the support and log(weight·p(node)).
	nodes, logWP []float64
	// Rules from the fine table's down to the coarsest that still resolves
	// p, panel widths doubling, so smoothing with a kernel of width σ can
	// use the fewest nodes with panels at most σ/2 wide.
	levels []nodeSet
	// Largest log-density seen and where.
	logPMax, mode float64
}

// NewGibbs normalises exp(−βV) for a 1-D potential, locating the support
// automatically: the interval [−L, L] is doubled from L=1 until β(V − V_min)
// exceeds 50 at both ends (V_min taken on a 20001-point grid), then trimmed
// to where it is below 50. A well much narrower than the scan spacing
// 2L/20000 can be missed; use NewGibbsOn for such potentials.
func NewGibbs(p langevin.Potential, beta float64) (*Gibbs, error) {
	if err := checkGibbsArgs(p, beta); err != nil {
		return nil, err
	}
	emin := math.Inf(1)
	for L := 1.0; L <= maxHalfWidth; L *= 2 {
		xs, es, err := scanEnergy(p, beta, -L, L)
		if err != nil {
			return nil, err
		}
		for _, e := range es {
			emin = math.Min(emin, e)
		}
		if math.IsInf(emin, 1) {
			continue
		}
		last := len(es) - 1
		if es[0]-emin > tailCut && es[last]-emin > tailCut {
			i0, i1 := 0, last
			for es[i0]-emin > tailCut {
				i0++
			}
			for es[i1]-emin > tailCut {
				i1--
			}
			// One grid step of margin keeps the cut-off point inside.
			return newGibbsOn(p, beta, xs[max(i0-1, 0)], xs[min(i1+1, last)], emin)
		}
	}
	return nil, fmt.Errorf("exact: exp(−βV) does not fall below e^−%v of its peak within |x| ≤ %v: "+
		"the Gibbs density is not normalisable or too heavy-tailed; pass explicit bounds to NewGibbsOn", tailCut, maxHalfWidth)
}

// NewGibbsOn normalises exp(−βV) on the given interval, treating the density
// as zero outside it.
func NewGibbsOn(p langevin.Potential, beta, lo, hi float64) (*Gibbs, error) {
	if err := checkGibbsArgs(p, beta); err != nil {
		return nil, err
	}
	if math.IsNaN(lo) || math.IsNaN(hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) || !(lo < hi) {
		return nil, fmt.Errorf("exact: support bounds must be finite with lo < hi, got [%v, %v]", lo, hi)
	}
	_, es, err := scanEnergy(p, beta, lo, hi)
	if err != nil {
		return nil, err
	}
	emin := math.Inf(1)
	for _, e := range es {
		emin = math.Min(emin, e)
	}
	if math.IsInf(emin, 1) {
		return nil, fmt.Errorf("exact: V is +Inf on all of [%v, %v]; the density is zero there", lo, hi)
	}
	return newGibbsOn(p, beta, lo, hi, emin)
}

func checkGibbsArgs(p langevin.Potential, beta float64) error {
	if p == nil {
		return errors.New("exact: nil potential")
	}
	if p.Dim() != 1 {
		return fmt.Errorf("exact: Gibbs density needs a 1-D potential, got dimension %d", p.Dim())
	}
	if !(beta > 0) || math.IsInf(beta, 0) {
		return fmt.Errorf("exact: inverse temperature β must be positive and finite, got %v", beta)
	}
	return nil
}

// scanEnergy evaluates βV on scanPoints equispaced points of [lo, hi].
func scanEnergy(p langevin.Potential, beta, lo, hi float64) (xs, es []float64, err error) {
	xs = make([]float64, scanPoints)
	es = make([]float64, scanPoints)
	buf := []float64{0}
	for i := range xs {
		x := lo + (hi-lo)*float64(i)/float64(scanPoints-1)
		buf[0] = x
		e := beta * p.Value(buf)
		if math.IsNaN(e) || math.IsInf(e, -1) {
			return nil, nil, fmt.Errorf("exact: V(%v) = %v; the potential must be finite or +Inf", x, e/beta)
		}
		xs[i], es[i] = x, e
	}
	return xs, es, nil
}

// energy returns βV(x) − emin.
func (g *Gibbs) energy(x float64) float64 {
	return g.beta*g.pot.Value([]float64{x}) - g.emin
}

func newGibbsOn(p langevin.Potential, beta, lo, hi, emin float64) (*Gibbs, error) {
	g := &Gibbs{pot: p, beta: beta, emin: emin, lo: lo, hi: hi}
	// Double the panels until the normaliser has converged, so narrow wells
	// that the first grid under-resolves are caught.
	prev := g.tabulate(minPanels)
	for n := 2 * minPanels; ; n *= 2 {
		z := g.tabulate(n)
		if !(z > 0) || math.IsInf(z, 0) {
			return nil, fmt.Errorf("exact: ∫exp(−βV) over [%v, %v] is %v; the density cannot be normalised", lo, hi, z)
		}
		if math.Abs(z-prev) <= zTol*z {
			break
		}
		if n >= maxPanels {
			return nil, fmt.Errorf("exact: normaliser did not converge with %d quadrature panels on [%v, %v] "+
				"(relative change %.3g); V may have a discontinuity or a very narrow well", n, lo, hi, math.Abs(z-prev)/z)
		}
		prev = z
	}
	g.finish()
	return g, nil
}

// tabulate fills the quadrature nodes for n panels and returns the
// (shifted) normaliser ∫ exp(−(βV − emin)).
func (g *Gibbs) tabulate(n int) float64 {
	g.h = (g.hi - g.lo) / float64(n)
	g.edges = make([]float64, n+1)
	for k := range g.edges {
		g.edges[k] = g.lo + float64(k)*g.h
	}
	g.edges[n] = g.hi
	m := len(glX)
	g.nodes = make([]float64, n*m)
	g.logWP = make([]float64, n*m) // for now: log weight − energy
	z := 0.0
	for k := range n {
		a, b := g.edges[k], g.edges[k+1]
		c, r := (a+b)/2, (b-a)/2
		for i, xi := range glX {
			y := c + r*xi
			lw := math.Log(r*glW[i]) - g.energy(y)
			g.nodes[k*m+i] = y
			g.logWP[k*m+i] = lw
			z += math.Exp(lw)
		}
	}
	g.logZ = math.Log(z)
	return z
}

// finish builds the CDF, moment and Hermite tables from the nodes.
func (g *Gibbs) finish() {
	n := len(g.edges) - 1
	m := len(glX)
	g.cdf = make([]float64, n+1)
	g.mom = make([]float64, n+1)
	g.pdf = make([]float64, n+1)
	g.logPMax = math.Inf(-1)
	for k := range n {
		var mass, mom float64
		for i := range m {
			j := k*m + i
			g.logWP[j] -= g.logZ
			w := math.Exp(g.logWP[j])
			mass += w
			mom += w * (g.nodes[j] - g.lo)
			if lp := g.LogPDF(g.nodes[j]); lp > g.logPMax {
				g.logPMax, g.mode = lp, g.nodes[j]
			}
		}
		g.cdf[k+1] = math.Min(g.cdf[k]+mass, 1)
		g.mom[k+1] = g.mom[k] + mom
	}
	g.cdf[n] = 1
	for k, x := range g.edges {
		g.pdf[k] = g.PDF(x)
		if lp := g.LogPDF(x); lp > g.logPMax {
			g.logPMax, g.mode = lp, x
		}
	}
	// Fritsch–Carlson: Hermite slopes with (α² + β²) ≤ 9 keep each cubic
	// monotone; with exact derivatives on a fine grid they rarely bind.
	g.dl = make([]float64, n)
	g.dr = make([]float64, n)
	for k := range n {
		delta := (g.cdf[k+1] - g.cdf[k]) / g.h
		if !(delta > 0) {
			continue
		}
		a, b := g.pdf[k]/delta, g.pdf[k+1]/delta
		tau := 1.0
		if s := a*a + b*b; s > 9 {
			tau = 3 / math.Sqrt(s)
		}
		g.dl[k], g.dr[k] = tau*g.pdf[k], tau*g.pdf[k+1]
	}
	// Halve the panel count while the rule still normalises p to 1e−12,
	// and keep a level only if the next coarser one passed too, as a margin.
	g.levels = []nodeSet{{h: g.h, y: g.nodes, logWP: g.logWP}}
	for pc := n / 2; pc >= 16; pc /= 2 {
		c := g.nodeSet(pc)
		if math.Abs(c.mass()-1) > 1e-12 {
			break
		}
		g.levels = append(g.levels, c)
	}
	if len(g.levels) > 1 {
		g.levels = g.levels[:len(g.levels)-1]
	}
}

// level returns the coarsest rule with panels at most σ/2 wide, or false.
func (g *Gibbs) level(sigma float64) (nodeSet, bool) {
	for i := len(g.levels) - 1; i >= 0; i-- {
		if sigma >= 2*g.levels[i].h {
			return g.levels[i], true
		}
	}
	return nodeSet{}, false
}

// nodeSet is a composite 8-point Gauss–Legendre rule on the support with
// panel width h: nodes y and log(weight·p(y)).
type nodeSet struct {
	h        float64
	y, logWP []float64
}

func (g *Gibbs) nodeSet(panels int) nodeSet {
	m := len(glX)
	s := nodeSet{h: (g.hi - g.lo) / float64(panels), y: make([]float64, panels*m), logWP: make([]float64, panels*m)}
	for k := range panels {
		a := g.lo + float64(k)*s.h
		c, r := a+s.h/2, s.h/2
		for i, xi := range glX {
			y := c + r*xi
			s.y[k*m+i] = y
			s.logWP[k*m+i] = math.Log(r*glW[i]) + g.LogPDF(y)
		}
	}
	return s
}

func (s nodeSet) mass() float64 {
	t := 0.0
	for _, l := range s.logWP {
		t += math.Exp(l)
	}
	return t
}

// window returns the nodes of the panels covering [a, b] ⊆ [lo, hi].
func (s nodeSet) window(lo, a, b float64) (y, logWP []float64) {
	m := len(glX)
	n := len(s.y) / m
	k0 := min(max(int((a-lo)/s.h)-1, 0), n-1)
	k1 := min(max(int((b-lo)/s.h)+1, 0), n-1)
	return s.y[k0*m : (k1+1)*m], s.logWP[k0*m : (k1+1)*m]
}

// Beta is the inverse temperature.
func (g *Gibbs) Beta() float64 { return g.beta }

// Support returns the interval the density is tabulated on.
func (g *Gibbs) Support() (lo, hi float64) { return g.lo, g.hi }

// LogZ returns log Z = log ∫ exp(−βV(x)) dx.
func (g *Gibbs) LogZ() float64 { return g.logZ - g.emin }

// LogPDF returns log p(x) = −βV(x) − log Z.
func (g *Gibbs) LogPDF(x float64) float64 { return -g.energy(x) - g.logZ }

// PDF returns p(x).
func (g *Gibbs) PDF(x float64) float64 { return math.Exp(g.LogPDF(x)) }

// FreeEnergy returns F(x) = −ln p(x)/β = V(x) + (ln Z)/β.
func (g *Gibbs) FreeEnergy(x float64) float64 { return -g.LogPDF(x) / g.beta }

// panel returns k with edges[k] ≤ x < edges[k+1], for lo ≤ x < hi.
func (g *Gibbs) panel(x float64) int {
	n := len(g.edges) - 1
	k := min(max(int((x-g.lo)/g.h), 0), n-1)
	for k > 0 && x < g.edges[k] {
		k--
	}
	for k < n-1 && x >= g.edges[k+1] {
		k++
	}
	return k
}

// partial returns F(x) and ∫_lo^x (y−lo)p(y)dy for lo ≤ x ≤ hi.
func (g *Gibbs) partial(x float64) (F, M float64) {
	k := g.panel(x)
	a := g.edges[k]
	c, r := (a+x)/2, (x-a)/2
	var f, m float64
	for i, xi := range glX {
		y := c + r*xi
		p := glW[i] * g.PDF(y)
		f += p
		m += p * (y - g.lo)
	}
	F = min(max(g.cdf[k]+f*r, g.cdf[k]), g.cdf[k+1])
	return F, g.mom[k] + m*r
}

// CDF returns P(X ≤ x): 0 below the support, 1 above it.
func (g *Gibbs) CDF(x float64) float64 {
	switch {
	case math.IsNaN(x):
		return math.NaN()
	case x <= g.lo:
		return 0
	case x >= g.hi:
		return 1
	}
	F, _ := g.partial(x)
	return F
}

// intCDF returns ∫_{−∞}^x F(y) dy, which W1 needs.
func (g *Gibbs) intCDF(x float64) float64 {
	switch {
	case x <= g.lo:
		return 0
	case x >= g.hi:
		return (g.hi - g.lo) - g.mom[len(g.mom)-1] + (x - g.hi)
	}
	F, M := g.partial(x)
	return (x-g.lo)*F - M
}

// findPanel returns the panel k with cdf[k] ≤ u < cdf[k+1], skipping
// panels without mass; u ≥ 1 gives the last panel.
func (g *Gibbs) findPanel(u float64) int {
	n := len(g.edges) - 1
	k := sort.Search(n, func(i int) bool { return g.cdf[i+1] > u })
	return min(k, n-1)
}

// Quantile returns x with CDF(x) = u for u in [0, 1], solved to machine
// precision by safeguarded Newton iteration; NaN for other u.
func (g *Gibbs) Quantile(u float64) float64 {
	switch {
	case !(u >= 0 && u <= 1):
		return math.NaN()
	case u == 0:
		return g.lo
	case u == 1:
		return g.hi
	}
	k := g.findPanel(u)
	a, b := g.edges[k], g.edges[k+1]
	x := a + (b-a)/2
	if d := g.cdf[k+1] - g.cdf[k]; d > 0 {
		x = a + (b-a)*(u-g.cdf[k])/d
	}
	for range 100 {
		f, _ := g.partial(x)
		f -= u
		if f == 0 {
			return x
		}
		if f > 0 {
			b = x
		} else {
			a = x
		}
		next := x - f/g.PDF(x)
		if !(next >= a && next <= b) {
			next = a + (b-a)/2
		}
		if math.Abs(next-x) <= 1e-15*math.Max(1, math.Abs(x)) || b-a <= 1e-15*math.Max(1, math.Abs(x)) {
			return next
		}
		x = next
	}
	return x
}

// Sample returns n independent draws by inverting the tabulated CDF: a
// monotone cubic Hermite interpolant through the CDF at the quadrature panel
// edges with the exact density as slope. Its error is O(h⁴) in the panel
// width h (below 1e−9 in x for the notebook's potential), and it needs no
// potential evaluations.
func (g *Gibbs) Sample(rng *rand.Rand, n int) []float64 {
	if n <= 0 {
		return nil
	}
	out := make([]float64, n)
	for i := range out {
		out[i] = g.invertTable(rng.Float64())
	}
	return out
}

// invertTable solves H(x) = u on the Hermite CDF table.
func (g *Gibbs) invertTable(u float64) float64 {
	k := g.findPanel(u)
	f0, f1 := g.cdf[k], g.cdf[k+1]
	if !(f1 > f0) {
		return g.edges[k]
	}
	h := g.h
	m0, m1 := h*g.dl[k], h*g.dr[k]
	lo, hi := 0.0, 1.0
	t := min(max((u-f0)/(f1-f0), 0), 1)
	for range 60 {
		t2, t3 := t*t, t*t*t
		v := (2*t3-3*t2+1)*f0 + (t3-2*t2+t)*m0 + (-2*t3+3*t2)*f1 + (t3-t2)*m1 - u
		if v > 0 {
			hi = t
		} else {
			lo = t
		}
		dv := (6*t2-6*t)*f0 + (3*t2-4*t+1)*m0 + (-6*t2+6*t)*f1 + (3*t2-2*t)*m1
		next := t - v/dv
		if !(next >= lo && next <= hi) {
			next = (lo + hi) / 2
		}
		if math.Abs(next-t) < 1e-15 {
			t = next
			break
		}
		t = next
	}
	return g.edges[k] + h*t
}
