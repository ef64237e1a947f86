package pipeline

import (
	"strings"
	"testing"

	"scoresde/data"
	"scoresde/sde"
)

// The VE prior's coverage warning is for a clear shortfall only: not for
// the notebook's own setting (diameter about 2.2 against η_max 2), and
// never for VP, whose prior is N(0, I) whatever the data.
func TestWarnCoverage(t *testing.T) {
	cases := []struct {
		name string
		x    []float64
		s    sde.SDE
		warn bool
	}{
		{"notebook-like", []float64{-1.1, 0, 1.07}, sde.DefaultVE(), false},
		{"twice eta_max", []float64{-2, 2}, sde.DefaultVE(), true},
		{"vp", []float64{-2, 2}, sde.DefaultVP(), false},
	}
	for _, c := range cases {
		var b strings.Builder
		warnCoverage(&b, &data.Set{D: 1, X: c.x}, c.s)
		if got := b.Len() > 0; got != c.warn {
			t.Errorf("%s: warned %v (%q), want %v", c.name, got, b.String(), c.warn)
		}
		if c.warn && !strings.Contains(b.String(), "--eta-max") {
			t.Errorf("%s: %q does not name the fix", c.name, b.String())
		}
	}
}
