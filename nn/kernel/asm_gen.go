//go:build ignore

// asm_gen writes kernel_amd64.s, the AVX2+FMA kernels. The loops come in
// several register-blocked variants (full blocks, remainder blocks, masked
// row tails), which are easier to get right generated than typed out.
//
// Run it with go generate (see dispatch_amd64.go).
package main

import (
	"fmt"
	"log"

	"scoresde/internal/asmgen"
)

var (
	out               = asmgen.New()
	p, label, comment = out.P, out.Label, out.Comment
	emit              = out.Interleave // independent chains, interleaved
)

// Indices of the broadcast constants in avxConst (dispatch_amd64.go); each
// entry is 8 float32 lanes = 32 bytes.
const (
	cP0 = iota
	cP1
	cP2
	cP3
	cP4
	cQ1
	cQ2
	cQ3
	cAbs
	cSign
	cOne
	cSat
	nConst
)

func k(i int) string { return fmt.Sprintf("·avxConst+%d(SB)", 32*i) }

// tanhConsts says which tanh constants live in which registers; the
// others are memory operands.
type tanhConsts map[int]int

// The tanh uses Y0-Y5; the constants most used as register operands go in
// Y6-Y14, leaving Y15 for a masked loop's mask.
var tanhRegs = tanhConsts{cP3: 6, cP2: 7, cP1: 8, cP0: 9, cQ2: 10, cQ1: 11, cAbs: 12, cOne: 13, cSat: 14}

// load fills the constant registers.
func (tc tanhConsts) load() {
	for c := range nConst {
		if r, ok := tc[c]; ok {
			p("VMOVUPS %s, Y%d", k(c), r)
		}
	}
}

func (tc tanhConsts) op(i int) string {
	if r, ok := tc[i]; ok {
		return fmt.Sprintf("Y%d", r)
	}
	return k(i)
}

// tanhCode returns the instructions computing Y1 = tanh(Y0): the rational
// approximation of tanhRef, x·(p(x²)/q(x²)), with the same coefficients
// and saturation fix-up, but with p and q evaluated by Horner's rule with
// FMAs. On the 128-bit-datapath
// core this was tuned on, the few extra multiplications of Estrin's
// scheme cost more than its shorter dependency chains save.
// Y0 is preserved; Y2-Y5 are scratch. Every caller runs this sequence,
// whichever operands are registers, so all vectorised tanh values agree
// bit for bit.
func tanhCode(tc tanhConsts) []string {
	const x, y, c, x2, q, u = 0, 1, 2, 3, 4, 5
	var s []string
	e := func(format string, args ...any) { s = append(s, fmt.Sprintf(format, args...)) }
	e("VMULPS Y%d, Y%d, Y%d", x, x, x2)
	// p = (((P4 x² + P3) x² + P2) x² + P1) x² + P0,
	// q = ((Q3 x² + Q2) x² + Q1) x² + 1, the two chains interleaved.
	e("VMOVUPS %s, Y%d", k(cP4), y)
	e("VMOVUPS %s, Y%d", k(cQ3), q)
	pc := []int{cP3, cP2, cP1, cP0}
	qc := []int{cQ2, cQ1, cOne}
	for j, a := range pc {
		e("VFMADD213PS %s, Y%d, Y%d", tc.op(a), x2, y)
		if j < len(qc) {
			e("VFMADD213PS %s, Y%d, Y%d", tc.op(qc[j]), x2, q)
		}
	}
	e("VDIVPS Y%d, Y%d, Y%d", q, y, y)
	e("VMULPS Y%d, Y%d, Y%d", x, y, y)
	// |x| ≥ tanhSat: ±1 (false for NaN).
	e("VANDPS %s, Y%d, Y%d", tc.op(cAbs), x, c)
	e("VCMPPS $0x1d, %s, Y%d, Y%d", tc.op(cSat), c, q) // GE_OQ
	e("VXORPS Y%d, Y%d, Y%d", c, x, u)                 // sign of x
	e("VORPS %s, Y%d, Y%d", tc.op(cOne), u, u)
	e("VBLENDVPS Y%d, Y%d, Y%d, Y%d", q, u, y, y)
	return s
}

