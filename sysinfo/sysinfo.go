// Package sysinfo describes the machine a program runs on (processor, core
// count, Go runtime, SIMD features) so that reports and benchmark results say
// where their numbers came from. It records nothing that identifies the
// machine or its user, such as the host name.
package sysinfo

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/cpu"
)

// Info describes the machine and the Go runtime.
type Info struct {
	CPUModel   string   // e.g. "AMD EPYC 9R14 96-Core Processor"; "unknown" if not found
	NProc      int      // logical CPUs usable by the process (runtime.NumCPU)
	GOMAXPROCS int      // CPUs the Go scheduler runs on at once
	GoVersion  string   // e.g. "go1.26.8"
	GOOS       string   // e.g. "linux"
	GOARCH     string   // e.g. "amd64"
	Features   []string // SIMD and arithmetic features in Linux flag spelling, e.g. "avx2", "fma", "avx512f"
	Time       string   // when Collect ran, UTC, RFC 3339
	MHz        float64  // first core's clock from /proc/cpuinfo "cpu MHz"; 0 if unknown
}

// Unknown is the CPU model reported when none can be found.
const Unknown = "unknown"

// Collect describes the current machine.
func Collect() Info {
	model, mhz := Unknown, 0.0
	if runtime.GOOS == "linux" {
		if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
			if m, err := CPUModel(strings.NewReader(string(b))); err == nil && m != "" {
				model = m
			}
			mhz = ClockMHz(string(b))
		}
	}
	return Info{
		CPUModel:   model,
		NProc:      runtime.NumCPU(),
		GOMAXPROCS: runtime.GOMAXPROCS(0),
		GoVersion:  runtime.Version(),
		GOOS:       runtime.GOOS,
		GOARCH:     runtime.GOARCH,
		Features:   features(),
		Time:       time.Now().UTC().Format(time.RFC3339),
		MHz:        mhz,
	}
}

// ClockMHz returns the first "cpu MHz" value of /proc/cpuinfo text, or 0.
// It is the current clock, not the maximum, so peak estimates from it are
// rough.
func ClockMHz(cpuinfo string) float64 {
	for _, line := range strings.Split(cpuinfo, "\n") {
		k, v, ok := strings.Cut(line, ":")
		if ok && strings.TrimSpace(k) == "cpu MHz" {
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err == nil && f > 0 {
				return f
			}
		}
	}
	return 0
}

// modelKeys are the /proc/cpuinfo keys that name the processor, best first:
// x86 has "model name"; arm64, ppc64 and others use one of the rest.
var modelKeys = []string{"model name", "uarch", "cpu model", "cpu", "hardware", "processor"}

// CPUModel returns the processor name from text in the format of Linux's
// /proc/cpuinfo ("key<tabs>: value" lines). It returns "" when the text names
// no processor, and an error only if reading fails.
func CPUModel(r io.Reader) (string, error) {
	found := make(map[string]string)
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		key, val, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		key = strings.ToLower(strings.TrimSpace(key))
		val = strings.Join(strings.Fields(val), " ")
		if val == "" {
			continue
		}
		if _, seen := found[key]; !seen {
			found[key] = val
		}
	}
	if err := sc.Err(); err != nil {
		return "", fmt.Errorf("reading cpuinfo: %w", err)
	}
	for _, k := range modelKeys {
		v, ok := found[k]
		// On x86 "processor" is the CPU's index, not its name.
		if ok && !(k == "processor" && isDigits(v)) {
			return v, nil
		}
	}
	return "", nil
}

func isDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

type flag struct {
	name string
	has  bool
}

// features lists the detected features that matter for floating-point
// throughput; the full /proc/cpuinfo flag list would drown them.
func features() []string {
	var flags []flag
	switch runtime.GOARCH {
	case "amd64", "386":
		x := cpu.X86
		flags = []flag{
			{"sse2", x.HasSSE2}, {"sse3", x.HasSSE3}, {"ssse3", x.HasSSSE3},
			{"sse4_1", x.HasSSE41}, {"sse4_2", x.HasSSE42}, {"popcnt", x.HasPOPCNT},
			{"avx", x.HasAVX}, {"avx2", x.HasAVX2}, {"fma", x.HasFMA}, {"f16c", x.HasF16C},
			{"bmi1", x.HasBMI1}, {"bmi2", x.HasBMI2},
			{"avx512f", x.HasAVX512F}, {"avx512dq", x.HasAVX512DQ}, {"avx512cd", x.HasAVX512CD},
			{"avx512bw", x.HasAVX512BW}, {"avx512vl", x.HasAVX512VL}, {"avx512ifma", x.HasAVX512IFMA},
			{"avx512vbmi", x.HasAVX512VBMI}, {"avx512_vnni", x.HasAVX512VNNI}, {"avx512_bf16", x.HasAVX512BF16},
			{"avx_vnni", x.HasAVXVNNI}, {"amx_bf16", x.HasAMXBF16},
		}
	case "arm64":
		a := cpu.ARM64
		flags = []flag{
			{"fp", a.HasFP}, {"asimd", a.HasASIMD}, {"fphp", a.HasFPHP}, {"asimdhp", a.HasASIMDHP},
			{"asimddp", a.HasASIMDDP}, {"asimdfhm", a.HasASIMDFHM}, {"i8mm", a.HasI8MM},
			{"sve", a.HasSVE}, {"sve2", a.HasSVE2},
		}
	}
	var out []string
	for _, f := range flags {
		if f.has {
			out = append(out, f.name)
		}
	}
	return out
}

// Has reports whether feature (in Features' spelling) was detected.
func (i Info) Has(feature string) bool {
	for _, f := range i.Features {
		if f == feature {
			return true
		}
	}
	return false
}

// String describes the machine in one line.
func (i Info) String() string {
	feat := "none detected"
	if len(i.Features) > 0 {
		feat = strings.Join(i.Features, " ")
	}
	return fmt.Sprintf("%s, %d CPUs (GOMAXPROCS %d), %s %s/%s, features: %s",
		i.CPUModel, i.NProc, i.GOMAXPROCS, i.GoVersion, i.GOOS, i.GOARCH, feat)
}

// Pairs returns the fields as ordered label–value pairs for tables.
func (i Info) Pairs() [][2]string {
	feat := strings.Join(i.Features, " ")
	if feat == "" {
		feat = "none detected"
	}
	return [][2]string{
		{"CPU", i.CPUModel},
		{"Logical CPUs", fmt.Sprint(i.NProc)},
		{"GOMAXPROCS", fmt.Sprint(i.GOMAXPROCS)},
		{"Go", i.GoVersion},
		{"OS/arch", i.GOOS + "/" + i.GOARCH},
		{"CPU features", feat},
		{"Collected", i.Time},
	}
}
