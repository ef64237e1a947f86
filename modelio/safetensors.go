package modelio

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"io"
	"math"
	"sort"
)

// maxSafetensorsHeader is the safetensors library's own limit.
const maxSafetensorsHeader = 100 << 20

var safetensorsSizes = map[string]int{"F32": 4, "F64": 8, "F16": 2, "BF16": 2}

type safetensorsEntry struct {
	DType   string   `json:"dtype"`
	Shape   []int    `json:"shape"`
	Offsets [2]int64 `json:"data_offsets"`
}

// ReadSafetensors reads a .safetensors file (an 8-byte little-endian
// header length, a JSON header naming each tensor's dtype, shape and byte
// range, then the data) of F32, F64, F16 or BF16 tensors from r, which
// holds size bytes. Tensors come in the order of their data.
func ReadSafetensors(r io.ReaderAt, size int64) (*StateDict, error) {
	var lb [8]byte
	if _, err := r.ReadAt(lb[:], 0); err != nil {
		return nil, errorf("not a .safetensors file (%d bytes, too short for its header)", size)
	}
	n := binary.LittleEndian.Uint64(lb[:])
	if n > maxSafetensorsHeader || n > uint64(size-8) {
		return nil, errorf("not a .safetensors file: its header claims %d bytes in a %d-byte file", n, size)
	}
	hb := make([]byte, n)
	if _, err := r.ReadAt(hb, 8); err != nil {
		return nil, errorf("reading the .safetensors header: %v", err)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(hb, &raw); err != nil {
		return nil, errorf("the .safetensors header is not a JSON object (%v); the file is damaged", err)
	}
	sd := &StateDict{}
	dataStart := 8 + int64(n)
	dataLen := size - dataStart
	type named struct {
		name string
		e    safetensorsEntry
	}
	var es []named
	for k, v := range raw {
		if k == "__metadata__" {
			if err := json.Unmarshal(v, &sd.Metadata); err != nil {
				return nil, errorf("the .safetensors __metadata__ is not an object of strings; the file is damaged")
			}
			continue
		}
		var e safetensorsEntry
		dec := json.NewDecoder(bytes.NewReader(v))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&e); err != nil {
			return nil, errorf(".safetensors entry %q is malformed (%v)", k, err)
		}
		es = append(es, named{k, e})
	}
	if len(es) == 0 {
		return nil, errorf(".safetensors file holds no tensors")
	}
	sort.Slice(es, func(i, j int) bool { return es[i].e.Offsets[0] < es[j].e.Offsets[0] })
	end := int64(0)
	for _, x := range es {
		e := x.e
		sz := safetensorsSizes[e.DType]
		if sz == 0 {
			return nil, errorf(".safetensors tensor %q has dtype %q; weights must be F32, F64, F16 or BF16", x.name, e.DType)
		}
		cnt := numel(e.Shape)
		b, f := e.Offsets[0], e.Offsets[1]
		if cnt < 0 || len(e.Shape) > 8 || b < end || f < b || f > dataLen || f-b != int64(cnt*sz) {
			return nil, errorf(".safetensors tensor %q (shape %v, bytes %d–%d) does not fit the %d bytes of data; the file is damaged", x.name, e.Shape, b, f, dataLen)
		}
		end = f
		buf := make([]byte, f-b)
		if _, err := r.ReadAt(buf, dataStart+b); err != nil {
			return nil, errorf("reading .safetensors tensor %q: %v", x.name, err)
		}
		data := make([]float32, cnt)
		for i := range data {
			c := buf[i*sz : (i+1)*sz]
			switch e.DType {
			case "F32":
				data[i] = math.Float32frombits(binary.LittleEndian.Uint32(c))
			case "F64":
				data[i] = float32(math.Float64frombits(binary.LittleEndian.Uint64(c)))
			case "F16":
				data[i] = halfToFloat(binary.LittleEndian.Uint16(c))
			case "BF16":
				data[i] = math.Float32frombits(uint32(binary.LittleEndian.Uint16(c)) << 16)
			}
		}
		t := Tensor{Name: x.name, Shape: append([]int{}, e.Shape...), Data: data}
		if err := checkFinite(&t); err != nil {
			return nil, err
		}
		sd.Tensors = append(sd.Tensors, t)
	}
	return sd, nil
}

// WriteSafetensors writes sd as a .safetensors file of F32 tensors, in
// sd's order, with its metadata as __metadata__.
func WriteSafetensors(w io.Writer, sd *StateDict) error {
	var h bytes.Buffer
	h.WriteByte('{')
	if len(sd.Metadata) > 0 {
		m, err := json.Marshal(sd.Metadata)
		if err != nil {
			return err
		}
		h.WriteString(`"__metadata__":`)
		h.Write(m)
	}
	off := int64(0)
	for i, t := range sd.Tensors {
		if i > 0 || len(sd.Metadata) > 0 {
			h.WriteByte(',')
		}
		k, _ := json.Marshal(t.Name)
		shape := t.Shape
		if shape == nil {
			shape = []int{}
		}
		e, err := json.Marshal(safetensorsEntry{DType: "F32", Shape: shape, Offsets: [2]int64{off, off + 4*int64(len(t.Data))}})
		if err != nil {
			return err
		}
		h.Write(k)
		h.WriteByte(':')
		h.Write(e)
		off += 4 * int64(len(t.Data))
	}
	h.WriteByte('}')
	for h.Len()%8 != 0 { // the data start 8-byte aligned
		h.WriteByte(' ')
	}
	var lb [8]byte
	binary.LittleEndian.PutUint64(lb[:], uint64(h.Len()))
	if _, err := w.Write(lb[:]); err != nil {
		return err
	}
	if _, err := w.Write(h.Bytes()); err != nil {
		return err
	}
	buf := make([]byte, 0, 4096)
	for _, t := range sd.Tensors {
		for _, v := range t.Data {
			buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(v))
			if len(buf) == cap(buf) {
				if _, err := w.Write(buf); err != nil {
					return err
				}
				buf = buf[:0]
			}
		}
	}
	_, err := w.Write(buf)
	return err
}