// loadMask sets Y[reg] to the lane mask for the last n = bytes/4 < 8 lanes
// of a row (lanes < n all ones), using scratch register tmp.
func loadMask(bytesReg, tmp string, reg int) {
	p("LEAQ ·tailMask+32(SB), %s", tmp)
	p("SUBQ %s, %s", bytesReg, tmp)
	p("VMOVUPS (%s), Y%d", tmp, reg)
}

// gemmBcast: dst[k*L+r] = act(init_k + Σ_j w[k*ks+j*js]·src[j*L+r]) for
// k < nout, j < nred, r < L; init_k = bias[k] if flags&1 else 0, act =
// tanh if flags&2.
//
// Registers: R8 L*4, R9 ks*4, R10 3*ks*4, R11 js*4, R12 nred, R13 k,
// R14 r*4, BX bias, CX j count, SI src, DX w, DI dst, AX scratch.
// Y0-Y11 accumulators. The full 3-output × 4-vector block keeps its three
// weight broadcasts in Y12-Y14 and streams the src vectors through Y15
// (3 broadcasts per 12 FMAs; the 4×3 block it replaced needed 4). Narrower blocks hold up to 3 src vectors in Y12-Y14
// and broadcast into Y15; masked blocks keep the row mask in Y13.
//
// gemmRowBlocks and gemmOutBlocks are the block sizes tried in turn: rows
// in vectors of 8 (0: the masked tail of < 8 rows) and output features.
var (
	gemmRowBlocks = []int{4, 2, 1, 0}
	gemmOutBlocks = []int{3, 2, 1}
)

func gemmBcast() {
	out.Text(`
// func gemmBcastAVX2(dst, src, w, bias *float32, nout, nred, L, ks, js, flags int)
TEXT ·gemmBcastAVX2(SB), NOSPLIT, $0-80
`)
	p("MOVQ L+48(FP), R8")
	p("SHLQ $2, R8")
	p("MOVQ ks+56(FP), R9")
	p("SHLQ $2, R9")
	p("LEAQ (R9)(R9*2), R10")
	p("MOVQ js+64(FP), R11")
	p("SHLQ $2, R11")
	p("MOVQ nred+40(FP), R12")
	p("MOVQ bias+24(FP), BX")
	p("XORQ R14, R14")
	rbs := gemmRowBlocks
	for bi, rb := range rbs { // 0: masked tail of < 8 rows
		name := fmt.Sprintf("rb%d", rb)
		label("gb_" + name)
		p("MOVQ R8, AX")
		p("SUBQ R14, AX")
		switch rb {
		case 0:
			p("JEQ gb_done")
			loadMask("AX", "CX", 13)
		default:
			p("CMPQ AX, $%d", 32*rb)
			p("JLT gb_rb%d", rbs[bi+1])
		}
		p("XORQ R13, R13")
		for _, ob := range gemmOutBlocks {
			v := fmt.Sprintf("%s_ob%d", name, ob)
			label("gb_" + v)
			p("MOVQ nout+32(FP), AX")
			p("SUBQ R13, AX")
			p("CMPQ AX, $%d", ob)
			p("JLT gb_%s_next%d", name, ob)
			gemmBcastBody(ob, rb, v)
			p("ADDQ $%d, R13", ob)
			if ob == gemmOutBlocks[0] {
				p("JMP gb_" + v)
			}
			label(fmt.Sprintf("gb_%s_next%d", name, ob))
		}
		// tanh over the finished column block of every output row, while
		// it is in L1.
		p("MOVQ flags+72(FP), AX")
		p("TESTQ $2, AX")
		p("JEQ gb_%s_notanh", name)
		p("MOVQ dst+0(FP), DI")
		p("ADDQ R14, DI")
		if rb == 0 {
			p("MOVQ R8, AX")
			p("SUBQ R14, AX")
			loadMask("AX", "CX", 15)
		}
		tanhRegs.load()
		p("MOVQ nout+32(FP), CX")
		label("gb_" + name + "_tanh")
		nv := max(rb, 1)
		for v := range nv {
			if rb == 0 {
				p("VMASKMOVPS (DI), Y15, Y0")
			} else {
				p("VMOVUPS %d(DI), Y0", 32*v)
			}
			emit(tanhCode(tanhRegs))
			if rb == 0 {
				p("VMASKMOVPS Y1, Y15, (DI)")
			} else {
				p("VMOVUPS Y1, %d(DI)", 32*v)
			}
		}
		p("ADDQ R8, DI")
		p("DECQ CX")
		p("JNE gb_%s_tanh", name)
		label("gb_" + name + "_notanh")
		if rb == 0 {
			p("JMP gb_done")
		} else {
			p("ADDQ $%d, R14", 32*rb)
			p("JMP gb_" + name)
		}
	}
	label("gb_done")
	p("VZEROUPPER")
	p("RET")
}

