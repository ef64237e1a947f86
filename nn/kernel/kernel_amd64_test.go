//go:build amd64 && !purego

package kernel

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/cpu"
)

// The tests in this file compare each assembly kernel set (AVX2 and, where
// the CPU has it, AVX-512) with the plain Go reference directly, whatever
// the dispatcher picked.

// forEachSIMD runs f as a subtest on each assembly kernel set, whatever
// the dispatcher picked; a set this CPU cannot run is skipped with the
// reason.
func forEachSIMD(t *testing.T, f func(t *testing.T, s *simd)) {
	for _, c := range []struct {
		s   *simd
		ok  bool
		why string
	}{
		{avx2Kernels, hasAVX2, "CPU lacks AVX2 or FMA"},
		{avx512Kernels, hasAVX512, "CPU lacks AVX512F and AVX512VL: the avx512 kernels are unverified here"},
	} {
		t.Run(c.s.name, func(t *testing.T) {
			if !c.ok {
				t.Skip(c.why)
			}
			f(t, c.s)
		})
	}
}

func TestDispatchPicksAssembly(t *testing.T) {
	want := "go"
	switch {
	case hasAVX512 && selfCheck(avx512Kernels) == nil:
		want = "avx512"
	case hasAVX2:
		want = "avx2+fma"
	}
	if os.Getenv(EnvVar) != "" {
		t.Logf("%s is set: the default choice is not checked", EnvVar)
	} else if got := Implementation(); got != want {
		t.Errorf("Implementation() = %q on a CPU with AVX2=%v FMA=%v AVX512F=%v, want %q",
			got, cpu.X86.HasAVX2, cpu.X86.HasFMA, cpu.X86.HasAVX512F, want)
	}
	if hasAVX512 {
		if err := selfCheck(avx512Kernels); err != nil {
			t.Errorf("avx512 self-check: %v", err)
		}
	}
	if err := selfCheck(avx2Kernels); hasAVX2 && err != nil {
		t.Errorf("avx2 self-check: %v", err)
	}
	t.Logf("kernels: %s %s", Implementation(), Note())
}

// TestPick checks the choice of kernels: the widest the CPU has, AVX-512
// only after its self-check passes, and the environment's override.
func TestPick(t *testing.T) {
	ok := func() error { return nil }
	bad := func() error { return errors.New("forward: element 0 = 1, reference 0") }
	for _, c := range []struct {
		env          string
		avx2, avx512 bool
		check        func() error
		want         *simd
		note         string
	}{
		{"", false, false, ok, nil, ""},
		{"avx512", false, false, ok, nil, ""},
		{"", true, false, ok, avx2Kernels, ""},
		{"", true, true, ok, avx512Kernels, ""},
		{"", true, true, bad, avx2Kernels, "failed the start-up self-check"},
		{"go", true, true, ok, nil, "=go"},
		{"avx2", true, true, ok, avx2Kernels, "=avx2"},
		{"avx512", true, true, ok, avx512Kernels, "=avx512"},
		{"avx512", true, false, ok, avx2Kernels, "lacks AVX512F"},
		{"avx512", true, true, bad, avx2Kernels, "self-check"},
		{"sse", true, true, ok, avx512Kernels, "none of"},
	} {
		got, note := pick(c.env, c.avx2, c.avx512, c.check)
		if got != c.want || !strings.Contains(note, c.note) || (c.note == "") != (note == "") {
			name := func(s *simd) string {
				if s == nil {
					return "go"
				}
				return s.name
			}
			t.Errorf("env %q avx2 %v avx512 %v self-check %v: %s (%q), want %s (%q)",
				c.env, c.avx2, c.avx512, c.check(), name(got), note, name(c.want), c.note)
		}
	}
}

