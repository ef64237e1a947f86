package dataio

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"scoresde/data"
)

// maxLine bounds one text line so that a binary file read as text fails with
// a clear message instead of exhausting memory.
const maxLine = 64 << 20

var (
	npyMagic = []byte("\x93NUMPY")
	utf8BOM  = []byte("\xef\xbb\xbf")
)

// readText parses delimited text; sep is ',' or '\t', or 0 for runs of
// whitespace.
func readText(r io.Reader, sep byte) (*data.Set, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxLine)
	sc.Split(scanLines)

	var (
		lineNo     int
		sawContent bool // any non-blank line, comments included
		headerLine int  // line of the header, 0 if none
		headerCols int
		firstLine  int // line of the first data row
		d          int
		x          []float64
		fields     [][]byte
	)
	for sc.Scan() {
		lineNo++
		line := sc.Bytes()
		if lineNo == 1 {
			if bytes.HasPrefix(line, npyMagic) {
				return nil, &Error{Line: 1, Msg: "this is a NumPy .npy file, not text; read it with format npy (or give it the .npy extension)"}
			}
			line = bytes.TrimPrefix(line, utf8BOM)
		}
		if bytes.IndexByte(line, 0) >= 0 {
			return nil, &Error{Line: lineNo, Msg: fmt.Sprintf("line %d contains a NUL byte: this is not a text data file; check the file and its format", lineNo)}
		}
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		sawContent = true
		if line[0] == '#' {
			continue
		}
		fields = splitFields(fields[:0], line, sep)

		if d == 0 && headerLine == 0 {
			isHeader, err := classifyFirst(fields, lineNo, sep)
			if err != nil {
				return nil, err
			}
			if isHeader {
				headerLine, headerCols = lineNo, len(fields)
				continue
			}
		}
		if d == 0 {
			d, firstLine = len(fields), lineNo
			if headerLine > 0 && d != headerCols {
				return nil, &Error{Line: lineNo, Msg: fmt.Sprintf(
					"line %d has %s but the header on line %d names %d columns; make them agree",
					lineNo, values(d), headerLine, headerCols)}
			}
		} else if len(fields) != d {
			return nil, &Error{Line: lineNo, Msg: fmt.Sprintf(
				"line %d has %s, line %d had %d; every point needs the same number of coordinates",
				lineNo, values(len(fields)), firstLine, d)}
		}
		for j, f := range fields {
			v, err := parseValue(f, lineNo, j+1, sep)
			if err != nil {
				return nil, err
			}
			x = append(x, v)
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, &Error{Line: lineNo + 1, Msg: fmt.Sprintf(
				"line %d is longer than %d MiB: this is not a text data file; check the file and its format",
				lineNo+1, maxLine>>20)}
		}
		return nil, fmt.Errorf("reading data: %w", err)
	}
	switch {
	case d > 0:
		return &data.Set{D: d, X: x}, nil
	case headerLine > 0:
		return nil, &Error{Line: headerLine, Msg: fmt.Sprintf(
			"has a header on line %d but no data rows; add at least one point, one per line", headerLine)}
	case sawContent:
		return nil, &Error{Msg: "has no data rows, only comments; add at least one point, one per line"}
	}
	return nil, &Error{Msg: "is empty; it needs at least one point, one per line"}
}

func values(n int) string {
	if n == 1 {
		return "1 value"
	}
	return strconv.Itoa(n) + " values"
}

// classifyFirst decides whether the first non-comment line is a header:
// it is when none of its fields is a number. A mix of numbers and other
// text is reported as a bad data line, since that is the likelier mistake.
func classifyFirst(fields [][]byte, lineNo int, sep byte) (bool, error) {
	var numbers, empty int
	for _, f := range fields {
		switch {
		case len(f) == 0:
			empty++
		case isNumber(f):
			numbers++
		case looksLikeNumbers(f):
			// Numbers joined by another separator: the format is wrong, and
			// reading the line as data reports that with a hint.
			return false, nil
		}
	}
	switch {
	case numbers == len(fields):
		return false, nil
	case numbers > 0:
		return false, nil // the caller reports the first bad value
	case empty == len(fields):
		return false, &Error{Line: lineNo, Msg: fmt.Sprintf(
			"line %d has only separators and no values; remove it", lineNo)}
	case empty > 0:
		for j, f := range fields {
			if len(f) > 0 {
				continue
			}
			msg := fmt.Sprintf("header on line %d: column %d has no name; name every column", lineNo, j+1)
			if j == 0 && sep == ',' {
				msg += " (an unnamed first column is usually a saved pandas index: save with index=False)"
			}
			return false, &Error{Line: lineNo, Msg: msg}
		}
	}
	return true, nil
}

