package modelio

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"scoresde/dataio"
)

// maxNPYHeader bounds an .npy header (numpy itself refuses over 10000 bytes).
const maxNPYHeader = 1 << 16

// ReadNPZ reads a state_dict saved by np.savez (or np.savez_compressed):
// one NAME.npy member per tensor, float32, float64 or float16. A JSON
// object in the archive's comment (written by WriteNPZ) becomes the
// metadata.
func ReadNPZ(r io.ReaderAt, size int64) (*StateDict, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, errorf("not an .npz file (not a zip archive: %v); save the weights with np.savez(PATH, **state_dict)", err)
	}
	sd := &StateDict{}
	if zr.Comment != "" {
		if err := json.Unmarshal([]byte(zr.Comment), &sd.Metadata); err != nil {
			sd.Metadata = nil // someone else's comment: not ours to read
		}
	}
	for _, f := range zr.File {
		name, ok := strings.CutSuffix(f.Name, ".npy")
		if !ok {
			return nil, errorf(".npz member %q is not an .npy array; the file is damaged or not from np.savez", f.Name)
		}
		b, err := readEntry(f, 4*maxParams+maxNPYHeader)
		if err != nil {
			return nil, err
		}
		t, err := decodeNPY(b)
		if err != nil {
			return nil, errorf(".npz member %s: %v", f.Name, err)
		}
		t.Name = name
		if err := checkFinite(t); err != nil {
			return nil, err
		}
		sd.Tensors = append(sd.Tensors, *t)
	}
	if len(sd.Tensors) == 0 {
		return nil, errorf(".npz file holds no arrays; save the weights with np.savez(PATH, **state_dict)")
	}
	return sd, nil
}

// decodeNPY decodes one .npy array held whole in b.
func decodeNPY(b []byte) (*Tensor, error) {
	if len(b) < 10 || string(b[:6]) != "\x93NUMPY" {
		return nil, errorf("not an .npy array (bad magic)")
	}
	var hlen, start int
	switch b[6] {
	case 1:
		hlen, start = int(binary.LittleEndian.Uint16(b[8:10])), 10
	case 2, 3:
		if len(b) < 12 {
			return nil, errorf(".npy header truncated")
		}
		hlen, start = int(binary.LittleEndian.Uint32(b[8:12])), 12
	default:
		return nil, errorf(".npy format version %d is not supported", b[6])
	}
	if hlen > maxNPYHeader || hlen > len(b)-start {
		return nil, errorf(".npy header of %d bytes is damaged", hlen)
	}
	descr, fortran, shape, err := dataio.ParseNPYHeader(string(b[start : start+hlen]))
	if err != nil {
		return nil, errorf("%v", err)
	}
	if len(shape) > 8 {
		return nil, errorf(".npy array of %d dimensions is not a weight tensor", len(shape))
	}
	var es int
	var bo binary.ByteOrder = binary.LittleEndian
	switch descr {
	case "<f4", "<f8", "<f2", "|f2":
	case ">f4", ">f8", ">f2":
		bo = binary.BigEndian
	default:
		return nil, errorf(".npy dtype %q is not a float; weights must be float32, float64 or float16", descr)
	}
	es, _ = strconv.Atoi(descr[2:])
	n := numel(shape)
	if n < 0 {
		return nil, errorf(".npy shape %v is too large", shape)
	}
	raw := b[start+hlen:]
	if len(raw) != n*es {
		return nil, errorf(".npy array of shape %v needs %d bytes of data but has %d; the file is damaged", shape, n*es, len(raw))
	}
	data := make([]float32, n)
	for i := range data {
		c := raw[i*es : (i+1)*es]
		switch es {
		case 4:
			data[i] = math.Float32frombits(bo.Uint32(c))
		case 8:
			data[i] = float32(math.Float64frombits(bo.Uint64(c)))
		case 2:
			data[i] = halfToFloat(bo.Uint16(c))
		}
	}
	if fortran && len(shape) > 1 {
		data = fromFortran(data, shape)
	}
	return &Tensor{Shape: shape, Data: data}, nil
}

// fromFortran reorders column-major values into row-major order.
func fromFortran(v []float32, shape []int) []float32 {
	out := make([]float32, len(v))
	idx := make([]int, len(shape))
	for k := range v {
		// idx is the row-major multi-index of k; its column-major offset:
		p, mul := 0, 1
		for i := range shape {
			p += idx[i] * mul
			mul *= shape[i]
		}
		out[k] = v[p]
		for i := len(idx) - 1; i >= 0; i-- {
			idx[i]++
			if idx[i] < shape[i] {
				break
			}
			idx[i] = 0
		}
	}
	return out
}

func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}

// WriteNPZ writes sd as np.savez does (stored members NAME.npy, float32,
// C order); the metadata goes in the archive's comment as a JSON object,
// where np.load ignores it.
func WriteNPZ(w io.Writer, sd *StateDict) error {
	zw := zip.NewWriter(w)
	if len(sd.Metadata) > 0 {
		c, err := json.Marshal(sd.Metadata)
		if err != nil {
			return err
		}
		if len(c) > math.MaxUint16 {
			return fmt.Errorf("modelio: metadata of %d bytes does not fit an .npz comment", len(c))
		}
		if err := zw.SetComment(string(c)); err != nil {
			return err
		}
	}
	for _, t := range sd.Tensors {
		f, err := zw.CreateHeader(&zip.FileHeader{Name: t.Name + ".npy", Method: zip.Store})
		if err != nil {
			return err
		}
		if _, err := f.Write(encodeNPY(&t)); err != nil {
			return err
		}
	}
	return zw.Close()
}

// encodeNPY is a version 1.0 .npy file of a float32 tensor, its header
// padded to 64 bytes as numpy pads it.
func encodeNPY(t *Tensor) []byte {
	dims := make([]string, len(t.Shape))
	for i, s := range t.Shape {
		dims[i] = strconv.Itoa(s)
	}
	sh := strings.Join(dims, ", ")
	if len(dims) == 1 {
		sh += ","
	}
	h := fmt.Sprintf("{'descr': '<f4', 'fortran_order': False, 'shape': (%s), }", sh)
	pad := 64 - (10+len(h)+1)%64
	if pad == 64 {
		pad = 0
	}
	h += strings.Repeat(" ", pad) + "\n"
	var buf bytes.Buffer
	buf.WriteString("\x93NUMPY\x01\x00")
	binary.Write(&buf, binary.LittleEndian, uint16(len(h)))
	buf.WriteString(h)
	for _, v := range t.Data {
		binary.Write(&buf, binary.LittleEndian, math.Float32bits(v))
	}
	return buf.Bytes()
}
