package pipeline

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"scoresde/data"
	"scoresde/nn"
	"scoresde/sampler"
	"scoresde/sde"
	"scoresde/train"
)

// TrainJob trains on ds and writes OUT/model.json, loss.csv, config.json,
// timing.json and checkpoint.json. It is 'scoresde train'.
func TrainJob(ctx context.Context, cfg Config, ds *data.Set, opt Options) (*train.State, *Timing, error) {
	if err := PrepareOut(cfg.Out); err != nil {
		return nil, nil, err
	}
	tm := &Timing{}
	s, err := cfg.SDE.Build()
	if err != nil {
		return nil, nil, err
	}
	warnCoverage(opt.Progress, ds, s)
	net, err := nn.New(ds.D+1, ds.D, cfg.Net.Hidden, rngFor(cfg.Seed, streamInit))
	if err != nil {
		return nil, nil, err
	}
	model := &Model{Net: net, SDE: s, Warp: sde.NewTimeWarp(s, minTime(cfg, s))}
	if cfg.Center {
		model.Shift = ds.Mean()
	}
	start := time.Now()
	trained, err := Train(ctx, cfg, s, model.Centre(ds, 0), net, opt)
	if err != nil {
		return nil, nil, err
	}
	tm.add("train", start)
	st := trained.State
	model.Net = samplingNet(st)
	out := func(n string) string { return filepath.Join(cfg.Out, n) }
	if err := writeLoss(out("loss.csv"), st.Losses); err != nil {
		return nil, nil, err
	}
	if err := SaveModel(out("model.json"), cfg, model, minTime(cfg, s), st.EMA != nil, st.Epoch); err != nil {
		return nil, nil, err
	}
	if err := writeJSON(out("config.json"), cfg); err != nil {
		return nil, nil, err
	}
	return st, tm, writeJSON(out("timing.json"), tm)
}

// SampleJob loads a model.json, draws cfg.Sample.N samples and writes
// OUT/samples.FORMAT. It is 'scoresde sample'.
func SampleJob(ctx context.Context, modelPath string, cfg Config, opt Options) (*data.Set, int, error) {
	model, _, err := LoadModel(modelPath)
	if err != nil {
		return nil, 0, err
	}
	if err := PrepareOut(cfg.Out); err != nil {
		return nil, 0, err
	}
	res, err := model.Sample(cfg.Sample, nil, rngFor(cfg.Seed, streamSample), opt)
	if err != nil {
		return nil, 0, err
	}
	smp := &data.Set{D: model.Dim(), X: res.X}
	if err := writeData(filepath.Join(cfg.Out, "samples."+cfg.Format), smp, cfg.Format); err != nil {
		return nil, 0, err
	}
	if err := writeJSON(filepath.Join(cfg.Out, "config.json"), struct {
		Model  string       `json:"model"`
		Sample SampleConfig `json:"sample"`
		Seed   uint64       `json:"seed"`
		Format string       `json:"format"`
	}{modelPath, cfg.Sample, cfg.Seed, cfg.Format}); err != nil {
		return nil, 0, err
	}
	return smp, res.NFE, nil
}

// EvalJob evaluates samples (a file, or drawn from the model when
// samplesPath is empty) against the data and the exact target, with the
// model's optimality gap and likelihood when modelPath is given. It writes
// OUT/metrics.json, the evaluation figures and report.html. It is
// 'scoresde eval'.
func EvalJob(ctx context.Context, cfg Config, ds *data.Set, samplesPath, modelPath string, opt Options) (*Evaluation, error) {
	if samplesPath == "" && modelPath == "" {
		return nil, fmt.Errorf("eval needs --samples FILE, --model FILE, or both")
	}
	if err := PrepareOut(cfg.Out); err != nil {
		return nil, err
	}
	var model *Model
	s, err := cfg.SDE.Build()
	if err != nil {
		return nil, err
	}
	if modelPath != "" {
		var mf *ModelFile
		if model, mf, err = LoadModel(modelPath); err != nil {
			return nil, err
		}
		if mf.Dim != ds.D {
			return nil, fmt.Errorf("model %s is for dimension %d but the data have dimension %d", modelPath, mf.Dim, ds.D)
		}
		cfg.SDE, s = mf.SDE, model.SDE
	}
	var smp *data.Set
	if samplesPath != "" {
		if smp, err = readData(samplesPath); err != nil {
			return nil, err
		}
		if smp.D != ds.D {
			return nil, fmt.Errorf("samples in %s have dimension %d but the data have dimension %d; pass samples of the same data", samplesPath, smp.D, ds.D)
		}
	} else {
		r, err := model.Sample(cfg.Sample, nil, rngFor(cfg.Seed, streamSample), opt)
		if err != nil {
			return nil, err
		}
		smp = &data.Set{D: ds.D, X: r.X}
	}
	ev, err := Evaluate(cfg, ds, smp, model, nil, opt)
	if err != nil {
		return nil, err
	}
	if err := writeJSON(filepath.Join(cfg.Out, "metrics.json"), ev.Metrics); err != nil {
		return nil, err
	}
	if cfg.Figures {
		q := &drawQueue{dir: cfg.Out}
		if ds.D > 1 {
			multiFigures(q, ds, smp.X)
		} else {
			lo, hi := plotRange(ds)
			var score sampler.Score
			if model != nil {
				score = model
			}
			if err := exactFigures(q, s, ds, smp.X, score, ev, lo, hi); err != nil {
				return nil, err
			}
		}
		if err := q.run(); err != nil {
			return nil, err
		}
	}
	if err := WriteReport(filepath.Join(cfg.Out, "report.html"), cfg, nil, ev.Metrics, nil); err != nil {
		return nil, err
	}
	return ev, nil
}
