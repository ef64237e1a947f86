package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"time"

	"scoresde/atomicfile"
	"scoresde/data"
	"scoresde/exact"
	"scoresde/langevin"
	"scoresde/nn"
	"scoresde/precond"
	"scoresde/progress"
	"scoresde/sampler"
	"scoresde/sde"
	"scoresde/train"
)

// Options are the run's side channels: where progress and warnings go.
type Options struct {
	Progress io.Writer // progress bars and warnings; nil is quiet
	// OnPhase, when set, is called as each timed phase of Run starts,
	// with its name as in timing.json.
	OnPhase func(name string)

	// SaveConfig, when set, writes config.json instead of the Config's
	// JSON (the command line writes its flags' values there, so that the
	// file can be passed back to --config).
	SaveConfig func(path string) error

	ctx context.Context // set by the jobs: score evaluations stop when it is done
}

// stop is the sampler's Stop for the job's context (nil: never).
func (o Options) stop() func() bool {
	if o.ctx == nil {
		return nil
	}
	return func() bool { return o.ctx.Err() != nil }
}

// writeConfig writes config.json for cfg.
func (o Options) writeConfig(path string, cfg any) error {
	if o.SaveConfig != nil {
		return o.SaveConfig(path)
	}
	return writeJSON(path, cfg)
}

// Timing records wall-clock seconds per phase, in the order they ran.
type Timing struct {
	Phases []Phase `json:"phases"`
	Total  float64 `json:"total_s"`
}

// Phase is one timed step of a run.
type Phase struct {
	Name    string  `json:"name"`
	Seconds float64 `json:"seconds"`
}

func (t *Timing) add(name string, start time.Time) {
	s := time.Since(start).Seconds()
	t.Phases = append(t.Phases, Phase{name, s})
	t.Total += s
}

// Result is what a run produced, for the summary.
type Result struct {
	Config   Config
	Timing   Timing
	Data     *data.Set
	Samples  *data.Set
	Losses   []float64
	Metrics  *Metrics
	NFE      int
	OutFiles []string
	// Skipped lists the figures and optional metrics that could not be made.
	Skipped []Skipped
}

// Skipped is a figure or optional metric left out of a run, and why.
type Skipped struct {
	What   string `json:"what"`
	Reason string `json:"reason"`
}

// phase seeds: one independent stream per phase so changing, say, the
// number of samples does not change the trained model.
const (
	streamInit uint64 = iota + 1
	streamTrain
	streamForward
	streamSample
	streamEval
)

func rngFor(seed, stream uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, stream)) }

// LoadData reads cfg.File or runs the Langevin dynamics.
func LoadData(cfg DataConfig) (*data.Set, error) {
	if cfg.File != "" {
		return readData(cfg.File)
	}
	if cfg.Dataset != "" {
		return toyData(cfg)
	}
	p, x0, err := dataPotential(cfg, 0)
	if err != nil {
		return nil, err
	}
	if len(cfg.X0) > 0 {
		x0 = cfg.X0
	}
	lc := langevin.Config{Beta: cfg.Beta, Dt: cfg.Dt, N: cfg.N, X0: x0}
	// The notebook draws the data with numpy's generator seeded 42; we use
	// our own seeded PCG, so the trajectory differs but its law is the same.
	return langevin.Simulate(p, lc, rand.New(rand.NewPCG(cfg.Seed, 0)))
}

// LoadDataContext is LoadData returning ErrInterrupted as soon as ctx is
// done (a long Langevin run is then abandoned).
func LoadDataContext(ctx context.Context, cfg DataConfig) (ds *data.Set, err error) {
	err = interruptible(ctx, "data generation", func() (err error) {
		ds, err = LoadData(cfg)
		return err
	})
	return ds, err
}

