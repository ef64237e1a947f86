package pipeline

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"scoresde/data"
	"scoresde/dataio"
	"scoresde/exact"
	"scoresde/langevin"
	"scoresde/modelio"
	"scoresde/precond"
	"scoresde/sde"
)

// exportFormat marks a state_dict written by ExportModel; its metadata
// says which SDE the network is a score for.
const exportFormat = "scoresde-state-dict/1"

// Metadata keys of an exported state_dict.
const (
	metaFormat  = "scoresde.format"
	metaSDE     = "scoresde.sde"
	metaWeights = "scoresde.weights"
	metaEpochs  = "scoresde.epochs"
	metaInput   = "scoresde.input"
	metaShift   = "scoresde.shift"
	metaTimeEps = "scoresde.time_eps"
	metaNote    = "scoresde.note"
)

// OpenModel reads a model in any format: a model.json written by 'train'
// or 'run' (which carries its SDE; sc is ignored), or the state_dict of
// the notebook's MyScore network saved by PyTorch (.pt, .pth), np.savez
// (.npz) or as .safetensors, whose score u(x, t) = net(cat(x, t)) is taken
// to be for the SDE sc. A state_dict written by 'scoresde export' records
// its SDE, which is used when sc is the default.
func OpenModel(path string, sc SDEConfig) (*Model, *ModelFile, error) {
	if modelio.FormatOf(path) == "" {
		return LoadModel(path)
	}
	fail := func(err error) (*Model, *ModelFile, error) {
		return nil, nil, fmt.Errorf("model file %s: %v", path, err)
	}
	sd, err := modelio.ReadFile(path)
	if err != nil {
		if os.IsNotExist(err) || os.IsPermission(err) {
			return nil, nil, fmt.Errorf("cannot read model file: %w; pass a model.json, .pt, .npz or .safetensors file", err)
		}
		return fail(err)
	}
	net, err := modelio.ToMLP(sd)
	if err != nil {
		return fail(err)
	}
	md := sd.Metadata
	var shift []float64
	timeEps := -1.0
	if md[metaFormat] == exportFormat {
		var rec SDEConfig
		if err := json.Unmarshal([]byte(md[metaSDE]), &rec); err != nil {
			return fail(fmt.Errorf("its metadata %s is damaged (%v)", metaSDE, err))
		}
		switch {
		case sc == Default().SDE:
			sc = rec
		case sc != rec:
			return fail(fmt.Errorf("it was exported for the %s SDE %+v but the flags say %s %+v; drop the SDE flags", rec.Name, rec.Params, sc.Name, sc.Params))
		}
		if s, ok := md[metaShift]; ok {
			if err := json.Unmarshal([]byte(s), &shift); err != nil || len(shift) != net.Out {
				return fail(fmt.Errorf("its metadata %s is damaged", metaShift))
			}
		}
		if s, ok := md[metaTimeEps]; ok {
			if timeEps, err = strconv.ParseFloat(s, 64); err != nil {
				return fail(fmt.Errorf("its metadata %s is damaged", metaTimeEps))
			}
		}
	}
	s, err := sc.Build()
	if err != nil {
		return fail(err)
	}
	m := &Model{Net: net, SDE: s, Shift: shift, Pre: precond.WithWarp(s, sde.IdentityWarp(s, s.MinTime()), s.MinTime())}
	if timeEps >= 0 {
		if timeEps >= s.T() {
			return fail(fmt.Errorf("its metadata %s = %v is not below T", metaTimeEps, timeEps))
		}
		m.Pre = precond.WithWarp(s, sde.NewTimeWarp(s, timeEps), timeEps)
	}
	mf := &ModelFile{Format: modelio.FormatOf(path), SDE: sc, Dim: net.Out, Shift: shift, TimeEps: max(timeEps, 0), Weights: md[metaWeights]}
	return m, mf, nil
}

// ExportInfo says what ExportModel wrote.
type ExportInfo struct {
	Params int    // weights and biases
	Folded bool   // the centring is folded into the first layer's bias
	Note   string // what a loader must add, when not everything folds
}

