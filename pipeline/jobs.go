package pipeline

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"scoresde/data"
	"scoresde/nn"
	"scoresde/sampler"
	"scoresde/train"
)

// TrainJob trains on ds and writes OUT/model.json, loss.csv, config.json,
// timing.json and checkpoint.json. It is 'scoresde train'.
func TrainJob(ctx context.Context, cfg Config, ds *data.Set, opt Options) (*train.State, *Timing, error) {
	if err := PrepareOut(cfg.Out); err != nil {
		return nil, nil, inputErr(err)
	}
	if err := ClaimOut(cfg.Out, cfg.Overwrite, cfg.Resume, cfg.Data.File); err != nil {
		return nil, nil, err
	}
	opt.ctx = ctx
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
	model, err := newModel(cfg, s, net, ds)
	if err != nil {
		return nil, nil, err
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
	if err := opt.writeConfig(out("config.json"), cfg); err != nil {
		return nil, nil, err
	}
	return st, tm, writeJSON(out("timing.json"), tm)
}

// SampleJob loads a model.json, draws cfg.Sample.N samples and writes
// OUT/samples.FORMAT. It is 'scoresde sample'.
func SampleJob(ctx context.Context, modelPath string, cfg Config, opt Options) (*data.Set, int, error) {
	model, _, err := OpenModel(modelPath, cfg.SDE)
	if err != nil {
		return nil, 0, inputErr(err)
	}
	if err := PrepareOut(cfg.Out); err != nil {
		return nil, 0, inputErr(err)
	}
	if err := removeOutputs(cfg.Out, isSampleOutput, []string{modelPath}); err != nil {
		return nil, 0, err
	}
	opt.ctx = ctx
	res, err := model.Sample(cfg.Sample, nil, rngFor(cfg.Seed, streamSample), opt)
	if err != nil {
		return nil, 0, err
	}
	if ctx.Err() != nil {
		return nil, 0, interrupted(ctx, "sampling")
	}
	smp := &data.Set{D: model.Dim(), X: res.X}
	if err := writeData(filepath.Join(cfg.Out, "samples."+cfg.Format), smp, cfg.Format); err != nil {
		return nil, 0, err
	}
	if err := opt.writeConfig(filepath.Join(cfg.Out, "config.json"), struct {
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
// OUT/metrics.json and config.json (and samples.FORMAT when it drew them)
// before the optional metrics, evaluation figures and report.html, which
// are skipped with a note when they cannot be made. It is 'scoresde eval'.
func EvalJob(ctx context.Context, cfg Config, ds *data.Set, samplesPath, modelPath string, opt Options) (*Evaluation, []Skipped, error) {
	if samplesPath == "" && modelPath == "" {
		return nil, nil, &InputError{fmt.Errorf("eval needs samples, a model, or both")}
	}
	if err := PrepareOut(cfg.Out); err != nil {
		return nil, nil, inputErr(err)
	}
	if err := removeOutputs(cfg.Out, isEvalOutput, []string{samplesPath, modelPath, cfg.Data.File}); err != nil {
		return nil, nil, err
	}
	opt.ctx = ctx
	r := &runner{ctx: ctx, cfg: cfg, opt: opt, ds: ds, res: &Result{Config: cfg}}
	s, err := cfg.SDE.Build()
	if err != nil {
		return nil, nil, inputErr(err)
	}
	var model *Model
	if modelPath != "" {
		var mf *ModelFile
		if model, mf, err = OpenModel(modelPath, cfg.SDE); err != nil {
			return nil, nil, inputErr(err)
		}
		if mf.Dim != ds.D {
			return nil, nil, &InputError{fmt.Errorf("model %s is for dimension %d but the data have dimension %d", modelPath, mf.Dim, ds.D)}
		}
		r.cfg.SDE, s = mf.SDE, model.SDE
	}
	var smp *data.Set
	nfe := 0
	if samplesPath != "" {
		if smp, err = readData(samplesPath); err != nil {
			return nil, nil, inputErr(err)
		}
		if smp.D != ds.D {
			return nil, nil, &InputError{fmt.Errorf("samples in %s have dimension %d but the data have dimension %d; pass samples of the same data", samplesPath, smp.D, ds.D)}
		}
	} else {
		res, err := model.Sample(cfg.Sample, nil, rngFor(cfg.Seed, streamSample), opt)
		if err != nil {
			return nil, nil, err
		}
		if ctx.Err() != nil {
			return nil, nil, interrupted(ctx, "sampling")
		}
		smp = &data.Set{D: ds.D, X: res.X}
		if err := writeData(filepath.Join(cfg.Out, "samples."+cfg.Format), smp, cfg.Format); err != nil {
			return nil, nil, err
		}
		nfe = res.NFE
	}
	r.res.Samples, r.model = smp, model
	ev, err := r.evaluateSteps(func(ev *Evaluation) error {
		r.res.Metrics = ev.Metrics
		if err := writeJSON(filepath.Join(cfg.Out, "metrics.json"), ev.Metrics); err != nil {
			return err
		}
		return opt.writeConfig(filepath.Join(cfg.Out, "config.json"), r.cfg)
	})
	if err != nil {
		return nil, r.res.Skipped, err
	}
	if cfg.Reweight.On {
		if _, err := Reweight(cfg, model, ds, ev.Metrics, opt); err != nil {
			return nil, r.res.Skipped, err
		}
	}
	ev.Metrics.NFE = nfe
	if err := writeJSON(filepath.Join(cfg.Out, "metrics.json"), ev.Metrics); err != nil {
		return nil, r.res.Skipped, err
	}
	if cfg.Figures {
		err := r.do(step{"figures", true, func(r *runner) error {
			q := &drawQueue{dir: cfg.Out}
			err := interruptible(ctx, "figures", func() error {
				if ds.D > 1 {
					multiFigures(q, ds, smp.X)
					return nil
				}
				lo, hi := plotRange(ds)
				var score sampler.Score
				if model != nil {
					score = model
				}
				return exactFigures(q, s, ds, smp.X, score, ev, lo, hi)
			})
			if ctx.Err() != nil {
				return err
			}
			if err != nil {
				r.skip("figures comparing with the exact target", err)
			}
			_, err = q.runEach(ctx, r.skip)
			return err
		}, nil})
		if err != nil {
			return nil, r.res.Skipped, err
		}
	}
	if err := WriteReport(filepath.Join(cfg.Out, "report.html"), r.cfg, nil, ev.Metrics, nil, r.res.Skipped...); err != nil {
		r.skip("report.html", err)
	}
	return ev, r.res.Skipped, nil
}
