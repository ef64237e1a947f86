//go:build !amd64 || purego

package kernel

import "testing"

func TestDispatchPicksReference(t *testing.T) {
	if got := Implementation(); got != "go" {
		t.Errorf("Implementation() = %q without assembly kernels, want %q", got, "go")
	}
}
