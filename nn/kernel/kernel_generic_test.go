//go:build !amd64 || purego

package kernel

import (
	"testing"
	"time"
)

func TestDispatchPicksReference(t *testing.T) {
	if got := Implementation(); got != "go" {
		t.Errorf("Implementation() = %q without assembly kernels, want %q", got, "go")
	}
}

func TestPeakGFLOPSWithoutAssembly(t *testing.T) {
	if got := PeakGFLOPS(time.Millisecond); got != 0 {
		t.Errorf("PeakGFLOPS with the plain Go kernels = %v, want 0", got)
	}
}
