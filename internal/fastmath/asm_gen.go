//go:build ignore

// asm_gen writes exp_amd64.s, the AVX2+FMA kernels of ExpSlice and
// GaussSums, and ExpSlice's AVX-512 kernel (the same lane operations on
// eight lanes). The AVX2 ones evaluate e^x four lanes at a time with the
// same instructions (expCore, eight lanes: expCoreZ), and all interleave several independent blocks
// of four so that their long dependency chains overlap; written out by
// hand the copies would drift apart.
//
// Run it with go generate (see gauss_amd64.go).
package main

import (
	"fmt"
	"log"

	"scoresde/internal/asmgen"
)

var (
	out      = asmgen.New()
	p, label = out.P, out.Label
)

// gc is the memory operand of gaussConst entry i (4 float64 lanes, 32
// bytes each; see gauss_amd64.go for the order).
func gc(i int) string { return fmt.Sprintf("·gaussConst+%d(SB)", 32*i) }

// Indices into gaussConst.
const (
	cMinArg = iota // −expLimit
	cLog2E
	cLn2Hi
	cLn2Lo
	cTaylor // 1/13!, 1/12!, …, 1/0!: 14 entries
)

// expCore returns the instructions computing Y[w] = e^Y[r] for four lanes:
// k = round(x·log₂e), r = x − k·ln2 (Cody–Waite, in place in Y[r]), e^r by
// its Taylor series to r¹³ in Horner form, then 2^k added to the exponent
// field (k's register Y[k] ends holding those bits). The 14th term,
// r¹⁴/14! with |r| ≤ ln2/2, is below 5e−18.
func expCore(r, k, w int) []string {
	var s []string
	e := func(format string, args ...any) { s = append(s, fmt.Sprintf(format, args...)) }
	e("VMULPD %s, Y%d, Y%d", gc(cLog2E), r, k)
	e("VROUNDPD $0, Y%d, Y%d", k, k)
	e("VFNMADD231PD %s, Y%d, Y%d", gc(cLn2Hi), k, r)
	e("VFNMADD231PD %s, Y%d, Y%d", gc(cLn2Lo), k, r)
	e("VMOVUPD %s, Y%d", gc(cTaylor), w)
	for i := 1; i < 14; i++ {
		e("VFMADD213PD %s, Y%d, Y%d", gc(cTaylor+i), r, w)
	}
	e("VCVTPD2DQY Y%d, X%d", k, k)
	e("VPMOVSXDQ X%d, Y%d", k, k)
	e("VPSLLQ $52, Y%d, Y%d", k, k)
	e("VPADDQ Y%d, Y%d, Y%d", k, w, w)
	return s
}

// expCoreZ is expCore for eight lanes in Z registers (AVX-512F), with
// the same operations in the same order, so that each lane's result is
// bit for bit expCore's; the constants are broadcast from the first lane
// of their gaussConst entries.
func expCoreZ(r, k, w int) []string {
	var s []string
	e := func(format string, args ...any) { s = append(s, fmt.Sprintf(format, args...)) }
	e("VMULPD.BCST %s, Z%d, Z%d", gc(cLog2E), r, k)
	e("VRNDSCALEPD $0, Z%d, Z%d", k, k)
	e("VFNMADD231PD.BCST %s, Z%d, Z%d", gc(cLn2Hi), k, r)
	e("VFNMADD231PD.BCST %s, Z%d, Z%d", gc(cLn2Lo), k, r)
	e("VBROADCASTSD %s, Z%d", gc(cTaylor), w)
	for i := 1; i < 14; i++ {
		e("VFMADD213PD.BCST %s, Z%d, Z%d", gc(cTaylor+i), r, w)
	}
	e("VCVTPD2DQ Z%d, Y%d", k, k)
	e("VPMOVSXDQ Y%d, Z%d", k, k)
	e("VPSLLQ $52, Z%d, Z%d", k, k)
	e("VPADDQ Z%d, Z%d, Z%d", k, w, w)
	return s
}