func gemmBcastBody(ob, rb int, v string) {
	nv := max(rb, 1)
	acc := func(kk, j int) int { return kk*nv + j }
	wAddr := []string{"(DX)", "(DX)(R9*1)", "(DX)(R9*2)", "(DX)(R10*1)"}
	p("MOVQ src+8(FP), SI")
	p("ADDQ R14, SI")
	p("MOVQ R13, DX")
	p("IMULQ R9, DX")
	p("ADDQ w+16(FP), DX")
	p("MOVQ flags+72(FP), AX")
	p("TESTQ $1, AX")
	p("JEQ gb_%s_zero", v)
	for kk := range ob {
		p("VBROADCASTSS %d(BX)(R13*4), Y%d", 4*kk, acc(kk, 0))
		for j := 1; j < nv; j++ {
			p("VMOVAPS Y%d, Y%d", acc(kk, 0), acc(kk, j))
		}
	}
	p("JMP gb_%s_init", v)
	label("gb_" + v + "_zero")
	for kk := range ob {
		for j := range nv {
			p("VXORPS Y%[1]d, Y%[1]d, Y%[1]d", acc(kk, j))
		}
	}
	label("gb_" + v + "_init")
	p("MOVQ R12, CX")
	p("TESTQ CX, CX")
	p("JEQ gb_%s_store", v)
	label("gb_" + v + "_loop")
	if nv <= 3 || rb == 0 {
		// The row vectors in Y12.., one weight broadcast at a time in Y15.
		for j := range nv {
			if rb == 0 {
				p("VMASKMOVPS (SI), Y13, Y12")
			} else {
				p("VMOVUPS %d(SI), Y%d", 32*j, 12+j)
			}
		}
		for kk := range ob {
			p("VBROADCASTSS %s, Y15", wAddr[kk])
			for j := range nv {
				p("VFMADD231PS Y%d, Y15, Y%d", 12+j, acc(kk, j))
			}
		}
	} else {
		// The ob weights broadcast once into Y[16-ob].., the row vectors
		// streamed through Y15: fewer broadcasts per FMA.
		for kk := range ob {
			p("VBROADCASTSS %s, Y%d", wAddr[kk], 15-ob+kk)
		}
		for j := range nv {
			p("VMOVUPS %d(SI), Y15", 32*j)
			for kk := range ob {
				p("VFMADD231PS Y15, Y%d, Y%d", 15-ob+kk, acc(kk, j))
			}
		}
	}
	p("ADDQ R8, SI")
	p("ADDQ R11, DX")
	p("DECQ CX")
	p("JNE gb_%s_loop", v)
	label("gb_" + v + "_store")
	p("MOVQ R13, DI")
	p("IMULQ R8, DI")
	p("ADDQ dst+0(FP), DI")
	p("ADDQ R14, DI")
	p("LEAQ (DI)(R8*2), AX")
	dAddr := []string{"(DI)", "(DI)(R8*1)", "(AX)", "(AX)(R8*1)"}
	for kk := range ob {
		for j := range nv {
			if rb == 0 {
				p("VMASKMOVPS Y%d, Y13, %s", acc(kk, j), dAddr[kk])
			} else {
				p("VMOVUPS Y%d, %d%s", acc(kk, j), 32*j, dAddr[kk])
			}
		}
	}
}