// Awkward shapes: tiles of 1, 7, 9, 63, 250 rows leave 1–15 rows in the
// masked tail (250 = 7·32 + 16 + 8 + 2 = 3·64 + 32 + 16 + 10 also uses
// every row-block size of both sets), and widths 1, 2, 3, 9, 50, 51 use
// every output- and input-block remainder (9 = 5+4 = 6+3 for AVX-512).
var (
	tileLens = []int{1, 7, 8, 9, 63, 64, 250}
	widths   = []int{1, 2, 3, 9, 50, 51}
)

// guarded returns a slice of n random values inside a larger buffer whose
// margins hold a sentinel, and a function reporting whether the margins
// are intact, to catch writes (masked or not) beyond the slice.
func guarded(rng *rand.Rand, n int) ([]float32, func() bool) {
	const margin = 16
	const sentinel = 12345.678
	buf := make([]float32, n+2*margin)
	for i := range buf {
		buf[i] = sentinel
	}
	s := buf[margin : margin+n : margin+n]
	for i := range s {
		s[i] = float32(rng.Float64()*2 - 1)
	}
	return s, func() bool {
		for _, v := range append(buf[:margin:margin], buf[margin+n:]...) {
			if v != sentinel {
				return false
			}
		}
		return true
	}
}

// sumTol is the tolerance for two float32 evaluations of the same sum of n
// terms in different orders (or with and without fused multiply-adds).
// Each evaluation is within γ·Σ|terms| of the exact sum, where a
// worst-case analysis gives γ = n·u (u = 2⁻²⁴) but the rounding errors are
// independent and of random sign, so their sum grows like √n·u; both
// evaluations err, so the difference gets a factor 2. A factor 4 on top
// keeps the test far from spurious failures (it uses fixed seeds anyway)
// while staying orders of magnitude below the effect of a wrong term,
// which would be ~|term| ≈ Σ|terms|/n.
func sumTol(n int, sumAbs float64) float64 {
	const u = 1.0 / (1 << 24)
	return 8 * math.Sqrt(float64(n+1)) * u * (sumAbs + 1e-30)
}

func TestSIMDForwardMatchesReference(t *testing.T) {
	forEachSIMD(t, func(t *testing.T, s *simd) {
		rng := rand.New(rand.NewPCG(7, 8))
		for _, L := range tileLens {
			for _, in := range widths {
				for _, out := range widths {
					for _, act := range []bool{false, true} {
						name := fmt.Sprintf("L=%d/in=%d/out=%d/tanh=%v", L, in, out, act)
						src, srcOK := guarded(rng, in*L)
						w, _ := guarded(rng, out*in)
						b, _ := guarded(rng, out)
						for i := range src {
							src[i] *= 3 // pre-activations up to ~±10: exercise saturation
						}
						srcCopy := append([]float32(nil), src...)
						got, gotOK := guarded(rng, out*L)
						want := make([]float32, out*L)
						s.forward(got, src, w, b, in, out, L, act)
						forwardRef(want, src, w, b, in, out, L, act)
						if !gotOK() || !srcOK() {
							t.Fatalf("%s: wrote outside dst", name)
						}
						for i := range src {
							if src[i] != srcCopy[i] {
								t.Fatalf("%s: src modified", name)
							}
						}
						for o := range out {
							sumAbs := math.Abs(float64(b[o]))
							for r := range L {
								s := sumAbs
								for i := range in {
									s += math.Abs(float64(w[o*in+i]) * float64(src[i*L+r]))
								}
								tol := sumTol(in, s) // tanh is 1-Lipschitz
								g, wv := float64(got[o*L+r]), float64(want[o*L+r])
								if act {
									tol += 2 * tanhRel * math.Abs(wv)
								}
								if math.Abs(g-wv) > tol {
									t.Fatalf("%s: dst[%d,%d] = %.9g, reference %.9g (|diff| %.3g > %.3g)", name, o, r, g, wv, math.Abs(g-wv), tol)
								}
							}
						}
					}
				}
			}
		}
	})
}

