package pipeline

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"path/filepath"
	"sort"
	"strconv"

	"scoresde/data"
	"scoresde/dataio"
	"scoresde/exact"
	"scoresde/figures"
	"scoresde/langevin"
	"scoresde/potential"
	"scoresde/progress"
	"scoresde/report"
	"scoresde/reweight"
	"scoresde/sampler"
)

// ReweightConfig turns on Boltzmann reweighting of the model's samples.
type ReweightConfig struct {
	On bool `json:"on"`
	// Beta is the inverse temperature to reweight to; 0 means the data's
	// (Data.Beta).
	Beta float64 `json:"beta,omitempty"`
	// Bootstrap is the number of resamples behind the error bars; 0 means
	// DefaultBootstrap.
	Bootstrap int `json:"bootstrap,omitempty"`
}

// DefaultBootstrap is the number of bootstrap resamples for error bars:
// enough for a standard error good to about 5%.
const DefaultBootstrap = 200

// streamReweight is the random stream of the reweighted draw, apart from
// the phase streams in run.go so the other phases are unchanged.
const streamReweight uint64 = 101

// Thresholds below which the weighted estimates are flagged: an ESS under
// 100 points, or under 2% of the draw, leaves a few samples carrying the
// answer.
const (
	minESS         = 100
	minESSFraction = 0.02
)

// Reweighting is the "reweighting" section of metrics.json: the model's
// probability-flow samples reweighted by w ∝ exp(−βV(x))/p_θ(x) to the
// Boltzmann density of the energy V.
type Reweighting struct {
	Potential string  `json:"potential"`
	Beta      float64 `json:"beta"`
	Samples   int     `json:"samples"`
	NFE       int     `json:"nfe"`
	// ESS is the Kish effective sample size (Σw)²/Σw²; ESSFraction is
	// ESS/Samples. Higher is better; MaxWeight is the largest normalised
	// weight.
	ESS         float64 `json:"ess"`
	ESSFraction float64 `json:"ess_fraction"`
	MaxWeight   float64 `json:"max_weight"`
	Warning     string  `json:"warning,omitempty"`
	// 1-D: well shares between Splits, and ΔF of each well relative to
	// well Reference (−β⁻¹ ln(P_k/P_ref)), with bootstrap standard errors.
	Splits          []float64 `json:"splits,omitempty"`
	SharesData      []float64 `json:"shares_data,omitempty"`
	SharesModel     []float64 `json:"shares_model,omitempty"`
	SharesWeighted  []float64 `json:"shares_weighted,omitempty"`
	SharesWeightedE Floats    `json:"shares_weighted_stderr,omitempty"`
	SharesExact     []float64 `json:"shares_exact,omitempty"`
	// MaxShareDiff is the largest |weighted − exact| share.
	MaxShareDiff *float64 `json:"max_share_diff_exact,omitempty"`
	Reference    int      `json:"delta_f_reference,omitempty"`
	DeltaFData   Floats   `json:"delta_f_data,omitempty"`
	DeltaFModel  Floats   `json:"delta_f_model,omitempty"`
	DeltaF       Floats   `json:"delta_f_weighted,omitempty"`
	DeltaFE      Floats   `json:"delta_f_weighted_stderr,omitempty"`
	DeltaFExact  Floats   `json:"delta_f_exact,omitempty"`
	// 1-D with a known potential: distances to the exact Gibbs density at
	// Beta, weighted and (for comparison) unweighted model samples.
	W1Weighted *float64 `json:"w1_weighted_gibbs,omitempty"`
	KSWeighted *float64 `json:"ks_weighted_gibbs,omitempty"`
	W1Model    *float64 `json:"w1_model_gibbs,omitempty"`
	KSModel    *float64 `json:"ks_model_gibbs,omitempty"`
	// 2-D with a known potential: W1 of each coordinate to the exact
	// marginals (Gibbs density by quadrature on a grid over the data's box
	// enlarged by a quarter each side; ExactEdgeMass is its mass in the
	// box's outer cells), and the basins of V's minima (BasinMinima; those
	// holding at least 0.1% of the exact mass) for the shares and ΔF.
	MarginalW1Weighted []float64    `json:"marginal_w1_weighted_gibbs,omitempty"`
	MarginalW1Model    []float64    `json:"marginal_w1_model_gibbs,omitempty"`
	MarginalW1Data     []float64    `json:"marginal_w1_data_gibbs,omitempty"`
	ExactEdgeMass      *float64     `json:"exact_edge_mass,omitempty"`
	BasinMinima        [][2]float64 `json:"basin_minima,omitempty"`
}