// loop emits a loop over CX blocks of four lanes, nb blocks an iteration
// while at least nb remain, then one at a time. body(j, off) returns block
// j's instructions for the lanes off bytes past the pointers, which
// advance by step(bytes).
func loop(name string, nb int, body func(j, off int) []string, step func(bytes int)) {
	label(name + "_many")
	p("CMPQ CX, $%d", nb)
	p("JLT %s_one", name)
	var blocks [][]string
	for j := range nb {
		blocks = append(blocks, body(j, 32*j))
	}
	out.Interleave(blocks...)
	step(32 * nb)
	p("SUBQ $%d, CX", nb)
	p("JMP %s_many", name)
	label(name + "_one")
	p("TESTQ CX, CX")
	p("JEQ %s_done", name)
	out.Interleave(body(0, 0))
	step(32)
	p("DECQ CX")
	p("JMP %s_one", name)
	label(name + "_done")
}

// expSlice: dst[i] = e^src[i]. Four blocks an iteration: one or two
// chains at a time left the FMA units waiting (docs/performance.md). Per block three registers: r (x, then the reduced
// argument), k (first the range check, then k and the bits of 2^k) and
// the result; Y14 gathers the lanes outside [−expLimit, expLimit] (or
// NaN), whose results the caller redoes.
func expSlice() {
	out.Text(`
// func expAVX2(dst, src *float64, n int) (outside int)
// n is a positive multiple of 4; see asm_gen.go.
TEXT ·expAVX2(SB), NOSPLIT, $0-32
`)
	p("MOVQ dst+0(FP), DI")
	p("MOVQ src+8(FP), SI")
	p("MOVQ n+16(FP), CX")
	p("SHRQ $2, CX")
	p("VXORPD Y14, Y14, Y14")
	loop("ex", 4, func(j, off int) []string {
		r, k, w := 3*j, 3*j+1, 3*j+2
		// The range check uses k before expCore sets it: a scratch register
		// shared between blocks would be overwritten by the interleaving.
		s := []string{
			fmt.Sprintf("VMOVUPD %d(SI), Y%d", off, r),
			fmt.Sprintf("VANDPD ·expSliceConst+0(SB), Y%d, Y%d", r, k),
			fmt.Sprintf("VCMPPD $0x16, ·expSliceConst+32(SB), Y%d, Y%d", k, k), // NLE_UQ: |x| > limit or NaN
			fmt.Sprintf("VORPD Y%d, Y14, Y14", k),
		}
		s = append(s, expCore(r, k, w)...)
		return append(s, fmt.Sprintf("VMOVUPD Y%d, %d(DI)", w, off))
	}, func(bytes int) {
		p("ADDQ $%d, SI", bytes)
		p("ADDQ $%d, DI", bytes)
	})
	p("VMOVMSKPD Y14, AX")
	p("MOVQ AX, outside+24(FP)")
	p("VZEROUPPER")
	p("RET")
}

// expSliceZ is expSlice for AVX-512: blocks of eight lanes, four an
// iteration, the out-of-range lanes gathered in K2.
func expSliceZ() {
	out.Text(`
// func expAVX512(dst, src *float64, n int) (outside int)
// n is a positive multiple of 8; see asm_gen.go.
TEXT ·expAVX512(SB), NOSPLIT, $0-32
`)
	p("MOVQ dst+0(FP), DI")
	p("MOVQ src+8(FP), SI")
	p("MOVQ n+16(FP), CX")
	p("SHRQ $3, CX")
	p("KXORB K2, K2, K2")
	label("ez_many")
	p("CMPQ CX, $4")
	p("JLT ez_one")
	var blocks [][]string
	for j := range 4 {
		blocks = append(blocks, expBlockZ(j, 64*j))
	}
	out.Interleave(blocks...)
	p("ADDQ $256, SI")
	p("ADDQ $256, DI")
	p("SUBQ $4, CX")
	p("JMP ez_many")
	label("ez_one")
	p("TESTQ CX, CX")
	p("JEQ ez_done")
	out.Interleave(expBlockZ(0, 0))
	p("ADDQ $64, SI")
	p("ADDQ $64, DI")
	p("DECQ CX")
	p("JMP ez_one")
	label("ez_done")
	p("KMOVB K2, AX")
	p("MOVQ AX, outside+24(FP)")
	p("VZEROUPPER")
	p("RET")
}