func TestSIMDBackwardMatchesReference(t *testing.T) {
	forEachSIMD(t, func(t *testing.T, s *simd) {
		rng := rand.New(rand.NewPCG(9, 10))
		for _, L := range tileLens {
			for _, in := range widths {
				for _, out := range widths {
					for _, act := range []bool{false, true} {
						for _, withSrc := range []bool{false, true} {
							name := fmt.Sprintf("L=%d/in=%d/out=%d/tanh=%v/dsrc=%v", L, in, out, act, withSrc)
							src, srcOK := guarded(rng, in*L)
							w, wOK := guarded(rng, out*in)
							a, aOK := guarded(rng, out*L)
							da0, _ := guarded(rng, out*L)
							dw0, _ := guarded(rng, out*in)
							db0, _ := guarded(rng, out)
							run := func(f func(da, a, src, w, dw, db, dsrc []float32, in, out, L int, tanh bool)) (da, dw, db, dsrc []float32, ok bool) {
								var daOK, dwOK, dbOK, dsOK func() bool
								da, daOK = guarded(rng, out*L)
								copy(da, da0)
								dw, dwOK = guarded(rng, out*in)
								copy(dw, dw0)
								db, dbOK = guarded(rng, out)
								copy(db, db0)
								dsOK = func() bool { return true }
								if withSrc {
									dsrc, dsOK = guarded(rng, in*L) // garbage: must be overwritten
								}
								f(da, a, src, w, dw, db, dsrc, in, out, L, act)
								return da, dw, db, dsrc, daOK() && dwOK() && dbOK() && dsOK() && srcOK() && wOK() && aOK()
							}
							gda, gdw, gdb, gds, ok := run(s.backward)
							if !ok {
								t.Fatalf("%s: assembly wrote outside its outputs", name)
							}
							rda, rdw, rdb, rds, _ := run(backwardRef)
							// dpre = da(1-a²): the assembly rounds 1-a² once
							// (FMA), the reference twice: ≤ 3 roundings of |da|(1+a²).
							for j := range gda {
								tol := 3.0 / (1 << 24) * math.Abs(float64(da0[j])) * (1 + float64(a[j]*a[j]))
								if math.Abs(float64(gda[j]-rda[j])) > tol {
									t.Fatalf("%s: dpre[%d] = %.9g, reference %.9g", name, j, gda[j], rda[j])
								}
							}
							// |dpre| bound that also covers the two paths'
							// dpre rounding differences (checked above).
							dpreAbs := func(j int) float64 {
								if act {
									return math.Abs(float64(da0[j])) * (1 + float64(a[j]*a[j]))
								}
								return math.Abs(float64(da0[j]))
							}
							for o := range out {
								s := 0.0 // db0 is garbage to overwrite
								for r := range L {
									s += dpreAbs(o*L + r)
								}
								if d := math.Abs(float64(gdb[o] - rdb[o])); d > sumTol(L, s) {
									t.Fatalf("%s: db[%d] = %.9g, reference %.9g", name, o, gdb[o], rdb[o])
								}
								for i := range in {
									s := 0.0
									for r := range L {
										s += dpreAbs(o*L+r) * math.Abs(float64(src[i*L+r]))
									}
									if d := math.Abs(float64(gdw[o*in+i] - rdw[o*in+i])); d > sumTol(L, s) {
										t.Fatalf("%s: dw[%d,%d] = %.9g, reference %.9g (|diff| %.3g > %.3g)", name, o, i, gdw[o*in+i], rdw[o*in+i], d, sumTol(L, s))
									}
								}
							}
							if !withSrc {
								continue
							}
							for i := range in {
								for r := range L {
									s := 0.0
									for o := range out {
										s += math.Abs(float64(w[o*in+i])) * dpreAbs(o*L+r)
									}
									if d := math.Abs(float64(gds[i*L+r] - rds[i*L+r])); d > sumTol(out, s) {
										t.Fatalf("%s: dsrc[%d,%d] = %.9g, reference %.9g", name, i, r, gds[i*L+r], rds[i*L+r])
									}
								}
							}
						}
					}
				}
			}
		}
	})
}