// PrepareOut creates the output folder and checks it is writable.
func PrepareOut(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return &SettingError{Key: "out", Msg: fmt.Sprintf("cannot create output folder %s (%v); choose a writable folder", dir, errors.Unwrap(err))}
	}
	f, err := os.CreateTemp(dir, ".write-test*")
	if err != nil {
		return &SettingError{Key: "out", Msg: fmt.Sprintf("output folder %s is not writable (%v); choose a writable folder", dir, errors.Unwrap(err))}
	}
	f.Close()
	return os.Remove(f.Name())
}

// Run does the whole job: data, training, sampling, metrics, figures, files.
// ds may be nil, in which case the data come from cfg.Data.
//
// Results come before pictures: samples, model, metrics, config.json and
// timing.json are on disk before any figure or optional metric is made,
// and a figure or optional metric that fails is skipped with one warning
// and a note (Result.Skipped), not a failed run. When ctx is cancelled Run
// returns an error wrapping ErrInterrupted within about a second, keeping
// the files of the phases that completed.
func Run(ctx context.Context, cfg Config, ds *data.Set, opt Options) (*Result, error) {
	if err := cfg.Validate(); err != nil {
		return nil, inputErr(err)
	}
	if err := PrepareOut(cfg.Out); err != nil {
		return nil, inputErr(err)
	}
	opt.ctx = ctx
	r := &runner{ctx: ctx, cfg: cfg, opt: opt, ds: ds, res: &Result{Config: cfg}}
	for _, st := range runSteps() {
		if err := r.do(st); err != nil {
			return r.res, err
		}
	}
	return r.res, nil
}

// step is one phase of Run. Phases run in order; a phase that is only
// for pictures or extra metrics is optional: its failure becomes a note.
type step struct {
	name     string // its entry in timing.json; "" is not timed
	optional bool
	run      func(*runner) error
	on       func(Config) bool // nil: always; false skips the phase untimed
}

// runSteps lists Run's phases in order; a new phase is a new entry.
func runSteps() []step {
	return []step{
		{"", false, (*runner).claimOut, nil},
		{"data", false, (*runner).loadData, nil},
		{"forward", true, (*runner).forward, figuresOn},
		{"train", false, (*runner).train, nil},
		{"sample", false, (*runner).sample, nil},
		{"eval", false, (*runner).evaluate, nil},
		{"reweight", true, (*runner).reweight, func(c Config) bool { return c.Reweight.On }},
		{"figures", true, (*runner).figures, figuresOn},
		{"animations", true, (*runner).animations, figuresOn},
		{"", false, (*runner).finish, nil},
	}
}

func figuresOn(c Config) bool { return c.Figures }

// runner is one Run's state, filled in phase by phase.
type runner struct {
	ctx context.Context
	cfg Config
	opt Options
	res *Result

	ds        *data.Set
	sde       sde.SDE
	fwd       *forwardView
	untrained *Model
	model     *Model
	trained   *Trained
	smp       *sampler.Result
	ev        *Evaluation
}

// do runs one phase: timed, interruptible, and for optional phases a
// failure is noted and skipped.
func (r *runner) do(st step) error {
	if st.on != nil && !st.on(r.cfg) {
		return nil
	}
	if r.ctx.Err() != nil {
		return interrupted(r.ctx, "before "+phaseName(st))
	}
	if r.opt.OnPhase != nil && st.name != "" {
		r.opt.OnPhase(st.name)
	}
	start := time.Now()
	err := st.run(r)
	switch {
	case err == nil:
	case r.ctx.Err() != nil || errors.Is(err, ErrInterrupted):
		if !errors.Is(err, ErrInterrupted) {
			err = interrupted(r.ctx, phaseName(st))
		}
		return err
	case st.optional:
		r.skip(st.name, err)
	default:
		return err
	}
	if st.name != "" {
		r.res.Timing.add(st.name, start)
	}
	return nil
}

func phaseName(st step) string {
	if st.name == "" {
		return "setup"
	}
	return st.name
}

