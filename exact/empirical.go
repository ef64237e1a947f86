package exact

import (
	"errors"
	"fmt"
	"math"
	"sort"

	"scoresde/data"
	"scoresde/internal/fastmath"
	"scoresde/sde"
)

// EmpiricalOptimum is the exact minimiser, over all functions, of the
// denoising score-matching loss on a finite training set x_1..x_M: at each
// time t it is the score of the smoothed empirical distribution
//
//	p_t(x) = (1/M) Σ_j N(x; m(t)x_j, s(t)²I),
//	∇log p_t(x) = Σ_j w_j (m x_j − x)/s²,  w = softmax_j(−|x − m x_j|²/(2s²)).
//
// No model trained on that set can reach a lower loss; near t=0 it
// reproduces the training points (memorisation), so it is the reference for
// the optimisation error, not for generalisation.
//
// Evaluation sorts the data by first coordinate and skips points whose first
// coordinate alone puts their weight below e^−c times the largest,
// c = 36 + ln M, so the neglected weight is below e^−36 ≈ 2e−16 relative.
// An EmpiricalOptimum is safe for concurrent use.
type EmpiricalOptimum struct {
	sde  sde.SDE
	d    int
	x    []float64 // data rows sorted by first coordinate
	key  []float64 // first coordinates, ascending
	logM float64
	cut  float64
}

// NewEmpiricalOptimum copies the training set and prepares it for
// evaluation under the SDE's perturbation kernel.
func NewEmpiricalOptimum(x0 *data.Set, s sde.SDE) (*EmpiricalOptimum, error) {
	if x0 == nil {
		return nil, errors.New("exact: nil training set")
	}
	if s == nil {
		return nil, errors.New("exact: nil SDE")
	}
	if err := x0.Validate(); err != nil {
		return nil, fmt.Errorf("exact: training set: %w", err)
	}
	d, m := x0.D, x0.Len()
	order := make([]int, m)
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return x0.X[order[a]*d] < x0.X[order[b]*d] })
	e := &EmpiricalOptimum{sde: s, d: d, x: make([]float64, m*d), key: make([]float64, m),
		logM: math.Log(float64(m))}
	e.cut = 36 + e.logM
	for i, j := range order {
		copy(e.x[i*d:(i+1)*d], x0.Row(j))
		e.key[i] = e.x[i*d]
	}
	return e, nil
}

// Dim is the data dimension.
func (e *EmpiricalOptimum) Dim() int { return e.d }

// Len is the number of training points M.
func (e *EmpiricalOptimum) Len() int { return len(e.key) }

// Score writes ∇log p_t(x_i) for the len(x)/Dim() points of x into out,
// in parallel over points. If s(t) ≤ 0 the smoothed distribution has no
// density and out is filled with NaN. It panics if len(x) is not a multiple
// of Dim() or len(out) != len(x), as a slice index would.
func (e *EmpiricalOptimum) Score(x []float64, t float64, out []float64) {
	checkBatch(e.d, x, out)
	m, s := e.sde.MeanScale(t), e.sde.Std(t)
	n := len(x) / e.d
	parallelFor(n, 8, func(lo, hi int) {
		var buf []float64 // logits, needed only for d > 1
		for i := lo; i < hi; i++ {
			e.eval(x[i*e.d:(i+1)*e.d], m, s, out[i*e.d:(i+1)*e.d], &buf)
		}
	})
}

// LogDensity returns log p_t(x) for one point x; NaN if s(t) ≤ 0.
func (e *EmpiricalOptimum) LogDensity(x []float64, t float64) float64 {
	if len(x) != e.d {
		return math.NaN()
	}
	m, s := e.sde.MeanScale(t), e.sde.Std(t)
	return e.eval(x, m, s, nil, nil)
}

func checkBatch(d int, x, out []float64) {
	if len(x)%d != 0 {
		panic(fmt.Sprintf("exact: %d values do not split into points of dimension %d", len(x), d))
	}
	if len(out) != len(x) {
		panic(fmt.Sprintf("exact: output has length %d, want %d (same as input)", len(out), len(x)))
	}
}