// The vectorised Add does the reference's additions, so it agrees
// exactly, and touches nothing outside dst.
func TestSIMDAddMatchesReference(t *testing.T) {
	forEachSIMD(t, func(t *testing.T, s *simd) {
		rng := rand.New(rand.NewPCG(13, 14))
		for _, n := range []int{0, 1, 7, 8, 9, 31, 32, 33, 40, 5301} {
			dst, dstOK := guarded(rng, n)
			src, srcOK := guarded(rng, n)
			want := append([]float32(nil), dst...)
			addRef(want, src)
			s.add(dst, src)
			if !dstOK() || !srcOK() {
				t.Fatalf("n=%d: wrote outside the slices", n)
			}
			for i := range dst {
				if dst[i] != want[i] {
					t.Fatalf("n=%d: dst[%d] = %g, want %g", n, i, dst[i], want[i])
				}
			}
		}
	})
}

func TestSIMDAdamMatchesReference(t *testing.T) {
	forEachSIMD(t, func(t *testing.T, s *simd) {
		rng := rand.New(rand.NewPCG(11, 12))
		for _, n := range []int{0, 1, 7, 8, 9, 37, 5301} {
			p, pOK := guarded(rng, n)
			g, gOK := guarded(rng, n)
			m, mOK := guarded(rng, n)
			v, vOK := guarded(rng, n)
			for i := range v {
				m[i] *= 0.1
				v[i] *= v[i] * 0.01
			}
			if n > 0 {
				g[0] = 0 // eps path
			}
			pr := append([]float32(nil), p...)
			mr := append([]float32(nil), m...)
			vr := append([]float32(nil), v...)
			for step := 1; step <= 3; step++ {
				bc1, bc2 := 1-math.Pow(0.9, float64(step)), 1-math.Pow(0.999, float64(step))
				ss, ib := float32(1e-3/bc1), float32(1/math.Sqrt(bc2))
				s.adam(p, g, m, v, 0.9, 0.999, 1e-8, ss, ib)
				adamRef(pr, g, mr, vr, 0.9, 0.999, 1e-8, ss, ib)
			}
			if !pOK() || !gOK() || !mOK() || !vOK() {
				t.Fatalf("n=%d: wrote outside the slices", n)
			}
			// The assembly does the reference's operations in its order with
			// IEEE single-precision arithmetic, so the results agree exactly
			// unless the Go compiler fuses multiply-adds (GOAMD64=v3); allow a
			// few ulps for that: the step is at most ~lr, so p moves by ≤ 1e-3
			// and each fused rounding changes it by ≤ 1e-3·2⁻²³.
			for i := range n {
				if d := math.Abs(float64(p[i] - pr[i])); d > 4e-10+2e-7*math.Abs(float64(pr[i]))/16 {
					t.Fatalf("n=%d: p[%d] = %.9g, reference %.9g", n, i, p[i], pr[i])
				}
				if math.Abs(float64(m[i]-mr[i])) > 3e-7*math.Abs(float64(mr[i])) ||
					math.Abs(float64(v[i]-vr[i])) > 3e-7*math.Abs(float64(vr[i])) {
					t.Fatalf("n=%d: m,v[%d] = %g,%g, reference %g,%g", n, i, m[i], v[i], mr[i], vr[i])
				}
			}
		}
	})
}