// ExportModel writes the network of a model.json as the state_dict of the
// notebook's MyScore (keys net.0.weight … net.<2L>.bias, nn.Linear shapes)
// in format npz or safetensors, so that MyScore().load_state_dict loads it
// unchanged and computes the same u(x, t) in the data's coordinates.
//
// The centring net(x − m(t)·shift, t) folds into the first layer's bias
// exactly when m(t) = 1 (VE): W·(x − shift) + b = W·x + (b − W·shift). VP
// and sub-VP models shift by a t-dependent m(t)·shift and feed the network
// a warped time, which MyScore's cat(x, t) cannot express: they are
// refused unless unfolded is set, and then the raw network is written with
// the shift and the warp recorded in the metadata.
func ExportModel(modelPath, format, out string, unfolded bool) (*ExportInfo, error) {
	if format != modelio.NPZ && format != modelio.Safetensors {
		return nil, fmt.Errorf("export format %q: choose safetensors or npz", format)
	}
	m, mf, err := LoadModel(modelPath)
	if err != nil {
		return nil, err
	}
	if k := m.Pre.Kind(); k != precond.None {
		return nil, fmt.Errorf("export: model file %s uses the %q parametrisation of the score, which the notebook's MyScore (a plain u(x, t) = net(cat(x, t))) does not have; export a model trained with --precond none", modelPath, k)
	}
	net := m.Net.Clone()
	T := m.SDE.T()
	plain := m.SDE.MeanScale(0) == 1 && m.SDE.MeanScale(T) == 1 && m.Pre.Warp().At(0.5*T) == 0.5*T && m.Pre.Warp().At(T) == T
	info := &ExportInfo{Params: net.NumParams()}
	sdeJSON, err := json.Marshal(mf.SDE)
	if err != nil {
		return nil, err
	}
	md := map[string]string{
		metaFormat:  exportFormat,
		metaSDE:     string(sdeJSON),
		metaWeights: mf.Weights,
		metaEpochs:  strconv.Itoa(mf.Epochs),
		metaInput:   "cat(x, t)",
	}
	switch {
	case plain:
		if err := net.ShiftInput(m.Shift); err != nil {
			return nil, err
		}
		info.Folded = m.Shift != nil
		md[metaNote] = "u(x, t) = net(cat(x, t)) in the data's coordinates"
		if info.Folded {
			md[metaNote] += fmt.Sprintf("; the centring on %v is folded into net.0.bias", m.Shift)
		}
	case !unfolded:
		return nil, fmt.Errorf("export: this %s model feeds its network x − m(t)·shift and a warped time (log noise level), which the notebook's MyScore (input cat(x, t)) cannot express; only VE models export exactly — pass --unfolded to write the raw network with the shift and warp in the file's metadata", mf.SDE.Name)
	default:
		sh := m.Shift
		if sh == nil {
			sh = make([]float64, m.Dim())
		}
		b, _ := json.Marshal(sh)
		md[metaShift] = string(b)
		md[metaTimeEps] = strconv.FormatFloat(mf.TimeEps, 'g', -1, 64)
		md[metaInput] = "cat(x - m(t)*shift, tau(t))"
		info.Note = fmt.Sprintf("u(x, t) = net(cat(x − m(t)·shift, τ(t))) with m(t) the %s mean scale, shift %s and τ(t) = T·(log s(t) − log s(ε))/(log s(T) − log s(ε)), ε = %s (s: the kernel std); MyScore alone does not compute it", mf.SDE.Name, md[metaShift], md[metaTimeEps])
		md[metaNote] = info.Note
	}
	sd, err := modelio.FromMLP(net)
	if err != nil {
		return nil, err
	}
	sd.Metadata = md
	if err := modelio.WriteFile(out, sd, format); err != nil {
		return nil, err
	}
	return info, nil
}

// ScoreRefs are the exact scores 'score' can print beside the model's.
type ScoreRefs struct {
	// Train adds the exact denoising-score-matching optimum for these
	// training data (columns s_opt, or s1_opt…sd_opt): the score of the
	// data smoothed by the SDE's kernel, the best any network can learn
	// from them.
	Train *data.Set
	// Truth names a 1-D potential whose Gibbs density exp(−βV)/Z at Beta
	// the data follow; it adds that density's score pushed through the
	// kernel (column s_true), what the data would give in the limit.
	Truth string
	Beta  float64
}