// skip records that what could not be made, with one warning line.
func (r *runner) skip(what string, err error) {
	reason := oneLine(err.Error())
	r.res.Skipped = append(r.res.Skipped, Skipped{What: what, Reason: reason})
	if w := r.opt.Progress; w != nil {
		fmt.Fprintf(w, "warning: %s skipped: %s\n", what, reason)
	}
}

// optional runs fn, an optional part of a phase, noting its failure.
// It returns false when the run was interrupted.
func (r *runner) optional(what string, fn func() error) error {
	err := interruptible(r.ctx, what, fn)
	if err != nil {
		if r.ctx.Err() != nil {
			return err
		}
		r.skip(what, err)
	}
	return nil
}

// out registers and returns the path of an output file.
func (r *runner) out(name string) string {
	p := filepath.Join(r.cfg.Out, name)
	r.res.OutFiles = append(r.res.OutFiles, p)
	return p
}

func (r *runner) claimOut() error {
	return ClaimOut(r.cfg.Out, r.cfg.Overwrite, r.cfg.Resume, r.cfg.Data.File)
}

func (r *runner) loadData() error {
	if r.ds == nil {
		ds, err := LoadDataContext(r.ctx, r.cfg.Data)
		if err != nil {
			return inputErr(err)
		}
		r.ds = ds
	}
	if err := r.ds.Validate(); err != nil {
		return inputErr(err)
	}
	r.res.Data = r.ds
	s, err := r.cfg.SDE.Build()
	if err != nil {
		return inputErr(err)
	}
	r.sde = s
	warnCoverage(r.opt.Progress, r.ds, s)
	return writeData(r.out("dataset."+r.cfg.Format), r.ds, r.cfg.Format)
}

// forward simulates the forward process for figures 2 and 6.
func (r *runner) forward() error {
	if !r.cfg.Figures {
		return nil
	}
	return interruptible(r.ctx, "forward process", func() (err error) {
		r.fwd, err = forwardSnapshots(r.sde, r.ds, r.cfg.Sample.Steps, rngFor(r.cfg.Seed, streamForward))
		return err
	})
}

func (r *runner) train() error {
	cfg, ds, s := r.cfg, r.ds, r.sde
	net, err := nn.New(ds.D+1, ds.D, cfg.Net.Hidden, rngFor(cfg.Seed, streamInit))
	if err != nil {
		return inputErr(err)
	}
	if r.untrained, err = newModel(cfg, s, net.Clone(), ds); err != nil {
		return inputErr(err)
	}
	if r.trained, err = Train(r.ctx, cfg, s, r.untrained.Centre(ds, 0), net, r.opt); err != nil {
		return err
	}
	if r.trained.GapErr != nil {
		r.skip("optimality gap during training", r.trained.GapErr)
	}
	st := r.trained.State
	r.res.Losses = st.Losses
	r.model = &Model{Net: samplingNet(st), SDE: s, Shift: r.untrained.Shift, Pre: r.trained.pre}
	if err := writeLoss(r.out("loss.csv"), st.Losses); err != nil {
		return err
	}
	return SaveModel(r.out("model.json"), cfg, r.model, minTime(cfg, s), st.EMA != nil, st.Epoch)
}

// sample draws the samples, with the snapshots figure 6 shows; when only
// the snapshots fail, the samples are drawn without them.
func (r *runner) sample() error {
	keep := fwdKeep(r.fwd, r.cfg.Sample.Steps)
	draw := func(keep []int) (err error) {
		r.smp, err = r.model.Sample(r.cfg.Sample, keep, rngFor(r.cfg.Seed, streamSample), r.opt)
		return err
	}
	err := draw(keep)
	if err != nil && keep != nil && r.ctx.Err() == nil {
		r.skip("snapshots of the reverse process (figure 6)", err)
		err = draw(nil)
	}
	if err != nil {
		return err
	}
	if r.ctx.Err() != nil {
		return interrupted(r.ctx, "sampling")
	}
	r.res.NFE = r.smp.NFE
	r.res.Samples = &data.Set{D: r.ds.D, X: r.smp.X}
	return writeData(r.out("samples."+r.cfg.Format), r.res.Samples, r.cfg.Format)
}

