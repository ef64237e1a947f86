// Package train fits a score network by denoising score matching (DSM):
// it minimises E_t E_{x0} E_z [(½|u(x,t)|² + u(x,t)·z/s(t)) λ(t)] with
// x = m(t)x0 + s(t)z, which equals ½E[λ|u − ∇log p_t(x|x0)|²] up to a constant.
// With λ(t) = s(t)² this is the notebook's loss.
package train

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"scoresde/data"
	"scoresde/nn"
	"scoresde/optim"
	"scoresde/precond"
	"scoresde/sde"
)

// Weighting names λ(t) in the loss.
const (
	WeightStd2 = "std2" // λ = s(t)², the notebook's choice
	WeightG2   = "g2"   // λ = g(t)², the likelihood weighting of Song et al. 2021
)

// Config holds the training hyper-parameters.
type Config struct {
	Epochs    int     `json:"epochs"`     // full passes over the data (notebook: 5000)
	BatchSize int     `json:"batch_size"` // rows per step (notebook: 2000); the incomplete last batch is dropped
	LR        float64 `json:"lr"`         // Adam learning rate (notebook: 1e-3)
	MinTime   float64 `json:"min_time"`   // ε in t ~ U[ε, T]; negative means the SDE's default
	Weighting string  `json:"weighting"`  // WeightStd2 (default) or WeightG2
	EMA       float64 `json:"ema"`        // EMA decay of the weights; 0 disables
	// Precond is the network's parametrisation (see package precond):
	// "auto" (none for VE, edm for VP/sub-VP), "none", "sigma" or "edm".
	Precond string `json:"precond"`
}

// DefaultConfig is the notebook's.
func DefaultConfig() Config {
	return Config{Epochs: 5000, BatchSize: 2000, LR: 1e-3, MinTime: -1, Weighting: WeightStd2, Precond: precond.Auto}
}

// Validate names the first impossible parameter.
func (c Config) Validate(nData int) error {
	switch {
	case c.Epochs < 0:
		return fmt.Errorf("epochs must be ≥ 0, got %d", c.Epochs)
	case c.BatchSize < 1:
		return fmt.Errorf("batch size must be ≥ 1, got %d", c.BatchSize)
	case c.BatchSize > nData:
		return fmt.Errorf("batch size %d exceeds the %d data points (the incomplete last batch is dropped, so no step would run); lower --batch", c.BatchSize, nData)
	case !(c.LR > 0) || math.IsInf(c.LR, 0):
		return fmt.Errorf("learning rate must be positive and finite, got %v", c.LR)
	case c.Weighting != WeightStd2 && c.Weighting != WeightG2:
		return fmt.Errorf("weighting must be %q or %q, got %q", WeightStd2, WeightG2, c.Weighting)
	case c.EMA < 0 || c.EMA >= 1 || math.IsNaN(c.EMA):
		return fmt.Errorf("EMA decay must be in [0, 1), got %v", c.EMA)
	case math.IsNaN(c.MinTime) || math.IsInf(c.MinTime, 0):
		return fmt.Errorf("minimum time must be finite, got %v", c.MinTime)
	}
	if err := precond.Check(c.Precond); err != nil {
		return err
	}
	if c.Precond == precond.EDM && c.Weighting == WeightG2 {
		return fmt.Errorf("precond edm brings its own loss weighting; drop weighting %q", WeightG2)
	}
	return nil
}

// NewPrecond is the parametrisation training with cfg on ds under s uses:
// cfg.Precond resolved for s on [ε, T] with ε = cfg.MinTime (negative: the
// SDE's default) and, for edm, σ_data the RMS of ds.
func NewPrecond(cfg Config, s sde.SDE, ds *data.Set) (*precond.Precond, error) {
	eps := cfg.MinTime
	if eps < 0 {
		eps = s.MinTime()
	}
	if eps >= s.T() {
		return nil, fmt.Errorf("minimum time %v must be below T = %v", eps, s.T())
	}
	return precond.New(cfg.Precond, s, eps, precond.RMS(ds.X))
}