// looksLikeNumbers reports whether f is two or more numbers joined by
// commas, semicolons, tabs or spaces.
func looksLikeNumbers(f []byte) bool {
	parts := bytes.FieldsFunc(f, func(r rune) bool { return strings.ContainsRune(",;\t ", r) })
	if len(parts) < 2 {
		return false
	}
	for _, p := range parts {
		if !isNumber(p) {
			return false
		}
	}
	return true
}

// isNumber reports whether f is a float literal, including NaN, ±Inf and
// out-of-range values, which parseValue then reports precisely.
func isNumber(f []byte) bool {
	_, err := strconv.ParseFloat(string(f), 64)
	return err == nil || errors.Is(err, strconv.ErrRange)
}

func parseValue(f []byte, line, col int, sep byte) (float64, error) {
	at := func() string { return fmt.Sprintf("line %d, column %d", line, col) }
	if len(f) == 0 {
		return 0, &Error{Line: line, Msg: at() + ": empty value; fill it in or remove the extra separator"}
	}
	v, err := strconv.ParseFloat(string(f), 64)
	switch {
	case errors.Is(err, strconv.ErrRange):
		return 0, &Error{Line: line, Msg: fmt.Sprintf("%s: %s is too large for a float64; rescale the data", at(), quote(f))}
	case err != nil:
		return 0, &Error{Line: line, Msg: fmt.Sprintf("%s: %s is not a number; fix or remove the value%s", at(), quote(f), sepHint(f, sep))}
	case math.IsNaN(v):
		return 0, &Error{Line: line, Msg: at() + ": NaN; remove or impute non-finite values"}
	case math.IsInf(v, 0):
		return 0, &Error{Line: line, Msg: fmt.Sprintf("%s: %v; remove or impute non-finite values", at(), v)}
	}
	return v, nil
}

// sepHint suggests another format when a field holds another separator.
func sepHint(f []byte, sep byte) string {
	switch {
	case sep != ',' && bytes.IndexByte(f, ',') >= 0:
		return " (the file looks comma-separated: read it as csv)"
	case sep != '\t' && bytes.IndexByte(f, '\t') >= 0:
		return " (the file looks tab-separated: read it as tsv)"
	case sep != 0 && bytes.IndexByte(f, ' ') >= 0:
		return " (the file looks space-separated: read it as text)"
	case bytes.IndexByte(f, ';') >= 0:
		return " (the file looks semicolon-separated: use commas, and points for decimals)"
	}
	return ""
}

// quote shows a field in an error message, shortened if long.
func quote(f []byte) string {
	const max = 40
	if len(f) > max {
		return strconv.Quote(string(f[:max])) + "…"
	}
	return strconv.Quote(string(f))
}

// splitFields splits a trimmed, non-empty line into dst.
func splitFields(dst [][]byte, line []byte, sep byte) [][]byte {
	if sep == 0 {
		return append(dst, bytes.Fields(line)...)
	}
	for {
		i := bytes.IndexByte(line, sep)
		if i < 0 {
			return append(dst, bytes.TrimSpace(line))
		}
		dst = append(dst, bytes.TrimSpace(line[:i]))
		line = line[i+1:]
	}
}

// scanLines is bufio.ScanLines that also ends lines at a lone CR (files
// saved by old Mac software), so such files do not read as one huge line.
func scanLines(b []byte, atEOF bool) (advance int, token []byte, err error) {
	if atEOF && len(b) == 0 {
		return 0, nil, nil
	}
	if i := bytes.IndexAny(b, "\r\n"); i >= 0 {
		if b[i] == '\n' {
			return i + 1, b[:i], nil
		}
		if i+1 < len(b) {
			if b[i+1] == '\n' {
				return i + 2, b[:i], nil
			}
			return i + 1, b[:i], nil
		}
		if atEOF {
			return i + 1, b[:i], nil
		}
		return 0, nil, nil // need the next byte to tell CR from CRLF
	}
	if atEOF {
		return len(b), b, nil
	}
	return 0, nil, nil
}

// writeText writes a header (after prefix) and one point per line.
func writeText(w io.Writer, s *data.Set, sep, prefix string) error {
	bw := bufio.NewWriter(w)
	bw.WriteString(prefix)
	bw.WriteString(strings.Join(columnNames(s.D), sep))
	bw.WriteByte('\n')
	var buf []byte
	for i := range s.Len() {
		buf = appendRow(buf[:0], s.Row(i), sep)
		buf = append(buf, '\n')
		if _, err := bw.Write(buf); err != nil {
			return err
		}
	}
	return bw.Flush()
}

func appendRow(buf []byte, row []float64, sep string) []byte {
	for j, v := range row {
		if j > 0 {
			buf = append(buf, sep...)
		}
		buf = strconv.AppendFloat(buf, v, 'g', -1, 64)
	}
	return buf
}
