package kernel

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

func randSlice(rng *rand.Rand, n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = float32(rng.Float64()*2 - 1)
	}
	return s
}

// close32 reports whether got matches the float64 value want to a tolerance
// scaled by scale, the sum of absolute values of the terms that formed want:
// each float32 operation adds at most 2⁻²⁴ relative error, so n terms give
// ≲ n·6e-8·scale; tol is set well above that.
func close32(got float32, want, scale, tol float64) bool {
	return math.Abs(float64(got)-want) <= tol*(scale+1e-30)
}

var shapes = []struct{ in, out, L int }{
	{1, 1, 1}, {2, 3, 1}, {3, 5, 7}, {4, 4, 8}, {5, 3, 9}, {7, 9, 16}, {50, 50, 33}, {2, 50, 128}, {50, 1, 130},
}

func TestForward(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, sh := range shapes {
		for _, act := range []bool{false, true} {
			in, out, L := sh.in, sh.out, sh.L
			src, w, b := randSlice(rng, in*L), randSlice(rng, out*in), randSlice(rng, out)
			dst := randSlice(rng, out*L)
			Forward(dst, src, w, b, in, out, L, act)
			for o := range out {
				for r := range L {
					z, scale := float64(b[o]), math.Abs(float64(b[o]))
					for i := range in {
						p := float64(w[o*in+i]) * float64(src[i*L+r])
						z += p
						scale += math.Abs(p)
					}
					want := z
					if act {
						want = math.Tanh(z)
						// tanh is 1-Lipschitz; add the approximation's relative error.
						scale += math.Abs(want) * 10
					}
					if !close32(dst[o*L+r], want, scale, float64(in+2)*1.2e-7) {
						t.Fatalf("in=%d out=%d L=%d tanh=%v: dst[%d,%d] = %g, want %g", in, out, L, act, o, r, dst[o*L+r], want)
					}
				}
			}
		}
	}
}

func TestBackward(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, sh := range shapes {
		for _, act := range []bool{false, true} {
			for _, withSrc := range []bool{false, true} {
				in, out, L := sh.in, sh.out, sh.L
				src, w := randSlice(rng, in*L), randSlice(rng, out*in)
				a := randSlice(rng, out*L)
				da := randSlice(rng, out*L)
				dw0, db0 := randSlice(rng, out*in), randSlice(rng, out)
				dw := append([]float32(nil), dw0...)
				db := append([]float32(nil), db0...)
				da0 := append([]float32(nil), da...)
				var dsrc []float32
				if withSrc {
					dsrc = randSlice(rng, in*L) // must be overwritten, not accumulated
				}
				Backward(da, a, src, w, dw, db, dsrc, in, out, L, act)
				dpre := make([]float64, out*L)
				for j := range dpre {
					dpre[j] = float64(da0[j])
					if act {
						y := float64(a[j])
						dpre[j] *= 1 - y*y
					}
					// 1-y*y cancels when |y| ≈ 1: bound the error by |da|(1+y²).
					if !close32(da[j], dpre[j], math.Abs(float64(da0[j]))*(1+float64(a[j]*a[j])), 3e-7) {
						t.Fatalf("dpre[%d] = %g, want %g", j, da[j], dpre[j])
					}
				}
				tol := float64(L+out+2) * 1.5e-7
				for o := range out {
					s, sc := 0.0, 0.0 // db0 is garbage to overwrite
					for r := range L {
						s += dpre[o*L+r]
						sc += math.Abs(dpre[o*L+r])
					}
					if !close32(db[o], s, sc, tol) {
						t.Fatalf("in=%d out=%d L=%d: db[%d] = %g, want %g", in, out, L, o, db[o], s)
					}
					for i := range in {
						s, sc := 0.0, 0.0
						for r := range L {
							p := dpre[o*L+r] * float64(src[i*L+r])
							s += p
							sc += math.Abs(p)
						}
						if !close32(dw[o*in+i], s, sc, tol) {
							t.Fatalf("in=%d out=%d L=%d: dw[%d,%d] = %g, want %g", in, out, L, o, i, dw[o*in+i], s)
						}
					}
				}
				if !withSrc {
					continue
				}
				for i := range in {
					for r := range L {
						s, sc := 0.0, 0.0
						for o := range out {
							p := float64(w[o*in+i]) * dpre[o*L+r]
							s += p
							sc += math.Abs(p)
						}
						if !close32(dsrc[i*L+r], s, sc, tol) {
							t.Fatalf("in=%d out=%d L=%d: dsrc[%d,%d] = %g, want %g", in, out, L, i, r, dsrc[i*L+r], s)
						}
					}
				}
			}
		}
	}
}