// TestSIMDTanhAccuracy checks the vectorised tanh against math.Tanh with
// the same dense sweep as TestTanhAccuracy does for the scalar reference.
func TestSIMDTanhAccuracy(t *testing.T) {
	forEachSIMD(t, func(t *testing.T, s *simd) {
		const n = 2_000_000
		var xs []float32
		for i := 0; i <= n; i++ {
			xs = append(xs, float32(-20+40*float64(i)/n))
		}
		for x := float32(1e-38); x < 1; x *= 1.001 {
			xs = append(xs, x, -x)
		}
		// Every float32 in [0.5, 1] and in [6.5, 8.5]: up to the fix-up at 7.5
		// the rational runs unclamped, where float32 rounding could take it
		// above 1.
		for _, c := range [][2]float32{{0.5, 1}, {1e-4, 1.01e-4}, {6.5, 8.5}} {
			for x := c[0]; x <= c[1]; x = math.Nextafter32(x, 2*c[1]) {
				xs = append(xs, x, -x)
			}
		}
		ys := make([]float32, len(xs))
		s.tanh(ys, xs)
		worst := 0.0
		for i, x := range xs {
			want := math.Tanh(float64(x))
			got := float64(ys[i])
			if want == 0 {
				if got != 0 {
					t.Fatalf("tanh(%g) = %g, want 0", x, got)
				}
				continue
			}
			e := math.Abs(got-want) / math.Abs(want)
			worst = max(worst, e)
			if e > tanhRel {
				t.Fatalf("tanh(%g) = %.9g, want %.9g (relative error %.3g > %g)", x, got, want, e, tanhRel)
			}
			if got > 1 || got < -1 {
				t.Fatalf("tanh(%g) = %g outside [-1, 1]", x, got)
			}
		}
		t.Logf("worst relative error %.3g over %d points", worst, len(xs))
	})
}

func TestSIMDTanhSpecial(t *testing.T) {
	forEachSIMD(t, func(t *testing.T, s *simd) {
		inf := float32(math.Inf(1))
		nan := float32(math.NaN())
		negZero := float32(math.Copysign(0, -1))
		sub := math.Float32frombits(1) // smallest subnormal
		xs := []float32{0, negZero, 7.5, -7.5, 8, -8, 9, -9, 20, -20, 1e30, -1e30, inf, -inf, nan, sub, -sub}
		want := []float32{0, negZero, 1, -1, 1, -1, 1, -1, 1, -1, 1, -1, 1, -1, nan, sub, -sub}
		ys := make([]float32, len(xs))
		s.tanh(ys, xs)
		for i, w := range want {
			g := ys[i]
			if w != w {
				if g == g {
					t.Errorf("tanh(NaN) = %g, want NaN", g)
				}
				continue
			}
			if math.Float32bits(g) != math.Float32bits(w) {
				t.Errorf("tanh(%g) = %g, want %g", xs[i], g, w)
			}
		}
		// Odd function, in place, every tail length, NaN in the masked tail.
		for n := range 40 {
			src, srcOK := guarded(rand.New(rand.NewPCG(uint64(n), 1)), n)
			for i := range src {
				src[i] *= 12
			}
			if n%3 == 1 {
				src[n-1] = nan
			}
			neg := make([]float32, n)
			for i := range src {
				neg[i] = -src[i]
			}
			dst, dstOK := guarded(rand.New(rand.NewPCG(2, 2)), n)
			s.tanh(dst, src)
			s.tanh(neg, neg)
			s.tanh(src, src)
			if !srcOK() || !dstOK() {
				t.Fatalf("n=%d: wrote outside the slice", n)
			}
			for i := range n {
				if math.Float32bits(dst[i]) != math.Float32bits(src[i]) || (dst[i] == dst[i] && dst[i] != -neg[i]) {
					t.Fatalf("n=%d: tanh[%d] = %g, in place %g, of the negation %g", n, i, dst[i], src[i], neg[i])
				}
			}
		}
	})
}

