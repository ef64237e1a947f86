package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"

	"scoresde/atomicfile"
	"scoresde/data"
	"scoresde/exact"
	"scoresde/langevin"
	"scoresde/nn"
	"scoresde/progress"
	"scoresde/sde"
	"scoresde/train"
)

// Options are the run's side channels: where progress and warnings go.
type Options struct {
	Progress io.Writer // progress bars and warnings; nil is quiet
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
	p, x0, err := langevin.ByName(cfg.Potential)
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

// PrepareOut creates the output folder and checks it is writable.
func PrepareOut(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("cannot create output folder %s: %v; choose a writable --out", dir, err)
	}
	f, err := os.CreateTemp(dir, ".write-test*")
	if err != nil {
		return fmt.Errorf("output folder %s is not writable: %v; choose a writable --out", dir, err)
	}
	f.Close()
	return os.Remove(f.Name())
}

// Run does the whole job: data, training, sampling, metrics, figures, files.
// ds may be nil, in which case the data come from cfg.Data.
func Run(ctx context.Context, cfg Config, ds *data.Set, opt Options) (*Result, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if err := PrepareOut(cfg.Out); err != nil {
		return nil, err
	}
	res := &Result{Config: cfg}
	tm := &res.Timing
	out := func(name string) string {
		p := filepath.Join(cfg.Out, name)
		res.OutFiles = append(res.OutFiles, p)
		return p
	}

	start := time.Now()
	var err error
	if ds == nil {
		if ds, err = LoadData(cfg.Data); err != nil {
			return nil, err
		}
	}
	if err := ds.Validate(); err != nil {
		return nil, err
	}
	res.Data = ds
	if err := writeData(out("dataset."+cfg.Format), ds, cfg.Format); err != nil {
		return nil, err
	}
	tm.add("data", start)

	s, err := cfg.SDE.Build()
	if err != nil {
		return nil, err
	}
	warnCoverage(opt.Progress, ds, s)

	var fwd *forwardView
	if cfg.Figures {
		start = time.Now()
		fwd, err = forwardSnapshots(s, ds, cfg.Sample.Steps, rngFor(cfg.Seed, streamForward))
		if err != nil {
			return nil, err
		}
		tm.add("forward", start)
	}

	net, err := nn.New(ds.D+1, ds.D, cfg.Net.Hidden, rngFor(cfg.Seed, streamInit))
	if err != nil {
		return nil, err
	}
	var shift []float64
	if cfg.Center {
		shift = ds.Mean()
	}
	warp := sde.NewTimeWarp(s, minTime(cfg, s))
	untrained := &Model{Net: net.Clone(), SDE: s, Shift: shift, Warp: warp}

	start = time.Now()
	trained, err := Train(ctx, cfg, s, untrained.Centre(ds, 0), net, opt)
	if err != nil {
		return nil, err
	}
	st := trained.State
	res.Losses = st.Losses
	model := &Model{Net: samplingNet(st), SDE: s, Shift: shift, Warp: warp}
	if err := writeLoss(out("loss.csv"), st.Losses); err != nil {
		return nil, err
	}
	if err := SaveModel(out("model.json"), cfg, model, minTime(cfg, s), st.EMA != nil, st.Epoch); err != nil {
		return nil, err
	}
	tm.add("train", start)

	start = time.Now()
	smp, err := model.Sample(cfg.Sample, fwdKeep(fwd, cfg.Sample.Steps), rngFor(cfg.Seed, streamSample), opt)
	if err != nil {
		return nil, err
	}
	res.NFE = smp.NFE
	res.Samples = &data.Set{D: ds.D, X: smp.X}
	if err := writeData(out("samples."+cfg.Format), res.Samples, cfg.Format); err != nil {
		return nil, err
	}
	tm.add("sample", start)

	start = time.Now()
	ev, err := Evaluate(cfg, ds, res.Samples, model, trained, opt)
	if err != nil {
		return nil, err
	}
	res.Metrics = ev.Metrics
	if err := writeJSON(out("metrics.json"), res.Metrics); err != nil {
		return nil, err
	}
	tm.add("eval", start)

	if cfg.Figures {
		start = time.Now()
		files, err := drawFigures(cfg, s, ds, fwd, smp, untrained, model, st.Losses, ev)
		if err != nil {
			return nil, err
		}
		res.OutFiles = append(res.OutFiles, files...)
		tm.add("figures", start)
	}

	if err := writeJSON(out("config.json"), cfg); err != nil {
		return nil, err
	}
	if err := writeJSON(out("timing.json"), tm); err != nil {
		return nil, err
	}
	last := 0.0
	if n := len(st.Losses); n > 0 {
		last = st.Losses[n-1]
	}
	if err := WriteReport(out("report.html"), cfg, tm, res.Metrics, &last); err != nil {
		return nil, err
	}
	return res, nil
}

