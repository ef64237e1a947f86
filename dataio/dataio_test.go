package dataio

import (
	"bytes"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"scoresde/data"
)

// awkward holds values whose decimal form is long or special, to catch any
// formatting that does not round-trip exactly.
var awkward = []float64{
	0.1, 1.0 / 3.0, -2.5, math.Copysign(0, -1), 1e-310, // subnormal
	math.MaxFloat64, -math.SmallestNonzeroFloat64, 123456789.123456789, 6.02214076e23, -7,
	math.Nextafter(1, 2), 1e21, 1e-7, 42, math.Pi,
}

func setOf(d int) *data.Set {
	n := len(awkward) / d
	return &data.Set{D: d, X: append([]float64(nil), awkward[:n*d]...)}
}

func sameBits(a, b *data.Set) bool {
	if a.D != b.D || len(a.X) != len(b.X) {
		return false
	}
	for i := range a.X {
		if math.Float64bits(a.X[i]) != math.Float64bits(b.X[i]) {
			return false
		}
	}
	return true
}

func TestRoundTrip(t *testing.T) {
	dir := t.TempDir()
	for _, d := range []int{1, 3} {
		want := setOf(d)
		for _, tc := range []struct{ file, format string }{
			{"a.csv", ""}, {"a.tsv", ""}, {"a.txt", ""}, {"a.dat", ""}, {"a.npy", ""},
			{"b.data", CSV}, {"b.data", TSV}, {"b.data", Text}, {"b.data", NPY},
		} {
			path := filepath.Join(dir, tc.file)
			if err := WriteFile(path, want, tc.format); err != nil {
				t.Fatalf("d=%d %s %q: write: %v", d, tc.file, tc.format, err)
			}
			got, err := ReadFile(path, tc.format)
			if err != nil {
				t.Fatalf("d=%d %s %q: read: %v", d, tc.file, tc.format, err)
			}
			if !sameBits(got, want) {
				t.Errorf("d=%d %s %q: read back %v, want %v", d, tc.file, tc.format, got, want)
			}
			// Sniffing must recognise every format we write.
			b, _ := os.ReadFile(path)
			got, err = Read(bytes.NewReader(b), "")
			if err != nil || !sameBits(got, want) {
				t.Errorf("d=%d %s %q: sniffed read: %v, %v", d, tc.file, tc.format, got, err)
			}
		}
	}
}

func TestWrittenText(t *testing.T) {
	s := &data.Set{D: 2, X: []float64{0.1, -2, 1e-300, 3}}
	for _, tc := range []struct{ format, want string }{
		{CSV, "x1,x2\n0.1,-2\n1e-300,3\n"},
		{TSV, "x1\tx2\n0.1\t-2\n1e-300\t3\n"},
		{Text, "# x1 x2\n0.1 -2\n1e-300 3\n"},
	} {
		var b bytes.Buffer
		if err := Write(&b, s, tc.format); err != nil {
			t.Fatal(err)
		}
		if b.String() != tc.want {
			t.Errorf("%s: wrote %q, want %q", tc.format, b.String(), tc.want)
		}
	}
	var b bytes.Buffer
	if err := Write(&b, &data.Set{D: 1, X: []float64{5}}, CSV); err != nil {
		t.Fatal(err)
	}
	if b.String() != "x\n5\n" {
		t.Errorf("d=1 CSV: wrote %q, want %q", b.String(), "x\n5\n")
	}
}

// TestWrittenNPY checks the bytes of a written .npy file against the format
// specification: magic, version, header dict, then little-endian float64s.
func TestWrittenNPY(t *testing.T) {
	var b bytes.Buffer
	if err := Write(&b, &data.Set{D: 2, X: []float64{1, 2, 3, 4, 5, 6}}, NPY); err != nil {
		t.Fatal(err)
	}
	out := b.Bytes()
	if !bytes.HasPrefix(out, []byte("\x93NUMPY")) {
		t.Fatalf("no magic: %q", out[:8])
	}
	hdr := string(out[:len(out)-48])
	for _, want := range []string{"'descr': '<f8'", "'fortran_order': False", "'shape': (3, 2)"} {
		if !strings.Contains(hdr, want) {
			t.Errorf("header %q lacks %s", hdr, want)
		}
	}
	if !strings.HasSuffix(hdr, "\n") {
		t.Errorf("header %q does not end in a newline", hdr)
	}
	// 3.0 as little-endian float64 is 00 00 00 00 00 00 08 40.
	if got := out[len(out)-48+16 : len(out)-48+24]; !bytes.Equal(got, []byte{0, 0, 0, 0, 0, 0, 8, 0x40}) {
		t.Errorf("third value encoded as % x, want 00 00 00 00 00 00 08 40", got)
	}
}

