package main

import (
	"flag"
	"fmt"
	"strconv"
	"strings"

	"scoresde/pipeline"
)

// floatList is a comma-separated list flag.
type floatList struct{ p *[]float64 }

func (f floatList) String() string {
	if f.p == nil {
		return ""
	}
	s := make([]string, len(*f.p))
	for i, v := range *f.p {
		s[i] = strconv.FormatFloat(v, 'g', -1, 64)
	}
	return strings.Join(s, ",")
}

func (f floatList) Set(v string) error {
	if strings.TrimSpace(v) == "" {
		*f.p = nil
		return nil
	}
	var out []float64
	for _, s := range strings.Split(v, ",") {
		x, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil {
			return fmt.Errorf("%q is not a comma-separated list of numbers", v)
		}
		out = append(out, x)
	}
	*f.p = out
	return nil
}

// intList is a comma-separated list of integers.
type intList struct{ p *[]int }

func (f intList) String() string {
	if f.p == nil {
		return ""
	}
	s := make([]string, len(*f.p))
	for i, v := range *f.p {
		s[i] = strconv.Itoa(v)
	}
	return strings.Join(s, ",")
}

func (f intList) Set(v string) error {
	var out []int
	for _, s := range strings.Split(v, ",") {
		x, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			return fmt.Errorf("%q is not a comma-separated list of integers", v)
		}
		out = append(out, x)
	}
	*f.p = out
	return nil
}

// Flag groups, bound to fields of one pipeline.Config; each subcommand
// registers the groups it uses.
func dataFlags(fs *flag.FlagSet, c *pipeline.Config) {
	fs.StringVar(&c.Data.File, "data", c.Data.File, "training data file (.csv, .tsv, .txt, .npy); empty: generate Langevin data")
	fs.StringVar(&c.Data.Potential, "potential", c.Data.Potential, "potential for generated data: fourwell, doublewell, harmonic, mullerbrown")
	fs.Float64Var(&c.Data.Beta, "beta", c.Data.Beta, "inverse temperature β of the Langevin dynamics")
	fs.Float64Var(&c.Data.Dt, "dt", c.Data.Dt, "Langevin time step")
	fs.IntVar(&c.Data.N, "n-data", c.Data.N, "number of Langevin states to record")
	fs.Var(floatList{&c.Data.X0}, "x0", "Langevin start point, comma-separated; unset: the potential's own (fourwell: 0)")
	fs.Uint64Var(&c.Data.Seed, "data-seed", c.Data.Seed, "seed of the Langevin noise")
	potentialExprFlag(fs, c)
	toyFlags(fs, c)
}

func sdeFlags(fs *flag.FlagSet, c *pipeline.Config) {
	fs.StringVar(&c.SDE.Name, "sde", c.SDE.Name, "forward SDE: ve (the notebook's), vp or subvp")
	fs.Float64Var(&c.SDE.EtaMin, "eta-min", c.SDE.EtaMin, "VE: smallest noise std η_min")
	fs.Float64Var(&c.SDE.EtaMax, "eta-max", c.SDE.EtaMax, "VE: largest noise std η_max (prior std)")
	fs.Float64Var(&c.SDE.BetaMin, "beta-min", c.SDE.BetaMin, "VP/sub-VP: β_min")
	fs.Float64Var(&c.SDE.BetaMax, "beta-max", c.SDE.BetaMax, "VP/sub-VP: β_max")
	fs.Float64Var(&c.SDE.T, "T", c.SDE.T, "final time T")
	fs.BoolVar(&c.Center, "center", c.Center, "train on the data minus their mean and add it back to the samples, so the prior sits on the data (the notebook does not: --center=false)")
	fs.BoolVar(&c.EtaMaxFromData, "eta-max-from-data", c.EtaMaxFromData, "VE: set eta_max to the data's diameter so the prior covers the data")
}

func trainFlags(fs *flag.FlagSet, c *pipeline.Config) {
	fs.Var(intList{&c.Net.Hidden}, "hidden", "hidden layer widths, comma-separated")
	fs.IntVar(&c.Train.Epochs, "epochs", c.Train.Epochs, "training epochs")
	fs.IntVar(&c.Train.BatchSize, "batch", c.Train.BatchSize, "batch size (the incomplete last batch is dropped)")
	fs.Float64Var(&c.Train.LR, "lr", c.Train.LR, "Adam learning rate")
	fs.Float64Var(&c.Train.MinTime, "min-time", c.Train.MinTime, "smallest training time ε in t~U[ε,T]; negative: the SDE's default (VE 0, VP/sub-VP 1e-5)")
	fs.StringVar(&c.Train.Weighting, "weighting", c.Train.Weighting, "loss weighting λ(t): std2 (the notebook's, std(t)²) or g2 (likelihood weighting g(t)²)")
	fs.Float64Var(&c.Train.EMA, "ema", c.Train.EMA, "EMA decay of the weights used for sampling (e.g. 0.999); 0 disables")
}

