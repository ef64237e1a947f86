package modelio

import (
	"encoding/binary"
	"strings"
	"testing"
)

// Hand-written pickles that a stranger might send: each must be refused
// with an *Error, before anything runs or a large buffer is made.
func TestUnpicklerRefuses(t *testing.T) {
	u32 := func(v uint32) string { var b [4]byte; binary.LittleEndian.PutUint32(b[:], v); return string(b[:]) }
	u64 := func(v uint64) string { var b [8]byte; binary.LittleEndian.PutUint64(b[:], v); return string(b[:]) }
	// tensor(off, size, stride) rebuilds a tensor over a 4-value storage.
	tensor := func(off, size, stride string) string {
		return "\x80\x02ctorch._utils\n_rebuild_tensor_v2\n((X" + u32(7) + "storagectorch\nFloatStorage\nX" + u32(1) + "0X" + u32(3) + "cpuK\x04tQ" +
			off + size + stride + "\x89}tR."
	}
	for _, tc := range []struct{ name, pkl, want string }{
		{"os.system", "cos\nsystem\n(X" + u32(7) + "echo hit\x85R.", "refers to os.system"},
		{"builtins.eval", "\x80\x04\x95\x10\x00\x00\x00\x00\x00\x00\x00\x8c\x08builtins\x8c\x04eval\x93.", "refers to builtins.eval"},
		{"pickled module", "c__main__\nMyScore\n.", "not a state_dict"},
		{"huge string", "\x8d" + u64(1<<62) + "x.", "damaged"},
		{"huge frame", "\x80\x04\x95" + u64(1<<40) + "N.", "truncated"},
		{"unknown opcode", "\x80\x02\xff.", "opcode 0xff"},
		{"missing memo", "h\x05.", "memo entry 5"},
		{"underflow", "R.", "underflow"},
		{"no stop", "N", "STOP"},
		{"no mark", "Nt.", "MARK"},
		{"huge offset", tensor("J\xff\xff\xff\x7f", "K\x02\x85", "K\x01\x85"), "malformed tensor"},
		{"huge long offset", tensor("\x8a\x08\xff\xff\xff\xff\xff\xff\xff\x3f", "K\x02\x85", "K\x01\x85"), "malformed tensor"},
		{"outside storage", tensor("K\x00", "K\x03K\x03\x86", "K\x03K\x01\x86"), "does not fit"},
		{"huge stride", tensor("K\x00", "K\x02K\x02K\x02\x87", "J\x00\x00\x00\x40J\x00\x00\x00\x40J\x00\x00\x00\x40\x87"), "does not fit"},
		{"negative size", tensor("K\x00", "J\xff\xff\xff\xff\x85", "K\x01\x85"), "malformed"},
	} {
		load := func(class pyGlobal, key string, n int) (*storageRef, error) {
			return &storageRef{data: make([]float32, n)}, nil
		}
		_, err := unpickle([]byte(tc.pkl), load, 1<<10)
		if _, ok := err.(*Error); !ok || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want an *Error containing %q", tc.name, err, tc.want)
		}
	}
}

// A well-formed strided view (a transposed weight) is copied out in
// row-major order.
func TestUnpicklerStridedView(t *testing.T) {
	u32 := func(v uint32) string { var b [4]byte; binary.LittleEndian.PutUint32(b[:], v); return string(b[:]) }
	pkl := "\x80\x02ctorch._utils\n_rebuild_tensor_v2\n((X" + u32(7) + "storagectorch\nFloatStorage\nX" + u32(1) + "0X" + u32(3) + "cpuK\x06tQ" +
		"K\x00K\x03K\x02\x86K\x01K\x03\x86\x89}tR."
	load := func(class pyGlobal, key string, n int) (*storageRef, error) {
		return &storageRef{data: []float32{0, 1, 2, 3, 4, 5}}, nil // a 2×3 matrix, read as its 3×2 transpose
	}
	v, err := unpickle([]byte(pkl), load, 1<<10)
	if err != nil {
		t.Fatal(err)
	}
	tn := v.(*Tensor)
	want := []float32{0, 3, 1, 4, 2, 5}
	if len(tn.Shape) != 2 || tn.Shape[0] != 3 || tn.Shape[1] != 2 {
		t.Fatalf("shape %v", tn.Shape)
	}
	for i := range want {
		if tn.Data[i] != want[i] {
			t.Fatalf("data %v, want %v", tn.Data, want)
		}
	}
}
