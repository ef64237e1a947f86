package sysinfo

import (
	"errors"
	"io"
	"os"
	"runtime"
	"strings"
	"testing"
	"testing/iotest"
	"time"
)

// Abridged real /proc/cpuinfo texts.
const (
	x86Info = `processor	: 0
vendor_id	: AuthenticAMD
cpu family	: 25
model		: 17
model name	: AMD EPYC 9R14 96-Core Processor
stepping	: 1
cpu MHz		: 2600.000
flags		: fpu vme de pse tsc msr avx2 fma avx512f

processor	: 1
vendor_id	: AuthenticAMD
model name	: AMD EPYC 9R14 96-Core Processor
`
	arm64Old = `Processor	: AArch64 Processor rev 4 (aarch64)
processor	: 0
BogoMIPS	: 38.40
Features	: fp asimd evtstrm aes pmull sha1 sha2 crc32
CPU implementer	: 0x41
Hardware	: Qualcomm Technologies, Inc SM8150
`
	arm64New = `processor	: 0
BogoMIPS	: 243.75
Features	: fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics
CPU implementer	: 0x41
CPU part	: 0xd0c
`
	power9 = `processor	: 0
cpu		: POWER9 (architected), altivec supported
clock		: 2200.000000MHz
revision	: 2.2 (pvr 004e 1202)
`
)

