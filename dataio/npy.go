package dataio

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"math/bits"
	"strconv"
	"strings"

	"scoresde/data"
)

// maxNPYHeader bounds the .npy header; numpy itself refuses headers over
// 10000 bytes by default, so anything near this limit is damage.
const maxNPYHeader = 1 << 16

// npyHeader is the parsed header of a .npy file.
type npyHeader struct {
	descr   string // '<f8', '>f4', ...
	fortran bool
	shape   []int
}

// readNPY reads a 1-D (d = 1) or 2-D (n×d) float32 or float64 array. The
// header is parsed and checked here, the values decoded with
// encoding/binary: the format is simple enough that a reader that names
// every problem in the user's terms costs less than a dependency's, whose
// header parser assumed numpy's exact key order and panicked on some
// damaged headers.
func readNPY(r io.Reader) (*data.Set, error) {
	br := bufio.NewReader(r)
	h, err := readNPYHeader(br)
	if err != nil {
		return nil, err
	}
	esize, err := checkDescr(h.descr)
	if err != nil {
		return nil, err
	}
	n, d, err := checkShape(h.shape)
	if err != nil {
		return nil, err
	}
	hi1, nd := bits.Mul64(uint64(n), uint64(d))
	hi2, need := bits.Mul64(nd, uint64(esize))
	if hi1 != 0 || hi2 != 0 || need > math.MaxInt64 {
		return nil, &Error{Msg: fmt.Sprintf(".npy array shape %s is too large; the file is damaged", shapeString(h.shape))}
	}
	// ReadAll grows with the data actually present, so a damaged shape
	// claiming terabytes costs no more memory than the file holds.
	raw, err := io.ReadAll(io.LimitReader(br, int64(need)))
	if err != nil {
		return nil, fmt.Errorf("reading .npy data: %w", err)
	}
	if uint64(len(raw)) < need {
		return nil, &Error{Msg: fmt.Sprintf(
			".npy file is truncated: shape %s of %s needs %d bytes of data, found %d; save the file again",
			shapeString(h.shape), dtypeName(h.descr), need, len(raw))}
	}
	if _, err := br.ReadByte(); err == nil {
		return nil, &Error{Msg: fmt.Sprintf(
			".npy file has extra bytes after the %s array of shape %s; the file is damaged or holds more than one array",
			dtypeName(h.descr), shapeString(h.shape))}
	}

	vals, err := decodeNPY(h.descr, esize, n*d, raw)
	if err != nil {
		return nil, err
	}
	s := data.New(n, d)
	for k, v := range vals {
		// Element k is row k/d, column k%d in C order and row k%n, column k/n
		// in Fortran order.
		i, j := k/d, k%d
		if h.fortran {
			i, j = k%n, k/n
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, &Error{Msg: fmt.Sprintf(
				".npy element [%d, %d] (point %d, coordinate %d) is %v; remove or impute non-finite values",
				i, j, i+1, j+1, v)}
		}
		s.X[i*d+j] = v
	}
	return s, nil
}

// decodeNPY decodes n float32 or float64 values (esize 4 or 8 bytes) in
// the byte order descr names: '<' little, '>' big, '=' the machine's.
func decodeNPY(descr string, esize, n int, raw []byte) ([]float64, error) {
	var order binary.ByteOrder = binary.LittleEndian
	switch descr[0] {
	case '>':
		order = binary.BigEndian
	case '=':
		order = binary.NativeEndian
	}
	if len(raw) < n*esize {
		return nil, fmt.Errorf("decoding .npy data: %d bytes for %d values of %d bytes", len(raw), n, esize)
	}
	v := make([]float64, n)
	for i := range v {
		b := raw[i*esize : (i+1)*esize]
		if esize == 8 {
			v[i] = math.Float64frombits(order.Uint64(b))
		} else {
			v[i] = float64(math.Float32frombits(order.Uint32(b)))
		}
	}
	return v, nil
}

