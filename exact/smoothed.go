package exact

import (
	"errors"
	"math"

	"scoresde/internal/fastmath"
	"scoresde/sde"
)

// smoothCut is the log-weight below the largest beyond which quadrature
// nodes of the smoothing integral are skipped (e^−40 ≈ 4e−18).
const smoothCut = 40.0

// GibbsSmoothedScore is the population score the SDE's marginals would
// have for Gibbs-distributed data: with p the Gibbs density,
//
//	p_t(x) = ∫ p(y) N(x; m(t)y, s(t)²) dy,
//	∇log p_t(x) = (m·E[y | x] − x)/s²,
//
// computed by Gauss–Legendre quadrature over the Gibbs support, restricted
// to the y that can carry weight above e^−40 of the largest. The density is
// taken as zero outside the support, so for x/m far outside it (and small s)
// the score pulls towards the support edge rather than following V. If
// s(t) = 0 it is the exact ∇log p(x/m)/m = −βV'(x/m)/m.
// A GibbsSmoothedScore is safe for concurrent use.
type GibbsSmoothedScore struct {
	g   *Gibbs
	sde sde.SDE
}

// NewGibbsSmoothedScore returns the score of g pushed through s's kernel.
func NewGibbsSmoothedScore(g *Gibbs, s sde.SDE) (*GibbsSmoothedScore, error) {
	if g == nil {
		return nil, errors.New("exact: nil Gibbs density")
	}
	if s == nil {
		return nil, errors.New("exact: nil SDE")
	}
	return &GibbsSmoothedScore{g: g, sde: s}, nil
}

// Dim is 1.
func (*GibbsSmoothedScore) Dim() int { return 1 }

// Score writes ∇log p_t(x_i) for each x_i into out, in parallel. It writes
// NaN where m(t) ≤ 0 or s(t) < 0, and panics if len(out) != len(x).
func (gs *GibbsSmoothedScore) Score(x []float64, t float64, out []float64) {
	checkBatch(1, x, out)
	m, s := gs.sde.MeanScale(t), gs.sde.Std(t)
	parallelFor(len(x), 4, func(lo, hi int) {
		var buf []float64
		for i := lo; i < hi; i++ {
			out[i], _, buf = gs.eval(x[i], m, s, buf)
		}
	})
}

// LogDensity returns log p_t(x) for one point (len(x) must be 1).
func (gs *GibbsSmoothedScore) LogDensity(x []float64, t float64) float64 {
	if len(x) != 1 {
		return math.NaN()
	}
	_, lp, _ := gs.eval(x[0], gs.sde.MeanScale(t), gs.sde.Std(t), nil)
	return lp
}

// eval returns the score and log-density at q; buf is reusable scratch.
func (gs *GibbsSmoothedScore) eval(q, m, s float64, buf []float64) (score, logp float64, _ []float64) {
	g := gs.g
	switch {
	case !(m > 0) || !(s >= 0) || math.IsInf(m, 0) || math.IsInf(s, 0) || math.IsNaN(q):
		return math.NaN(), math.NaN(), buf
	case s == 0:
		y := q / m
		grad := []float64{0}
		g.pot.Grad([]float64{y}, grad)
		return -g.beta * grad[0] / m, g.LogPDF(y) - math.Log(m), buf
	}
	// In y the kernel is a Gaussian centred at c with width σ.
	c, sig := q/m, s/m
	L := func(y, lp float64) float64 { d := (y - c) / sig; return lp - d*d/2 }
	// A lower bound on max_y L from the nearest support point and the mode;
	// since log p ≤ logPMax, L(y) < lb − cut once (y−c)²/2σ² > logPMax − lb + cut.
	y0 := min(max(c, g.lo), g.hi)
	lb := math.Max(L(y0, g.LogPDF(y0)), L(g.mode, g.logPMax))
	r := sig * math.Sqrt(2*(g.logPMax-lb+smoothCut))
	a, b := math.Max(c-r, g.lo), math.Min(c+r, g.hi)

	// Nodes: the coarsest precomputed rule whose panels are at most σ/2
	// wide, otherwise fresh panels of width ≤ σ/2 with direct density
	// evaluations.
	var ys, lws []float64
	if set, ok := g.level(sig); ok {
		ys, lws = set.window(g.lo, a, b)
	} else {
		np := max(int(math.Ceil((b-a)/(sig/2))), 1)
		h := (b - a) / float64(np)
		for k := range np {
			pa := a + float64(k)*h
			cc, rr := pa+h/2, h/2
			for i, xi := range glX {
				y := cc + rr*xi
				ys = append(ys, y)
				lws = append(lws, math.Log(rr*glW[i])+g.LogPDF(y))
			}
		}
	}
	if cap(buf) < len(ys) {
		buf = make([]float64, len(ys))
	}
	buf = buf[:len(ys)]
	lmax := math.Inf(-1)
	for i, y := range ys {
		buf[i] = L(y, lws[i])
		if buf[i] > lmax {
			lmax = buf[i]
		}
	}
	var sum, mean float64
	for i, y := range ys {
		dl := buf[i] - lmax
		if dl < -smoothCut {
			continue
		}
		w := fastmath.Exp(dl)
		sum += w
		mean += w * (m*y - q)
	}
	score = mean / (sum * s * s)
	logp = math.Log(sum) + lmax - math.Log(2*math.Pi*s*s)/2
	return score, logp, buf
}
