package modelio

import (
	"archive/zip"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"strings"
)

// maxPickle bounds data.pkl: a state_dict's pickle is a few kilobytes.
const maxPickle = 64 << 20

// ReadPT reads a state_dict saved by torch.save (PyTorch ≥ 1.6's zip
// format: archive/data.pkl with the tensor storages in archive/data/<key>)
// from r, which holds size bytes.
func ReadPT(r io.ReaderAt, size int64) (*StateDict, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		head := make([]byte, 2)
		if n, _ := r.ReadAt(head, 0); n == 2 && head[0] == 0x80 && head[1] <= 5 {
			return nil, errorf("this .pt file is in PyTorch's legacy (pre-1.6) format; load it and save it again with torch.save(model.state_dict(), PATH) from PyTorch 1.6 or later")
		}
		return nil, errorf("not a PyTorch .pt file (not a zip archive: %v); save the model with torch.save(model.state_dict(), PATH)", err)
	}
	files := map[string]*zip.File{}
	var pkl *zip.File
	prefix := ""
	var storageBytes uint64
	for _, f := range zr.File {
		files[f.Name] = f
		if strings.HasSuffix(f.Name, "/data.pkl") && strings.Count(f.Name, "/") == 1 {
			if pkl != nil {
				return nil, errorf(".pt archive holds two pickles (%s and %s); the file is damaged", pkl.Name, f.Name)
			}
			pkl, prefix = f, strings.TrimSuffix(f.Name, "data.pkl")
		}
	}
	if pkl == nil {
		return nil, errorf(".pt archive has no data.pkl; save the model with torch.save(model.state_dict(), PATH)")
	}
	if _, ok := files[prefix+"constants.pkl"]; ok {
		return nil, errorf("the .pt file is a TorchScript archive; save the weights with torch.save(model.state_dict(), PATH) instead")
	}
	for name, f := range files {
		if strings.HasPrefix(name, prefix+"data/") {
			storageBytes += f.UncompressedSize64
		}
	}
	bigEndian := false
	if f, ok := files[prefix+"byteorder"]; ok {
		b, err := readEntry(f, 16)
		if err != nil {
			return nil, err
		}
		switch string(b) {
		case "little":
		case "big":
			bigEndian = true
		default:
			return nil, errorf(".pt archive has byte order %q; want little or big", b)
		}
	}
	p, err := readEntry(pkl, maxPickle)
	if err != nil {
		return nil, err
	}
	loaded := map[string]*storageRef{}
	load := func(class pyGlobal, key string, n int) (*storageRef, error) {
		if st, ok := loaded[key]; ok {
			if len(st.data) != n {
				return nil, errorf(".pt storage %s is named with %d and with %d values; the file is damaged", key, len(st.data), n)
			}
			return st, nil
		}
		f, ok := files[prefix+"data/"+key]
		if !ok {
			return nil, errorf(".pt archive lacks the storage data/%s its pickle names; the file is damaged", key)
		}
		es := storageSizes[class.name]
		if f.UncompressedSize64 != uint64(n)*uint64(es) {
			return nil, errorf(".pt storage data/%s holds %d bytes, not the %d of %d %s values; the file is damaged", key, f.UncompressedSize64, n*es, n, class.name)
		}
		b, err := readEntry(f, int64(n*es))
		if err != nil {
			return nil, err
		}
		st := &storageRef{data: decodeFloats(b, class.name, bigEndian)}
		loaded[key] = st
		return st, nil
	}
	budget := int(min(storageBytes, maxParams))
	v, err := unpickle(p, load, budget)
	if err != nil {
		return nil, err
	}
	return stateDictOf(v)
}

// readEntry reads a whole archive member of at most limit bytes. Memory
// grows with the bytes actually inflated, so a member that claims more
// than it holds costs only what it holds.
func readEntry(f *zip.File, limit int64) ([]byte, error) {
	if f.UncompressedSize64 > uint64(limit) {
		return nil, errorf("archive member %s claims %d bytes, more than the %d allowed; the file is damaged", f.Name, f.UncompressedSize64, limit)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, errorf("archive member %s: %v; the file is damaged", f.Name, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, int64(f.UncompressedSize64)+1))
	if err != nil {
		return nil, errorf("archive member %s: %v; the file is damaged", f.Name, err)
	}
	if uint64(len(b)) != f.UncompressedSize64 {
		return nil, errorf("archive member %s holds %d bytes, not the %d it claims; the file is damaged", f.Name, len(b), f.UncompressedSize64)
	}
	return b, nil
}

// decodeFloats converts a storage's raw bytes to float32.
func decodeFloats(b []byte, class string, bigEndian bool) []float32 {
	var bo binary.ByteOrder = binary.LittleEndian
	if bigEndian {
		bo = binary.BigEndian
	}
	es := storageSizes[class]
	out := make([]float32, len(b)/es)
	for i := range out {
		c := b[i*es : (i+1)*es]
		switch class {
		case "FloatStorage":
			out[i] = math.Float32frombits(bo.Uint32(c))
		case "DoubleStorage":
			out[i] = float32(math.Float64frombits(bo.Uint64(c)))
		case "HalfStorage":
			out[i] = halfToFloat(bo.Uint16(c))
		case "BFloat16Storage":
			out[i] = math.Float32frombits(uint32(bo.Uint16(c)) << 16)
		}
	}
	return out
}

// halfToFloat converts an IEEE 754 binary16 value exactly.
func halfToFloat(h uint16) float32 {
	sign := float32(1)
	if h&0x8000 != 0 {
		sign = -1
	}
	e, m := int(h>>10&0x1f), float64(h&0x3ff)
	switch e {
	case 0:
		return sign * float32(math.Ldexp(m, -24))
	case 0x1f:
		if m != 0 {
			return float32(math.NaN())
		}
		return sign * float32(math.Inf(1))
	}
	return sign * float32(math.Ldexp(1024+m, e-25))
}

// stateDictOf turns the unpickled top-level object into a StateDict.
func stateDictOf(v any) (*StateDict, error) {
	d, ok := v.(*pyDict)
	if !ok {
		return nil, errorf("the .pt file holds a %s, not a state_dict; save it with torch.save(model.state_dict(), PATH)", typeName(v))
	}
	sd := &StateDict{}
	for i, k := range d.keys {
		name, ok := k.(string)
		if !ok {
			return nil, errorf("the state_dict has a key of type %s; keys are names like net.0.weight", typeName(k))
		}
		t, ok := d.vals[i].(*Tensor)
		if !ok {
			hint := ""
			if _, isDict := d.vals[i].(*pyDict); isDict {
				hint = fmt.Sprintf(" (a checkpoint? save its %q entry alone)", name)
			}
			return nil, errorf("state_dict entry %q is a %s, not a tensor%s", name, typeName(d.vals[i]), hint)
		}
		nt := *t
		nt.Name = name
		if err := checkFinite(&nt); err != nil {
			return nil, err
		}
		sd.Tensors = append(sd.Tensors, nt)
	}
	return sd, nil
}