// dotAcc: dw[o*nin+i] = Σ_r a[o*L+r]·b[i*L+r].
//
// Blocks of 3 outputs × 4 inputs keep 12 dot products in flight; each
// step loads 3 vectors of a and 4 of b for 12 FMAs. Narrower blocks handle
// the remainders. Each accumulator holds 8 interleaved partial sums over
// r, reduced horizontally at the end of the block.
//
// Registers: R8 L*4, R9 3*L*4, R10 nin*4, R11 i, DI o, R12 full vectors
// per row, R13 tail bytes, R14 address of the tail mask, BX a, DX b,
// SI dw, CX count, AX scratch.
func dotAcc() {
	out.Text(`
// func dotAccAVX2(dw, a, b *float32, nout, nin, L int)
TEXT ·dotAccAVX2(SB), NOSPLIT, $0-48
`)
	p("MOVQ L+40(FP), R8")
	p("MOVQ R8, R12")
	p("SHRQ $3, R12")
	p("MOVQ R8, R13")
	p("ANDQ $7, R13")
	p("SHLQ $2, R13")
	p("SHLQ $2, R8")
	p("LEAQ (R8)(R8*2), R9")
	p("MOVQ nin+32(FP), R10")
	p("SHLQ $2, R10")
	p("LEAQ ·tailMask+32(SB), R14")
	p("SUBQ R13, R14")
	p("XORQ DI, DI")
	for _, ob := range []int{3, 2, 1} {
		label(fmt.Sprintf("da_ob%d", ob))
		p("MOVQ nout+24(FP), AX")
		p("SUBQ DI, AX")
		p("CMPQ AX, $%d", ob)
		p("JLT da_ob%d_next", ob)
		p("XORQ R11, R11")
		for _, ib := range []int{4, 2, 1} {
			v := fmt.Sprintf("o%di%d", ob, ib)
			label("da_" + v)
			p("MOVQ nin+32(FP), AX")
			p("SUBQ R11, AX")
			p("CMPQ AX, $%d", ib)
			p("JLT da_%s_next", v)
			dotBody(ob, ib, v)
			p("ADDQ $%d, R11", ib)
			if ib == 4 {
				p("JMP da_" + v)
			}
			label("da_" + v + "_next")
		}
		p("ADDQ $%d, DI", ob)
		if ob == 3 {
			p("JMP da_ob3")
		}
		label(fmt.Sprintf("da_ob%d_next", ob))
	}
	p("VZEROUPPER")
	p("RET")
}