// Floats is a list of numbers in which ±Inf and NaN (the ΔF of a well no
// sample reached, a standard error from too few resamples) are written to
// JSON as null.
type Floats []float64

// MarshalJSON writes non-finite values as null.
func (f Floats) MarshalJSON() ([]byte, error) {
	b := []byte{'['}
	for i, v := range f {
		if i > 0 {
			b = append(b, ',')
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			b = append(b, "null"...)
			continue
		}
		b = strconv.AppendFloat(b, v, 'g', -1, 64)
	}
	return append(b, ']'), nil
}

// UnmarshalJSON reads null as NaN.
func (f *Floats) UnmarshalJSON(b []byte) error {
	var v []*float64
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*f = make(Floats, len(v))
	for i, p := range v {
		(*f)[i] = math.NaN()
		if p != nil {
			(*f)[i] = *p
		}
	}
	return nil
}

// validateReweight checks the reweighting settings and the potential
// expression before any work starts.
func (c Config) validateReweight() error {
	if c.Data.PotentialExpr != "" {
		if _, err := potential.Parse(c.Data.PotentialExpr, 0); err != nil {
			return &SettingError{Key: "data.potential_expr", Msg: err.Error()}
		}
	}
	r := c.Reweight
	if r.Beta < 0 || math.IsNaN(r.Beta) || math.IsInf(r.Beta, 0) {
		return &SettingError{Key: "reweight.beta", Msg: fmt.Sprintf("must be a positive finite number (0: the data's β), got %v", r.Beta)}
	}
	if r.Bootstrap < 0 {
		return &SettingError{Key: "reweight.bootstrap", Msg: fmt.Sprintf("bootstrap resamples must be ≥ 0, got %d", r.Bootstrap)}
	}
	if r.Beta > 0 && !r.On {
		return &SettingError{Key: "reweight.beta", Msg: "another temperature is only used when reweighting; turn reweighting on"}
	}
	if !r.On {
		return nil
	}
	if c.Data.PotentialExpr == "" && c.Data.File != "" && (c.Truth == "auto" || c.Truth == "" || c.Truth == "none") {
		return &SettingError{Key: "reweight.on", Msg: "reweighting needs the energy of the data: give a potential expression or name the true potential for a data file"}
	}
	if c.reweightBeta() <= 0 {
		return &SettingError{Key: "reweight.on", Msg: "reweighting needs a positive inverse temperature; set β or the reweighting β"}
	}
	return nil
}

func (c Config) reweightBeta() float64 {
	if c.Reweight.Beta > 0 {
		return c.Reweight.Beta
	}
	return c.Data.Beta
}

// dataPotential is the potential Langevin data are generated in, with a
// start point: --potential-expr (start at the origin) or a named one.
func dataPotential(dc DataConfig, dim int) (langevin.Potential, []float64, error) {
	if dc.PotentialExpr == "" {
		return langevin.ByName(dc.Potential)
	}
	p, err := potential.Parse(dc.PotentialExpr, dim)
	if err != nil {
		return nil, nil, &SettingError{Key: "data.potential_expr", Msg: err.Error()}
	}
	return p, make([]float64, p.Dim()), nil
}

// truthPotential is the potential whose Gibbs density the data follow, for
// truthFor: the expression when one is given and --truth is automatic,
// else the named one. It also returns the name to report.
func truthPotential(cfg Config, name string, d int) (langevin.Potential, string, error) {
	if cfg.Data.PotentialExpr != "" && (cfg.Truth == "auto" || cfg.Truth == "") {
		p, err := potential.Parse(cfg.Data.PotentialExpr, d)
		if err != nil {
			return nil, "", &SettingError{Key: "data.potential_expr", Msg: err.Error()}
		}
		return p, cfg.Data.PotentialExpr, nil
	}
	p, _, err := langevin.ByName(name)
	return p, name, err
}