// TestNumpyFiles reads files written by numpy itself (testdata/npy/gen.py).
func TestNumpyFiles(t *testing.T) {
	a := []float64{0.1, -2.5, 1e-300, 1.0 / 3.0, 4.0, math.Copysign(0, -1), 6.02e23, -7.0, 8.5, 9.0, 10.25, -11.0}
	f32 := func(xs ...float64) []float64 {
		for i, x := range xs {
			xs[i] = float64(float32(x))
		}
		return xs
	}
	for _, tc := range []struct {
		file string
		want *data.Set
	}{
		{"f8_2d.npy", &data.Set{D: 3, X: a}},
		{"f8_be_2d.npy", &data.Set{D: 3, X: a}},
		{"f8_fortran_2d.npy", &data.Set{D: 3, X: a}},
		{"f4_1d.npy", &data.Set{D: 1, X: f32(0.1, -2.5, 3e38, 7)}},
		{"f4_be_2d.npy", &data.Set{D: 2, X: f32(0.1, -2.5, 1.0/3.0, 4, 6.02e23, -7, 9, 10.25)}},
	} {
		got, err := ReadFile(filepath.Join("testdata", "npy", tc.file), "")
		if err != nil {
			t.Errorf("%s: %v", tc.file, err)
			continue
		}
		if !sameBits(got, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.file, got, tc.want)
		}
	}
}

func TestNumpyBad(t *testing.T) {
	for _, tc := range []struct{ file, want string }{
		{"i8_1d.npy", `dtype int64 ("<i8"), but only float32 and float64 are read; convert it first`},
		{"i4_2d.npy", "dtype int32"},
		{"c16_1d.npy", "dtype complex128"},
		{"bool_1d.npy", "dtype bool"},
		{"f2_1d.npy", "dtype float16"},
		{"object_1d.npy", "dtype object"},
		{"unicode_1d.npy", "dtype unicode string"},
		{"record_1d.npy", "structured (record) dtype"},
		{"scalar_0d.npy", "0-d (a single number); save an array of shape (n,) or (n, d)"},
		{"f8_3d.npy", "shape (2, 3, 4) (3-D); save a 1-D array"},
		{"f8_empty.npy", "shape (0, 2) has no data rows"},
		{"f8_nocols.npy", "shape (3, 0) has points with no coordinates"},
		{"f8_nan.npy", "element [1, 1] (point 2, coordinate 2) is NaN; remove or impute non-finite values"},
		{"f8_truncated.npy", "truncated: shape (4, 3) of float64 needs 96 bytes of data, found 76"},
	} {
		path := filepath.Join("testdata", "npy", tc.file)
		_, err := ReadFile(path, "")
		if err == nil {
			t.Errorf("%s: no error, want %q", tc.file, tc.want)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "data file "+path+": ") {
			t.Errorf("%s: error %q, want it to name the file and contain %q", tc.file, err, tc.want)
		}
	}
}

