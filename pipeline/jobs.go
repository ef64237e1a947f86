package pipeline

import (
	"context"
	"path/filepath"
	"time"

	"scoresde/data"
	"scoresde/nn"
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
	start := time.Now()
	st, err := Train(ctx, cfg, s, ds, net, opt)
	if err != nil {
		return nil, nil, err
	}
	tm.add("train", start)
	out := func(n string) string { return filepath.Join(cfg.Out, n) }
	if err := writeLoss(out("loss.csv"), st.Losses); err != nil {
		return nil, nil, err
	}
	if err := SaveModel(out("model.json"), cfg, st); err != nil {
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
	net, s, _, err := LoadModel(modelPath)
	if err != nil {
		return nil, 0, err
	}
	if err := PrepareOut(cfg.Out); err != nil {
		return nil, 0, err
	}
	res, err := Sample(s, net, net.Out, cfg.Sample, nil, rngFor(cfg.Seed, streamSample), opt)
	if err != nil {
		return nil, 0, err
	}
	smp := &data.Set{D: net.Out, X: res.X}
	if err := writeData(filepath.Join(cfg.Out, "samples."+cfg.Format), smp, cfg.Format); err != nil {
		return nil, 0, err
	}
	return smp, res.NFE, nil
}