// dotBody emits one ob×ib block. Accumulator (kk, ii) is Y[kk*ib+ii]. If
// everything fits, a rows are in Y12-Y14, b rows in Y8-Y11 and the tail
// mask in Y15; the 3×4 block has 12 accumulators and streams b through
// Y15, reloading the mask for each masked load.
func dotBody(ob, ib int, v string) {
	acc := func(kk, ii int) int { return kk*ib + ii }
	stream := ob*ib > 8
	aAddr := []string{"(BX)", "(BX)(R8*1)", "(BX)(R8*2)"}
	bAddr := []string{"(DX)", "(DX)(R8*1)", "(DX)(R8*2)", "(DX)(R9*1)"}
	aReg := func(kk int) int { return 12 + kk }
	bReg := func(ii int) int {
		if stream {
			return 15
		}
		return 8 + ii
	}
	p("MOVQ DI, BX")
	p("IMULQ R8, BX")
	p("ADDQ a+8(FP), BX")
	p("MOVQ R11, DX")
	p("IMULQ R8, DX")
	p("ADDQ b+16(FP), DX")
	for j := range ob * ib {
		p("VXORPS Y%[1]d, Y%[1]d, Y%[1]d", j)
	}
	step := func(masked bool) {
		ld := func(addr string, reg int) {
			if masked {
				p("VMASKMOVPS %s, Y15, Y%d", addr, reg)
			} else {
				p("VMOVUPS %s, Y%d", addr, reg)
			}
		}
		if masked {
			p("VMOVUPS (R14), Y15")
		}
		for kk := range ob {
			ld(aAddr[kk], aReg(kk))
		}
		if !stream {
			for ii := range ib {
				ld(bAddr[ii], bReg(ii))
			}
		}
		for ii := range ib {
			if stream {
				if masked {
					p("VMOVUPS (R14), Y15")
				}
				ld(bAddr[ii], 15)
			}
			for kk := range ob {
				p("VFMADD231PS Y%d, Y%d, Y%d", bReg(ii), aReg(kk), acc(kk, ii))
			}
		}
	}
	p("MOVQ R12, CX")
	p("TESTQ CX, CX")
	p("JEQ da_%s_tail", v)
	label("da_" + v + "_loop")
	step(false)
	p("ADDQ $32, BX")
	p("ADDQ $32, DX")
	p("DECQ CX")
	p("JNE da_%s_loop", v)
	label("da_" + v + "_tail")
	p("TESTQ R13, R13")
	p("JEQ da_%s_sum", v)
	step(true)
	label("da_" + v + "_sum")
	// SI = &dw[o*nin+i]
	p("MOVQ DI, SI")
	p("IMULQ R10, SI")
	p("LEAQ (SI)(R11*4), SI")
	p("ADDQ dw+0(FP), SI")
	wAddr := []string{"(SI)", "(SI)(R10*1)", "(SI)(R10*2)"}
	if ib == 4 {
		kk := 0
		for ; kk+2 <= ob; kk += 2 {
			// Rows kk, kk+1: the lanes of Y[b] become their eight sums.
			b := acc(kk, 0)
			p("VHADDPS Y%d, Y%d, Y%d", b+1, b, b)
			p("VHADDPS Y%d, Y%d, Y%d", b+3, b+2, b+2)
			p("VHADDPS Y%d, Y%d, Y%d", b+5, b+4, b+4)
			p("VHADDPS Y%d, Y%d, Y%d", b+7, b+6, b+6)
			p("VHADDPS Y%d, Y%d, Y%d", b+2, b, b)
			p("VHADDPS Y%d, Y%d, Y%d", b+6, b+4, b+4)
			p("VPERM2F128 $0x20, Y%d, Y%d, Y%d", b+4, b, b+1)
			p("VPERM2F128 $0x31, Y%d, Y%d, Y%d", b+4, b, b+2)
			p("VADDPS Y%d, Y%d, Y%d", b+2, b+1, b)
			p("VMOVUPS X%d, %s", b, wAddr[kk])
			p("VEXTRACTF128 $1, Y%d, X%d", b, b+2)
			p("VMOVUPS X%d, %s", b+2, wAddr[kk+1])
		}
		if kk < ob {
			// One row: four sums.
			b := acc(kk, 0)
			p("VHADDPS Y%d, Y%d, Y%d", b+1, b, b)
			p("VHADDPS Y%d, Y%d, Y%d", b+3, b+2, b+2)
			p("VHADDPS Y%d, Y%d, Y%d", b+2, b, b)
			p("VEXTRACTF128 $1, Y%d, X%d", b, b+1)
			p("VADDPS X%d, X%d, X%d", b+1, b, b)
			p("VMOVUPS X%d, %s", b, wAddr[kk])
		}
		return
	}
	for kk := range ob {
		for ii := range ib {
			a := acc(kk, ii)
			p("VEXTRACTF128 $1, Y%d, X15", a)
			p("VADDPS X%d, X15, X15", a)
			p("VHADDPS X15, X15, X15")
			p("VHADDPS X15, X15, X15")
			p("VMOVSS X15, %d%s", 4*ii, wAddr[kk])
		}
	}
}

