package modelio

import (
	"io"
	"os"
	"path/filepath"
	"strings"

	"scoresde/atomicfile"
)

// Formats are the file formats, by name.
const (
	PT          = "pt"
	NPZ         = "npz"
	Safetensors = "safetensors"
)

// FormatOf names the format of a model file by its extension: .pt, .pth
// (torch.save), .npz (np.savez), .safetensors; "" for anything else.
func FormatOf(path string) string {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".pt", ".pth":
		return PT
	case ".npz":
		return NPZ
	case ".safetensors":
		return Safetensors
	}
	return ""
}

// ReadFile reads a state_dict in the format its extension names.
func ReadFile(path string) (*StateDict, error) {
	format := FormatOf(path)
	if format == "" {
		return nil, errorf("model file %s: unknown extension; use .pt, .pth, .npz or .safetensors", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	return Read(f, st.Size(), format)
}

// Read reads a state_dict in the named format from r, which holds size
// bytes.
func Read(r io.ReaderAt, size int64, format string) (*StateDict, error) {
	switch format {
	case PT:
		return ReadPT(r, size)
	case NPZ:
		return ReadNPZ(r, size)
	case Safetensors:
		return ReadSafetensors(r, size)
	}
	return nil, errorf("unknown model format %q; choose pt, npz or safetensors", format)
}

// WriteFile writes sd atomically in the named format (npz or safetensors).
func WriteFile(path string, sd *StateDict, format string) error {
	var write func(io.Writer, *StateDict) error
	switch format {
	case NPZ:
		write = WriteNPZ
	case Safetensors:
		write = WriteSafetensors
	default:
		return errorf("cannot write model format %q; choose npz or safetensors", format)
	}
	return atomicfile.Write(path, func(w io.Writer) error { return write(w, sd) })
}