// window returns the range [jlo, jhi) of sorted data that can carry weight
// above e^−cut relative to the largest, for query q, and the squared
// distance d2 to the nearest data point by first coordinate (in 1-D the
// nearest overall).
func (e *EmpiricalOptimum) window(q []float64, m, s float64) (jlo, jhi int, d2 float64) {
	M := len(e.key)
	// Any data point's distance D bounds the nearest distance from above;
	// points with |q_1 − m·key| > sqrt(D² + 2s²c) are then negligible.
	j := sort.SearchFloat64s(e.key, q[0]/m)
	d2 = math.Inf(1)
	for _, c := range []int{j - 1, j} {
		if c >= 0 && c < M {
			d2 = math.Min(d2, e.dist2(q, m, c))
		}
	}
	r := math.Sqrt(d2 + 2*s*s*e.cut)
	jlo = sort.SearchFloat64s(e.key, (q[0]-r)/m)
	jhi = sort.Search(M, func(i int) bool { return e.key[i] > (q[0]+r)/m })
	return jlo, jhi, d2
}

func (e *EmpiricalOptimum) dist2(q []float64, m float64, j int) float64 {
	row := e.x[j*e.d : (j+1)*e.d]
	d2 := 0.0
	for k, v := range q {
		u := v - m*row[k]
		d2 += u * u
	}
	return d2
}

// eval writes the score into out (if non-nil) and returns log p_t(q).
// buf is scratch for M logits, allocated if nil and needed; the caller may
// pass it back in.
func (e *EmpiricalOptimum) eval(q []float64, m, s float64, out []float64, buf *[]float64) float64 {
	if !(s > 0) || math.IsNaN(m) || math.IsInf(s, 0) || math.IsInf(m, 0) {
		for k := range out {
			out[k] = math.NaN()
		}
		return math.NaN()
	}
	jlo, jhi, d2 := 0, len(e.key), math.NaN()
	if m > 0 {
		jlo, jhi, d2 = e.window(q, m, s)
		if e.d == 1 && !math.IsNaN(d2) {
			return e.sum1(q[0], m, s, jlo, jhi, d2, out)
		}
	}
	if buf == nil {
		buf = new([]float64)
	}
	if len(*buf) < len(e.key) {
		*buf = make([]float64, len(e.key))
	}
	return e.sum(q, m, s, jlo, jhi, out, *buf, e.cut)
}

// sum1 is sum for 1-D data, where the window search found the nearest
// point, so the largest logit −d2/(2s²) is known and one pass suffices.
func (e *EmpiricalOptimum) sum1(q, m, s float64, jlo, jhi int, d2 float64, out []float64) float64 {
	inv := 1 / (2 * s * s)
	lmax := -d2 * inv
	// Weights e^(−inv·u² − lmax) ≤ 1, u = q − m·x, four at a time.
	sum, mom := fastmath.GaussSums(e.key[jlo:jhi], q, m, inv, lmax)
	if out != nil {
		out[0] = -mom / (sum * s * s)
	}
	return math.Log(sum) + lmax - e.logM - 0.5*math.Log(2*math.Pi*s*s)
}

// sum is the log-sum-exp over data points jlo..jhi−1; terms below the
// largest by more than cut are skipped. With cut = +Inf it is the plain
// brute-force sum with math.Exp, the reference the tests compare against.
func (e *EmpiricalOptimum) sum(q []float64, m, s float64, jlo, jhi int, out, buf []float64, cut float64) float64 {
	inv := 1 / (2 * s * s)
	lmax := math.Inf(-1)
	for j := jlo; j < jhi; j++ {
		l := -e.dist2(q, m, j) * inv
		buf[j] = l
		if l > lmax {
			lmax = l
		}
	}
	for k := range out {
		out[k] = 0
	}
	sum := 0.0
	for j := jlo; j < jhi; j++ {
		dl := buf[j] - lmax
		if dl < -cut {
			continue
		}
		var w float64
		if math.IsInf(cut, 1) {
			w = math.Exp(dl)
		} else {
			w = fastmath.Exp(dl)
		}
		sum += w
		if out != nil {
			row := e.x[j*e.d : (j+1)*e.d]
			for k := range out {
				out[k] += w * (m*row[k] - q[k])
			}
		}
	}
	for k := range out {
		out[k] /= sum * s * s
	}
	d := float64(e.d)
	return math.Log(sum) + lmax - e.logM - 0.5*d*math.Log(2*math.Pi*s*s)
}
