package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"scoresde/config"
	"scoresde/data"
	"scoresde/pipeline"
)

// common holds the flags every job command shares.
type common struct {
	quiet      bool
	jsonOut    bool
	configFile string
	set        map[string]bool // flags given on the command line or in the config file
	stderr     io.Writer
	fs         *flag.FlagSet
}

func commonFlags(fs *flag.FlagSet, c *common, stderr io.Writer) {
	c.stderr = stderr
	c.fs = fs
	fs.BoolVar(&c.quiet, "q", false, "quiet: no progress bars, warnings or text summary (errors still print; --json still prints)")
	fs.BoolVar(&c.jsonOut, "json", false, "print the summary as JSON on stdout")
	fs.StringVar(&c.configFile, "config", "", "JSON or YAML file of flag values (keys are flag names); flags given on the command line win")
}

// finishFlags parses args, merges the config file and validates.
func finishFlags(fs *flagSet, args []string, c *common) error {
	if err := parse(fs, args); err != nil {
		return err
	}
	if c.configFile != "" {
		if err := config.ApplyFile(fs.FlagSet, c.configFile); err != nil {
			return usage(err)
		}
	}
	c.set = map[string]bool{}
	fs.Visit(func(f *flag.Flag) { c.set[f.Name] = true })
	return nil
}

// notConfig are the flags config.json leaves out: they say how to run,
// not what to compute.
var notConfig = []string{"config", "q", "json", "resume", "overwrite"}

func (c common) options(stderr io.Writer) pipeline.Options {
	o := pipeline.Options{SaveConfig: func(path string) error { return config.Save(path, c.fs, notConfig...) }}
	if !c.quiet {
		o.Progress = stderr
	}
	return o
}

func cmdRun(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg := pipeline.Default()
	var cm common
	fs := newFlagSet("run", "Runs the whole job on the notebook's defaults: Langevin data (or --data FILE), training,\nsampling, metrics, figures and report, all written to --out.", stderr)
	dataFlags(fs.FlagSet, &cfg)
	sdeFlags(fs.FlagSet, &cfg)
	trainFlags(fs.FlagSet, &cfg)
	precondFlags(fs.FlagSet, &cfg)
	sampleFlags(fs.FlagSet, &cfg)
	evalFlags(fs.FlagSet, &cfg)
	gapFlag(fs.FlagSet, &cfg)
	outFlags(fs.FlagSet, &cfg)
	checkpointFlags(fs.FlagSet, &cfg)
	reweightFlags(fs.FlagSet, &cfg)
	commonFlags(fs.FlagSet, &cm, stderr)
	if err := finishFlags(fs, args, &cm); err != nil {
		return err
	}
	ds, err := prepareJob(ctx, &cfg, &cm)
	if err != nil {
		return err
	}
	res, err := pipeline.Run(ctx, cfg, ds, cm.options(stderr))
	if err != nil {
		return err
	}
	if cm.quiet && !cm.jsonOut {
		return nil
	}
	return printSummary(stdout, res, cm.jsonOut)
}

// prepareJob checks the configuration, reads or generates the data and
// makes the output folder: everything that can fail on bad input, before
// any work starts, as usage errors.
func prepareJob(ctx context.Context, cfg *pipeline.Config, cm *common) (*data.Set, error) {
	applyToyDefaults(cfg, cm.set)
	if err := cfg.Validate(); err != nil {
		return nil, usage(err)
	}
	if err := checkFiles(cfg); err != nil {
		return nil, usage(err)
	}
	if err := checkMemory(cfg, 1); err != nil {
		return nil, usage(err)
	}
	// A data file's scale is unknown: the notebook's eta_max is kept only
	// when it covers the data, unless the user chose it.
	cfg.EtaMaxAuto = (cfg.Data.File != "" || cfg.Data.Dataset != "") && !cm.set["eta-max"]
	ds, err := loadInput(ctx, cfg, cm)
	if err != nil {
		return nil, err
	}
	if ds.D > 1 {
		if err := checkMemory(cfg, ds.D); err != nil {
			return nil, usage(err)
		}
	}
	if err := pipeline.PrepareOut(cfg.Out); err != nil {
		return nil, usage(err)
	}
	return ds, nil
}

// checkFiles checks the input files the flags name exist, before the data
// are generated.
func checkFiles(cfg *pipeline.Config) error {
	if cfg.Resume != "" {
		if _, err := os.Stat(cfg.Resume); err != nil {
			return fmt.Errorf("--resume: cannot read checkpoint %s (%v); pass the checkpoint.json of an earlier run", cfg.Resume, errors.Unwrap(err))
		}
	}
	return nil
}

// checkMemory refuses a run whose estimated memory exceeds the machine's.
func checkMemory(cfg *pipeline.Config, d int) error {
	total := sysMemory()
	if total == 0 {
		return nil
	}
	if need := cfg.MemoryNeed(d); need > total {
		return fmt.Errorf("this run needs about %.3g GB of memory (--hidden %s: weights, optimiser state, checkpoints; --n-data %d, --n %d: points), more than this machine's %.3g GB; choose narrower layers or fewer points", need/1e9, intList{&cfg.Net.Hidden}.String(), cfg.Data.N, cfg.Sample.N, total/1e9)
	}
	return nil
}

// sysMemory is the machine's total memory in bytes, 0 when unknown.
func sysMemory() float64 {
	b, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "MemTotal:" {
			kb, err := strconv.ParseFloat(f[1], 64)
			if err == nil {
				return kb * 1024
			}
		}
	}
	return 0
}

// loadInput reads or generates the training data, as a usage error on bad input.
func loadInput(ctx context.Context, cfg *pipeline.Config, cm *common) (*data.Set, error) {
	ds, err := pipeline.LoadDataContext(ctx, cfg.Data)
	if errors.Is(err, pipeline.ErrInterrupted) {
		return nil, err
	}
	if err != nil {
		return nil, usage(err)
	}
	src := "generated data"
	if cfg.Data.File != "" {
		src = cfg.Data.File
	}
	if err := ds.Validate(); err != nil {
		return nil, usage(fmt.Errorf("%s: %v", src, err))
	}
	if err := pipeline.CheckPotential(*cfg, ds); err != nil {
		return nil, usage(fmt.Errorf("%s: %v", src, err))
	}
	if err := ds.CheckSpread(); err != nil {
		return nil, usage(fmt.Errorf("%s: %v", src, err))
	}
	note, err := pipeline.FitToData(cfg, ds)
	if err != nil {
		return nil, usage(err)
	}
	if note != "" && !cm.quiet && cm.stderr != nil {
		fmt.Fprintf(cm.stderr, "note: %s\n", note)
	}
	if err := cfg.ValidateData(ds); err != nil {
		return nil, usage(err)
	}
	return ds, nil
}

func printSummary(w io.Writer, res *pipeline.Result, asJSON bool) error {
	sum := res.Summary()
	if asJSON {
		b, err := json.MarshalIndent(sum, "", "  ")
		if err != nil {
			return err
		}
		_, err = fmt.Fprintln(w, string(b))
		return err
	}
	var sb strings.Builder
	sum.WriteText(&sb)
	_, err := io.WriteString(w, sb.String())
	return err
}
