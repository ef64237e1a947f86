// Package dataio reads and writes point sets (data.Set) as CSV, TSV,
// whitespace-separated text and NumPy .npy files.
//
// Text files hold one point per line. A header line is optional and is
// recognised when the first line that is not a comment holds names rather
// than numbers; lines starting with # and blank lines are skipped, and
// LF, CRLF and CR line endings are all accepted. Every value must be a
// finite number: reading fails on NaN or ±Inf instead of passing them on to
// training. Errors name the file, the line and column, the problem and a fix.
//
// Values are written with the shortest decimal form that parses back to the
// same float64, so a set written and read again is bit-for-bit unchanged.
package dataio

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"scoresde/atomicfile"
	"scoresde/data"
)

// Format names accepted by Read, ReadFile, Write and WriteFile.
const (
	CSV  = "csv"  // comma-separated values
	TSV  = "tsv"  // tab-separated values
	Text = "text" // values separated by runs of spaces or tabs
	NPY  = "npy"  // NumPy .npy array, n×d (or 1-D for d = 1)
)

// Error is a problem with the content of a data file.
type Error struct {
	File string // file name; "" when reading from an io.Reader
	Line int    // 1-based line of a text file; 0 when it does not apply
	Msg  string // the problem and how to fix it, without the file name
}

func (e *Error) Error() string {
	subject, sep := "data", ": "
	if e.File != "" {
		subject = "data file " + e.File
	}
	// "is empty", "has no data rows" read as a sentence about the file.
	if strings.HasPrefix(e.Msg, "is ") || strings.HasPrefix(e.Msg, "has ") {
		sep = " "
	}
	return subject + sep + e.Msg
}

// Format returns the format named by name ("csv", "tsv", "text", "npy";
// "txt", "dat" and "whitespace" mean text; case and a leading dot are ignored).
func Format(name string) (string, error) {
	switch strings.ToLower(strings.TrimPrefix(name, ".")) {
	case "csv":
		return CSV, nil
	case "tsv", "tab":
		return TSV, nil
	case "text", "txt", "dat", "whitespace":
		return Text, nil
	case "npy":
		return NPY, nil
	}
	return "", fmt.Errorf("unknown data format %q; use csv, tsv, text or npy", name)
}

// FormatOf returns the format implied by the extension of path:
// .csv, .tsv, .txt or .dat (text), .npy.
func FormatOf(path string) (string, error) {
	ext := filepath.Ext(path)
	if ext != "" {
		if f, err := Format(ext); err == nil {
			return f, nil
		}
	}
	return "", fmt.Errorf("cannot tell the format of data file %s from its extension %q; "+
		"use .csv, .tsv, .txt, .dat or .npy, or name the format explicitly", path, ext)
}

// ReadFile reads a point set from path. An empty format means: choose by the
// file's extension.
func ReadFile(path string, format string) (*data.Set, error) {
	var err error
	if format == "" {
		format, err = FormatOf(path)
	} else {
		format, err = Format(format)
	}
	if err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, openError(path, err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.IsDir() {
		return nil, fmt.Errorf("cannot read data file %s: it is a folder; give the path of a file", path)
	}
	s, err := Read(f, format)
	if err != nil {
		var de *Error
		if errors.As(err, &de) {
			de.File = path
			return nil, de
		}
		return nil, fmt.Errorf("cannot read data file %s: %w", path, err)
	}
	return s, nil
}

func openError(path string, err error) error {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("cannot read data file %s: no such file; check the path", path)
	case errors.Is(err, fs.ErrPermission):
		return fmt.Errorf("cannot read data file %s: permission denied; check the file's permissions", path)
	}
	return fmt.Errorf("cannot read data file %s: %w", path, err)
}

// Read reads a point set in the given format from r. An empty format means:
// .npy if the data start with the NumPy magic bytes, otherwise text whose
// separator (comma, tab or spaces) is guessed from the first data line.
// Errors about the content are of type *Error.
func Read(r io.Reader, format string) (*data.Set, error) {
	if format == "" {
		return readSniff(r)
	}
	f, err := Format(format)
	if err != nil {
		return nil, err
	}
	switch f {
	case CSV:
		return readText(r, ',')
	case TSV:
		return readText(r, '\t')
	case Text:
		return readText(r, 0)
	default:
		return readNPY(r)
	}
}

// readSniff picks the format from the first bytes of r.
func readSniff(r io.Reader) (*data.Set, error) {
	// A .npy header or the first data line of any sensible text file fits
	// in this much; a longer prefix only delays the choice.
	const peek = 64 << 10
	head := make([]byte, peek)
	n, err := io.ReadFull(r, head)
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return nil, fmt.Errorf("reading data: %w", err)
	}
	head = head[:n]
	all := io.MultiReader(bytes.NewReader(head), r)
	if bytes.HasPrefix(head, npyMagic) {
		return readNPY(all)
	}
	return readText(all, sniffSep(head))
}

// sniffSep guesses the separator from the first line that is neither blank
// nor a comment: a comma means CSV, else a tab means TSV, else whitespace.
func sniffSep(head []byte) byte {
	for len(head) > 0 {
		i := bytes.IndexAny(head, "\r\n")
		line := head
		if i >= 0 {
			line, head = head[:i], head[i+1:]
		} else {
			head = nil
		}
		line = bytes.TrimSpace(line)
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		switch {
		case bytes.IndexByte(line, ',') >= 0:
			return ','
		case bytes.IndexByte(line, '\t') >= 0:
			return '\t'
		}
		return 0
	}
	return 0
}

// Expect reports an error unless s holds points of dimension d.
func Expect(s *data.Set, d int) error {
	if s == nil {
		return fmt.Errorf("no data set; load one with %d coordinate(s) per point", d)
	}
	if s.D != d {
		return fmt.Errorf("data points have %d coordinate(s) but %d are expected; "+
			"use a data file with %d column(s) or a model made for %d", s.D, d, d, s.D)
	}
	return nil
}

// WriteFile writes s to path atomically. An empty format means: choose by
// the file's extension.
func WriteFile(path string, s *data.Set, format string) error {
	var err error
	if format == "" {
		format, err = FormatOf(path)
	} else {
		format, err = Format(format)
	}
	if err != nil {
		return err
	}
	if err := s.Validate(); err != nil {
		return fmt.Errorf("cannot write data file %s: %w", path, err)
	}
	return atomicfile.Write(path, func(w io.Writer) error { return Write(w, s, format) })
}

// Write writes s to w in the given format. CSV and TSV start with a header
// line (x for d = 1, x1, x2, … otherwise); text starts with the same names
// on a # comment line, as numpy.savetxt does; .npy holds an n×d float64 array.
func Write(w io.Writer, s *data.Set, format string) error {
	f, err := Format(format)
	if err != nil {
		return err
	}
	if s == nil {
		return fmt.Errorf("no data set to write")
	}
	if err := s.Validate(); err != nil {
		return err
	}
	switch f {
	case CSV:
		return writeText(w, s, ",", "")
	case TSV:
		return writeText(w, s, "\t", "")
	case Text:
		return writeText(w, s, " ", "# ")
	default:
		return writeNPY(w, s)
	}
}

// columnNames returns x for d = 1 and x1 … xd otherwise.
func columnNames(d int) []string {
	if d == 1 {
		return []string{"x"}
	}
	names := make([]string, d)
	for j := range names {
		names[j] = fmt.Sprintf("x%d", j+1)
	}
	return names
}