// energyPotential is the energy V to reweight with, or nil when unknown.
func energyPotential(cfg Config, d int) (langevin.Potential, string, error) {
	name := cfg.Truth
	switch {
	case cfg.Data.PotentialExpr != "" && (name == "auto" || name == ""):
		return truthPotential(cfg, "", d)
	case name == "none", (name == "auto" || name == "") && cfg.Data.File != "":
		return nil, "", nil
	case name == "auto" || name == "":
		name = cfg.Data.Potential
	}
	p, _, err := langevin.ByName(name)
	if err != nil {
		return nil, "", err
	}
	if p.Dim() != d {
		return nil, "", fmt.Errorf("potential %s has dimension %d but the data have dimension %d; choose a potential of the data's dimension", name, p.Dim(), d)
	}
	return p, name, nil
}

// CheckPotential checks, once the data are known, that the potential
// expression (if any) fits their dimension.
func CheckPotential(cfg Config, ds *data.Set) error {
	if cfg.Data.PotentialExpr == "" {
		return nil
	}
	_, err := potential.Parse(cfg.Data.PotentialExpr, ds.D)
	if err != nil {
		return &SettingError{Key: "data.potential_expr", Msg: err.Error()}
	}
	return nil
}

// reweight is Run's reweighting phase (with --reweight): it adds the
// reweighting section to the metrics, rewriting metrics.json, and writes
// reweighted.csv and the free-energy figure.
func (r *runner) reweight() error {
	if !r.cfg.Reweight.On {
		return nil
	}
	var files []string
	err := interruptible(r.ctx, "reweighting", func() (err error) {
		files, err = Reweight(r.cfg, r.model, r.ds, r.res.Metrics, r.opt)
		return err
	})
	if err != nil {
		return err
	}
	r.res.OutFiles = append(r.res.OutFiles, files...)
	return writeJSON(filepath.Join(r.cfg.Out, "metrics.json"), r.res.Metrics)
}

// Reweight draws cfg.Sample.N samples of the model through the
// probability-flow ODE with their log-density, weights them by
// exp(−βV)/p_θ, and records the estimates in m.Reweighting; it writes
// OUT/reweighted.csv and (with cfg.Figures) the free-energy figure, and
// returns the files written. A weak effective sample size is warned
// about on opt.Progress and recorded in the metrics.
func Reweight(cfg Config, model *Model, ds *data.Set, m *Metrics, opt Options) ([]string, error) {
	if model == nil {
		return nil, errors.New("--reweight needs a model; pass --model FILE")
	}
	pot, name, err := energyPotential(cfg, ds.D)
	if err != nil {
		return nil, err
	}
	if pot == nil {
		return nil, errors.New("--reweight needs the energy of the data: give --potential-expr EXPR or --truth NAME")
	}
	beta := cfg.reweightBeta()
	x, logP, nfe, err := model.sampleLogP(cfg, opt)
	if err != nil {
		return nil, err
	}
	d := ds.D
	n := len(logP)
	energy := make([]float64, n)
	for i := range n {
		energy[i] = pot.Value(x[i*d : (i+1)*d])
		if math.IsNaN(energy[i]) || math.IsInf(energy[i], -1) {
			return nil, fmt.Errorf("reweighting: V(%v) = %v for %s; write a potential defined (finite or +Inf) wherever the model puts samples", x[i*d:(i+1)*d], energy[i], name)
		}
	}
	wt, err := reweight.New(logP, energy, beta)
	if err != nil {
		return nil, err
	}
	ess := reweight.KishESS(wt.W)
	r := &Reweighting{Potential: name, Beta: beta, Samples: n, NFE: nfe, ESS: ess, ESSFraction: ess / float64(n), MaxWeight: reweight.MaxWeight(wt.W)}
	if ess < minESS || r.ESSFraction < minESSFraction {
		r.Warning = fmt.Sprintf("effective sample size %.0f (%.2g%% of %d samples) is too small to trust the reweighted estimates; "+
			"the model puts little mass where exp(−βV) does — train longer, draw more samples (--n), or reweight to a nearer β", ess, 100*r.ESSFraction, n)
		if opt.Progress != nil {
			fmt.Fprintf(opt.Progress, "warning: reweighting: %s\n", r.Warning)
		}
	}
	nb := cfg.Reweight.Bootstrap
	if nb == 0 {
		nb = DefaultBootstrap
	}
	rng := rngFor(cfg.Seed, streamReweight+1)
	var g *exact.Gibbs
	if d == 1 {
		if g, err = exact.NewGibbs(pot, beta); err != nil {
			return nil, fmt.Errorf("reweighting: exact density of %s at β=%g: %w", name, beta, err)
		}
		if err := r.oneD(g, ds.X, x, wt.W, cfg.Splits, beta, nb, rng); err != nil {
			return nil, err
		}
	}
	var g2 *exact.Gibbs2D
	if d == 2 {
		x0, x1, y0, y1 := box2D(ds, 0.25)
		if g2, err = exact.NewGibbs2D(pot, beta, x0, x1, y0, y1, grid2D); err != nil {
			return nil, fmt.Errorf("reweighting: exact density of %s at β=%g: %w", name, beta, err)
		}
		if err := r.twoD(g2, ds.X, x, wt.W, beta, nb, rng); err != nil {
			return nil, err
		}
	}
	m.Reweighting = r

	var files []string
	path := filepath.Join(cfg.Out, "reweighted.csv")
	if err := writeReweighted(path, x, d, logP, energy, wt); err != nil {
		return nil, err
	}
	files = append(files, path)
	if cfg.Figures {
		f, err := reweightFigures(cfg.Out, ds, x, wt.W, g, g2, pot, beta, nb, rng)
		if err != nil {
			return nil, err
		}
		files = append(files, f...)
	}
	return files, nil
}