// dpre: for each of out rows of L: if flags&1, da = da·(1-a²); then
// db[o] = Σ_r da[o,r].
//
// Registers: SI da, DX a, BX db, DI rows left, R12 full vectors per row,
// R13 tail bytes, CX count, AX scratch. Y0-Y1 sums, Y14 tail mask.
func dpre() {
	out.Text(`
// func dpreAVX2(da, a, db *float32, out, L, flags int)
TEXT ·dpreAVX2(SB), NOSPLIT, $0-48
`)
	p("MOVQ L+32(FP), R12")
	p("MOVQ R12, R13")
	p("SHRQ $3, R12")
	p("ANDQ $7, R13")
	p("SHLQ $2, R13")
	p("TESTQ R13, R13")
	p("JEQ dp_nomask")
	loadMask("R13", "AX", 14)
	label("dp_nomask")
	p("MOVQ da+0(FP), SI")
	p("MOVQ a+8(FP), DX")
	p("MOVQ db+16(FP), BX")
	p("MOVQ out+24(FP), DI")
	p("VMOVUPS %s, Y15", k(cOne))
	p("MOVQ flags+40(FP), AX")
	p("TESTQ $1, AX")
	p("JEQ dp_lin_row")
	for _, act := range []bool{true, false} {
		n := "lin"
		if act {
			n = "tanh"
		}
		// vec transforms Y[d] in place (a in Y[t] when masked is false
		// and act); off is the byte offset.
		vec := func(d, t, off int, masked bool) {
			if masked {
				p("VMASKMOVPS (SI), Y14, Y%d", d)
			} else {
				p("VMOVUPS %d(SI), Y%d", off, d)
			}
			if act {
				if masked {
					p("VMASKMOVPS (DX), Y14, Y%d", t)
				} else {
					p("VMOVUPS %d(DX), Y%d", off, t)
				}
				// 1-a² with one rounding: no cancellation when |a| ≈ 1.
				p("VFNMADD213PS Y15, Y%[1]d, Y%[1]d", t)
				p("VMULPS Y%d, Y%d, Y%d", t, d, d)
				if masked {
					p("VMASKMOVPS Y%d, Y14, (SI)", d)
				} else {
					p("VMOVUPS Y%d, %d(SI)", d, off)
				}
			}
		}
		label("dp_" + n + "_row")
		p("VXORPS Y0, Y0, Y0")
		p("VXORPS Y1, Y1, Y1")
		p("MOVQ R12, CX")
		label("dp_" + n + "_pair")
		p("CMPQ CX, $2")
		p("JLT dp_%s_single", n)
		vec(2, 3, 0, false)
		vec(4, 5, 32, false)
		p("VADDPS Y2, Y0, Y0")
		p("VADDPS Y4, Y1, Y1")
		p("ADDQ $64, SI")
		p("ADDQ $64, DX")
		p("SUBQ $2, CX")
		p("JMP dp_%s_pair", n)
		label("dp_" + n + "_single")
		p("TESTQ CX, CX")
		p("JEQ dp_%s_tail", n)
		vec(2, 3, 0, false)
		p("VADDPS Y2, Y0, Y0")
		p("ADDQ $32, SI")
		p("ADDQ $32, DX")
		label("dp_" + n + "_tail")
		p("TESTQ R13, R13")
		p("JEQ dp_%s_sum", n)
		vec(2, 3, 0, true)
		p("VADDPS Y2, Y1, Y1")
		p("ADDQ R13, SI")
		p("ADDQ R13, DX")
		label("dp_" + n + "_sum")
		p("VADDPS Y1, Y0, Y0")
		p("VEXTRACTF128 $1, Y0, X1")
		p("VADDPS X0, X1, X1")
		p("VHADDPS X1, X1, X1")
		p("VHADDPS X1, X1, X1")
		p("VMOVSS X1, (BX)")
		p("ADDQ $4, BX")
		p("DECQ DI")
		p("JNE dp_%s_row", n)
		p("VZEROUPPER")
		p("RET")
	}
}

