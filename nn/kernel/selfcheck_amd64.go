//go:build amd64 && !purego

package kernel

import (
	"fmt"
	"math"
)

// selfCheck runs kernel set s against the Go reference on small awkward
// shapes (masked row tails, every output- and input-block remainder,
// fused tanh and its derivative, Adam and Add tails) and reports the
// first disagreement beyond float32 rounding, or a write past an output.
// It guards the AVX-512 path on CPUs the kernels were never run on; it
// costs about 0.1 ms at start-up.
func selfCheck(s *simd) error {
	// A fixed pseudo-random fill: values in (-1, 1), no package state.
	// Each buffer is followed by guard sentinels that no kernel may touch.
	x := uint32(1)
	var bufs [][]float32
	fill := func(n int) []float32 {
		b := make([]float32, n+guard)
		for i := range b {
			x = x*1664525 + 1013904223
			b[i] = float32(int32(x)>>8) / (1 << 23)
		}
		for i := n; i < len(b); i++ {
			b[i] = sentinel
		}
		bufs = append(bufs, b)
		return b[:n:n]
	}
	if err := check(s, fill); err != nil {
		return err
	}
	for _, b := range bufs {
		for _, v := range b[len(b)-guard:] {
			if v != sentinel {
				return fmt.Errorf("a kernel wrote past the end of its output")
			}
		}
	}
	return nil
}

const (
	guard    = 16 // floats after each self-check buffer
	sentinel = 1234.5
)

func check(s *simd, fill func(int) []float32) error {
	for _, sh := range [][3]int{{3, 7, 37}, {6, 5, 1}, {1, 2, 70}, {9, 11, 16}, {5, 4, 33}} {
		in, out, L := sh[0], sh[1], sh[2]
		src, w, b := fill(in*L), fill(out*in), fill(out)
		got, want := fill(out*L), make([]float32, out*L)
		s.forward(got, src, w, b, in, out, L, true)
		forwardRef(want, src, w, b, in, out, L, true)
		if err := near("forward", got, want, in); err != nil {
			return err
		}
		a, da := fill(out*L), fill(out*L)
		var res [2][4][]float32
		for k := range res {
			d := append(fill(0), da...)
			dw, db, dsrc := fill(out*in), fill(out), fill(in*L)
			if k == 0 {
				s.backward(d, a, src, w, dw, db, dsrc, in, out, L, true)
			} else {
				backwardRef(d, a, src, w, dw, db, dsrc, in, out, L, true)
			}
			res[k] = [4][]float32{d, dw, db, dsrc}
		}
		for j, name := range []string{"dpre", "dw", "db", "dsrc"} {
			if err := near("backward "+name, res[0][j], res[1][j], max(L, out)); err != nil {
				return err
			}
		}
	}
	for _, n := range []int{5, 16, 37} {
		p, g, m, v := fill(n), fill(n), fill(n), fill(n)
		for i := range v {
			v[i] *= v[i]
		}
		pr, mr, vr := append([]float32(nil), p...), append([]float32(nil), m...), append([]float32(nil), v...)
		s.adam(p, g, m, v, 0.9, 0.999, 1e-8, 1e-3, 1)
		adamRef(pr, g, mr, vr, 0.9, 0.999, 1e-8, 1e-3, 1)
		if err := near("adam", p, pr, 4); err != nil {
			return err
		}
		d, dr := fill(n), make([]float32, n)
		copy(dr, d)
		s.add(d, g)
		addRef(dr, g)
		if err := near("add", d, dr, 1); err != nil {
			return err
		}
		t, tr := fill(n), make([]float32, n)
		s.tanh(t, g)
		tanhRef(tr, g)
		if err := near("tanh", t, tr, 1); err != nil {
			return err
		}
	}
	return nil
}

// near reports whether got and want (outputs of sums of at most n terms
// of magnitude below 1) agree to float32 rounding: 1e-5·n absolute is far
// above the rounding (~n·6e-8) and far below a wrong term (~0.1–1).
func near(what string, got, want []float32, n int) error {
	for i := range want {
		g, w := float64(got[i]), float64(want[i])
		if !(math.Abs(g-w) <= 1e-5*float64(n+1)) {
			return fmt.Errorf("%s: element %d = %g, reference %g", what, i, g, w)
		}
	}
	return nil
}