// State is everything needed to continue training bit for bit.
type State struct {
	Epoch  int         // epochs completed
	Net    *nn.MLP     // current weights
	Adam   *optim.Adam // optimiser moments and step count
	EMA    *optim.EMA  // nil when disabled
	RNG    *rand.PCG   // the single stream for shuffles, times and noise
	Losses []float64   // mean loss of each completed epoch
}

// Trainer runs DSM training epochs on one data set.
type Trainer struct {
	cfg  Config
	sde  sde.SDE
	data *data.Set
	st   *State
	rng  *rand.Rand
	eps  float64
	warp sde.TimeWarp // t as the network sees it (kinds none and sigma)
	pre  *precond.Precond
	// plain: the notebook's parametrisation, the network's output is the
	// score (the loss in its original form, bit for bit); edm: EDM's
	// training times and loss weight.
	plain, edm bool

	ws     *nn.Workspace
	perm   []int
	rows   []int     // the current batch's data indices
	seed   uint64    // the current step's seed for the tiles' draws
	gens   []rowGen  // one per tile of the batch
	z      []float32 // batch × d noise
	invS   []float32 // 1/s(t) per row
	w      []float32 // λ(t)/batch per row
	k      []float32 // λ(t)·Out(t)²/batch per row, the loss weight on F (not plain)
	tgt    []float32 // batch × d: the F that makes the score exact for the row (not plain)
	grad   []float32
	adam   optim.AdamStep // the current step's
	batch  nn.BatchFunc
	loss   nn.LossGrad
	update nn.UpdateFunc
}

// rowGen is a tile's scratch for makeRows: its rows' times and their
// kernels' means and stds. Each tile of a batch has its own, so the
// workers share none.
type rowGen struct {
	t, m, s []float64
}

// New prepares a trainer. st.Net must have input d+1 and output d.
func New(cfg Config, s sde.SDE, ds *data.Set, st *State) (*Trainer, error) {
	if err := ds.Validate(); err != nil {
		return nil, err
	}
	if err := cfg.Validate(ds.Len()); err != nil {
		return nil, err
	}
	d := ds.D
	if st.Net.In != d+1 || st.Net.Out != d {
		return nil, fmt.Errorf("network maps %d→%d but data of dimension %d need %d→%d", st.Net.In, st.Net.Out, d, d+1, d)
	}
	pre, err := NewPrecond(cfg, s, ds)
	if err != nil {
		return nil, err
	}
	eps := pre.MinTime()
	if st.Adam == nil {
		st.Adam = optim.NewAdam(st.Net.NumParams(), cfg.LR)
	}
	if st.EMA == nil && cfg.EMA > 0 {
		st.EMA = optim.NewEMA(st.Net.Params, cfg.EMA)
	}
	b := cfg.BatchSize
	tiles, size := nn.Tiling(b)
	size = min(size, b)
	tr := &Trainer{
		cfg: cfg, sde: s, data: ds, st: st, rng: rand.New(st.RNG), eps: eps, warp: pre.Warp(),
		pre: pre, plain: pre.Kind() == precond.None, edm: pre.Kind() == precond.EDM,
		ws:   st.Net.NewWorkspace(b),
		perm: make([]int, ds.Len()),
		gens: make([]rowGen, tiles),
		z:    make([]float32, b*d),
		invS: make([]float32, b),
		w:    make([]float32, b),
		k:    make([]float32, b),
		tgt:  make([]float32, b*d),
		grad: make([]float32, st.Net.NumParams()),
	}
	for i := range tr.gens {
		g := &tr.gens[i]
		g.t, g.m, g.s = make([]float64, size), make([]float64, size), make([]float64, size)
	}
	tr.batch, tr.loss, tr.update = tr.makeRows, tr.lossGrad, tr.applyUpdate
	return tr, nil
}

// Close releases the worker goroutines.
func (tr *Trainer) Close() { tr.ws.Close() }