// expBlockZ is one block of expSliceZ: registers r, k, w as in expSlice,
// mask register K3+j for the block's range check.
func expBlockZ(j, off int) []string {
	r, k, w, m := 3*j, 3*j+1, 3*j+2, 3+j
	s := []string{
		fmt.Sprintf("VMOVUPD %d(SI), Z%d", off, r),
		fmt.Sprintf("VPANDQ.BCST ·expSliceConst+0(SB), Z%d, Z%d", r, k),
		fmt.Sprintf("VCMPPD.BCST $0x16, ·expSliceConst+32(SB), Z%d, K%d", k, m), // NLE_UQ: |x| > limit or NaN
		fmt.Sprintf("KORB K%d, K2, K2", m),
	}
	s = append(s, expCoreZ(r, k, w)...)
	return append(s, fmt.Sprintf("VMOVUPD Z%d, %d(DI)", w, off))
}

// gaussSums: Σ w_j and Σ w_j·u_j with u_j = q − m·x_j and w_j =
// e^max(−inv·u_j² − shift, −expLimit). Three blocks an iteration, to
// keep the FMA units busy (docs/performance.md); the weights are still added to the
// sums block by block in order, so the result does not depend on the
// interleaving. Registers: Y6 q, Y7 m, Y8 inv, Y9 shift, Y12 sum, Y13
// moment; per block three (Y0-Y2, Y3-Y5, Y10 Y11 Y14): x, then e and r;
// u, then k and the bits of 2^k; the weight. u, needed again for the
// moment, is recomputed from x rather than held.
func gaussSums() {
	out.Text(`
// func gaussSumsAVX2(xs *float64, n int, q, m, inv, shift float64) (sum, moment float64)
// n is a positive multiple of 4; see asm_gen.go.
TEXT ·gaussSumsAVX2(SB), NOSPLIT, $0-64
`)
	p("MOVQ xs+0(FP), SI")
	p("MOVQ n+8(FP), CX")
	p("SHRQ $2, CX")
	p("VBROADCASTSD q+16(FP), Y6")
	p("VBROADCASTSD m+24(FP), Y7")
	p("VBROADCASTSD inv+32(FP), Y8")
	p("VBROADCASTSD shift+40(FP), Y9")
	p("VXORPD Y12, Y12, Y12")
	p("VXORPD Y13, Y13, Y13")
	regs := [][3]int{{0, 1, 2}, {3, 4, 5}, {10, 11, 14}}
	loop("gs", 3, func(j, off int) []string {
		x, u, w := regs[j][0], regs[j][1], regs[j][2]
		s := []string{
			fmt.Sprintf("VMOVUPD %d(SI), Y%d", off, x),
			fmt.Sprintf("VMOVAPD Y6, Y%d", u),
			fmt.Sprintf("VFNMADD231PD Y%d, Y7, Y%d", x, u), // u = q − m·x
			fmt.Sprintf("VMULPD Y%d, Y%d, Y%d", u, u, x),
			fmt.Sprintf("VFNMSUB213PD Y9, Y8, Y%d", x), // e = −inv·u² − shift
			fmt.Sprintf("VMAXPD %s, Y%d, Y%d", gc(cMinArg), x, x),
		}
		s = append(s, expCore(x, u, w)...)
		return append(s,
			fmt.Sprintf("VMOVAPD Y6, Y%d", x),
			fmt.Sprintf("VFNMADD231PD %d(SI), Y7, Y%d", off, x), // u again
			fmt.Sprintf("VADDPD Y%d, Y12, Y12", w),
			fmt.Sprintf("VFMADD231PD Y%d, Y%d, Y13", w, x))
	}, func(bytes int) { p("ADDQ $%d, SI", bytes) })
	for i, name := range []string{"sum", "moment"} {
		p("VEXTRACTF128 $1, Y%d, X%d", 12+i, i)
		p("VADDPD X%d, X%d, X%d", i, 12+i, i)
		p("VHADDPD X%d, X%d, X%d", i, i, i)
		p("VMOVSD X%d, %s+%d(FP)", i, name, 48+8*i)
	}
	p("VZEROUPPER")
	p("RET")
}

func main() {
	expSlice()
	expSliceZ()
	gaussSums()
	if err := out.WriteFile("exp_amd64.s"); err != nil {
		log.Fatal(err)
	}
}