// evaluate computes the metrics that need only data and samples and
// writes them with config.json and timing.json; then the optional ones
// (exact target, optimality gap, likelihood), rewriting metrics.json.
func (r *runner) evaluate() error {
	ev, err := r.evaluateSteps(func(ev *Evaluation) error {
		ev.Metrics.NFE = r.res.NFE
		r.res.Metrics = ev.Metrics
		return r.writeResults()
	})
	if err != nil {
		return err
	}
	r.ev = ev
	r.res.Metrics = ev.Metrics
	return r.writeResults()
}

// writeResults writes metrics.json, config.json and timing.json.
func (r *runner) writeResults() error {
	dir := r.cfg.Out
	if err := writeJSON(filepath.Join(dir, "metrics.json"), r.res.Metrics); err != nil {
		return err
	}
	if err := r.opt.writeConfig(filepath.Join(dir, "config.json"), r.cfg); err != nil {
		return err
	}
	return writeJSON(filepath.Join(dir, "timing.json"), &r.res.Timing)
}

func (r *runner) figures() error {
	if !r.cfg.Figures {
		return nil
	}
	q := &drawQueue{dir: r.cfg.Out}
	err := interruptible(r.ctx, "figures", func() error {
		return queueFigures(q, figureInputs{r.cfg, r.sde, r.ds, r.fwd, r.smp, r.untrained, r.model, r.res.Losses, r.ev})
	})
	if r.ctx.Err() != nil {
		return err
	}
	if err != nil {
		// The figures queued before the failure are still drawn.
		r.skip("figures comparing with the exact target", err)
	}
	files, err := q.runEach(r.ctx, r.skip)
	r.res.OutFiles = append(r.res.OutFiles, files...)
	return err
}

// animations writes forward.gif and reverse.gif.
func (r *runner) animations() error {
	if !r.cfg.Figures {
		return nil
	}
	var files []string
	err := interruptible(r.ctx, "animations", func() (err error) {
		files, err = writeAnimations(r.cfg, r.sde, r.ds, r.model, r.cfg.Seed)
		return err
	})
	if err != nil {
		return err
	}
	r.res.OutFiles = append(r.res.OutFiles, files...)
	return nil
}

// finish writes the final timing and the report.
func (r *runner) finish() error {
	r.res.OutFiles = append(r.res.OutFiles, filepath.Join(r.cfg.Out, "metrics.json"), filepath.Join(r.cfg.Out, "config.json"), filepath.Join(r.cfg.Out, "timing.json"))
	if err := writeJSON(filepath.Join(r.cfg.Out, "timing.json"), &r.res.Timing); err != nil {
		return err
	}
	last := 0.0
	if n := len(r.res.Losses); n > 0 {
		last = r.res.Losses[n-1]
	}
	err := WriteReport(r.out("report.html"), r.cfg, &r.res.Timing, r.res.Metrics, &last, r.res.Skipped...)
	if err != nil {
		r.skip("report.html", err)
	}
	return nil
}

// CheckpointName is the checkpoint file inside the output folder.
const CheckpointName = "checkpoint.json"

// trainingKey is the part of the configuration a resumed run must share
// with the run that wrote the checkpoint for the result to be the same.
// The data enter by content, so the same data under another path resume
// and other data under the same path do not.
type trainingKey struct {
	DataHash string       `json:"data_sha256"`
	SDE      SDEConfig    `json:"sde"`
	Net      NetConfig    `json:"net"`
	Train    train.Config `json:"train"`
	Seed     uint64       `json:"seed"`
	Center   bool         `json:"center"`
}

func keyOf(cfg Config, ds *data.Set) trainingKey {
	k := trainingKey{DataHash: dataHash(ds), SDE: cfg.SDE, Net: cfg.Net, Train: cfg.Train, Seed: cfg.Seed, Center: cfg.Center}
	k.Train.Epochs = 0 // a resumed run may train for longer
	return k
}

