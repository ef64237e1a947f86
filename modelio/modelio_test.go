package modelio

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"scoresde/nn"
)

// expected holds PyTorch's u(x, t) of the fixtures (make_fixtures.py).
type expectedRow struct {
	T float64     `json:"t"`
	X [][]float64 `json:"x"`
	U [][]float64 `json:"u"`
}

func loadExpected(t *testing.T) map[string][]expectedRow {
	t.Helper()
	b, err := os.ReadFile("testdata/expected.json")
	if err != nil {
		t.Fatal(err)
	}
	var e map[string][]expectedRow
	if err := json.Unmarshal(b, &e); err != nil {
		t.Fatal(err)
	}
	return e
}

// TestFixturesMatchPyTorch reads the same network in each format and
// checks its score against PyTorch's own float32 forward pass. The
// tolerance covers float32 summation order and our rational tanh
// (relative error ≤ 6.1e-7) on outputs of size ~0.1–1.
func TestFixturesMatchPyTorch(t *testing.T) {
	exp := loadExpected(t)
	for _, tc := range []struct {
		file, key string
		hidden    []int
	}{
		{"mlp1d.pt", "mlp1d", []int{5, 4}},
		{"mlp1d.npz", "mlp1d", []int{5, 4}},
		{"mlp1d.safetensors", "mlp1d", []int{5, 4}},
		{"mlp1d_double.pt", "mlp1d", []int{5, 4}},
		{"mlp1d_compressed.npz", "mlp1d", []int{5, 4}},
		{"mlp2d.pt", "mlp2d", []int{6}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			sd, err := ReadFile(filepath.Join("testdata", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			m, err := ToMLP(sd)
			if err != nil {
				t.Fatal(err)
			}
			if len(m.Hidden) != len(tc.hidden) || m.Hidden[0] != tc.hidden[0] {
				t.Fatalf("hidden widths %v, want %v", m.Hidden, tc.hidden)
			}
			for _, row := range exp[tc.key] {
				d := len(row.X[0])
				if m.Out != d || m.In != d+1 {
					t.Fatalf("network %d→%d for dimension %d", m.In, m.Out, d)
				}
				var x, want []float64
				for i := range row.X {
					x = append(x, row.X[i]...)
					want = append(want, row.U[i]...)
				}
				got := make([]float64, len(x))
				m.Score(x, row.T, got)
				for i := range got {
					if math.Abs(got[i]-want[i]) > 2e-6 {
						t.Errorf("t=%v value %d: got %.8g, PyTorch %.8g", row.T, i, got[i], want[i])
					}
				}
			}
		})
	}
}

func TestRefusals(t *testing.T) {
	for _, tc := range []struct{ file, want string }{
		{"wholemodel.pt", "not a state_dict"},
		{"legacy.pt", "legacy"},
	} {
		_, err := ReadFile(filepath.Join("testdata", tc.file))
		var me *Error
		if err == nil || !errors.As(err, &me) || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: got error %v, want one line containing %q", tc.file, err, tc.want)
		}
	}
}