// grid2D is the side of the quadrature grid of the 2-D Gibbs density: 300²
// cells resolve wells a hundredth of the box wide.
const grid2D = 300

// box2D is the data's bounding box enlarged by frac of its size each side.
func box2D(ds *data.Set, frac float64) (x0, x1, y0, y1 float64) {
	x0, y0 = math.Inf(1), math.Inf(1)
	x1, y1 = math.Inf(-1), math.Inf(-1)
	for i := range ds.Len() {
		p := ds.Row(i)
		x0, x1 = math.Min(x0, p[0]), math.Max(x1, p[0])
		y0, y1 = math.Min(y0, p[1]), math.Max(y1, p[1])
	}
	mx, my := frac*(x1-x0), frac*(y1-y0)
	return x0 - mx, x1 + mx, y0 - my, y1 + my
}

// sampleLogP draws cfg.Sample.N probability-flow samples in the data's
// coordinates with log p_θ at each (a shift has unit Jacobian).
func (m *Model) sampleLogP(cfg Config, opt Options) (x, logP []float64, nfe int, err error) {
	d := m.Dim()
	x = make([]float64, cfg.Sample.N*d)
	m.SDE.SamplePrior(rngFor(cfg.Seed, streamReweight), x)
	o := samplerOptions(cfg.Sample, nil)
	o.Method, o.Denoise = "ode", false
	bar := progress.New(opt.Progress, "reweight", "score evals", 0)
	net := m.Centred()
	counted := &countingScoreDiv{countingScore: countingScore{inner: net, bar: bar, ctx: opt.ctx}, div: net}
	r, err := sampler.ProbabilityFlowLogP(m.SDE, counted, x, o)
	if err != nil {
		return nil, nil, 0, fmt.Errorf("reweighting: %w", err)
	}
	bar.Finish(r.NFE, "")
	if opt.ctx != nil && opt.ctx.Err() != nil {
		return nil, nil, 0, interrupted(opt.ctx, "reweighting")
	}
	eps, err := sampler.EndTime(m.SDE, o)
	if err != nil {
		return nil, nil, 0, err
	}
	sampler.Unshift(x, m.SDE, eps, m.Shift)
	return x, r.LogP, r.NFE, nil
}

