package sampler

import (
	"math"
	"math/rand/v2"
	"slices"

	"scoresde/sde"
)

// gaussScore is the exact score of p_t when the data are N(μ, σ²I) in d
// dimensions: p_t = N(m(t)μ, (m(t)²σ² + s(t)²)I), with VE's η_min smoothing
// already inside s(t). It counts its evaluations.
type gaussScore struct {
	s         sde.SDE
	d         int
	mu, sigma float64
	calls     int
}

func (g *gaussScore) Dim() int { return g.d }

// moments returns the mean and variance of each coordinate under p_t.
func (g *gaussScore) moments(t float64) (mean, v float64) {
	m, sd := g.s.MeanScale(t), g.s.Std(t)
	return m * g.mu, m*m*g.sigma*g.sigma + sd*sd
}

func (g *gaussScore) Score(x []float64, t float64, out []float64) {
	g.calls++
	mean, v := g.moments(t)
	for j := range x {
		out[j] = -(x[j] - mean) / v
	}
}

func (g *gaussScore) ScoreDiv(x []float64, t float64, out, div []float64) {
	g.Score(x, t, out)
	_, v := g.moments(t)
	for p := range div {
		div[p] = -float64(g.d) / v
	}
}

// draw returns n points from p_t.
func (g *gaussScore) draw(rng *rand.Rand, n int, t float64) []float64 {
	mean, v := g.moments(t)
	x := make([]float64, n*g.d)
	for j := range x {
		x[j] = mean + math.Sqrt(v)*rng.NormFloat64()
	}
	return x
}

// mixtureScore is the exact score of p_t for 1-D data from a Gaussian
// mixture, components N(μ_k, σ_k²) with weights w_k: p_t is the mixture of
// N(mμ_k, m²σ_k² + s²).
type mixtureScore struct {
	s          sde.SDE
	w, mu, sig []float64
}

// fourWells mimics the notebook's four-well Langevin data: modes near
// ±0.25 and ±0.75 with widths ≈ 0.08.
func fourWells(s sde.SDE) *mixtureScore {
	return &mixtureScore{s: s,
		w:   []float64{0.2, 0.3, 0.3, 0.2},
		mu:  []float64{-0.75, -0.25, 0.25, 0.75},
		sig: []float64{0.08, 0.07, 0.07, 0.08},
	}
}

func (q *mixtureScore) Dim() int { return 1 }

func (q *mixtureScore) comps(t float64) (mean, v []float64) {
	m, sd := q.s.MeanScale(t), q.s.Std(t)
	mean, v = make([]float64, len(q.w)), make([]float64, len(q.w))
	for k := range q.w {
		mean[k] = m * q.mu[k]
		v[k] = m*m*q.sig[k]*q.sig[k] + sd*sd
	}
	return mean, v
}

// logDensity is log p_t(x).
func (q *mixtureScore) logDensity(x, t float64) float64 {
	mean, v := q.comps(t)
	lw := make([]float64, len(q.w))
	top := math.Inf(-1)
	for k := range q.w {
		lw[k] = math.Log(q.w[k]) - 0.5*(x-mean[k])*(x-mean[k])/v[k] - 0.5*math.Log(2*math.Pi*v[k])
		top = max(top, lw[k])
	}
	sum := 0.0
	for _, l := range lw {
		sum += math.Exp(l - top)
	}
	return top + math.Log(sum)
}

// cdf is P_t(X ≤ x).
func (q *mixtureScore) cdf(x, t float64) float64 {
	mean, v := q.comps(t)
	c := 0.0
	for k := range q.w {
		c += q.w[k] * 0.5 * math.Erfc(-(x-mean[k])/math.Sqrt(2*v[k]))
	}
	return c
}

func (q *mixtureScore) Score(x []float64, t float64, out []float64) {
	q.ScoreDiv(x, t, out, nil)
}

// ScoreDiv uses the responsibilities r_k: s = Σ r_k u_k with
// u_k = −(x−μ_k)/v_k, and ds/dx = Σ r_k(u_k² − 1/v_k) − s².
func (q *mixtureScore) ScoreDiv(x []float64, t float64, out, div []float64) {
	mean, v := q.comps(t)
	c := make([]float64, len(q.w)) // log w_k − ½ log v_k
	for k := range q.w {
		c[k] = math.Log(q.w[k]) - 0.5*math.Log(v[k])
	}
	lw := make([]float64, len(q.w))
	for i, xi := range x {
		top := math.Inf(-1)
		for k := range q.w {
			lw[k] = c[k] - 0.5*(xi-mean[k])*(xi-mean[k])/v[k]
			top = max(top, lw[k])
		}
		var z, s1, s2 float64
		for k := range q.w {
			r := math.Exp(lw[k] - top)
			u := -(xi - mean[k]) / v[k]
			z += r
			s1 += r * u
			s2 += r * (u*u - 1/v[k])
		}
		s1 /= z
		out[i] = s1
		if div != nil {
			div[i] = s2/z - s1*s1
		}
	}
}

// draw returns n points from p_t.
func (q *mixtureScore) draw(rng *rand.Rand, n int, t float64) []float64 {
	mean, v := q.comps(t)
	x := make([]float64, n)
	for i := range x {
		u, k := rng.Float64(), 0
		for k < len(q.w)-1 && u > q.w[k] {
			u -= q.w[k]
			k++
		}
		x[i] = mean[k] + math.Sqrt(v[k])*rng.NormFloat64()
	}
	return x
}

// ksDistance is sup |F_n − F| of the sample x against the cdf F.
func ksDistance(x []float64, F func(float64) float64) float64 {
	s := append([]float64(nil), x...)
	sortFloats(s)
	n := float64(len(s))
	d := 0.0
	for i, v := range s {
		f := F(v)
		d = max(d, math.Abs(float64(i+1)/n-f), math.Abs(f-float64(i)/n))
	}
	return d
}

func sortFloats(x []float64) { slices.Sort(x) }