func TestNPYHeaders(t *testing.T) {
	// build makes a version-1 .npy file with the given header dict.
	build := func(dict string, payload []byte) []byte {
		b := []byte("\x93NUMPY\x01\x00")
		b = append(b, byte(len(dict)), byte(len(dict)>>8))
		return append(append(b, dict...), payload...)
	}
	one := []byte{0, 0, 0, 0, 0, 0, 0xf0, 0x3f} // 1.0 little-endian
	for _, tc := range []struct {
		name string
		in   []byte
		want string // "" for success
	}{
		{"numpy layout", build("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }\n", one), ""},
		{"keys reordered, no newline", build("{'shape': (1, 1), 'descr': '<f8', 'fortran_order': False}", one), ""},
		{"python 2 long ints", build("{'descr': '<f8', 'fortran_order': False, 'shape': (1L, 1L), }\n", one), ""},
		{"extra bytes", build("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }\n", append(one, 0)), "extra bytes after"},
		{"missing key", build("{'descr': '<f8', 'shape': (1,)}\n", one), "needs exactly the keys"},
		{"extra key", build("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'x': 1}\n", one), `unexpected key "x"`},
		{"duplicate key", build("{'descr': '<f8', 'descr': '<f8', 'shape': (1,)}\n", one), "appears twice"},
		{"not a dict", build("[1, 2]\n", one), "not a dictionary"},
		{"bad order", build("{'descr': '<f8', 'fortran_order': 1, 'shape': (1,)}\n", one), "fortran_order is not True or False"},
		{"negative shape", build("{'descr': '<f8', 'fortran_order': False, 'shape': (-1,)}\n", one), "non-negative integers"},
		{"huge shape", build("{'descr': '<f8', 'fortran_order': False, 'shape': (4611686018427387904, 4)}\n", one), "too large"},
		{"lying shape", build("{'descr': '<f8', 'fortran_order': False, 'shape': (1000000000,)}\n", one), "truncated"},
		{"unterminated", build("{'descr': '<f8", one), "unterminated string"},
		{"version 9", []byte("\x93NUMPY\x09\x00\x10\x00"), "version 9.0 is not supported"},
		{"header too long", []byte("\x93NUMPY\x02\x00\xff\xff\xff\xff"), "header claims 4294967295 bytes"},
		{"cut in magic", []byte("\x93NUM"), "truncated in its header"},
		{"cut in length", []byte("\x93NUMPY\x01\x00\x10"), "truncated in its header"},
		{"not npy", []byte("hello, world"), "not a .npy file"},
		{"empty", nil, ".npy file is empty"},
	} {
		_, err := Read(bytes.NewReader(tc.in), NPY)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.want)
		}
	}
}

func TestBadText(t *testing.T) {
	for _, tc := range []struct {
		name, format, in, want string
	}{
		{"empty", CSV, "", "is empty; it needs at least one point"},
		{"blank lines only", CSV, "\n  \n\r\n", "is empty"},
		{"comments only", CSV, "# a\n# b\n", "has no data rows, only comments"},
		{"header only", CSV, "x1,x2\n", "has a header on line 1 but no data rows"},
		{"ragged", CSV, "x1,x2\n1,2\n3,4\n5,6\n# c\n\n7,8,9\n", "line 7 has 3 values, line 2 had 2; every point needs the same number of coordinates"},
		{"short row", Text, "1 2\n3\n", "line 2 has 1 value, line 1 had 2"},
		{"header mismatch", CSV, "a,b,c\n1,2\n", "line 2 has 2 values but the header on line 1 names 3 columns"},
		{"non-numeric", CSV, "x,y\n1,2\n3,4\n5,abc\n", `line 4, column 2: "abc" is not a number`},
		{"mixed first line", CSV, "1,abc\n", `line 1, column 2: "abc" is not a number`},
		{"NaN", CSV, "1,2\n3,4\n5,6\n7,8\n9,10\n11,12\n13,14\n15,16\nNaN,1\n", "line 9, column 1: NaN; remove or impute non-finite values"},
		{"nan first line", Text, "nan 1\n", "line 1, column 1: NaN"},
		{"Inf", TSV, "1\t2\n3\t-inf\n", "line 2, column 2: -Inf; remove or impute non-finite values"},
		{"overflow", CSV, "1e400\n", `line 1, column 1: "1e400" is too large for a float64`},
		{"empty value", CSV, "1,,3\n", "line 1, column 2: empty value; fill it in or remove the extra separator"},
		{"trailing comma", CSV, "1,2\n3,4,\n", "line 2 has 3 values, line 1 had 2"},
		{"only separators", CSV, ",,\n", "line 1 has only separators"},
		{"unnamed header column", CSV, ",x1,x2\n0,1,2\n", "column 1 has no name; name every column (an unnamed first column is usually a saved pandas index"},
		{"csv read as text", Text, "1,2\n3,4\n", `"1,2" is not a number; fix or remove the value (the file looks comma-separated: read it as csv)`},
		{"tsv read as csv", CSV, "1\t2\n", "looks tab-separated"},
		{"spaces read as csv", CSV, "1 2\n", "looks space-separated"},
		{"semicolons", CSV, "1;2\n", "looks semicolon-separated"},
		{"second header", CSV, "x\n1\ny\n", `line 3, column 1: "y" is not a number`},
		{"npy as text", CSV, "\x93NUMPY\x01\x00", "this is a NumPy .npy file, not text"},
		{"binary", CSV, "1,2\n\x00\x01\n", "line 2 contains a NUL byte"},
		{"long field quoted short", CSV, strings.Repeat("z", 100) + ",1\n", `"` + strings.Repeat("z", 40) + `"…`},
	} {
		_, err := Read(strings.NewReader(tc.in), tc.format)
		if err == nil {
			t.Errorf("%s: no error, want %q", tc.name, tc.want)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %q, want %q", tc.name, err, tc.want)
		}
		if strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: error %q spans lines", tc.name, err)
		}
		var de *Error
		if !errors.As(err, &de) {
			t.Errorf("%s: error %T is not a *dataio.Error", tc.name, err)
		}
	}
}