// adam: the Adam update of adamRef, with the same operations in the same
// order (no FMA), so that it rounds like the reference.
func adam() {
	out.Text(`
// func adamAVX2(p, grad, m, v *float32, n int, b1, b2, c1, c2, eps, stepSize, invSqrtBC2 float32)
TEXT ·adamAVX2(SB), NOSPLIT, $0-68
`)
	p("MOVQ p+0(FP), DI")
	p("MOVQ grad+8(FP), SI")
	p("MOVQ m+16(FP), DX")
	p("MOVQ v+24(FP), BX")
	p("MOVQ n+32(FP), CX")
	p("VBROADCASTSS b1+40(FP), Y8")
	p("VBROADCASTSS b2+44(FP), Y9")
	p("VBROADCASTSS c1+48(FP), Y10")
	p("VBROADCASTSS c2+52(FP), Y11")
	p("VBROADCASTSS eps+56(FP), Y12")
	p("VBROADCASTSS stepSize+60(FP), Y13")
	p("VBROADCASTSS invSqrtBC2+64(FP), Y14")
	p("XORQ AX, AX")
	body := func(masked bool) {
		ld := func(base string, reg int) {
			if masked {
				p("VMASKMOVPS (%s)(AX*1), Y15, Y%d", base, reg)
			} else {
				p("VMOVUPS (%s)(AX*1), Y%d", base, reg)
			}
		}
		st := func(reg int, base string) {
			if masked {
				p("VMASKMOVPS Y%d, Y15, (%s)(AX*1)", reg, base)
			} else {
				p("VMOVUPS Y%d, (%s)(AX*1)", reg, base)
			}
		}
		ld("SI", 0)
		ld("DX", 1)
		ld("BX", 2)
		ld("DI", 3)
		p("VMULPS Y1, Y8, Y4") // b1*m
		p("VMULPS Y0, Y10, Y5")
		p("VADDPS Y5, Y4, Y1") // m = b1*m + c1*g
		p("VMULPS Y2, Y9, Y4")
		p("VMULPS Y0, Y11, Y5")
		p("VMULPS Y0, Y5, Y5")
		p("VADDPS Y5, Y4, Y2") // v = b2*v + (c2*g)*g
		p("VSQRTPS Y2, Y4")
		p("VMULPS Y14, Y4, Y4")
		p("VADDPS Y12, Y4, Y4")
		p("VMULPS Y1, Y13, Y5")
		p("VDIVPS Y4, Y5, Y5")
		p("VSUBPS Y5, Y3, Y3")
		st(1, "DX")
		st(2, "BX")
		st(3, "DI")
	}
	label("ad_loop")
	p("CMPQ CX, $8")
	p("JLT ad_tail")
	body(false)
	p("ADDQ $32, AX")
	p("SUBQ $8, CX")
	p("JMP ad_loop")
	label("ad_tail")
	p("TESTQ CX, CX")
	p("JEQ ad_done")
	p("SHLQ $2, CX")
	loadMask("CX", "R8", 15)
	body(true)
	label("ad_done")
	p("VZEROUPPER")
	p("RET")
}