// dataHash is the SHA-256 of the data's dimension and values.
func dataHash(ds *data.Set) string {
	h := sha256.New()
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], uint64(ds.D))
	h.Write(b[:])
	for _, v := range ds.X {
		binary.LittleEndian.PutUint64(b[:], math.Float64bits(v))
		h.Write(b[:])
	}
	return hex.EncodeToString(h.Sum(nil))
}

// compareKeys names the first setting in which saved and now differ.
func compareKeys(ckpt string, saved, now trainingKey) error {
	if saved.DataHash != now.DataHash {
		return &MismatchError{Checkpoint: ckpt, Key: "data", Saved: short(saved.DataHash), Now: short(now.DataHash)}
	}
	a, b := flatKey(saved), flatKey(now)
	keys := make([]string, 0, len(b))
	for k := range b {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if a[k] != b[k] {
			sv := a[k]
			if sv == "" {
				sv = "(unset)"
			}
			return &MismatchError{Checkpoint: ckpt, Key: k, Saved: sv, Now: b[k]}
		}
	}
	return nil
}

func short(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	if h == "" {
		return "(none recorded)"
	}
	return h
}

// flatKey lists a key's settings as config.json paths ("train.lr") and values.
func flatKey(k trainingKey) map[string]string {
	b, _ := json.Marshal(k)
	var m map[string]any
	json.Unmarshal(b, &m)
	out := map[string]string{}
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		if mm, ok := v.(map[string]any); ok {
			for kk, vv := range mm {
				p := kk
				if prefix != "" {
					p = prefix + "." + kk
				}
				walk(p, vv)
			}
			return
		}
		vb, _ := json.Marshal(v)
		out[prefix] = string(vb)
	}
	walk("", m)
	delete(out, "data_sha256")
	return out
}

// resume loads cfg.Resume and checks it can continue this run.
func resume(cfg Config, ds *data.Set) (*train.State, error) {
	var saved trainingKey
	st, err := train.LoadCheckpoint(cfg.Resume, &saved)
	if err != nil {
		return nil, inputErr(err)
	}
	if err := compareKeys(cfg.Resume, saved, keyOf(cfg, ds)); err != nil {
		return nil, inputErr(err)
	}
	if st.Epoch > cfg.Train.Epochs {
		return nil, &InputError{&SettingError{Key: "train.epochs", Msg: fmt.Sprintf("checkpoint %s is at epoch %d, beyond the %d epochs asked for; ask for at least %d", cfg.Resume, st.Epoch, cfg.Train.Epochs, st.Epoch)}}
	}
	// The optimiser and average must be the ones the settings describe.
	if st.Adam.LR != cfg.Train.LR {
		return nil, &InputError{fmt.Errorf("checkpoint %s: its optimiser's learning rate %v differs from its settings' %v; the file was edited or is damaged", cfg.Resume, st.Adam.LR, cfg.Train.LR)}
	}
	if (st.EMA != nil) != (cfg.Train.EMA > 0) || (st.EMA != nil && st.EMA.Decay != cfg.Train.EMA) {
		return nil, &InputError{fmt.Errorf("checkpoint %s: its weight average does not match its settings' EMA decay %v; the file was edited or is damaged", cfg.Resume, cfg.Train.EMA)}
	}
	return st, nil
}

