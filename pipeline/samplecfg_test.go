package pipeline

import (
	"strings"
	"testing"

	"scoresde/sampler"
)

// --eps 0 is ε = 0, not "the default"; a negative value is the default;
// where s(0) = 0 (VP, sub-VP) ε = 0 is refused up front, naming --eps.
func TestSampleEndTime(t *testing.T) {
	for _, tc := range []struct {
		sde  string
		eps  float64
		want float64
		bad  bool
	}{
		{"ve", 0, 0, false},
		{"ve", -1, 0, false},
		{"ve", 0.01, 0.01, false},
		{"vp", -1, 1e-5, false},
		{"vp", 1e-3, 1e-3, false},
		{"vp", 0, 0, true},
		{"subvp", 0, 0, true},
	} {
		cfg := Default()
		cfg.SDE.Name, cfg.Sample.Eps = tc.sde, tc.eps
		err := cfg.Validate()
		if tc.bad {
			if err == nil || !strings.Contains(err.Error(), "--eps") {
				t.Errorf("%s --eps %v: error %v, want one naming --eps", tc.sde, tc.eps, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s --eps %v: %v", tc.sde, tc.eps, err)
		}
		s, _ := cfg.SDE.Build()
		got, err := sampler.EndTime(s, samplerOptions(cfg.Sample, nil))
		if err != nil || got != tc.want {
			t.Errorf("%s --eps %v: end time %v (%v), want %v", tc.sde, tc.eps, got, err, tc.want)
		}
	}
	sc := Default().Sample
	sc.Method, sc.CorrectorSteps = "pc", 0
	if o := samplerOptions(sc, nil); o.CorrectorSteps != 0 {
		t.Errorf("--corrector-steps 0 became %d", o.CorrectorSteps)
	}
}