func randomMLP(t *testing.T, d int, hidden []int) *nn.MLP {
	m, err := nn.New(d+1, d, hidden, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestRoundTrip(t *testing.T) {
	m := randomMLP(t, 2, []int{7, 3, 5})
	sd, err := FromMLP(m)
	if err != nil {
		t.Fatal(err)
	}
	sd.Metadata = map[string]string{"sde": "ve", "note": "é"}
	for _, format := range []string{NPZ, Safetensors} {
		var buf bytes.Buffer
		write := map[string]func(*bytes.Buffer, *StateDict) error{
			NPZ:         func(b *bytes.Buffer, s *StateDict) error { return WriteNPZ(b, s) },
			Safetensors: func(b *bytes.Buffer, s *StateDict) error { return WriteSafetensors(b, s) },
		}[format]
		if err := write(&buf, sd); err != nil {
			t.Fatal(err)
		}
		back, err := Read(bytes.NewReader(buf.Bytes()), int64(buf.Len()), format)
		if err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		if back.Metadata["note"] != "é" || back.Metadata["sde"] != "ve" {
			t.Errorf("%s: metadata %v", format, back.Metadata)
		}
		m2, err := ToMLP(back)
		if err != nil {
			t.Fatal(err)
		}
		if !equalInts(m2.Hidden, m.Hidden) || len(m2.Params) != len(m.Params) {
			t.Fatalf("%s: read back %d→%v→%d", format, m2.In, m2.Hidden, m2.Out)
		}
		for i := range m.Params {
			if m2.Params[i] != m.Params[i] {
				t.Fatalf("%s: parameter %d: %v, want %v", format, i, m2.Params[i], m.Params[i])
			}
		}
		for i, tn := range back.Tensors {
			if tn.Name != sd.Tensors[i].Name {
				t.Errorf("%s: tensor %d is %s, want %s", format, i, tn.Name, sd.Tensors[i].Name)
			}
		}
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestToMLPRefusesOtherLayouts(t *testing.T) {
	m := randomMLP(t, 1, []int{4, 4})
	base, _ := FromMLP(m)
	clone := func() *StateDict {
		c := &StateDict{}
		for _, tn := range base.Tensors {
			tn.Data = append([]float32(nil), tn.Data...)
			c.Tensors = append(c.Tensors, tn)
		}
		return c
	}
	for _, tc := range []struct {
		name   string
		change func(*StateDict)
		want   string
	}{
		{"adjacent linear layers", func(s *StateDict) { s.Tensors[2].Name, s.Tensors[3].Name = "net.1.weight", "net.1.bias" }, "net.1 where net.2"},
		{"missing bias", func(s *StateDict) { s.Tensors = s.Tensors[:len(s.Tensors)-1] }, "lacks its weight or its bias"},
		{"foreign key", func(s *StateDict) { s.Tensors[0].Name = "net.0.running_mean" }, "not of the form"},
		{"mixed prefixes", func(s *StateDict) { s.Tensors[1].Name = "other.0.bias" }, "different prefixes"},
		{"width mismatch", func(s *StateDict) {
			s.Tensors[2].Shape = []int{2, 8}
			s.Tensors[3].Shape, s.Tensors[3].Data = []int{2}, s.Tensors[3].Data[:2]
		}, "takes 8 inputs"},
		{"not a score network", func(s *StateDict) {
			last := len(s.Tensors) - 2
			s.Tensors[last].Shape = []int{2, 4}
			s.Tensors[last].Data = append(s.Tensors[last].Data, 1, 2, 3, 4)
			s.Tensors[last+1].Shape = []int{2}
			s.Tensors[last+1].Data = append(s.Tensors[last+1].Data, 0)
		}, "d+1 inputs"},
	} {
		s := clone()
		tc.change(s)
		_, err := ToMLP(s)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want an error containing %q", tc.name, err, tc.want)
		}
	}
	sd := clone()
	for i := range sd.Tensors { // DDP's prefix is accepted
		sd.Tensors[i].Name = "module." + sd.Tensors[i].Name
	}
	if _, err := ToMLP(sd); err != nil {
		t.Errorf("module.net prefix: %v", err)
	}
}

// TestMalformed damages each fixture in several ways: every read must
// fail with a one-line *Error, never panic.
func TestMalformed(t *testing.T) {
	for _, file := range []string{"mlp1d.pt", "mlp1d.npz", "mlp1d.safetensors"} {
		good, err := os.ReadFile(filepath.Join("testdata", file))
		if err != nil {
			t.Fatal(err)
		}
		format := FormatOf(file)
		cases := map[string][]byte{
			"empty":     {},
			"truncated": good[:len(good)/2],
			"garbage":   bytes.Repeat([]byte{0x5a}, 300),
		}
		for name, b := range cases {
			_, err := Read(bytes.NewReader(b), int64(len(b)), format)
			var me *Error
			if err == nil || !errors.As(err, &me) || strings.Contains(err.Error(), "\n") {
				t.Errorf("%s %s: got %v, want a one-line *Error", file, name, err)
			}
		}
		// Flipping single bytes must never panic; most flips must fail.
		for i := 0; i < len(good); i += 7 {
			b := append([]byte(nil), good...)
			b[i] ^= 0xff
			Read(bytes.NewReader(b), int64(len(b)), format)
		}
	}
}

// A deflated member that inflates a thousandfold is read, and the reader
// allocates within the fuzz tests' bound.
func TestDeflateBombBounded(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	f, _ := zw.Create("net.0.weight.npy")
	f.Write(encodeNPY(&Tensor{Shape: []int{1 << 20}, Data: make([]float32, 1<<20)}))
	zw.Close()
	b := buf.Bytes()
	before := totalAlloc()
	sd, err := ReadNPZ(bytes.NewReader(b), int64(len(b)))
	if used := totalAlloc() - before; used > allocBound(len(b)) {
		t.Errorf("%d bytes of input allocated %d bytes", len(b), used)
	}
	if err != nil || len(sd.Tensors[0].Data) != 1<<20 {
		t.Fatalf("%v", err)
	}
}
