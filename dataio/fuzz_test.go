package dataio

import (
	"bytes"
	"strings"
	"testing"

	"scoresde/data"
)

// Seed corpora live in testdata/fuzz/FuzzReadText and testdata/fuzz/FuzzReadNPY
// (valid files, each kind of bad input, and crashers found while fuzzing).

var textFormats = []string{CSV, TSV, Text, ""}

// FuzzReadText checks that the text reader never panics and that anything it
// accepts is a valid set that survives a write and read in every format.
func FuzzReadText(f *testing.F) {
	f.Add([]byte("x1,x2\n1,2\n3,4\n"), uint8(0))
	f.Add([]byte("# c\n1\t2\r\n"), uint8(1))
	f.Add([]byte("1 2 3\n4 5 6"), uint8(2))
	f.Fuzz(func(t *testing.T, in []byte, sel uint8) {
		format := textFormats[int(sel)%len(textFormats)]
		s, err := Read(bytes.NewReader(in), format)
		checkParse(t, s, err)
	})
}

// FuzzReadNPY is FuzzReadText for .npy input.
func FuzzReadNPY(f *testing.F) {
	for _, s := range []*data.Set{setOf(1), setOf(3)} {
		var b bytes.Buffer
		if err := Write(&b, s, NPY); err != nil {
			f.Fatal(err)
		}
		f.Add(b.Bytes())
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		s, err := Read(bytes.NewReader(in), NPY)
		checkParse(t, s, err)
		// Sniffing must reach the same verdict on a .npy file.
		if bytes.HasPrefix(in, npyMagic) {
			s2, err2 := Read(bytes.NewReader(in), "")
			if (err == nil) != (err2 == nil) || (err == nil && !sameBits(s, s2)) {
				t.Fatalf("sniffed read differs: %v, %v vs %v, %v", s, err, s2, err2)
			}
		}
	})
}

func checkParse(t *testing.T, s *data.Set, err error) {
	t.Helper()
	if err != nil {
		if s != nil {
			t.Fatalf("error %v with a non-nil set", err)
		}
		if strings.Contains(err.Error(), "\n") {
			t.Fatalf("error spans lines: %q", err)
		}
		return
	}
	if err := s.Validate(); err != nil {
		t.Fatalf("accepted an invalid set: %v", err)
	}
	// In memory rather than through WriteFile/ReadFile: those add only the
	// file handling (tested in TestRoundTrip), and an fsync per input would
	// slow fuzzing a hundredfold.
	for _, format := range []string{CSV, TSV, Text, NPY} {
		var b bytes.Buffer
		if err := Write(&b, s, format); err != nil {
			t.Fatalf("%s: cannot write an accepted set: %v", format, err)
		}
		got, err := Read(&b, format)
		if err != nil {
			t.Fatalf("%s: cannot read back an accepted set: %v", format, err)
		}
		if !sameBits(got, s) {
			t.Fatalf("%s: round trip changed the set: %v -> %v", format, s, got)
		}
	}
}