// CheckpointName is the checkpoint file inside the output folder.
const CheckpointName = "checkpoint.json"

// trainingKey is the part of the configuration a resumed run must share
// with the run that wrote the checkpoint for the result to be the same.
type trainingKey struct {
	Data   DataConfig
	SDE    SDEConfig
	Net    NetConfig
	Train  train.Config
	Seed   uint64
	Center bool
}

func keyOf(cfg Config) trainingKey {
	k := trainingKey{Data: cfg.Data, SDE: cfg.SDE, Net: cfg.Net, Train: cfg.Train, Seed: cfg.Seed, Center: cfg.Center}
	k.Train.Epochs = 0 // a resumed run may train for longer
	return k
}

// Train fits net on ds, or continues from cfg.Resume, saving checkpoints to
// OUT/checkpoint.json every cfg.CheckpointEvery epochs and when ctx is
// cancelled (SIGINT, SIGTERM), with a progress bar.
func Train(ctx context.Context, cfg Config, s sde.SDE, ds *data.Set, net *nn.MLP, opt Options) (*Trained, error) {
	st := &train.State{Net: net, RNG: rand.NewPCG(cfg.Seed, streamTrain)}
	out := &Trained{}
	if cfg.Resume != "" {
		var saved trainingKey
		var err error
		if st, err = train.LoadCheckpoint(cfg.Resume, &saved); err != nil {
			return nil, err
		}
		if want := keyOf(cfg); fmt.Sprint(saved) != fmt.Sprint(want) {
			return nil, fmt.Errorf("checkpoint %s was written with different data, SDE, network, training or seed settings; resume with the same flags as the interrupted run", cfg.Resume)
		}
	}
	tr, err := train.New(cfg.Train, s, ds, st)
	if err != nil {
		return nil, err
	}
	defer tr.Close()
	out.warp = sde.NewTimeWarp(s, tr.MinTime())
	if cfg.GapEvery > 0 {
		if out.Probe, err = newProbe(cfg, s, ds); err != nil {
			return nil, err
		}
		if st.Epoch == 0 {
			if err := out.measureGap(st); err != nil {
				return nil, err
			}
		}
	}
	ckpt := filepath.Join(cfg.Out, CheckpointName)
	save := func() error { return train.SaveCheckpoint(ckpt, st, keyOf(cfg)) }
	steps := tr.StepsPerEpoch()
	bar := progress.New(opt.Progress, "train", "steps", cfg.Train.Epochs*steps)
	err = tr.Run(ctx, cfg.Train.Epochs, func(st *train.State) error {
		bar.Update(st.Epoch*steps, fmt.Sprintf("epoch %d loss %.4f", st.Epoch, st.Losses[len(st.Losses)-1]))
		if cfg.GapEvery > 0 && (st.Epoch%cfg.GapEvery == 0 || st.Epoch == cfg.Train.Epochs) {
			if err := out.measureGap(st); err != nil {
				return err
			}
		}
		if cfg.CheckpointEvery > 0 && st.Epoch%cfg.CheckpointEvery == 0 {
			return save()
		}
		return nil
	})
	if err != nil {
		if ctx.Err() != nil {
			bar.Finish(st.Epoch*steps, "interrupted")
			if serr := save(); serr != nil {
				return nil, fmt.Errorf("interrupted at epoch %d and the checkpoint could not be saved: %v", st.Epoch, serr)
			}
			return nil, fmt.Errorf("interrupted after epoch %d; checkpoint saved, continue with --resume %s: %w", st.Epoch, ckpt, ctx.Err())
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
	warp       sde.TimeWarp
}

func (t *Trained) measureGap(st *train.State) error {
	g, err := t.Probe.Gap(NetScore{samplingNet(st), t.warp})
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