// ScoreTable is the learned score at points x and time t, one column per
// coordinate (s, or s1…sd), followed by the exact references asked for.
func ScoreTable(m *Model, x *data.Set, t float64, refs ScoreRefs) (header []string, cols [][]float64, err error) {
	d := m.Dim()
	if x.D != d {
		return nil, nil, fmt.Errorf("the points have dimension %d but the model is for dimension %d; pass a file with %d columns", x.D, d, d)
	}
	if !(t >= 0 && t <= m.SDE.T()) {
		return nil, nil, fmt.Errorf("time --t %v is outside [0, T] = [0, %v]", t, m.SDE.T())
	}
	n := x.Len()
	add := func(suffix string, score func(x []float64, t float64, out []float64)) {
		v := make([]float64, n*d)
		score(x.X, t, v)
		for j := range d {
			name := "s" + suffix
			if d > 1 {
				name = fmt.Sprintf("s%d%s", j+1, suffix)
			}
			c := make([]float64, n)
			for i := range n {
				c[i] = v[i*d+j]
			}
			header, cols = append(header, name), append(cols, c)
		}
	}
	add("", m.Score)
	if (refs.Train != nil || refs.Truth != "") && !(m.SDE.Std(t) > 0) {
		return nil, nil, fmt.Errorf("the exact scores are not defined at t = %v, where the %s kernel's std is 0; pick t > 0", t, m.SDE.Name())
	}
	if refs.Train != nil {
		if refs.Train.D != d {
			return nil, nil, fmt.Errorf("the training data have dimension %d but the model is for dimension %d", refs.Train.D, d)
		}
		opt, err := exact.NewEmpiricalOptimum(refs.Train, m.SDE)
		if err != nil {
			return nil, nil, err
		}
		add("_opt", opt.Score)
	}
	if refs.Truth != "" {
		if d != 1 {
			return nil, nil, fmt.Errorf("--truth gives the exact score of a 1-D Gibbs density; the model is for dimension %d", d)
		}
		p, _, err := langevin.ByName(refs.Truth)
		if err != nil {
			return nil, nil, fmt.Errorf("--truth: %v", err)
		}
		g, err := exact.NewGibbs(p, refs.Beta)
		if err != nil {
			return nil, nil, fmt.Errorf("--truth %s: %v", refs.Truth, err)
		}
		gs, err := exact.NewGibbsSmoothedScore(g, m.SDE)
		if err != nil {
			return nil, nil, err
		}
		add("_true", gs.Score)
	}
	for _, c := range cols {
		for _, v := range c {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, nil, fmt.Errorf("the score is not finite at some points (t = %v)", t)
			}
		}
	}
	return header, cols, nil
}

// ScoreJob is 'scoresde score': the score of the model in modelPath (any
// format; sc is the SDE of a state_dict) at the points (a data file, or a
// comma-separated list of 1-D points) at time t, with the exact optimum
// for the data in trainPath when given and the truth's score when named,
// written as CSV to the file out (to stdout when out is "" or "-").
func ScoreJob(modelPath string, sc SDEConfig, points string, t float64, trainPath string, refs ScoreRefs, out string, stdout io.Writer) (int, error) {
	m, _, err := OpenModel(modelPath, sc)
	if err != nil {
		return 0, err
	}
	x, err := pointsArg(points)
	if err != nil {
		return 0, err
	}
	if trainPath != "" {
		if refs.Train, err = readData(trainPath); err != nil {
			return 0, err
		}
	}
	header, cols, err := ScoreTable(m, x, t, refs)
	if err != nil {
		return 0, err
	}
	if out == "" || out == "-" {
		return x.Len(), dataio.WriteTableTo(stdout, header, cols)
	}
	return x.Len(), dataio.WriteTable(out, header, cols)
}

// pointsArg reads a data file or, when no such file exists, a
// comma-separated list of 1-D points.
func pointsArg(s string) (*data.Set, error) {
	if _, err := os.Stat(s); err == nil {
		return readData(s)
	}
	var x []float64
	for _, f := range strings.Split(s, ",") {
		v, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("--x %q is neither a data file nor a comma-separated list of numbers; pass a .csv/.tsv/.txt/.npy file of points or a list like -1,0,1", s)
		}
		x = append(x, v)
	}
	return &data.Set{D: 1, X: x}, nil
}