// readNPYHeader reads the magic string, version and header dictionary.
func readNPYHeader(br *bufio.Reader) (npyHeader, error) {
	var pre [8]byte
	n, err := io.ReadFull(br, pre[:])
	switch {
	case n == 0 && err == io.EOF:
		return npyHeader{}, &Error{Msg: ".npy file is empty; save the array again"}
	case n >= len(npyMagic) && !bytes.Equal(pre[:len(npyMagic)], npyMagic),
		n < len(npyMagic) && !bytes.HasPrefix(npyMagic, pre[:n]):
		return npyHeader{}, &Error{Msg: "not a .npy file (it does not start with \\x93NUMPY); check the file, or read text with format csv, tsv or text"}
	case err == io.EOF || err == io.ErrUnexpectedEOF:
		return npyHeader{}, &Error{Msg: ".npy file is truncated in its header; save the array again"}
	case err != nil:
		return npyHeader{}, fmt.Errorf("reading .npy header: %w", err)
	}
	var hlen int
	switch major := pre[6]; major {
	case 1:
		var l [2]byte
		if _, err := io.ReadFull(br, l[:]); err != nil {
			return npyHeader{}, truncHeader(err)
		}
		hlen = int(binary.LittleEndian.Uint16(l[:]))
	case 2, 3:
		var l [4]byte
		if _, err := io.ReadFull(br, l[:]); err != nil {
			return npyHeader{}, truncHeader(err)
		}
		if v := binary.LittleEndian.Uint32(l[:]); v > maxNPYHeader {
			return npyHeader{}, &Error{Msg: fmt.Sprintf(".npy header claims %d bytes, more than %d; the file is damaged", v, maxNPYHeader)}
		} else {
			hlen = int(v)
		}
	default:
		return npyHeader{}, &Error{Msg: fmt.Sprintf(".npy format version %d.%d is not supported (1.0–3.0 are); save the array again with numpy", major, pre[7])}
	}
	raw := make([]byte, hlen)
	if _, err := io.ReadFull(br, raw); err != nil {
		return npyHeader{}, truncHeader(err)
	}
	return parseNPYHeader(string(raw))
}

func truncHeader(err error) error {
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return &Error{Msg: ".npy file is truncated in its header; save the array again"}
	}
	return fmt.Errorf("reading .npy header: %w", err)
}

// ParseNPYHeader parses a .npy header's Python dict literal, e.g.
// {'descr': '<f8', 'fortran_order': False, 'shape': (3, 2), }, for other
// readers of the format (an .npz archive's members).
func ParseNPYHeader(s string) (descr string, fortran bool, shape []int, err error) {
	h, err := parseNPYHeader(s)
	return h.descr, h.fortran, h.shape, err
}

// parseNPYHeader parses the header's Python dict literal, e.g.
// {'descr': '<f8', 'fortran_order': False, 'shape': (3, 2), }.
func parseNPYHeader(s string) (npyHeader, error) {
	bad := func(why string) error {
		return &Error{Msg: ".npy header is malformed (" + why + "); save the array again with numpy"}
	}
	p := &pyParser{s: s}
	v, err := p.value(0)
	if err != nil {
		return npyHeader{}, bad(err.Error())
	}
	if rest := strings.TrimSpace(p.s[p.i:]); rest != "" {
		return npyHeader{}, bad("text after the dictionary")
	}
	dict, ok := v.(pyDict)
	if !ok {
		return npyHeader{}, bad("not a dictionary")
	}
	var h npyHeader
	seen := 0
	for _, kv := range dict {
		switch kv.key {
		case "descr":
			switch d := kv.val.(type) {
			case string:
				h.descr = d
			case []any:
				return npyHeader{}, &Error{Msg: ".npy array has a structured (record) dtype; save a plain float64 array of shape (n, d)"}
			default:
				return npyHeader{}, bad("descr is not a string")
			}
		case "fortran_order":
			b, ok := kv.val.(bool)
			if !ok {
				return npyHeader{}, bad("fortran_order is not True or False")
			}
			h.fortran = b
		case "shape":
			t, ok := kv.val.([]any)
			if !ok {
				return npyHeader{}, bad("shape is not a tuple")
			}
			h.shape = make([]int, len(t))
			for i, x := range t {
				n, ok := x.(int)
				if !ok || n < 0 {
					return npyHeader{}, bad("shape holds something other than non-negative integers")
				}
				h.shape[i] = n
			}
		default:
			return npyHeader{}, bad(fmt.Sprintf("unexpected key %q", kv.key))
		}
		seen++
	}
	if seen != 3 || h.descr == "" || h.shape == nil {
		return npyHeader{}, bad("it needs exactly the keys descr, fortran_order and shape")
	}
	return h, nil
}