// TestForwardTanhMatchesTanh checks that the tanh fused into Forward is
// bit for bit the slice Tanh of the linear layer's output: both run the
// same instruction sequence.
func TestSIMDForwardTanhMatchesTanh(t *testing.T) {
	forEachSIMD(t, func(t *testing.T, s *simd) {
		rng := rand.New(rand.NewPCG(13, 14))
		for _, L := range tileLens {
			for _, out := range widths {
				in := 3
				src, w, b := randSlice(rng, in*L), randSlice(rng, out*in), randSlice(rng, out)
				for i := range w {
					w[i] *= 4
				}
				lin, act := make([]float32, out*L), make([]float32, out*L)
				s.forward(lin, src, w, b, in, out, L, false)
				s.forward(act, src, w, b, in, out, L, true)
				s.tanh(lin, lin)
				for j := range lin {
					if math.Float32bits(lin[j]) != math.Float32bits(act[j]) {
						t.Fatalf("L=%d out=%d: fused tanh [%d] = %g, Tanh of the linear output %g", L, out, j, act[j], lin[j])
					}
				}
			}
		}
	})
}

// TestSIMDRowsIndependent checks that a row's Forward output and input
// adjoint do not depend on where the row sits in the tile (a full block
// of 4 vectors, a narrower one or the masked tail) or on the tile length: each is
// the same sequence of operations on the row's values. So a point's
// network output does not depend on the batch it is evaluated in.
func TestSIMDRowsIndependent(t *testing.T) {
	forEachSIMD(t, func(t *testing.T, s *simd) {
		rng := rand.New(rand.NewPCG(17, 18))
		const L, in, out = 250, 51, 50
		src, w, b := randSlice(rng, in*L), randSlice(rng, out*in), randSlice(rng, out)
		da, a := randSlice(rng, out*L), randSlice(rng, out*L)
		dst, dsrc := make([]float32, out*L), make([]float32, in*L)
		s.forward(dst, src, w, b, in, out, L, true)
		s.backward(da, a, src, w, make([]float32, out*in), make([]float32, out), dsrc, in, out, L, true)
		for r := range L {
			col := func(m []float32, n int) []float32 {
				c := make([]float32, n)
				for f := range c {
					c[f] = m[f*L+r]
				}
				return c
			}
			d1, ds1 := make([]float32, out), make([]float32, in)
			s.forward(d1, col(src, in), w, b, in, out, 1, true)
			s.backward(col(da, out), col(a, out), col(src, in), w, make([]float32, out*in), make([]float32, out), ds1, in, out, 1, false)
			for o, v := range col(dst, out) {
				if math.Float32bits(v) != math.Float32bits(d1[o]) {
					t.Fatalf("row %d: Forward output %d = %g in the tile, %g alone", r, o, v, d1[o])
				}
			}
			for i, v := range col(dsrc, in) {
				if math.Float32bits(v) != math.Float32bits(ds1[i]) {
					t.Fatalf("row %d: input adjoint %d = %g in the tile, %g alone", r, i, v, ds1[i])
				}
			}
		}
	})
}

