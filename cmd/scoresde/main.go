// Command scoresde trains score-based diffusion models on low-dimensional
// data, samples from them and reports how good they are.
//
// Usage:
//
//	scoresde run [flags]      the whole job on the notebook's defaults
//	scoresde data [flags]     generate Langevin data
//	scoresde train [flags]    train on --data FILE, write model.json
//	scoresde sample [flags]   sample from --model FILE, write samples
//	scoresde eval [flags]     metrics of samples against data (and truth)
//	scoresde bench [flags]    speed of the training step and sampler
//	scoresde compare [flags]  every sampler at a ladder of step counts
//
// Run 'scoresde CMD -h' for the flags of a command.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// usageError marks bad flags or impossible values: exit code 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usage(err error) error { return usageError{err} }

type command struct {
	name, summary string
	run           func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

func commands() []command {
	return []command{
		{"run", "the whole job: data, training, sampling, metrics, figures, report", cmdRun},
		{"data", "generate Langevin data for a named potential", cmdData},
		{"train", "train a score model on --data FILE and write model.json", cmdTrain},
		{"sample", "sample from --model FILE and write samples", cmdSample},
		{"eval", "metrics of --samples against --data and the exact target", cmdEval},
		{"bench", "time the training step and the reverse sampler", cmdBench},
		{"score", "the learned score u(x, t) of --model FILE at given points", cmdScore},
		{"export", "write a model.json as the notebook's state_dict (.safetensors, .npz)", cmdExport},
		{"compare", "every sampler of --model FILE at a ladder of step counts: compare.csv, figure, report", cmdCompare},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// After the first signal a second one ends the program at once.
	go func() {
		<-ctx.Done()
		stop()
	}()
	os.Exit(realMain(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

func realMain(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		topUsage(stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands() {
		if c.name == args[0] {
			err := c.run(ctx, args[1:], stdout, stderr)
			return exitCode(err, stderr)
		}
	}
	fmt.Fprintf(stderr, "scoresde: unknown command %q; run 'scoresde -h' for the list\n", args[0])
	return 2
}

func topUsage(w io.Writer) {
	fmt.Fprintln(w, "scoresde trains score-based diffusion models (SDE formulation) on low-dimensional data.")
	fmt.Fprintln(w, "\nUsage: scoresde COMMAND [flags]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-7s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'scoresde COMMAND -h' for a command's flags.")
}

// flagSet is a command's flags with its help text. The flag package calls
// Usage on every parse error too; we print help only for -h so a bad flag
// gets one line.
type flagSet struct {
	*flag.FlagSet
	help func()
}

func newFlagSet(name, synopsis string, stderr io.Writer) *flagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	help := func() {
		fmt.Fprintf(stderr, "Usage: scoresde %s [flags]\n\n%s\n\nFlags:\n", name, synopsis)
		fs.SetOutput(stderr)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
	return &flagSet{fs, help}
}

// parse parses args, turning flag errors into one-line usage errors.
func parse(fs *flagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.help()
			return err
		}
		return usage(fmt.Errorf("%s: %v (run 'scoresde %s -h' for the flags)", fs.Name(), err, fs.Name()))
	}
	if fs.NArg() > 0 {
		return usage(fmt.Errorf("%s: unexpected argument %q (run 'scoresde %s -h' for the flags)", fs.Name(), fs.Arg(0), fs.Name()))
	}
	return nil
}