func sampleFlags(fs *flag.FlagSet, c *pipeline.Config) {
	fs.IntVar(&c.Sample.N, "n", c.Sample.N, "number of samples to generate")
	fs.IntVar(&c.Sample.Steps, "steps", c.Sample.Steps, "reverse-time steps (fixed-step samplers)")
	fs.StringVar(&c.Sample.Method, "sampler", c.Sample.Method, "sampler: em (reverse-SDE Euler–Maruyama, the notebook's), rd (reverse diffusion), pc (predictor–corrector), ode (probability flow), edm (Karras et al.'s Heun, 2·steps−1 NFE), dpm2m (DPM-Solver++(2M), steps NFE), ancestral (Euler ancestral)")
	fs.StringVar(&c.Sample.ODESolver, "ode-solver", c.Sample.ODESolver, "probability-flow solver: rk45 (adaptive), heun or rk4")
	fs.IntVar(&c.Sample.CorrectorSteps, "corrector-steps", c.Sample.CorrectorSteps, "pc: Langevin corrector steps per predictor step")
	fs.Float64Var(&c.Sample.SNR, "snr", c.Sample.SNR, "pc: corrector signal-to-noise ratio")
	fs.Float64Var(&c.Sample.RTol, "rtol", c.Sample.RTol, "ode rk45 / likelihood: relative tolerance")
	fs.Float64Var(&c.Sample.ATol, "atol", c.Sample.ATol, "ode rk45 / likelihood: absolute tolerance")
	fs.BoolVar(&c.Sample.Denoise, "denoise", c.Sample.Denoise, "finish with one denoising step x ← (x + std(ε)²·s(x,ε))/m(ε), the posterior mean (m(ε) = 1 for VE)")
	fs.Float64Var(&c.Sample.Eps, "eps", c.Sample.Eps, "end time of sampling; negative: the SDE's default")
	fewStepFlags(fs, c)
}

func outFlags(fs *flag.FlagSet, c *pipeline.Config) {
	fs.StringVar(&c.Out, "out", c.Out, "output folder")
	formatFlag(fs, c)
	fs.Uint64Var(&c.Seed, "seed", c.Seed, "seed of initialisation, training and sampling")
}

func formatFlag(fs *flag.FlagSet, c *pipeline.Config) {
	fs.StringVar(&c.Format, "format", c.Format, "format of dataset and samples files: csv, tsv, txt or npy")
}

// gapFlag is for the commands that train.
func gapFlag(fs *flag.FlagSet, c *pipeline.Config) {
	fs.IntVar(&c.GapEvery, "gap-every", c.GapEvery, "measure the optimality gap every so many epochs (0: off)")
}

func evalFlags(fs *flag.FlagSet, c *pipeline.Config) {
	fs.Var(floatList{&c.Splits}, "splits", "split points between wells for the mass-share metric (1-D)")
	fs.BoolVar(&c.Figures, "figures", c.Figures, "draw figures (PNG and SVG)")
	fs.BoolVar(&c.NLL, "nll", c.NLL, "compute the negative log-likelihood through the probability-flow ODE")
	fs.StringVar(&c.Truth, "truth", c.Truth, "potential whose Gibbs density (at --beta) the data follow: auto (the generating potential; none for a data file), none, or a name")
}

func checkpointFlags(fs *flag.FlagSet, c *pipeline.Config) {
	fs.IntVar(&c.CheckpointEvery, "checkpoint-every", c.CheckpointEvery, "save OUT/checkpoint.json every so many epochs (and on SIGINT/SIGTERM); 0: only on interruption")
	fs.StringVar(&c.Resume, "resume", c.Resume, "continue training from this checkpoint.json (same flags and data as the interrupted run; --epochs at least its epoch)")
	fs.BoolVar(&c.Overwrite, "overwrite", c.Overwrite, "start afresh in an --out folder that holds an unfinished run's checkpoint, replacing it")
}
