//go:build linux && amd64 && !purego

package kernel

import (
	"fmt"
	"math/rand/v2"
	"syscall"
	"testing"
	"unsafe"
)

// pageEnd returns n random float32s that end exactly where a PROT_NONE
// page begins, so that a kernel reading one element too many faults. The
// masked tail loads must not fault: the processor suppresses faults on
// masked-out lanes.
func pageEnd(t *testing.T, rng *rand.Rand, n int) []float32 {
	t.Helper()
	page := syscall.Getpagesize()
	size := (4*n+page-1)/page*page + page
	mem, err := syscall.Mmap(-1, 0, size, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Munmap(mem) })
	if err := syscall.Mprotect(mem[size-page:], syscall.PROT_NONE); err != nil {
		t.Fatal(err)
	}
	s := unsafe.Slice((*float32)(unsafe.Pointer(&mem[size-page-4*n])), n)
	for i := range s {
		s[i] = float32(rng.Float64()*2 - 1)
	}
	return s
}

func TestSIMDNoOverread(t *testing.T) {
	forEachSIMD(t, func(t *testing.T, s *simd) {
		rng := rand.New(rand.NewPCG(15, 16))
		for _, L := range []int{1, 7, 9, 63, 250} {
			for _, in := range []int{1, 3, 50, 51} {
				for _, out := range []int{1, 3, 50, 51} {
					t.Run(fmt.Sprintf("L=%d/in=%d/out=%d", L, in, out), func(t *testing.T) {
						src, w, b := pageEnd(t, rng, in*L), pageEnd(t, rng, out*in), pageEnd(t, rng, out)
						dst := pageEnd(t, rng, out*L)
						s.forward(dst, src, w, b, in, out, L, true)
						a, dsrc := pageEnd(t, rng, out*L), pageEnd(t, rng, in*L)
						dw, db := pageEnd(t, rng, out*in), pageEnd(t, rng, out)
						s.backward(dst, a, src, w, dw, db, dsrc, in, out, L, true)
						s.backward(dst, a, src, w, dw, db, dsrc, in, out, L, false)
					})
				}
			}
		}
		for _, n := range []int{1, 7, 8, 9, 37, 5301} {
			s.adam(pageEnd(t, rng, n), pageEnd(t, rng, n), pageEnd(t, rng, n), pageEnd(t, rng, n), 0.9, 0.999, 1e-8, 1e-3, 1)
			s.tanh(pageEnd(t, rng, n), pageEnd(t, rng, n))
		}
	})
}