func TestAdam(t *testing.T) {
	const (
		lr, b1, b2, eps = 1e-3, 0.9, 0.999, 1e-8
		n               = 37
	)
	rng := rand.New(rand.NewPCG(5, 6))
	p := randSlice(rng, n)
	m, v := make([]float32, n), make([]float32, n)
	pw, mw, vw := make([]float64, n), make([]float64, n), make([]float64, n)
	for j := range p {
		pw[j] = float64(p[j])
	}
	for step := 1; step <= 3; step++ {
		g := randSlice(rng, n)
		g[0] = 0 // exercises the eps path
		bc1, bc2 := 1-math.Pow(b1, float64(step)), 1-math.Pow(b2, float64(step))
		Adam(p, g, m, v, b1, b2, eps, float32(lr/bc1), float32(1/math.Sqrt(bc2)))
		mscale := make([]float64, n)
		for j := range pw {
			gj := float64(g[j])
			mscale[j] = b1*math.Abs(mw[j]) + (1-b1)*math.Abs(gj)
			// torch.optim.Adam, written out as in its documentation.
			mw[j] = b1*mw[j] + (1-b1)*gj
			vw[j] = b2*vw[j] + (1-b2)*gj*gj
			denom := math.Sqrt(vw[j])/math.Sqrt(bc2) + eps
			pw[j] -= lr / bc1 * mw[j] / denom
		}
		for j := range pw {
			// The update is ≤ lr in size, so float32 rounding of p (|p| ≤ 1)
			// dominates: 3 steps × 6e-8.
			if math.Abs(float64(p[j])-pw[j]) > 3e-7 {
				t.Fatalf("step %d: p[%d] = %.9g, want %.9g", step, j, p[j], pw[j])
			}
			// β's are float32: 1-float32(0.999) is 0.001(1-1.3e-5), so v
			// carries a relative bias of ~1.3e-5 (PyTorch's float32 math has
			// a similar one); m's is 2.4e-7 of its terms' scale.
			if math.Abs(float64(m[j])-mw[j]) > 1e-6*mscale[j] ||
				math.Abs(float64(v[j])-vw[j]) > 3e-5*vw[j]+1e-15 {
				t.Fatalf("step %d: moments[%d] = %g,%g, want %g,%g", step, j, m[j], v[j], mw[j], vw[j])
			}
		}
	}
	// On the first step Adam moves every parameter with a non-tiny gradient
	// by almost exactly lr against the gradient's sign.
	p1, g1 := []float32{0}, []float32{0.5}
	Adam(p1, g1, []float32{0}, []float32{0}, b1, b2, eps, lr/(1-b1), float32(1/math.Sqrt(1-b2)))
	// Tolerance 1e-5 relative: the float32 β₂ bias above, halved by the sqrt.
	if math.Abs(float64(p1[0])+lr) > 1e-8 {
		t.Errorf("first Adam step = %g, want %g", p1[0], -lr)
	}
}

// tanhRel is the relative error bound of the fast tanh (see Tanh), which
// the reference and the assembly version must both meet.
const tanhRel = 1e-6

func TestTanhAccuracy(t *testing.T) {
	// Dense sweep of [-20, 20] plus a geometric sweep of tiny values.
	const maxRel = tanhRel
	worst := 0.0
	check := func(x float32) {
		got := float64(Tanh32(x))
		want := math.Tanh(float64(x))
		if want == 0 {
			if got != 0 {
				t.Fatalf("tanh(%g) = %g, want 0", x, got)
			}
			return
		}
		e := math.Abs(got-want) / math.Abs(want)
		worst = max(worst, e)
		if e > maxRel {
			t.Fatalf("tanh(%g) = %.9g, want %.9g (relative error %.3g > %g)", x, got, want, e, maxRel)
		}
	}
	const n = 2_000_000
	for i := 0; i <= n; i++ {
		check(float32(-20 + 40*float64(i)/n))
	}
	for x := float32(1e-38); x < 1; x *= 1.001 {
		check(x)
		check(-x)
	}
	t.Logf("worst relative error %.3g", worst)
}