// oneD fills the 1-D estimates: shares, ΔF and distances to Gibbs.
func (r *Reweighting) oneD(g *exact.Gibbs, dataX, x, w, splits []float64, beta float64, nb int, rng *rand.Rand) error {
	lo, hi := g.Support()
	w1, err := reweight.W1CDF(x, w, g.CDF, lo, hi)
	if err != nil {
		return err
	}
	ks, _ := reweight.KSCDF(x, w, g.CDF)
	w1m, _ := reweight.W1CDF(x, nil, g.CDF, lo, hi)
	ksm, _ := reweight.KSCDF(x, nil, g.CDF)
	r.W1Weighted, r.KSWeighted, r.W1Model, r.KSModel = &w1, &ks, &w1m, &ksm
	if len(splits) == 0 {
		return nil
	}
	r.Splits = splits
	label := func(v float64) int { return sort.Search(len(splits), func(k int) bool { return splits[k] > v }) }
	var exactShares []float64
	prev := 0.0
	for _, s := range splits {
		c := g.CDF(s)
		exactShares = append(exactShares, c-prev)
		prev = c
	}
	exactShares = append(exactShares, 1-prev)
	r.basins(labelsOf(dataX, 1, func(p []float64) int { return label(p[0]) }), labelsOf(x, 1, func(p []float64) int { return label(p[0]) }),
		w, exactShares, beta, nb, rng)
	return nil
}

// twoD fills the 2-D estimates: weighted marginal W1 to the exact
// marginals and the shares and ΔF of the basins of V's minima, from the
// Gibbs density tabulated on a grid.
func (r *Reweighting) twoD(g *exact.Gibbs2D, dataX, x, w []float64, beta float64, nb int, rng *rand.Rand) error {
	r.ExactEdgeMass = &g.EdgeMass
	for k := range 2 {
		F := g.MarginalCDF(k)
		lo, hi := g.X[0], g.X[len(g.X)-1]
		if k == 1 {
			lo, hi = g.Y[0], g.Y[len(g.Y)-1]
		}
		col := func(v []float64) []float64 {
			c := make([]float64, len(v)/2)
			for i := range c {
				c[i] = v[2*i+k]
			}
			return c
		}
		xs := col(x)
		a, err := reweight.W1CDF(xs, w, F, lo, hi)
		if err != nil {
			return err
		}
		b, _ := reweight.W1CDF(xs, nil, F, lo, hi)
		c, _ := reweight.W1CDF(col(dataX), nil, F, lo, hi)
		r.MarginalW1Weighted = append(r.MarginalW1Weighted, a)
		r.MarginalW1Model = append(r.MarginalW1Model, b)
		r.MarginalW1Data = append(r.MarginalW1Data, c)
	}
	bs := g.Basins(minBasinMass)
	r.BasinMinima = bs.Minima
	lab := func(p []float64) int { return bs.Label(p[0], p[1]) }
	r.basins(labelsOf(dataX, 2, lab), labelsOf(x, 2, lab), w, bs.Mass, beta, nb, rng)
	return nil
}

// minBasinMass is the exact probability below which a 2-D basin is left
// out of the shares (a shallow dip the grid resolves but no one asks about).
const minBasinMass = 1e-3

func labelsOf(x []float64, d int, label func([]float64) int) []int {
	out := make([]int, len(x)/d)
	for i := range out {
		out[i] = label(x[i*d : (i+1)*d])
	}
	return out
}

// basins fills the shares and ΔF of data, model and weighted samples
// against the exact shares (reweight.Basins).
func (r *Reweighting) basins(dataLab, lab []int, w, exactShares []float64, beta float64, nb int, rng *rand.Rand) {
	b := reweight.Basins(dataLab, lab, w, exactShares, beta, nb, rng)
	md := b.MaxDiff
	r.SharesExact, r.SharesData, r.SharesModel, r.SharesWeighted = b.Exact, b.Data, b.Model, b.Weighted
	r.MaxShareDiff, r.Reference = &md, b.Reference
	r.DeltaFData, r.DeltaFModel, r.DeltaF, r.DeltaFExact = b.DeltaFData, b.DeltaFModel, b.DeltaF, b.DeltaFExact
	r.SharesWeightedE, r.DeltaFE = b.WeightedSE, b.DeltaFSE
}

