package pipeline

import (
	"context"
	"errors"
	"fmt"
)

// Error messages name what failed in the user's terms, without a package
// prefix and without naming command-line flags (settings are named by
// their config.json keys in SettingError); the command line adds its
// "scoresde: " prefix and the flag advice.

// ErrInterrupted is returned (wrapped) when the run's context is cancelled:
// what was complete is on disk, the rest was not done.
var ErrInterrupted = errors.New("interrupted")

// TrainingInterrupted is the ErrInterrupted of training: the checkpoint
// it saved continues the run.
type TrainingInterrupted struct {
	Epoch      int
	Checkpoint string
}

func (e *TrainingInterrupted) Error() string {
	return fmt.Sprintf("training interrupted after epoch %d; checkpoint saved to %s", e.Epoch, e.Checkpoint)
}

func (e *TrainingInterrupted) Unwrap() error { return ErrInterrupted }

// InputError marks a failure caused by the caller's input — settings,
// data, model or checkpoint files — rather than by the machine.
type InputError struct{ Err error }

func (e *InputError) Error() string { return e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }

// inputErr marks err as the input's fault (nil stays nil).
func inputErr(err error) error {
	if err == nil || IsInput(err) || errors.Is(err, ErrInterrupted) {
		return err
	}
	return &InputError{err}
}

// IsInput reports whether err is the input's fault.
func IsInput(err error) bool {
	var ie *InputError
	return errors.As(err, &ie)
}

// SettingError says a setting, named by its key in config.json (e.g.
// "train.lr"), cannot work; the command line maps the key to its flag.
type SettingError struct {
	Key string
	Msg string
}

func (e *SettingError) Error() string { return fmt.Sprintf("%s: %s", e.Key, e.Msg) }

// MismatchError is a resume refused because a setting differs from the
// run that wrote the checkpoint.
type MismatchError struct {
	Checkpoint string
	Key        string // key in config.json, or "data" for the data's content
	Saved, Now string
}

func (e *MismatchError) Error() string {
	if e.Key == "data" {
		return fmt.Sprintf("checkpoint %s was trained on other data (content hash %s, these data %s); resume with the same data", e.Checkpoint, e.Saved, e.Now)
	}
	return fmt.Sprintf("checkpoint %s was written with %s = %s, this run has %s; resume with the same setting", e.Checkpoint, e.Key, e.Saved, e.Now)
}

// interrupted wraps ErrInterrupted (and the context's error) with where
// the run stopped.
func interrupted(ctx context.Context, where string) error {
	return fmt.Errorf("%s: %w (%w)", where, ErrInterrupted, context.Cause(ctx))
}

// interruptible runs fn and returns its error, or ErrInterrupted as soon
// as ctx is cancelled: a computation with no cancellation points of its
// own then finishes in the background and its result is dropped.
func interruptible(ctx context.Context, where string, fn func() error) error {
	if ctx.Err() != nil {
		return interrupted(ctx, where)
	}
	done := make(chan error, 1)
	go func() { done <- fn() }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return interrupted(ctx, where)
	}
}