func TestTanhSpecial(t *testing.T) {
	inf := float32(math.Inf(1))
	for _, c := range []struct{ x, want float32 }{
		{0, 0}, {7.5, 1}, {-7.5, -1}, {8, 1}, {-8, -1}, {9, 1}, {-9, -1}, {20, 1}, {-20, -1}, {1e30, 1}, {inf, 1}, {-inf, -1},
	} {
		if got := Tanh32(c.x); got != c.want {
			t.Errorf("tanh(%g) = %g, want %g", c.x, got, c.want)
		}
	}
	if got := Tanh32(float32(math.Copysign(0, -1))); got != 0 || !math.Signbit(float64(got)) {
		t.Errorf("tanh(-0) = %g, want -0", got)
	}
	if got := Tanh32(float32(math.NaN())); got == got {
		t.Errorf("tanh(NaN) = %g, want NaN", got)
	}
	for x := float32(-12); x <= 12; x += 0.001 {
		if a, b := Tanh32(x), Tanh32(-x); a != -b {
			t.Fatalf("tanh(%g) = %g but tanh(%g) = %g: not odd", x, a, -x, b)
		}
		if y := Tanh32(x); y > 1 || y < -1 {
			t.Fatalf("tanh(%g) = %g outside [-1, 1]", x, y)
		}
	}
	// The slice version agrees with the scalar one to the error bound (the
	// vectorised version rounds differently), and in place exactly.
	x0 := []float32{-3, -0.5, 0, 0.25, 4, 10}
	src := append([]float32(nil), x0...)
	dst := make([]float32, len(src))
	Tanh(dst, src)
	Tanh(src, src)
	for i, x := range x0 {
		s := Tanh32(x)
		if dst[i] != src[i] || math.Abs(float64(dst[i]-s)) > 2*tanhRel*math.Abs(float64(s)) {
			t.Errorf("Tanh(%g) = %g, in place %g, Tanh32 %g", x, dst[i], src[i], s)
		}
	}
}

func BenchmarkTanh(b *testing.B) {
	src := randSlice(rand.New(rand.NewPCG(1, 1)), 1024)
	for i := range src {
		src[i] *= 5
	}
	dst := make([]float32, len(src))
	start := cpuTime()
	for b.Loop() {
		Tanh(dst, src)
	}
	reportPer(b, start, len(src), "elem")
}

func BenchmarkMathTanh(b *testing.B) {
	src := randSlice(rand.New(rand.NewPCG(1, 1)), 1024)
	dst := make([]float32, len(src))
	start := cpuTime()
	for b.Loop() {
		for i, x := range src {
			dst[i] = float32(math.Tanh(float64(5 * x)))
		}
	}
	reportPer(b, start, len(src), "elem")
}

// The notebook network's layers (2→50→50→50→1, tanh on the hidden ones)
// as the backward pass sees them: the first layer needs no input adjoint.
var notebookLayers = []struct {
	in, out    int
	tanh, dsrc bool
}{{2, 50, true, false}, {50, 50, true, true}, {50, 1, false, true}}

// benchTiles are tile lengths: nn's tile (512 rows) and shorter ones, to
// show how the kernels' speed depends on it.
var benchTiles = []int{32, 64, 128, 256, 512}

// kernels lists the implementations to benchmark: the dispatched one and,
// if that is not already it, the plain Go reference.
func kernels() []struct {
	name     string
	forward  func(dst, src, w, b []float32, in, out, L int, tanh bool)
	backward func(da, a, src, w, dw, db, dsrc []float32, in, out, L int, tanh bool)
} {
	type k = struct {
		name     string
		forward  func(dst, src, w, b []float32, in, out, L int, tanh bool)
		backward func(da, a, src, w, dw, db, dsrc []float32, in, out, L int, tanh bool)
	}
	ks := []k{{Implementation(), Forward, Backward}}
	if Implementation() != "go" {
		ks = append(ks, k{"go", forwardRef, backwardRef})
	}
	return ks
}

// reportFlops reports GFLOP/s (wall and CPU time) for flops per iteration.
func reportFlops(b *testing.B, start time.Duration, flops int) {
	b.ReportMetric(float64(flops)*float64(b.N)/float64(b.Elapsed().Nanoseconds()), "GFLOP/s")
	if start > 0 {
		b.ReportMetric(float64(flops)*float64(b.N)/float64((cpuTime()-start).Nanoseconds()), "cpu-GFLOP/s")
	}
}

