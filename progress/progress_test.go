package progress

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestBarShowsRateAndETA(t *testing.T) {
	var buf bytes.Buffer
	b := New(&buf, "train", "steps", 100)
	clock := b.start
	b.now = func() time.Time { return clock }
	clock = clock.Add(2 * time.Second)
	b.Update(50, "loss 0.5")
	got := buf.String()
	for _, want := range []string{"train", "50/100", "25 steps/s", "ETA 2s", "loss 0.5", "[============            ]"} {
		if !strings.Contains(got, want) {
			t.Errorf("bar %q lacks %q", got, want)
		}
	}
	buf.Reset()
	clock = clock.Add(10 * time.Millisecond)
	b.Update(51, "")
	if buf.Len() != 0 {
		t.Errorf("redrew after 10ms: %q", buf.String())
	}
	b.Finish(100, "")
	if !strings.HasSuffix(buf.String(), "\n") || !strings.Contains(buf.String(), "100/100") {
		t.Errorf("finish wrote %q", buf.String())
	}
}

func TestNilBarIsSilent(t *testing.T) {
	var b *Bar = New(nil, "x", "y", 1)
	b.Update(1, "")
	b.Finish(1, "")
}

func TestUnknownTotalCounts(t *testing.T) {
	var buf bytes.Buffer
	b := New(&buf, "ode", "evals", 0)
	b.Finish(42, "")
	if got := buf.String(); !strings.Contains(got, "ode 42 evals") || strings.Contains(got, "ETA") {
		t.Errorf("got %q", got)
	}
}