// State returns the live training state (not a copy).
func (tr *Trainer) State() *State { return tr.st }

// Precond is the parametrisation the network is trained under.
func (tr *Trainer) Precond() *precond.Precond { return tr.pre }

// lossGrad writes dL/du for rows [lo,hi) and returns their summed weighted
// loss (divided by the batch size through w). u is the network's output:
// the score itself when plain, else F with score Skip·x + Out·F, for which
// ½λ|score + z/s|² = ½λ·Out²|F − F*|².
func (tr *Trainer) lossGrad(lo, hi int, u, g []float32) float64 {
	if !tr.plain {
		return tr.lossGradF(lo, hi, u, g)
	}
	d := tr.data.D
	sum := 0.0
	for r := lo; r < hi; r++ {
		ur := u[(r-lo)*d : (r-lo+1)*d]
		gr := g[(r-lo)*d : (r-lo+1)*d]
		zr := tr.z[r*d : (r+1)*d]
		inv, w := tr.invS[r], tr.w[r]
		var l float32
		for j := range ur {
			zs := zr[j] * inv
			l += (0.5*ur[j] + zs) * ur[j]
			gr[j] = (ur[j] + zs) * w
		}
		sum += float64(l * w)
	}
	return sum
}

// lossGradF is lossGrad for a parametrised network output F: the same loss
// (½|u|² + u·z/s)λ = ½λ|u + z/s|² − ½λ|z/s|², written in F so that the
// large, nearly cancelling terms of u and z/s at small s never meet in
// float32.
func (tr *Trainer) lossGradF(lo, hi int, u, g []float32) float64 {
	d := tr.data.D
	sum := 0.0
	for r := lo; r < hi; r++ {
		ur := u[(r-lo)*d : (r-lo+1)*d]
		gr := g[(r-lo)*d : (r-lo+1)*d]
		zr := tr.z[r*d : (r+1)*d]
		tg := tr.tgt[r*d : (r+1)*d]
		inv, w, k := tr.invS[r], tr.w[r], tr.k[r]
		var e2, z2 float32
		for j := range ur {
			e := ur[j] - tg[j]
			zs := zr[j] * inv
			e2 += e * e
			z2 += zs * zs
			gr[j] = k * e
		}
		sum += 0.5*float64(k*e2) - 0.5*float64(w*z2)
	}
	return sum
}

// makeRows is the BatchFunc: it draws t and z for rows [lo, hi) of the
// batch, one tile, and writes the network inputs [x_t, t]. The tile's
// draws come from a generator seeded with the step's seed and the tile's
// index, so they do not depend on which worker makes them or when: first
// the tile's times, one draw a row, then its noise. It works in passes
// over the tile (times, kernels, noise, rows): one loop doing all of a
// row's work chained a uniform draw, an exponential, a division and the
// normal draws, longer than the processor could overlap, and took 57
// rather than 26 ns a row.
func (tr *Trainer) makeRows(tile, lo, hi int, in []float32) {
	d := tr.data.D
	invB := 1 / float64(len(tr.rows))
	g := &tr.gens[tile]
	n := hi - lo
	ts, ms, ss := g.t[:n], g.m[:n], g.s[:n]
	src := rowSource{}
	src.seed(tr.seed, uint64(tile))
	if tr.edm {
		for i := range ts {
			ts[i] = tr.pre.Time(src.Float64())
		}
	} else {
		for i := range ts {
			ts[i] = tr.warp.Time(src.Float64())
		}
	}
	sde.Kernels(tr.sde, ts, ms, ss)
	z := tr.z[lo*d : hi*d]
	src.fillNormal(z)
	g2 := tr.cfg.Weighting == WeightG2
	for i, t := range ts {
		r := lo + i
		s, m := ss[i], ms[i]
		lam := s * s
		if g2 {
			gt := tr.sde.Diffusion(t)
			lam = gt * gt
		}
		if tr.edm {
			lam = tr.pre.EDMWeight(m, s)
		}
		tr.invS[r] = float32(1 / s)
		tr.w[r] = float32(lam * invB)
		idx := tr.rows[r]
		x0 := tr.data.X[idx*d : (idx+1)*d]
		row := in[i*(d+1) : (i+1)*(d+1)]
		if !tr.plain {
			tr.parametrisedRow(r, t, m, s, lam*invB, x0, z[i*d:(i+1)*d], row)
			continue
		}
		for j, zj := range z[i*d : (i+1)*d] {
			row[j] = float32(m*x0[j] + s*float64(zj))
		}
		row[d] = float32(tr.warp.At(t))
	}
}