func TestCPUModel(t *testing.T) {
	for _, tc := range []struct {
		name, text, want string
	}{
		{"x86", x86Info, "AMD EPYC 9R14 96-Core Processor"},
		{"x86 extra spaces", "model name\t:   Intel(R)  Xeon(R) CPU   \n", "Intel(R) Xeon(R) CPU"},
		{"x86 CRLF", "model name : Foo\r\n", "Foo"},
		{"arm64 old kernel", arm64Old, "Qualcomm Technologies, Inc SM8150"},
		{"arm64 old kernel, no hardware", "Processor\t: AArch64 Processor rev 4 (aarch64)\nprocessor\t: 0\n", "AArch64 Processor rev 4 (aarch64)"},
		{"arm64 no name", arm64New, ""},
		{"power9", power9, "POWER9 (architected), altivec supported"},
		{"empty", "", ""},
		{"no colon lines", "garbage\nmore garbage\n", ""},
		{"empty model name", "model name\t:\nprocessor\t: 0\n", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := CPUModel(strings.NewReader(tc.text))
			if err != nil {
				t.Fatalf("CPUModel: %v", err)
			}
			if got != tc.want {
				t.Errorf("CPUModel = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestCPUModelReadError(t *testing.T) {
	boom := errors.New("boom")
	r := io.MultiReader(strings.NewReader("model name : X\n"), iotest.ErrReader(boom))
	if _, err := CPUModel(r); !errors.Is(err, boom) {
		t.Errorf("CPUModel error = %v, want one wrapping %v", err, boom)
	}
}

func TestCollect(t *testing.T) {
	before := time.Now().UTC().Truncate(time.Second)
	info := Collect()
	after := time.Now().UTC()

	if info.NProc != runtime.NumCPU() || info.NProc < 1 {
		t.Errorf("NProc = %d, want runtime.NumCPU() = %d", info.NProc, runtime.NumCPU())
	}
	if info.GOMAXPROCS != runtime.GOMAXPROCS(0) || info.GOMAXPROCS < 1 {
		t.Errorf("GOMAXPROCS = %d, want %d", info.GOMAXPROCS, runtime.GOMAXPROCS(0))
	}
	if info.GoVersion != runtime.Version() || !strings.HasPrefix(info.GoVersion, "go") {
		t.Errorf("GoVersion = %q, want %q", info.GoVersion, runtime.Version())
	}
	if info.GOOS != runtime.GOOS || info.GOARCH != runtime.GOARCH {
		t.Errorf("GOOS/GOARCH = %s/%s, want %s/%s", info.GOOS, info.GOARCH, runtime.GOOS, runtime.GOARCH)
	}
	ts, err := time.Parse(time.RFC3339, info.Time)
	if err != nil {
		t.Errorf("Time %q is not RFC 3339: %v", info.Time, err)
	} else if ts.Before(before) || ts.After(after) {
		t.Errorf("Time %v not within [%v, %v]", ts, before, after)
	}
	if info.CPUModel == "" {
		t.Error("CPUModel is empty; want a name or \"unknown\"")
	}
	// Cross-check against the kernel's own view where there is one.
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		want, _ := CPUModel(strings.NewReader(string(b)))
		if want != "" && info.CPUModel != want {
			t.Errorf("CPUModel = %q, /proc/cpuinfo says %q", info.CPUModel, want)
		}
		flags := cpuinfoFlags(string(b))
		for _, f := range info.Features {
			// x86 flags are listed by Linux under the same names; only check those
			// the kernel knows (it may hide some, e.g. under virtualisation).
			name := f
			if name == "sse3" {
				name = "pni" // Linux's historical name ("Prescott New Instructions")
			}
			if runtime.GOARCH == "amd64" && flags != nil && !flags[name] {
				t.Errorf("feature %q detected but not in /proc/cpuinfo flags", f)
			}
		}
	}
	seen := make(map[string]bool)
	for _, f := range info.Features {
		if seen[f] {
			t.Errorf("feature %q listed twice", f)
		}
		seen[f] = true
		if !info.Has(f) {
			t.Errorf("Has(%q) = false for a listed feature", f)
		}
	}
	if info.Has("no-such-feature") {
		t.Error(`Has("no-such-feature") = true`)
	}
	if runtime.GOARCH == "amd64" && !info.Has("sse2") {
		t.Error("amd64 always has sse2, but it was not detected")
	}
}

// cpuinfoFlags returns the first "flags" line of /proc/cpuinfo as a set, or nil.
func cpuinfoFlags(text string) map[string]bool {
	for _, line := range strings.Split(text, "\n") {
		k, v, ok := strings.Cut(line, ":")
		if ok && strings.TrimSpace(k) == "flags" {
			m := make(map[string]bool)
			for _, f := range strings.Fields(v) {
				m[f] = true
			}
			return m
		}
	}
	return nil
}

func TestString(t *testing.T) {
	info := Info{
		CPUModel: "Test CPU", NProc: 8, GOMAXPROCS: 4, GoVersion: "go1.99",
		GOOS: "plan9", GOARCH: "amd64", Features: []string{"avx2", "fma"}, Time: "2030-01-01T00:00:00Z",
	}
	got := info.String()
	want := "Test CPU, 8 CPUs (GOMAXPROCS 4), go1.99 plan9/amd64, features: avx2 fma"
	if got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	if strings.Contains(got, "\n") {
		t.Error("String() spans several lines")
	}
	info.Features = nil
	if got := info.String(); !strings.HasSuffix(got, "features: none detected") {
		t.Errorf("String() without features = %q", got)
	}
}

func TestPairs(t *testing.T) {
	info := Collect()
	p := info.Pairs()
	if len(p) != 7 {
		t.Fatalf("Pairs has %d entries, want 7 (one per field)", len(p))
	}
	for _, kv := range p {
		if kv[0] == "" || kv[1] == "" {
			t.Errorf("empty label or value in %q", kv)
		}
	}
	if p[0][1] != info.CPUModel || p[6][1] != info.Time {
		t.Errorf("Pairs = %q does not match %+v", p, info)
	}
}

func TestClockMHz(t *testing.T) {
	cases := []struct {
		in   string
		want float64
	}{
		{"processor\t: 0\ncpu MHz\t\t: 1996.249\ncpu MHz\t\t: 3000\n", 1996.249},
		{"processor\t: 0\n", 0},
		{"cpu MHz : abc\n", 0},
	}
	for _, c := range cases {
		if got := ClockMHz(c.in); got != c.want {
			t.Errorf("ClockMHz(%q) = %v, want %v", c.in, got, c.want)
		}
	}
}