// checkDescr accepts float32 and float64 in either byte order and returns
// the element size; other dtypes get a message naming them.
func checkDescr(descr string) (int, error) {
	switch descr {
	case "<f8", ">f8", "=f8":
		return 8, nil
	case "<f4", ">f4", "=f4":
		return 4, nil
	}
	return 0, &Error{Msg: fmt.Sprintf(".npy array has dtype %s (%q), but only float32 and float64 are read; "+
		"convert it first, e.g. np.save(path, a.astype(np.float64))", dtypeName(descr), descr)}
}

// dtypeName names a numpy type string such as '<i8' (int64).
func dtypeName(descr string) string {
	t := strings.TrimLeft(descr, "<>=|")
	if t == "" {
		return "unknown"
	}
	kind, size := t[0], t[1:]
	nbytes, err := strconv.Atoi(size)
	bitsOf := func(name string) string {
		if err != nil {
			return name
		}
		return name + strconv.Itoa(8*nbytes)
	}
	switch kind {
	case 'f':
		return bitsOf("float")
	case 'i':
		return bitsOf("int")
	case 'u':
		return bitsOf("uint")
	case 'c':
		return bitsOf("complex")
	case 'b', '?':
		return "bool"
	case 'O':
		return "object"
	case 'U':
		return "unicode string"
	case 'S', 'a':
		return "byte string"
	case 'V':
		return "void (raw bytes)"
	case 'M':
		return "datetime64"
	case 'm':
		return "timedelta64"
	}
	return "unknown"
}

// checkShape accepts (n,) as n points of dimension 1 and (n, d).
func checkShape(shape []int) (n, d int, err error) {
	switch len(shape) {
	case 0:
		return 0, 0, &Error{Msg: ".npy array is 0-d (a single number); save an array of shape (n,) or (n, d)"}
	case 1:
		n, d = shape[0], 1
	case 2:
		n, d = shape[0], shape[1]
	default:
		return 0, 0, &Error{Msg: fmt.Sprintf(".npy array has shape %s (%d-D); save a 1-D array (n,) or a 2-D array (n points, d coordinates)",
			shapeString(shape), len(shape))}
	}
	switch {
	case n == 0:
		return 0, 0, &Error{Msg: fmt.Sprintf(".npy array of shape %s has no data rows; save at least one point", shapeString(shape))}
	case d == 0:
		return 0, 0, &Error{Msg: fmt.Sprintf(".npy array of shape %s has points with no coordinates; save an (n, d) array with d ≥ 1", shapeString(shape))}
	}
	return n, d, nil
}