// parametrisedRow writes row r's network input [In·x, Noise], its target
// F* = −(Skip·x + z/s)/Out and its weight on F, λ·Out²/batch (wB is λ/batch).
func (tr *Trainer) parametrisedRow(r int, t, m, s, wB float64, x0 []float64, z, row []float32) {
	c := tr.pre.AtKernel(t, m, s)
	d := len(x0)
	tg := tr.tgt[r*d : (r+1)*d]
	for j, zj := range z {
		x := m*x0[j] + s*float64(zj)
		row[j] = float32(c.In * x)
		tg[j] = float32(-(c.Skip*x + float64(zj)/s) / c.Out)
	}
	row[d] = float32(c.Noise)
	tr.k[r] = float32(wB * c.Out * c.Out)
}

// step does one Adam step on the rows perm[lo:lo+batch] and returns the batch loss.
func (tr *Trainer) step(rows []int) float64 {
	tr.rows = rows
	tr.seed = tr.rng.Uint64()
	tr.adam = tr.st.Adam.Next()
	loss := tr.st.Net.GradientFunc(tr.ws, len(rows), tr.batch, tr.loss, tr.grad, tr.update)
	tr.rows = nil
	return loss
}

// applyUpdate is the UpdateFunc: the step's Adam update (and EMA) of
// parameters [lo, hi), run by the workers on disjoint ranges.
func (tr *Trainer) applyUpdate(lo, hi int) {
	tr.adam.Apply(tr.st.Net.Params, tr.grad, lo, hi)
	if tr.st.EMA != nil {
		tr.st.EMA.UpdateRange(tr.st.Net.Params, lo, hi)
	}
}

// ErrDiverged is wrapped by the error Run returns when the loss is not finite.
var ErrDiverged = fmt.Errorf("training diverged")

// Run trains until `epochs` epochs are complete, ctx is cancelled, or the
// loss is not finite. after, if non-nil, is called after every epoch (for
// progress and checkpoints); an error from it stops training.
func (tr *Trainer) Run(ctx context.Context, epochs int, after func(st *State) error) error {
	n, b := tr.data.Len(), tr.cfg.BatchSize
	for tr.st.Epoch < epochs {
		if err := ctx.Err(); err != nil {
			return err
		}
		for i := range tr.perm {
			tr.perm[i] = i
		}
		shuffle(tr.perm, tr.rng.Uint64())
		sum, steps := 0.0, 0
		for lo := 0; lo+b <= n; lo += b {
			l := tr.step(tr.perm[lo : lo+b])
			if math.IsNaN(l) || math.IsInf(l, 0) {
				return fmt.Errorf("%w at epoch %d: the loss is %v; lower the learning rate (--lr) or check the data scale", ErrDiverged, tr.st.Epoch+1, l)
			}
			sum += l
			steps++
		}
		tr.st.Losses = append(tr.st.Losses, sum/float64(steps))
		tr.st.Epoch++
		if after != nil {
			if err := after(tr.st); err != nil {
				return err
			}
		}
	}
	return nil
}

// MinTime is ε, the smallest training time.
func (tr *Trainer) MinTime() float64 { return tr.eps }

// StepsPerEpoch is the number of full batches in one epoch.
func (tr *Trainer) StepsPerEpoch() int { return tr.data.Len() / tr.cfg.BatchSize }