func TestTextAccepted(t *testing.T) {
	for _, tc := range []struct {
		name, format, in string
		want             *data.Set
	}{
		{"header", CSV, "x1,x2\n1,2\n3,4\n", &data.Set{D: 2, X: []float64{1, 2, 3, 4}}},
		{"no header", CSV, "1,2\n3,4\n", &data.Set{D: 2, X: []float64{1, 2, 3, 4}}},
		{"quoted header", CSV, "\"x\",\"y\"\n1,2\n", &data.Set{D: 2, X: []float64{1, 2}}},
		{"header after comments", CSV, "# made by hand\n\nx,y\n# note\n1,2\n", &data.Set{D: 2, X: []float64{1, 2}}},
		{"d=1 header", CSV, "x\n-1.5\n2e3\n", &data.Set{D: 1, X: []float64{-1.5, 2000}}},
		{"numeric-looking header is data", CSV, "1,2\n3,4\n", &data.Set{D: 2, X: []float64{1, 2, 3, 4}}},
		{"CRLF", CSV, "x,y\r\n1,2\r\n3,4\r\n", &data.Set{D: 2, X: []float64{1, 2, 3, 4}}},
		{"lone CR", CSV, "x,y\r1,2\r3,4", &data.Set{D: 2, X: []float64{1, 2, 3, 4}}},
		{"BOM", CSV, "\ufeffx,y\n1,2\n", &data.Set{D: 2, X: []float64{1, 2}}},
		{"no final newline", Text, "1 2\n3 4", &data.Set{D: 2, X: []float64{1, 2, 3, 4}}},
		{"spaces around values", CSV, " 1 , 2 \n\t3,4\n", &data.Set{D: 2, X: []float64{1, 2, 3, 4}}},
		{"runs of whitespace", Text, "  1 \t  2\n3\t\t4  \n", &data.Set{D: 2, X: []float64{1, 2, 3, 4}}},
		{"text header", Text, "a b\n1 2\n", &data.Set{D: 2, X: []float64{1, 2}}},
		{"tsv", TSV, "a\tb\n1\t2\n", &data.Set{D: 2, X: []float64{1, 2}}},
		{"hex float", CSV, "0x1p-2\n", &data.Set{D: 1, X: []float64{0.25}}},
		{"sniff csv", "", "x,y\n1,2\n", &data.Set{D: 2, X: []float64{1, 2}}},
		{"sniff tsv", "", "# c\n1\t2\n", &data.Set{D: 2, X: []float64{1, 2}}},
		{"sniff text", "", "1 2\n", &data.Set{D: 2, X: []float64{1, 2}}},
	} {
		got, err := Read(strings.NewReader(tc.in), tc.format)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if !sameBits(got, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestReadFileErrors(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "nope.csv")
	for _, tc := range []struct {
		path, format, want string
	}{
		{missing, "", "cannot read data file " + missing + ": no such file; check the path"},
		{dir, CSV, "is a folder"},
		{filepath.Join(dir, "x.xlsx"), "", `from its extension ".xlsx"; use .csv, .tsv, .txt, .dat or .npy`},
		{missing, "xls", `unknown data format "xls"`},
	} {
		_, err := ReadFile(tc.path, tc.format)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ReadFile(%q, %q): error %v, want %q", tc.path, tc.format, err, tc.want)
		}
	}
	empty := filepath.Join(dir, "empty.csv")
	os.WriteFile(empty, nil, 0o644)
	if _, err := ReadFile(empty, ""); err == nil || err.Error() != "data file "+empty+" is empty; it needs at least one point, one per line" {
		t.Errorf("empty file: %v", err)
	}
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("1,2\n3\n"), 0o644)
	_, err := ReadFile(bad, "")
	want := "data file " + bad + ": line 2 has 1 value, line 1 had 2"
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("error %v, want prefix %q", err, want)
	}
	var de *Error
	if !errors.As(err, &de) || de.Line != 2 || de.File != bad {
		t.Errorf("error %#v, want *Error with Line 2 and File %s", err, bad)
	}
}

