package pipeline

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
)

// runEach draws the queued figures like run, but a figure that fails (or
// panics on data it cannot show) is left out rather than failing the lot;
// it stops starting figures once ctx is done. It returns the files
// written; the failures go to skip, as one entry.
func (q *drawQueue) runEach(ctx context.Context, skip func(string, error)) ([]string, error) {
	errs := make([]error, len(q.draw))
	inParallel(len(q.draw), func(i int) {
		if ctx.Err() != nil {
			errs[i] = ctx.Err()
			return
		}
		errs[i] = drawSafely(q.draw[i])
	})
	if ctx.Err() != nil {
		return nil, interrupted(ctx, "figures")
	}
	var files, failed []string
	var first error
	for i, err := range errs {
		if err != nil {
			failed = append(failed, q.names[i])
			if first == nil {
				first = err
			}
			continue
		}
		p := filepath.Join(q.dir, q.names[i])
		files = append(files, p+".png", p+".svg")
	}
	if len(failed) > 0 {
		skip("figure "+strings.Join(failed, ", "), first)
	}
	return files, nil
}

// drawSafely turns a drawing's panic (an empty or non-finite series the
// plotting library does not expect) into an error.
func drawSafely(draw func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("cannot draw: %v", p)
		}
	}()
	return draw()
}