// BenchmarkForward runs each notebook layer on one tile. FLOPs count the
// multiply-adds as 2 (bias and tanh not counted).
func BenchmarkForward(b *testing.B) {
	for _, ly := range notebookLayers {
		for _, L := range benchTiles {
			if L != 128 && ly.in != 50 && ly.out != 50 {
				continue
			}
			for _, k := range kernels() {
				b.Run(fmt.Sprintf("%dx%d/L=%d/%s", ly.in, ly.out, L, k.name), func(b *testing.B) {
					rng := rand.New(rand.NewPCG(1, 1))
					src, w, bias := randSlice(rng, ly.in*L), randSlice(rng, ly.in*ly.out), randSlice(rng, ly.out)
					dst := make([]float32, ly.out*L)
					start := cpuTime()
					for b.Loop() {
						k.forward(dst, src, w, bias, ly.in, ly.out, L, ly.tanh)
					}
					reportFlops(b, start, 2*ly.in*ly.out*L)
				})
			}
		}
	}
}

// BenchmarkBackward runs each notebook layer's backward pass on one tile.
// FLOPs: 2 per multiply-add of dW and (if computed) dsrc, 1 per db term,
// 3 per tanh-derivative element.
func BenchmarkBackward(b *testing.B) {
	for _, ly := range notebookLayers {
		for _, L := range benchTiles {
			if L != 128 && ly.in != 50 && ly.out != 50 {
				continue
			}
			for _, k := range kernels() {
				b.Run(fmt.Sprintf("%dx%d/L=%d/%s", ly.in, ly.out, L, k.name), func(b *testing.B) {
					rng := rand.New(rand.NewPCG(1, 1))
					src, w, a := randSlice(rng, ly.in*L), randSlice(rng, ly.in*ly.out), randSlice(rng, ly.out*L)
					da := randSlice(rng, ly.out*L)
					dw, db := make([]float32, ly.in*ly.out), make([]float32, ly.out)
					var dsrc []float32
					flops := 2*ly.in*ly.out*L + ly.out*L
					if ly.dsrc {
						dsrc = make([]float32, ly.in*L)
						flops += 2 * ly.in * ly.out * L
					}
					if ly.tanh {
						flops += 3 * ly.out * L
					}
					start := cpuTime()
					for b.Loop() {
						k.backward(da, a, src, w, dw, db, dsrc, ly.in, ly.out, L, ly.tanh)
					}
					reportFlops(b, start, flops)
				})
			}
		}
	}
}

// BenchmarkAdam updates the notebook network's 5301 parameters.
func BenchmarkAdam(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	const n = 5301
	p, g, m, v := randSlice(rng, n), randSlice(rng, n), make([]float32, n), make([]float32, n)
	start := cpuTime()
	for b.Loop() {
		Adam(p, g, m, v, 0.9, 0.999, 1e-8, 1e-3, 1)
	}
	reportPer(b, start, n, "param")
}

func TestTanhBitConstants(t *testing.T) {
	for _, c := range []struct {
		bits uint32
		v    float32
	}{{oneBits, 1}, {infBits, float32(math.Inf(1))}, {satBits, tanhSat}} {
		if math.Float32bits(c.v) != c.bits {
			t.Errorf("bits of %g = %#x, constant says %#x", c.v, math.Float32bits(c.v), c.bits)
		}
	}
}

// reportPer reports wall and CPU nanoseconds per unit of work (start is a
// cpuTime reading taken before the loop); on a shared machine the CPU time
// is the steadier number.
func reportPer(b *testing.B, start time.Duration, units int, unit string) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*units), "ns/"+unit)
	if start > 0 {
		b.ReportMetric(float64((cpuTime()-start).Nanoseconds())/float64(b.N*units), "cpu-ns/"+unit)
	}
}

func TestAdd(t *testing.T) {
	for _, n := range []int{0, 1, 9, 33, 5301} {
		dst, src := make([]float32, n), make([]float32, n+3) // src may be longer
		for i := range dst {
			dst[i], src[i] = float32(i), float32(2*i)+0.5
		}
		Add(dst, src)
		for i, v := range dst {
			if v != float32(3*i)+0.5 {
				t.Fatalf("n=%d: dst[%d] = %g, want %g", n, i, v, float32(3*i)+0.5)
			}
		}
	}
}
