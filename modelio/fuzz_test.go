package modelio

import (
	"archive/zip"
	"bytes"
	"os"
	"runtime"
	"testing"
)

// allocBound is what decoding n bytes of input may allocate: a constant
// plus a fixed amount per byte. Each pickle opcode builds at most one
// small object; a zip member deflates to at most 1032 times its size, read
// into a buffer that grows by doubling (≤ 3 times the bytes read) and
// decoded once more into float32 values: ≤ 4·1032 bytes per input byte.
func allocBound(n int) uint64 { return 1<<20 + 8192*uint64(n) }

func totalAlloc() uint64 {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.TotalAlloc
}

// FuzzReadPT feeds damaged .pt archives to the reader: it must return a
// StateDict or an *Error, never panic, and allocate in proportion to the
// input.
func FuzzReadPT(f *testing.F) {
	for _, name := range []string{"mlp1d.pt", "mlp2d.pt", "wholemodel.pt", "legacy.pt"} {
		b, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		before := totalAlloc()
		sd, err := ReadPT(bytes.NewReader(b), int64(len(b)))
		if used := totalAlloc() - before; used > allocBound(len(b)) {
			t.Fatalf("%d bytes of input allocated %d bytes", len(b), used)
		}
		if err == nil && sd == nil {
			t.Fatal("no state_dict and no error")
		}
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("error %v is not a *modelio.Error", err)
			}
		}
	})
}

// FuzzUnpickle feeds arbitrary pickles (seeded with the fixtures' data.pkl)
// to the restricted unpickler, with storages of up to 4096 values.
func FuzzUnpickle(f *testing.F) {
	for _, name := range []string{"mlp1d.pt", "wholemodel.pt"} {
		zr, err := zip.OpenReader("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		for _, zf := range zr.File {
			if len(zf.Name) > 8 && zf.Name[len(zf.Name)-8:] == "data.pkl" {
				b, err := readEntry(zf, maxPickle)
				if err != nil {
					f.Fatal(err)
				}
				f.Add(b)
			}
		}
		zr.Close()
	}
	load := func(class pyGlobal, key string, n int) (*storageRef, error) {
		if n > 4096 {
			return nil, errorf("storage too large")
		}
		return &storageRef{data: make([]float32, n)}, nil
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		before := totalAlloc()
		v, err := unpickle(b, load, 1<<14)
		if used := totalAlloc() - before; used > allocBound(len(b))+(1<<17) {
			t.Fatalf("%d bytes of pickle allocated %d bytes", len(b), used)
		}
		if err == nil {
			stateDictOf(v)
		}
	})
}

// fuzzReader is FuzzReadPT's check for the other formats.
func fuzzReader(f *testing.F, format string, seeds ...string) {
	for _, name := range seeds {
		b, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		before := totalAlloc()
		_, err := Read(bytes.NewReader(b), int64(len(b)), format)
		if used := totalAlloc() - before; used > allocBound(len(b)) {
			t.Fatalf("%d bytes of input allocated %d bytes", len(b), used)
		}
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("error %v is not a *modelio.Error", err)
			}
		}
	})
}

func FuzzReadNPZ(f *testing.F) { fuzzReader(f, NPZ, "mlp1d.npz", "mlp1d_compressed.npz") }

func FuzzReadSafetensors(f *testing.F) { fuzzReader(f, Safetensors, "mlp1d.safetensors") }