func TestWriteErrors(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		s    *data.Set
		path string
		want string
	}{
		{"NaN", &data.Set{D: 1, X: []float64{math.NaN()}}, "a.csv", "NaN"},
		{"empty", &data.Set{D: 2}, "a.csv", "no points"},
		{"ragged", &data.Set{D: 2, X: []float64{1, 2, 3}}, "a.csv", "do not split"},
		{"bad extension", &data.Set{D: 1, X: []float64{1}}, "a.xls", "cannot tell the format"},
		{"no folder", &data.Set{D: 1, X: []float64{1}}, "no/such/dir/a.csv", "check the folder exists"},
	} {
		err := WriteFile(filepath.Join(dir, tc.path), tc.s, "")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.want)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("failed writes left files: %v", entries)
	}
}

func TestExpect(t *testing.T) {
	s := &data.Set{D: 3, X: make([]float64, 6)}
	if err := Expect(s, 3); err != nil {
		t.Errorf("Expect(d=3, 3) = %v", err)
	}
	err := Expect(s, 2)
	if err == nil || !strings.Contains(err.Error(), "data points have 3 coordinate(s) but 2 are expected") {
		t.Errorf("Expect(d=3, 2) = %v", err)
	}
	if Expect(nil, 1) == nil {
		t.Error("Expect(nil, 1) = nil")
	}
}

func TestWriteTable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "loss.csv")
	err := WriteTable(path, []string{"epoch", "loss"}, [][]float64{{1, 2, 3}, {0.5, 0.25, math.NaN()}})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	if want := "epoch,loss\n1,0.5\n2,0.25\n3,NaN\n"; string(b) != want {
		t.Errorf("wrote %q, want %q", b, want)
	}
	for _, tc := range []struct {
		header []string
		cols   [][]float64
		want   string
	}{
		{nil, nil, "no columns"},
		{[]string{"a"}, [][]float64{{1}, {2}}, "1 column names for 2 columns"},
		{[]string{"a", "b"}, [][]float64{{1}, {2, 3}}, `column "b" has 2 values but column "a" has 1`},
		{[]string{"a,b"}, [][]float64{{1}}, "without commas"},
		{[]string{""}, [][]float64{{1}}, "non-empty"},
	} {
		var b bytes.Buffer
		err := WriteTableTo(&b, tc.header, tc.cols)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("WriteTableTo(%q): error %v, want %q", tc.header, err, tc.want)
		}
	}
}

func TestFormat(t *testing.T) {
	for in, want := range map[string]string{
		"csv": CSV, ".CSV": CSV, "tsv": TSV, "txt": Text, "dat": Text, "text": Text, "npy": NPY, ".npy": NPY,
	} {
		if got, err := Format(in); err != nil || got != want {
			t.Errorf("Format(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for in, want := range map[string]string{"a/b.c.csv": CSV, "x.TSV": TSV, "x.dat": Text, "p.npy": NPY} {
		if got, err := FormatOf(in); err != nil || got != want {
			t.Errorf("FormatOf(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := FormatOf("noext"); err == nil {
		t.Error("FormatOf(noext) succeeded")
	}
}