// Train fits net on ds, or continues from cfg.Resume, saving checkpoints to
// OUT/checkpoint.json every cfg.CheckpointEvery epochs and when ctx is
// cancelled (SIGINT, SIGTERM), with a progress bar. Training that diverges
// stops with an error wrapping train.ErrDiverged, leaving the last
// checkpoint saved before it.
func Train(ctx context.Context, cfg Config, s sde.SDE, ds *data.Set, net *nn.MLP, opt Options) (*Trained, error) {
	st := &train.State{Net: net, RNG: rand.NewPCG(cfg.Seed, streamTrain)}
	out := &Trained{}
	if cfg.Resume != "" {
		var err error
		if st, err = resume(cfg, ds); err != nil {
			return nil, err
		}
	}
	tr, err := train.New(cfg.Train, s, ds, st)
	if err != nil {
		return nil, inputErr(err)
	}
	defer tr.Close()
	out.pre = tr.Precond()
	// The gap is an optional metric: when it cannot be measured, training
	// goes on without it and GapErr says why.
	gapOn := cfg.GapEvery > 0
	gapOff := func(err error) {
		out.GapErr, out.Probe, gapOn = err, nil, false
	}
	if gapOn {
		if out.Probe, err = newProbe(cfg, s, ds); err != nil {
			gapOff(err)
		} else if st.Epoch == 0 {
			if err := out.measureGap(st); err != nil {
				gapOff(err)
			}
		}
	}
	ckpt := filepath.Join(cfg.Out, CheckpointName)
	key := keyOf(cfg, ds)
	save := func() error { return train.SaveCheckpoint(ckpt, st, key) }
	steps := tr.StepsPerEpoch()
	bar := progress.New(opt.Progress, "train", "steps", cfg.Train.Epochs*steps)
	err = tr.Run(ctx, cfg.Train.Epochs, func(st *train.State) error {
		bar.Update(st.Epoch*steps, fmt.Sprintf("epoch %d loss %.4f", st.Epoch, st.Losses[len(st.Losses)-1]))
		if err := tr.CheckDiverged(); err != nil {
			return err
		}
		if gapOn && (st.Epoch%cfg.GapEvery == 0 || st.Epoch == cfg.Train.Epochs) {
			if err := out.measureGap(st); err != nil {
				gapOff(err)
			}
		}
		if cfg.CheckpointEvery > 0 && st.Epoch%cfg.CheckpointEvery == 0 {
			return save()
		}
		return nil
	})
	if err != nil {
		if ctx.Err() != nil && !errors.Is(err, train.ErrDiverged) {
			bar.Finish(st.Epoch*steps, "interrupted")
			if serr := save(); serr != nil {
				return nil, fmt.Errorf("interrupted at epoch %d and the checkpoint could not be saved: %w", st.Epoch, serr)
			}
			return nil, &TrainingInterrupted{Epoch: st.Epoch, Checkpoint: ckpt}
		}
		bar.Finish(st.Epoch*steps, "stopped")
		if errors.Is(err, train.ErrDiverged) {
			return nil, inputErr(err)
		}
		return nil, err
	}
	last := ""
	if n := len(st.Losses); n > 0 {
		last = fmt.Sprintf("loss %.4f", st.Losses[n-1])
	}
	bar.Finish(st.Epoch*steps, last)
	if cfg.CheckpointEvery > 0 {
		if err := save(); err != nil {
			return nil, err
		}
	}
	out.State = st
	return out, nil
}

// Trained is the result of Train: the final state, and the optimality gap
// measured along the way on fixed draws (when cfg.GapEvery > 0).
type Trained struct {
	State      *train.State
	Probe      *exact.LossProbe
	GapHistory []GapPoint
	GapErr     error // why the gap was not measured during training
	pre        *precond.Precond
}

func (t *Trained) measureGap(st *train.State) error {
	g, err := t.Probe.Gap(precond.NewScore(samplingNet(st), t.pre))
	if err != nil {
		return fmt.Errorf("optimality gap after epoch %d: %w", st.Epoch, err)
	}
	t.GapHistory = append(t.GapHistory, GapPoint{Epoch: st.Epoch, Gap: g.Mean, StdErr: g.StdErr})
	return nil
}

// samplingNet is the EMA weights when training kept them, else the weights.
func samplingNet(st *train.State) *nn.MLP {
	if st.EMA == nil {
		return st.Net
	}
	m := st.Net.Clone()
	copy(m.Params, st.EMA.Shadow)
	return m
}

func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding %s: %w", path, err)
	}
	return atomicfile.WriteBytes(path, append(b, '\n'))
}
