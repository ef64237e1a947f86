package dataio

import (
	"bytes"
	"encoding/binary"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"scoresde/data"
)

// A written file starts its data at a multiple of 64 bytes, as numpy's
// own, with a version-1.0 header whose length field is right, and reads
// back bit for bit for every shape.
func TestWriteNPYLayout(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, shape := range [][2]int{{1, 1}, {3, 2}, {1000, 1}, {7, 13}, {123456, 2}} {
		s := data.New(shape[0], shape[1])
		for i := range s.X {
			s.X[i] = rng.NormFloat64() * math.Pow(10, float64(rng.IntN(600)-300))
		}
		var b bytes.Buffer
		if err := writeNPY(&b, s); err != nil {
			t.Fatal(err)
		}
		out := b.Bytes()
		hlen := int(binary.LittleEndian.Uint16(out[8:10]))
		start := 10 + hlen
		if out[6] != 1 || out[7] != 0 || start%64 != 0 || out[start-1] != '\n' || len(out)-start != 8*len(s.X) {
			t.Errorf("shape %v: version %d.%d, data at %d, %d data bytes", shape, out[6], out[7], start, len(out)-start)
		}
		got, err := readNPY(bytes.NewReader(out))
		if err != nil {
			t.Fatal(err)
		}
		if got.D != s.D || !slices.Equal(got.X, s.X) {
			t.Errorf("shape %v: read back differs", shape)
		}
	}
}

// '=' means the machine's byte order.
func TestDecodeNativeOrder(t *testing.T) {
	raw := binary.NativeEndian.AppendUint32(nil, math.Float32bits(-2.5))
	raw = binary.NativeEndian.AppendUint32(raw, math.Float32bits(0.125))
	v, err := decodeNPY("=f4", 4, 2, raw)
	if err != nil || !slices.Equal(v, []float64{-2.5, 0.125}) {
		t.Errorf("decoded %v, %v", v, err)
	}
}