// tanhSlice: dst[j] = tanh(src[j]) for j < n.
func tanhSlice() {
	out.Text(`
// func tanhAVX2(dst, src *float32, n int)
TEXT ·tanhAVX2(SB), NOSPLIT, $0-24
`)
	p("MOVQ dst+0(FP), DI")
	p("MOVQ src+8(FP), SI")
	p("MOVQ n+16(FP), CX")
	p("XORQ AX, AX")
	tanhRegs.load()
	label("th_loop")
	p("CMPQ CX, $8")
	p("JLT th_tail")
	p("VMOVUPS (SI)(AX*1), Y0")
	emit(tanhCode(tanhRegs))
	p("VMOVUPS Y1, (DI)(AX*1)")
	p("ADDQ $32, AX")
	p("SUBQ $8, CX")
	p("JMP th_loop")
	label("th_tail")
	p("TESTQ CX, CX")
	p("JEQ th_done")
	p("SHLQ $2, CX")
	loadMask("CX", "DX", 15)
	p("VMASKMOVPS (SI)(AX*1), Y15, Y0")
	emit(tanhCode(tanhRegs))
	p("VMASKMOVPS Y1, Y15, (DI)(AX*1)")
	label("th_done")
	p("VZEROUPPER")
	p("RET")
}

// addSlice: dst[j] += src[j] for j < n, four vectors at a time.
func addSlice() {
	out.Text(`
// func addAVX2(dst, src *float32, n int)
TEXT ·addAVX2(SB), NOSPLIT, $0-24
`)
	p("MOVQ dst+0(FP), DI")
	p("MOVQ src+8(FP), SI")
	p("MOVQ n+16(FP), CX")
	p("XORQ AX, AX")
	label("add_loop4")
	p("CMPQ CX, $32")
	p("JLT add_loop1")
	for v := range 4 {
		p("VMOVUPS %d(DI)(AX*1), Y%d", 32*v, v)
	}
	for v := range 4 {
		p("VADDPS %d(SI)(AX*1), Y%d, Y%d", 32*v, v, v)
	}
	for v := range 4 {
		p("VMOVUPS Y%d, %d(DI)(AX*1)", v, 32*v)
	}
	p("ADDQ $128, AX")
	p("SUBQ $32, CX")
	p("JMP add_loop4")
	label("add_loop1")
	p("CMPQ CX, $8")
	p("JLT add_tail")
	p("VMOVUPS (DI)(AX*1), Y0")
	p("VADDPS (SI)(AX*1), Y0, Y0")
	p("VMOVUPS Y0, (DI)(AX*1)")
	p("ADDQ $32, AX")
	p("SUBQ $8, CX")
	p("JMP add_loop1")
	label("add_tail")
	p("TESTQ CX, CX")
	p("JEQ add_done")
	p("SHLQ $2, CX")
	loadMask("CX", "DX", 15)
	p("VMASKMOVPS (DI)(AX*1), Y15, Y0")
	p("VMASKMOVPS (SI)(AX*1), Y15, Y1")
	p("VADDPS Y1, Y0, Y0")
	p("VMASKMOVPS Y0, Y15, (DI)(AX*1)")
	label("add_done")
	p("VZEROUPPER")
	p("RET")
}

// peakLoop: n iterations of 12 independent 8-lane FMAs, the most a core
// can overlap, to measure its float32 peak (192 FLOP an iteration).
func peakLoop() {
	out.Text(`
// func peakAVX2(n int)
TEXT ·peakAVX2(SB), NOSPLIT, $0-8
`)
	p("MOVQ n+0(FP), CX")
	for a := range 14 {
		p("VXORPS Y%[1]d, Y%[1]d, Y%[1]d", a)
	}
	p("TESTQ CX, CX")
	p("JEQ pk_done")
	label("pk_loop")
	for a := range 12 {
		p("VFMADD231PS Y12, Y13, Y%d", a)
	}
	p("DECQ CX")
	p("JNE pk_loop")
	label("pk_done")
	p("VZEROUPPER")
	p("RET")
}

func main() {
	gemmBcast()
	dotAcc()
	dpre()
	adam()
	tanhSlice()
	addSlice()
	peakLoop()
	if err := out.WriteFile("kernel_amd64.s"); err != nil {
		log.Fatal(err)
	}
}