// writeReweighted writes reweighted.csv: the coordinates, log p_θ, V,
// log w (unnormalised) and the normalised weight of each sample.
func writeReweighted(path string, x []float64, d int, logP, energy []float64, wt *reweight.Weights) error {
	n := len(logP)
	var header []string
	var cols [][]float64
	for j := range d {
		h := "x"
		if d > 1 {
			h = fmt.Sprintf("x%d", j+1)
		}
		c := make([]float64, n)
		for i := range c {
			c[i] = x[i*d+j]
		}
		header, cols = append(header, h), append(cols, c)
	}
	header = append(header, "log_p_model", "energy", "log_weight", "weight")
	cols = append(cols, logP, energy, wt.LogW, wt.W)
	return dataio.WriteTable(path, header, cols)
}

// Free-energy estimates: grid points, the density floor below which F is
// not drawn, and the kernel width as a fraction of Scott's (the same
// sharpening as figure 11, so narrow wells are not smeared).
const (
	feGrid   = 400
	feFloor  = 1e-3
	feAdjust = 0.3
)

// reweightFigures draws the free-energy figures: along each coordinate
// (up to four) the profiles of the data, the model, the reweighted samples
// (with a 2-s.d. bootstrap band) and the exact density where known; in
// 2-D also the reweighted free-energy surface and the exact one, F = V.
func reweightFigures(dir string, ds *data.Set, x, w []float64, g1 *exact.Gibbs, g2 *exact.Gibbs2D, pot langevin.Potential, beta float64, nb int, rng *rand.Rand) ([]string, error) {
	d := ds.D
	base := filepath.Join(dir, "fig13_free_energy_reweighted")
	var panels [][]figures.Profile
	var titles, labels []string
	smp := &data.Set{D: d, X: x}
	for k := range min(d, 4) {
		dk, xk := ds.Column(k), smp.Column(k)
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, v := range dk {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
		pad := 0.1 * (hi - lo)
		lo, hi = lo-pad, hi+pad
		bw := feAdjust * reweight.Bandwidth(dk, nil)
		grid := make([]float64, feGrid)
		for i := range grid {
			grid[i] = lo + (hi-lo)*float64(i)/float64(feGrid-1)
		}
		fe := func(x, w []float64) ([]float64, error) {
			p, err := reweight.Density(x, w, lo, hi, feGrid, bw)
			if err != nil {
				return nil, err
			}
			return reweight.FreeEnergy(p, beta, feFloor), nil
		}
		fData, err := fe(dk, nil)
		if err != nil {
			return nil, err
		}
		fModel, err := fe(xk, nil)
		if err != nil {
			return nil, err
		}
		fW, err := fe(xk, w)
		if err != nil {
			return nil, err
		}
		band, err := reweight.FreeEnergyBand(xk, w, lo, hi, feGrid, bw, beta, feFloor, min(nb, 100), rng)
		if err != nil {
			return nil, err
		}
		for i := range band {
			band[i] *= 2
		}
		profiles := []figures.Profile{
			{Label: "data", X: grid, F: fData},
			{Label: "model", X: grid, F: fModel},
			{Label: "reweighted (±2 s.d.)", X: grid, F: fW, Band: band},
		}
		var exactF []float64
		switch {
		case g1 != nil:
			exactF = make([]float64, len(grid))
			for i, v := range grid {
				exactF[i] = g1.FreeEnergy(v)
			}
		case g2 != nil:
			xs, p := g2.MarginalPDF(k)
			exactF = reweight.FreeEnergy(reweight.Interpolate(xs, p, grid), beta, feFloor)
		}
		if exactF != nil {
			profiles = append(profiles, figures.Profile{Label: "exact", X: grid, F: capAbove(exactF, fW), Dashed: true})
		}
		panels = append(panels, profiles)
		name := "x"
		if d > 1 {
			name = fmt.Sprintf("x%d", k+1)
		}
		titles = append(titles, fmt.Sprintf("F(%s) = −ln p / β (β = %g)", name, beta))
		labels = append(labels, name)
	}
	files := []string{base + ".png", base + ".svg"}
	var err error
	if d == 1 {
		err = figures.FreeEnergyProfiles(base, titles[0], labels[0], panels[0]...)
	} else {
		err = figures.FreeEnergyPanels(base, titles, labels, panels)
	}
	if err != nil || d != 2 {
		return files, err
	}

	const nx = 80
	x0, x1, y0, y1 := box2D(ds, 0.1)
	// Scott's width from the effective sample size: few effective samples
	// are smoothed more rather than shown as specks.
	bwx := 0.5 * reweight.Bandwidth(smp.Column(0), w)
	bwy := 0.5 * reweight.Bandwidth(smp.Column(1), w)
	s, err := reweight.Density2D(x, w, x0, x1, y0, y1, nx, nx, bwx, bwy)
	if err != nil {
		return nil, err
	}
	const capF = 8 // in units of 1/β above the minimum: beyond, too few samples
	f := reweight.FreeEnergy(s.Z, beta, feFloor)
	sb := filepath.Join(dir, "fig13b_free_energy_surface")
	if err := figures.FreeEnergySurface(sb, fmt.Sprintf("Reweighted free energy (β = %g)", beta), s.X, s.Y, f, capF/beta); err != nil {
		return nil, err
	}
	files = append(files, sb+".png", sb+".svg")
	ex := make([]float64, len(s.Z))
	for j, yv := range s.Y {
		for i, xv := range s.X {
			ex[j*len(s.X)+i] = pot.Value([]float64{xv, yv})
		}
	}
	eb := filepath.Join(dir, "fig13c_free_energy_exact")
	if err := figures.FreeEnergySurface(eb, fmt.Sprintf("Exact free energy F = V (β = %g)", beta), s.X, s.Y, ex, capF/beta); err != nil {
		return nil, err
	}
	return append(files, eb+".png", eb+".svg"), nil
}

// capAbove keeps the exact curve within the plotted range of the
// estimate: values more than 2 units above the estimate's highest finite
// value become NaN, so far tails do not squash the wells.
func capAbove(f, ref []float64) []float64 {
	lo, top := math.Inf(1), math.Inf(-1)
	for _, v := range ref {
		if !math.IsNaN(v) {
			lo, top = math.Min(lo, v), math.Max(top, v)
		}
	}
	flo := math.Inf(1)
	for _, v := range f {
		flo = math.Min(flo, v)
	}
	out := make([]float64, len(f))
	for i, v := range f {
		out[i] = v
		if v-flo > (top-lo)+1 {
			out[i] = math.NaN()
		}
	}
	return out
}

// wellWord names the regions the shares are of: wells between split
// points in 1-D, basins of V's minima in 2-D.
func (r *Reweighting) wellWord() string {
	if r.BasinMinima != nil {
		return "basin"
	}
	return "well"
}

func fmtPoints(p [][2]float64) string {
	s := ""
	for i, q := range p {
		if i > 0 {
			s += " "
		}
		s += fmt.Sprintf("(%.3g, %.3g)", q[0], q[1])
	}
	return s
}

// WriteText prints the reweighting lines of the summary.
func (r *Reweighting) WriteText(w io.Writer) {
	fmt.Fprintf(w, "reweighting to exp(−βV) (%s, β=%g): %d probability-flow samples (%d NFE), ESS %.0f (%.1f%%), largest weight %.4f\n",
		r.Potential, r.Beta, r.Samples, r.NFE, r.ESS, 100*r.ESSFraction, r.MaxWeight)
	if r.SharesWeighted != nil {
		fmt.Fprintf(w, "  weighted %s shares %v ± %v; exact %v (data %v, model %v)",
			r.wellWord(), fmtFloats(r.SharesWeighted), fmtFloats(r.SharesWeightedE), fmtFloats(r.SharesExact), fmtFloats(r.SharesData), fmtFloats(r.SharesModel))
		if r.MaxShareDiff != nil {
			fmt.Fprintf(w, "; max diff %.4f", *r.MaxShareDiff)
		}
		fmt.Fprintln(w)
		fmt.Fprintf(w, "  ΔF to %s %d: weighted %v ± %v; exact %v (data %v)\n",
			r.wellWord(), r.Reference+1, fmtFloats(r.DeltaF), fmtFloats(r.DeltaFE), fmtFloats(r.DeltaFExact), fmtFloats(r.DeltaFData))
	}
	if r.W1Weighted != nil {
		fmt.Fprintf(w, "  vs exact Gibbs: weighted W1 %.4f, KS %.4f (unweighted model samples: W1 %.4f, KS %.4f)\n",
			*r.W1Weighted, *r.KSWeighted, *r.W1Model, *r.KSModel)
	}
	if r.MarginalW1Weighted != nil {
		fmt.Fprintf(w, "  vs exact Gibbs marginals: weighted W1 %v (unweighted model %v, data %v); basins at %v\n",
			fmtFloats(r.MarginalW1Weighted), fmtFloats(r.MarginalW1Model), fmtFloats(r.MarginalW1Data), fmtPoints(r.BasinMinima))
	}
	if r.Warning != "" {
		fmt.Fprintf(w, "  WARNING: %s\n", r.Warning)
	}
}

// reweightSection is the report's reweighting section.
func reweightSection(r *Reweighting) []report.Section {
	if r == nil {
		return nil
	}
	sec := report.Section{
		ID: "reweighting", Title: "Reweighting to equilibrium", Warning: r.Warning,
		Intro: fmt.Sprintf("%d samples drawn through the probability-flow ODE with the model's log-density log p_θ(x), "+
			"weighted by w ∝ exp(−βV(x))/p_θ(x) for V = %s at β = %g, estimate the equilibrium (Boltzmann) density whatever the "+
			"data's proportions were. Error bars are bootstrap standard errors over resampled samples; ΔF are in V's units. "+
			"The free-energy figure shows the same as curves.", r.Samples, r.Potential, r.Beta),
	}
	add := func(name, value, unit, note string) {
		sec.Metrics = append(sec.Metrics, report.Metric{Name: name, Value: value, Unit: unit, Note: note})
	}
	add("effective sample size", fmt.Sprintf("%.0f of %d (%.1f%%)", r.ESS, r.Samples, 100*r.ESSFraction), "",
		"Kish (Σw)²/Σw²: how many equally weighted samples the weights are worth; higher is better")
	add("largest weight", report.Num(r.MaxWeight), "", fmt.Sprintf("normalised; 1/ESS = %s", report.Num(1/r.ESS)))
	ww := r.wellWord()
	for k := range r.SharesWeighted {
		where := fmt.Sprintf("splits %v", r.Splits)
		if r.BasinMinima != nil {
			where = fmt.Sprintf("basin of the minimum at (%.3g, %.3g)", r.BasinMinima[k][0], r.BasinMinima[k][1])
		}
		add(fmt.Sprintf("%s %d share", ww, k+1), fmt.Sprintf("%.4f ± %.4f (exact %.4f)", r.SharesWeighted[k], r.SharesWeightedE[k], r.SharesExact[k]), "",
			fmt.Sprintf("data %.4f, unweighted model %.4f; %s", r.SharesData[k], r.SharesModel[k], where))
	}
	for k := range r.DeltaF {
		if k == r.Reference {
			continue
		}
		add(fmt.Sprintf("ΔF %s %d − %s %d", ww, k+1, ww, r.Reference+1), fmt.Sprintf("%.3f ± %.3f (exact %.3f)", r.DeltaF[k], r.DeltaFE[k], r.DeltaFExact[k]), "",
			fmt.Sprintf("−β⁻¹ ln(P_%d/P_%d); data %.3f", k+1, r.Reference+1, r.DeltaFData[k]))
	}
	if r.W1Weighted != nil {
		add("W1(weighted, Gibbs)", report.Num(*r.W1Weighted), "x", "unweighted model samples: "+report.Num(*r.W1Model)+"; lower is better")
		add("KS(weighted, Gibbs)", report.Num(*r.KSWeighted), "", "unweighted model samples: "+report.Num(*r.KSModel))
	}
	for k := range r.MarginalW1Weighted {
		add(fmt.Sprintf("W1(weighted, Gibbs), x%d marginal", k+1), report.Num(r.MarginalW1Weighted[k]), "x",
			fmt.Sprintf("unweighted model %s, data %s; exact density by quadrature on a %d² grid", report.Num(r.MarginalW1Model[k]), report.Num(r.MarginalW1Data[k]), grid2D))
	}
	return []report.Section{sec}
}
