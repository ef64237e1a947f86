package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
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
}

func commonFlags(fs *flag.FlagSet, c *common, stderr io.Writer) {
	c.stderr = stderr
	fs.BoolVar(&c.quiet, "q", false, "quiet: no progress bars or warnings")
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

func (c common) options(stderr io.Writer) pipeline.Options {
	if c.quiet {
		return pipeline.Options{}
	}
	return pipeline.Options{Progress: stderr}
}

func cmdRun(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg := pipeline.Default()
	var cm common
	fs := newFlagSet("run", "Runs the whole job on the notebook's defaults: Langevin data (or --data FILE), training,\nsampling, metrics, figures and report, all written to --out.", stderr)
	dataFlags(fs.FlagSet, &cfg)
	sdeFlags(fs.FlagSet, &cfg)
	trainFlags(fs.FlagSet, &cfg)
	sampleFlags(fs.FlagSet, &cfg)
	evalFlags(fs.FlagSet, &cfg)
	outFlags(fs.FlagSet, &cfg)
	checkpointFlags(fs.FlagSet, &cfg)
	commonFlags(fs.FlagSet, &cm, stderr)
	if err := finishFlags(fs, args, &cm); err != nil {
		return err
	}
	ds, err := prepareJob(&cfg, &cm)
	if err != nil {
		return err
	}
	res, err := pipeline.Run(ctx, cfg, ds, cm.options(stderr))
	if err != nil {
		return err
	}
	return printSummary(stdout, res, cm.jsonOut)
}

// prepareJob checks the configuration, reads or generates the data and
// makes the output folder: everything that can fail on bad input, before
// any work starts, as usage errors.
func prepareJob(cfg *pipeline.Config, cm *common) (*data.Set, error) {
	if err := cfg.Validate(); err != nil {
		return nil, usage(err)
	}
	// A data file's scale is unknown: the notebook's eta_max is kept only
	// when it covers the data, unless the user chose it.
	cfg.EtaMaxAuto = cfg.Data.File != "" && !cm.set["eta-max"]
	ds, err := loadInput(cfg, cm)
	if err != nil {
		return nil, err
	}
	if err := pipeline.PrepareOut(cfg.Out); err != nil {
		return nil, usage(err)
	}
	return ds, nil
}

// loadInput reads or generates the training data, as a usage error on bad input.
func loadInput(cfg *pipeline.Config, cm *common) (*data.Set, error) {
	ds, err := pipeline.LoadData(cfg.Data)
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
	if cfg.Train.Epochs > 0 && ds.Len() < cfg.Train.BatchSize {
		return nil, usage(fmt.Errorf("batch size %d exceeds the %d data points; lower --batch", cfg.Train.BatchSize, ds.Len()))
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
