package dataio

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"scoresde/atomicfile"
)

// WriteTable writes named columns of equal length to path atomically as CSV,
// e.g. a training log with header epoch,loss. Unlike point sets, tables may
// hold NaN and ±Inf (a diverging loss is worth recording); they are written
// as NaN, +Inf and -Inf, which strconv.ParseFloat reads back.
func WriteTable(path string, header []string, cols [][]float64) error {
	if err := checkTable(header, cols); err != nil {
		return fmt.Errorf("cannot write table %s: %w", path, err)
	}
	return atomicfile.Write(path, func(w io.Writer) error { return WriteTableTo(w, header, cols) })
}

// WriteTableTo writes named columns of equal length to w as CSV.
func WriteTableTo(w io.Writer, header []string, cols [][]float64) error {
	if err := checkTable(header, cols); err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	bw.WriteString(strings.Join(header, ","))
	bw.WriteByte('\n')
	var buf []byte
	for i := range len(cols[0]) {
		buf = buf[:0]
		for j, c := range cols {
			if j > 0 {
				buf = append(buf, ',')
			}
			buf = strconv.AppendFloat(buf, c[i], 'g', -1, 64)
		}
		buf = append(buf, '\n')
		if _, err := bw.Write(buf); err != nil {
			return err
		}
	}
	return bw.Flush()
}

func checkTable(header []string, cols [][]float64) error {
	if len(cols) == 0 {
		return fmt.Errorf("table has no columns; give at least one")
	}
	if len(header) != len(cols) {
		return fmt.Errorf("table has %d column names for %d columns; give one name per column", len(header), len(cols))
	}
	for j, h := range header {
		if h == "" || strings.ContainsAny(h, ",\"\r\n") {
			return fmt.Errorf("table column %d has name %q; names must be non-empty without commas, quotes or line breaks", j+1, h)
		}
	}
	for j, c := range cols {
		if len(c) != len(cols[0]) {
			return fmt.Errorf("table column %q has %d values but column %q has %d; columns must have equal length",
				header[j], len(c), header[0], len(cols[0]))
		}
	}
	return nil
}