// shapeString formats a shape as Python prints it: (3,), (3, 2).
func shapeString(shape []int) string {
	parts := make([]string, len(shape))
	for i, k := range shape {
		parts[i] = strconv.Itoa(k)
	}
	if len(shape) == 1 {
		return "(" + parts[0] + ",)"
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// writeNPY writes s as an n×d little-endian float64 array in C order, as
// numpy.save does: format version 1.0, the header padded with spaces and
// ended by a newline so that the data start at a multiple of 64 bytes.
func writeNPY(w io.Writer, s *data.Set) error {
	dict := fmt.Sprintf("{'descr': '<f8', 'fortran_order': False, 'shape': (%d, %d), }", s.Len(), s.D)
	pad := 64 - (len(npyMagic)+4+len(dict)+1)%64
	if pad == 64 {
		pad = 0
	}
	hlen := len(dict) + pad + 1
	if hlen > math.MaxUint16 {
		return fmt.Errorf("writing .npy: header of %d bytes", hlen)
	}
	bw := bufio.NewWriter(w)
	bw.Write(npyMagic)
	bw.Write([]byte{1, 0, byte(hlen), byte(hlen >> 8)})
	bw.WriteString(dict)
	bw.WriteString(strings.Repeat(" ", pad) + "\n")
	var b [8]byte
	for _, v := range s.X {
		binary.LittleEndian.PutUint64(b[:], math.Float64bits(v))
		bw.Write(b[:])
	}
	return bw.Flush()
}

// pyDict keeps the dictionary's pairs in order; duplicates are rejected.
type pyDict []struct {
	key string
	val any
}

// pyParser reads the small subset of Python literals that .npy headers
// use: dicts, tuples and lists, strings, integers, True, False and None.
type pyParser struct {
	s string
	i int
}

// maxDepth bounds nesting so that a damaged header cannot recurse deeply.
const maxDepth = 16

func (p *pyParser) skip() {
	for p.i < len(p.s) && strings.IndexByte(" \t\r\n", p.s[p.i]) >= 0 {
		p.i++
	}
}

func (p *pyParser) value(depth int) (any, error) {
	if depth > maxDepth {
		return nil, fmt.Errorf("nested too deeply")
	}
	p.skip()
	if p.i >= len(p.s) {
		return nil, fmt.Errorf("ends early")
	}
	switch c := p.s[p.i]; {
	case c == '{':
		return p.dict(depth)
	case c == '(' || c == '[':
		return p.seq(depth)
	case c == '\'' || c == '"':
		return p.str()
	case c == '-' || (c >= '0' && c <= '9'):
		return p.int()
	}
	for _, w := range []struct {
		word string
		val  any
	}{{"True", true}, {"False", false}, {"None", nil}} {
		if strings.HasPrefix(p.s[p.i:], w.word) {
			p.i += len(w.word)
			return w.val, nil
		}
	}
	return nil, fmt.Errorf("unexpected %q at byte %d", p.s[p.i], p.i)
}

func (p *pyParser) dict(depth int) (any, error) {
	p.i++ // {
	var d pyDict
	for {
		p.skip()
		if p.i < len(p.s) && p.s[p.i] == '}' {
			p.i++
			return d, nil
		}
		k, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		key, ok := k.(string)
		if !ok {
			return nil, fmt.Errorf("a key is not a string")
		}
		for _, kv := range d {
			if kv.key == key {
				return nil, fmt.Errorf("key %q appears twice", key)
			}
		}
		p.skip()
		if p.i >= len(p.s) || p.s[p.i] != ':' {
			return nil, fmt.Errorf("missing ':' after key %q", key)
		}
		p.i++
		v, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		d = append(d, struct {
			key string
			val any
		}{key, v})
		p.skip()
		if p.i < len(p.s) && p.s[p.i] == ',' {
			p.i++
			continue
		}
		if p.i < len(p.s) && p.s[p.i] == '}' {
			continue
		}
		return nil, fmt.Errorf("missing ',' or '}' in the dictionary")
	}
}

// seq parses a tuple or list; (3) is the integer 3 in Python, but numpy
// never writes it for a shape, so it is read as a 1-tuple too.
func (p *pyParser) seq(depth int) (any, error) {
	end := byte(')')
	if p.s[p.i] == '[' {
		end = ']'
	}
	p.i++
	seq := []any{}
	for {
		p.skip()
		if p.i < len(p.s) && p.s[p.i] == end {
			p.i++
			return seq, nil
		}
		v, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		seq = append(seq, v)
		p.skip()
		if p.i < len(p.s) && p.s[p.i] == ',' {
			p.i++
			continue
		}
		if p.i < len(p.s) && p.s[p.i] == end {
			continue
		}
		return nil, fmt.Errorf("missing ',' or %q", end)
	}
}

func (p *pyParser) str() (any, error) {
	q := p.s[p.i]
	j := strings.IndexByte(p.s[p.i+1:], q)
	if j < 0 {
		return nil, fmt.Errorf("unterminated string")
	}
	v := p.s[p.i+1 : p.i+1+j]
	if strings.IndexByte(v, '\\') >= 0 {
		return nil, fmt.Errorf("escapes in strings are not supported")
	}
	p.i += j + 2
	return v, nil
}

// int parses a decimal integer; Python 2 wrote shapes as (3L, 2L).
func (p *pyParser) int() (any, error) {
	j := p.i
	if p.s[j] == '-' {
		j++
	}
	for j < len(p.s) && p.s[j] >= '0' && p.s[j] <= '9' {
		j++
	}
	n, err := strconv.Atoi(p.s[p.i:j])
	if err != nil {
		return nil, fmt.Errorf("bad integer %q", p.s[p.i:j])
	}
	p.i = j
	if p.i < len(p.s) && p.s[p.i] == 'L' {
		p.i++
	}
	return n, nil
}
