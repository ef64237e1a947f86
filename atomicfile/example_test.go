package atomicfile_test

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"scoresde/atomicfile"
)

// A reader, or a crash, sees the old file or the whole new one, never half.
func ExampleWrite() {
	dir, _ := os.MkdirTemp("", "atomicfile")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "loss.csv")
	err := atomicfile.Write(path, func(w io.Writer) error {
		_, err := io.WriteString(w, "epoch,loss\n0,-0.1\n")
		return err
	})
	b, _ := os.ReadFile(path)
	fmt.Print(err, "\n", string(b))
	// Output:
	// <nil>
	// epoch,loss
	// 0,-0.1
}