// TestSIMDEmptyShapes checks zero sizes against the reference (to float32
// rounding: a few terms at most, |values| ≤ 5, so 1e-6 absolute is ample).
func TestSIMDEmptyShapes(t *testing.T) {
	forEachSIMD(t, func(t *testing.T, s *simd) {
		near := func(a, b []float32) bool {
			if len(a) != len(b) {
				return false
			}
			for i := range a {
				if math.Abs(float64(a[i]-b[i])) > 1e-6 {
					return false
				}
			}
			return true
		}
		for _, sh := range [][3]int{{0, 3, 5}, {3, 0, 5}, {3, 5, 0}, {0, 0, 0}} {
			in, out, L := sh[0], sh[1], sh[2]
			rng := rand.New(rand.NewPCG(19, 20))
			src, w, b := randSlice(rng, in*L), randSlice(rng, out*in), randSlice(rng, out)
			a, da := randSlice(rng, out*L), randSlice(rng, out*L)
			got, want := make([]float32, out*L), make([]float32, out*L)
			s.forward(got, src, w, b, in, out, L, true)
			forwardRef(want, src, w, b, in, out, L, true)
			if !near(got, want) {
				t.Errorf("in=%d out=%d L=%d: Forward %v, reference %v", in, out, L, got, want)
			}
			var res [2][4][]float32
			for k, f := range []func(da, a, src, w, dw, db, dsrc []float32, in, out, L int, tanh bool){s.backward, backwardRef} {
				da := append([]float32(nil), da...)
				dw, db, dsrc := make([]float32, out*in), make([]float32, out), randSlice(rng, in*L)
				f(da, a, src, w, dw, db, dsrc, in, out, L, true)
				res[k] = [4][]float32{da, dw, db, dsrc}
			}
			for j, name := range []string{"dpre", "dw", "db", "dsrc"} {
				if !near(res[0][j], res[1][j]) {
					t.Errorf("in=%d out=%d L=%d: Backward %s = %v, reference %v", in, out, L, name, res[0][j], res[1][j])
				}
			}
		}
	})
}

// The measured peak must be at least what a real kernel reaches (a gemm of
// the notebook's hidden layer, which runs near peak), allowing 30% for a
// noisy shared machine, and physically possible: below 8 FLOP a lane a
// cycle (four FMA pipes) at 6 GHz.
func TestSIMDPeakGFLOPS(t *testing.T) {
	forEachSIMD(t, func(t *testing.T, s *simd) {
		rng := rand.New(rand.NewPCG(15, 16))
		const in, out, L = 50, 50, 256
		src, w, b := randSlice(rng, in*L), randSlice(rng, in*out), randSlice(rng, out)
		dst := make([]float32, out*L)
		// The best of many short alternating rounds of each (~0.1 ms),
		// so that a pause of this process on a shared machine pulls
		// neither figure down.
		const reps, iters = 20, 20_000
		gemm, peak := 0.0, 0.0
		s.peak(iters)
		for range 50 {
			start := time.Now()
			for range reps {
				s.forward(dst, src, w, b, in, out, L, false)
			}
			gemm = max(gemm, float64(2*in*out*L*reps)/float64(time.Since(start).Nanoseconds()))
			start = time.Now()
			s.peak(iters)
			peak = max(peak, float64(iters*12*2*s.lanes)/float64(time.Since(start).Nanoseconds()))
		}
		if p := s.peakGFLOPS(time.Millisecond); p <= 0 {
			t.Errorf("PeakGFLOPS = %g", p)
		}
		t.Logf("peak %.1f GFLOP/s, gemm %.1f GFLOP/s (%.0f%%)", peak, gemm, 100*gemm/peak)
		if peak < 0.7*gemm || peak > float64(8*s.lanes*6) {
			t.Errorf("measured peak %.1f GFLOP/s is implausible next to a gemm at %.1f", peak, gemm)
		}
	})
}

// BenchmarkSIMDWide runs a hidden layer of each width on nn's tile of the
// notebook's batch (504 rows), forward (with tanh) and backward (with the
// tanh derivative and the input adjoint), with each kernel set in turn,
// so that one run compares AVX2 and AVX-512 under the same conditions.
// FLOPs count the multiply-adds as 2.
func BenchmarkSIMDWide(b *testing.B) {
	const L = 504
	for _, wd := range []int{50, 128, 256, 512, 1024} {
		for _, pass := range []string{"forward", "backward"} {
			for _, s := range []*simd{avx2Kernels, avx512Kernels} {
				if s == avx512Kernels && !hasAVX512 || !hasAVX2 {
					continue
				}
				b.Run(fmt.Sprintf("%s/W=%d/%s", pass, wd, s.name), func(b *testing.B) {
					rng := rand.New(rand.NewPCG(1, 1))
					src, w, bias := randSlice(rng, wd*L), randSlice(rng, wd*wd), randSlice(rng, wd)
					dst, a, da := make([]float32, wd*L), randSlice(rng, wd*L), randSlice(rng, wd*L)
					dw, db, dsrc := make([]float32, wd*wd), make([]float32, wd), make([]float32, wd*L)
					flops := 2 * wd * wd * L
					if pass == "backward" {
						flops *= 2
					}
					start := cpuTime()
					for b.Loop() {
						if pass == "forward" {
							s.forward(dst, src, w, bias, wd, wd, L, true)
						} else {
							s.backward(da, a, src, w, dw, db, dsrc, wd, wd, L, true)
						}
					}
					reportFlops(b, start, flops)
				})
			}
		}
	}
}

// TestSIMDBlockedGemmExact checks that running a wide layer over chunks of
// its inputs (cache blocking) gives bit for bit the one-call result: each
// sum is continued from dst in the same order.
func TestSIMDBlockedGemmExact(t *testing.T) {
	forEachSIMD(t, func(t *testing.T, s *simd) {
		rng := rand.New(rand.NewPCG(21, 22))
		const in, out, L = 1100, 700, 37
		src, w, b := randSlice(rng, in*L), randSlice(rng, out*in), randSlice(rng, out)
		if chunk := gemmChunk(out); chunk*3/2 >= in {
			t.Fatalf("a %d×%d layer is not blocked (chunks of %d inputs)", in, out, chunk)
		}
		for _, flags := range []int{0, flagBias, flagBias | flagTanh} {
			got, want := make([]float32, out*L), make([]float32, out*L)
			s.gemmBlocked(ptr(got), ptr(src), ptr(w), ptr(b), out, in, L, in, 1, flags)
			s.gemm(ptr(want), ptr(src), ptr(w), ptr(b), out, in, L, in, 1, flags)
			for j := range want {
				if math.Float32bits(got[j]) != math.Float32bits(want[j]) {
					t.Fatalf("flags %d: blocked [%d] = %g, one call %g", flags, j, got[j], want[j])
				}
			}
		}
		// Transposed, as Backward's input adjoint: 1100 outputs, 700 inputs.
		da := randSlice(rng, out*L)
		got, want := make([]float32, in*L), make([]float32, in*L)
		s.gemmBlocked(ptr(got), ptr(da), ptr(w), nil, in, out, L, 1, in, 0)
		s.gemm(ptr(want), ptr(da), ptr(w), nil, in, out, L, 1, in, 0)
		for j := range want {
			if math.Float32bits(got[j]) != math.Float32bits(want[j]) {
				t.Fatalf("transposed: blocked [%d] = %g, one call %g", j, got[j], want[j])
			}
		}
	})
}

// BenchmarkSIMDElementwise compares the two sets on the elementwise
// kernels: tanh over a 512-wide tile, and Adam and Add over the 512³
// network's 527,361 parameters.
func BenchmarkSIMDElementwise(b *testing.B) {
	const n = 527_361
	for _, kind := range []string{"tanh", "adam", "add"} {
		for _, s := range []*simd{avx2Kernels, avx512Kernels} {
			if s == avx512Kernels && !hasAVX512 || !hasAVX2 {
				continue
			}
			b.Run(fmt.Sprintf("%s/%s", kind, s.name), func(b *testing.B) {
				rng := rand.New(rand.NewPCG(1, 1))
				m := n
				if kind == "tanh" {
					m = 512 * 504
				}
				x, y := randSlice(rng, m), randSlice(rng, m)
				mo, v := make([]float32, m), make([]float32, m)
				start := cpuTime()
				for b.Loop() {
					switch kind {
					case "tanh":
						s.tanh(y, x)
					case "adam":
						s.adam(x, y, mo, v, 0.9, 0.999, 1e-8, 1e-3, 1)
					case "add":
						s.add(x, y)
					}
				}
				reportPer(b, start, m, "elem")
			})
		}
	}
}
