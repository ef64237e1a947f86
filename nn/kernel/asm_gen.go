//go:build ignore

// asm_gen writes kernel_amd64.s: every kernel twice, for AVX2+FMA (8 lanes
// in Y registers, tail masks in a vector register) and for AVX-512 (16
// lanes in Z registers, tail masks in K1), from one description. The
// loops come in several register-blocked variants (full blocks, remainder
// blocks, masked row tails), which are easier to get right generated than
// typed out.
//
// Run it with go generate (see dispatch_amd64.go).
package main

import (
	"flag"
	"fmt"
	"log"

	"scoresde/internal/asmgen"
)

var (
	out               = asmgen.New()
	p, label, comment = out.P, out.Label, out.Comment
	emit              = out.Interleave // independent chains, interleaved
)

// isa is an instruction set the kernels are generated for.
type isa struct {
	suffix string // of the kernels' names
	r      string // vector register prefix
	lanes  int    // float32 lanes a vector
	nreg   int    // vector registers
	consts string // the broadcast constant table
	kmask  bool   // tail masks in K1 (AVX-512) rather than a vector register
}

var (
	avx2   = isa{suffix: "AVX2", r: "Y", lanes: 8, nreg: 16, consts: "·avxConst"}
	avx512 = isa{suffix: "AVX512", r: "Z", lanes: 16, nreg: 32, consts: "·avx512Const", kmask: true}
	cur    isa // the one being generated
)

// vb is a vector's size in bytes.
func vb() int { return 4 * cur.lanes }

// v names vector register i.
func v(i int) string { return fmt.Sprintf("%s%d", cur.r, i) }

// vzero zeroes vector register i (VXORPS on a Z register needs AVX512DQ;
// VPXORD needs only AVX512F).
func vzero(i int) string {
	if cur.kmask {
		return fmt.Sprintf("VPXORD %[1]s, %[1]s, %[1]s", v(i))
	}
	return fmt.Sprintf("VXORPS %[1]s, %[1]s, %[1]s", v(i))
}

// mload loads the lanes of addr selected by the tail mask into register
// dst (zeroing the others); mreg is the AVX2 mask register.
func mload(addr string, mreg, dst int) string {
	if cur.kmask {
		return fmt.Sprintf("VMOVUPS.Z %s, K1, %s", addr, v(dst))
	}
	return fmt.Sprintf("VMASKMOVPS %s, %s, %s", addr, v(mreg), v(dst))
}

// mstore stores the lanes of register src selected by the tail mask.
func mstore(src, mreg int, addr string) string {
	if cur.kmask {
		return fmt.Sprintf("VMOVUPS %s, K1, %s", v(src), addr)
	}
	return fmt.Sprintf("VMASKMOVPS %s, %s, %s", v(src), v(mreg), addr)
}

// Indices of the broadcast constants in avxConst and avx512Const
// (dispatch_amd64.go); each entry is one vector of equal lanes.
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

// flagAcc is gemmBcast's flag to continue the sums in dst (flagAcc in
// dispatch_amd64.go).
const flagAcc = 4

func k(i int) string { return fmt.Sprintf("%s+%d(SB)", cur.consts, vb()*i) }

// tanhConsts says which tanh constants live in which registers; the
// others are memory operands.
type tanhConsts map[int]int

// The tanh uses registers 0-5; the constants most used as register
// operands go in 6-14, leaving 15 for an AVX2 masked loop's mask.
var tanhRegs = tanhConsts{cP3: 6, cP2: 7, cP1: 8, cP0: 9, cQ2: 10, cQ1: 11, cAbs: 12, cOne: 13, cSat: 14}

// load fills the constant registers.
func (tc tanhConsts) load() {
	for c := range nConst {
		if r, ok := tc[c]; ok {
			p("VMOVUPS %s, %s", k(c), v(r))
		}
	}
}

func (tc tanhConsts) op(i int) string {
	if r, ok := tc[i]; ok {
		return v(r)
	}
	return k(i)
}

// tanhCode returns the instructions computing register 1 = tanh(register
// 0): the rational approximation of tanhRef, x·(p(x²)/q(x²)), with the
// same coefficients and saturation fix-up, but with p and q evaluated by
// Horner's rule with FMAs. On the 128-bit-datapath core this was tuned
// on, the few extra multiplications of Estrin's scheme cost more than its
// shorter dependency chains save. Register 0 is preserved; 2-5 (and K2)
// are scratch. Every caller, in either instruction set, runs this
// sequence, whichever operands are registers, so all vectorised tanh
// values agree bit for bit.
func tanhCode(tc tanhConsts) []string {
	const x, y, c, x2, q, u = 0, 1, 2, 3, 4, 5
	var s []string
	e := func(format string, args ...any) { s = append(s, fmt.Sprintf(format, args...)) }
	e("VMULPS %s, %s, %s", v(x), v(x), v(x2))
	// p = (((P4 x² + P3) x² + P2) x² + P1) x² + P0,
	// q = ((Q3 x² + Q2) x² + Q1) x² + 1, the two chains interleaved.
	e("VMOVUPS %s, %s", k(cP4), v(y))
	e("VMOVUPS %s, %s", k(cQ3), v(q))
	pc := []int{cP3, cP2, cP1, cP0}
	qc := []int{cQ2, cQ1, cOne}
	for j, a := range pc {
		e("VFMADD213PS %s, %s, %s", tc.op(a), v(x2), v(y))
		if j < len(qc) {
			e("VFMADD213PS %s, %s, %s", tc.op(qc[j]), v(x2), v(q))
		}
	}
	e("VDIVPS %s, %s, %s", v(q), v(y), v(y))
	e("VMULPS %s, %s, %s", v(x), v(y), v(y))
	// |x| ≥ tanhSat: ±1 (false for NaN).
	if cur.kmask {
		e("VPANDD %s, %s, %s", tc.op(cAbs), v(x), v(c))
		e("VCMPPS $0x1d, %s, %s, K2", tc.op(cSat), v(c)) // GE_OQ
		e("VPXORD %s, %s, %s", v(c), v(x), v(u))         // sign of x
		e("VPORD %s, %s, %s", tc.op(cOne), v(u), v(u))
		e("VMOVAPS %s, K2, %s", v(u), v(y))
		return s
	}
	e("VANDPS %s, %s, %s", tc.op(cAbs), v(x), v(c))
	e("VCMPPS $0x1d, %s, %s, %s", tc.op(cSat), v(c), v(q)) // GE_OQ
	e("VXORPS %s, %s, %s", v(c), v(x), v(u))               // sign of x
	e("VORPS %s, %s, %s", tc.op(cOne), v(u), v(u))
	e("VBLENDVPS %s, %s, %s, %s", v(q), v(u), v(y), v(y))
	return s
}

// setMask makes the tail mask for the last n = bytes/4 < lanes lanes of a
// row (lanes < n selected), using scratch register tmp: in Y[reg] for
// AVX2, in K1 for AVX-512.
func setMask(bytesReg, tmp string, reg int) {
	if cur.kmask {
		p("LEAQ ·kTailMask(SB), %s", tmp)
		p("KMOVW (%s)(%s*1), K1", tmp, bytesReg)
		return
	}
	p("LEAQ ·tailMask+32(SB), %s", tmp)
	p("SUBQ %s, %s", bytesReg, tmp)
	p("VMOVUPS (%s), Y%d", tmp, reg)
}

// foldZ adds the upper half of each Z register to its lower half, leaving
// the sums in the Y registers, so that the AVX2 horizontal reductions
// finish the job; a no-op for AVX2.
func foldZ(regs ...int) {
	if !cur.kmask {
		return
	}
	for _, r := range regs {
		p("VEXTRACTF64X4 $1, Z%d, Y31", r)
		p("VADDPS Y31, Y%[1]d, Y%[1]d", r)
	}
}

// gemmBcast: dst[k*L+r] = act(init_k + Σ_j w[k*ks+j*js]·src[j*L+r]) for
// k < nout, j < nred, r < L; init_k = dst[k*L+r] if flags&4, else bias[k]
// if flags&1, else 0; act = tanh if flags&2.
//
// Registers: R8 L*4, R9 ks*4, R10 3*ks*4, R11 js*4, R12 nred, R13 k,
// R14 r*4, BX bias, CX j count, SI src, DX w, DI dst, AX scratch.
// The accumulators come first. The full block of ob outputs × 4 vectors
// keeps its ob weight broadcasts in the registers just below the last and
// streams the src vectors through the last one (AVX2: 3 broadcasts per 12
// FMAs; the 4×3 block it replaced needed 4, and ran 3% slower). Narrower
// blocks hold up to 3 src vectors in the registers 4 below the last and
// broadcast into the last; AVX2 masked blocks keep the row mask in Y13.
//
// gemmRowBlocks and gemmOutBlocks are the block sizes tried in turn: rows
// in vectors (0: the masked tail of < lanes rows) and output features;
// each after the first runs at most once, so each must be at most one
// more than the next.
var gemmRowBlocks = []int{4, 2, 1, 0}

func gemmOutBlocks() []int {
	if cur.nreg == 32 {
		return []int{5, 4, 3, 2, 1} // 20 accumulators, 5 broadcasts, 1 stream
	}
	return []int{3, 2, 1}
}

func gemmBcast() {
	out.Text(fmt.Sprintf(`
// func gemmBcast%[1]s(dst, src, w, bias *float32, nout, nred, L, ks, js, flags int)
TEXT ·gemmBcast%[1]s(SB), NOSPLIT, $0-80
`, cur.suffix))
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
	obs := gemmOutBlocks()
	for bi, rb := range rbs { // 0: masked tail of < lanes rows
		name := fmt.Sprintf("rb%d", rb)
		label("gb_" + name)
		p("MOVQ R8, AX")
		p("SUBQ R14, AX")
		switch rb {
		case 0:
			p("JEQ gb_done")
			setMask("AX", "CX", 13)
		default:
			p("CMPQ AX, $%d", vb()*rb)
			p("JLT gb_rb%d", rbs[bi+1])
		}
		p("XORQ R13, R13")
		for _, ob := range obs {
			v := fmt.Sprintf("%s_ob%d", name, ob)
			label("gb_" + v)
			p("MOVQ nout+32(FP), AX")
			p("SUBQ R13, AX")
			p("CMPQ AX, $%d", ob)
			p("JLT gb_%s_next%d", name, ob)
			gemmBcastBody(ob, rb, v)
			p("ADDQ $%d, R13", ob)
			if ob == obs[0] {
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
			setMask("AX", "CX", 15)
		}
		tanhRegs.load()
		p("MOVQ nout+32(FP), CX")
		label("gb_" + name + "_tanh")
		nv := max(rb, 1)
		for j := range nv {
			if rb == 0 {
				p("%s", mload("(DI)", 15, 0))
			} else {
				p("VMOVUPS %d(DI), %s", vb()*j, v(0))
			}
			emit(tanhCode(tanhRegs))
			if rb == 0 {
				p("%s", mstore(1, 15, "(DI)"))
			} else {
				p("VMOVUPS %s, %d(DI)", v(1), vb()*j)
			}
		}
		p("ADDQ R8, DI")
		p("DECQ CX")
		p("JNE gb_%s_tanh", name)
		label("gb_" + name + "_notanh")
		if rb == 0 {
			p("JMP gb_done")
		} else {
			p("ADDQ $%d, R14", vb()*rb)
			p("JMP gb_" + name)
		}
	}
	label("gb_done")
	p("VZEROUPPER")
	p("RET")
}

func gemmBcastBody(ob, rb int, name string) {
	nv := max(rb, 1)
	acc := func(kk, j int) int { return kk*nv + j }
	last := cur.nreg - 1
	wAddr := []string{"(DX)", "(DX)(R9*1)", "(DX)(R9*2)", "(DX)(R10*1)", "(DX)(R9*4)"}
	// dAddr[kk] is output kk's row in the block, after dstAddrs.
	dAddr := []string{"(DI)", "(DI)(R8*1)", "(AX)", "(AX)(R8*1)", "(DI)(R8*4)"}
	dstAddrs := func() {
		p("MOVQ R13, DI")
		p("IMULQ R8, DI")
		p("ADDQ dst+0(FP), DI")
		p("ADDQ R14, DI")
		p("LEAQ (DI)(R8*2), AX")
	}
	p("MOVQ src+8(FP), SI")
	p("ADDQ R14, SI")
	p("MOVQ R13, DX")
	p("IMULQ R9, DX")
	p("ADDQ w+16(FP), DX")
	p("MOVQ flags+72(FP), AX")
	p("TESTQ $%d, AX", flagAcc)
	p("JEQ gb_%s_noacc", name)
	// Continue the sums in dst (an earlier call did the first inputs).
	dstAddrs()
	for kk := range ob {
		for j := range nv {
			if rb == 0 {
				p("%s", mload(dAddr[kk], 13, acc(kk, j)))
			} else {
				p("VMOVUPS %d%s, %s", vb()*j, dAddr[kk], v(acc(kk, j)))
			}
		}
	}
	p("JMP gb_%s_init", name)
	label("gb_" + name + "_noacc")
	p("TESTQ $1, AX")
	p("JEQ gb_%s_zero", name)
	for kk := range ob {
		p("VBROADCASTSS %d(BX)(R13*4), %s", 4*kk, v(acc(kk, 0)))
		for j := 1; j < nv; j++ {
			p("VMOVAPS %s, %s", v(acc(kk, 0)), v(acc(kk, j)))
		}
	}
	p("JMP gb_%s_init", name)
	label("gb_" + name + "_zero")
	for kk := range ob {
		for j := range nv {
			p("%s", vzero(acc(kk, j)))
		}
	}
	label("gb_" + name + "_init")
	p("MOVQ R12, CX")
	p("TESTQ CX, CX")
	p("JEQ gb_%s_store", name)
	label("gb_" + name + "_loop")
	if nv <= 3 || rb == 0 {
		// The row vectors in the registers from last-3, one weight
		// broadcast at a time in the last.
		for j := range nv {
			if rb == 0 {
				p("%s", mload("(SI)", 13, last-3))
			} else {
				p("VMOVUPS %d(SI), %s", vb()*j, v(last-3+j))
			}
		}
		for kk := range ob {
			p("VBROADCASTSS %s, %s", wAddr[kk], v(last))
			for j := range nv {
				p("VFMADD231PS %s, %s, %s", v(last-3+j), v(last), v(acc(kk, j)))
			}
		}
	} else {
		// The ob weights broadcast once into the registers below the
		// last, the row vectors streamed through the last: fewer
		// broadcasts per FMA.
		for kk := range ob {
			p("VBROADCASTSS %s, %s", wAddr[kk], v(last-ob+kk))
		}
		for j := range nv {
			p("VMOVUPS %d(SI), %s", vb()*j, v(last))
			for kk := range ob {
				p("VFMADD231PS %s, %s, %s", v(last), v(last-ob+kk), v(acc(kk, j)))
			}
		}
	}
	p("ADDQ R8, SI")
	p("ADDQ R11, DX")
	p("DECQ CX")
	p("JNE gb_%s_loop", name)
	label("gb_" + name + "_store")
	dstAddrs()
	for kk := range ob {
		for j := range nv {
			if rb == 0 {
				p("%s", mstore(acc(kk, j), 13, dAddr[kk]))
			} else {
				p("VMOVUPS %s, %d%s", v(acc(kk, j)), vb()*j, dAddr[kk])
			}
		}
	}
}

// dotAcc: dw[o*ldw+i] = Σ_r a[o*L+r]·b[i*L+r] for o < nout, i < nin.
//
// Blocks of 3 outputs × 4 inputs keep 12 dot products in flight; each
// step loads 3 vectors of a and 4 of b for 12 FMAs. Narrower blocks handle
// the remainders. Each accumulator holds a vector of interleaved partial
// sums over r, reduced horizontally at the end of the block.
//
// Registers: R8 L*4, R9 3*L*4, R10 ldw*4, R11 i, DI o, R12 full vectors
// per row, R13 tail bytes, R14 address of the tail mask, BX a, DX b,
// SI dw, CX count, AX scratch.
func dotAcc() {
	out.Text(fmt.Sprintf(`
// func dotAcc%[1]s(dw, a, b *float32, nout, nin, L, ldw int)
TEXT ·dotAcc%[1]s(SB), NOSPLIT, $0-56
`, cur.suffix))
	shift := map[int]int{8: 3, 16: 4}[cur.lanes]
	p("MOVQ L+40(FP), R8")
	p("MOVQ R8, R12")
	p("SHRQ $%d, R12", shift)
	p("MOVQ R8, R13")
	p("ANDQ $%d, R13", cur.lanes-1)
	p("SHLQ $2, R13")
	p("SHLQ $2, R8")
	p("LEAQ (R8)(R8*2), R9")
	p("MOVQ ldw+48(FP), R10")
	p("SHLQ $2, R10")
	if cur.kmask {
		setMask("R13", "R14", 0)
	} else {
		p("LEAQ ·tailMask+32(SB), R14")
		p("SUBQ R13, R14")
	}
	p("XORQ DI, DI")
	obs := dotOutBlocks()
	for _, ob := range obs {
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
		if ob == obs[0] {
			p("JMP da_ob%d", ob)
		}
		label(fmt.Sprintf("da_ob%d_next", ob))
	}
	p("VZEROUPPER")
	p("RET")
}

// dotOutBlocks are the output block sizes of dotAcc, tried in turn; each
// after the first runs at most once. With 32 registers the full block is
// 6 outputs × 4 inputs: the a rows in registers serve twice as many FMAs
// per b vector, which streams from L2.
func dotOutBlocks() []int {
	if cur.nreg == 32 {
		return []int{6, 3, 2, 1}
	}
	return []int{3, 2, 1}
}

// dotBody emits one ob×ib block. Accumulator (kk, ii) is register
// kk*ib+ii. AVX2: if everything fits, a rows are in Y12-Y14, b rows in
// Y8-Y11 and the tail mask in Y15; the 3×4 block has 12 accumulators and
// streams b through Y15, reloading the mask for each masked load.
// AVX-512: a rows in Z24-Z29, b rows in Z16-Z19 or streamed through Z31,
// the mask in K1; AX points 3 a rows past BX.
func dotBody(ob, ib int, name string) {
	acc := func(kk, ii int) int { return kk*ib + ii }
	stream := ob*ib > 8
	aAddr := []string{"(BX)", "(BX)(R8*1)", "(BX)(R8*2)", "(AX)", "(AX)(R8*1)", "(AX)(R8*2)"}
	bAddr := []string{"(DX)", "(DX)(R8*1)", "(DX)(R8*2)", "(DX)(R9*1)"}
	aBase, bBase, sReg := 12, 8, 15
	if cur.kmask {
		aBase, bBase, sReg = 24, 16, 31
	}
	far := ob > 3 // a rows beyond the third, addressed from AX
	aReg := func(kk int) int { return aBase + kk }
	bReg := func(ii int) int {
		if stream {
			return sReg
		}
		return bBase + ii
	}
	p("MOVQ DI, BX")
	p("IMULQ R8, BX")
	p("ADDQ a+8(FP), BX")
	p("MOVQ R11, DX")
	p("IMULQ R8, DX")
	p("ADDQ b+16(FP), DX")
	if far {
		p("LEAQ (BX)(R9*1), AX")
	}
	for j := range ob * ib {
		p("%s", vzero(j))
	}
	step := func(masked bool) {
		ld := func(addr string, reg int) {
			if masked {
				p("%s", mload(addr, 15, reg))
			} else {
				p("VMOVUPS %s, %s", addr, v(reg))
			}
		}
		reloadMask := func() {
			if masked && !cur.kmask {
				p("VMOVUPS (R14), Y15")
			}
		}
		reloadMask()
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
				reloadMask()
				ld(bAddr[ii], sReg)
			}
			for kk := range ob {
				p("VFMADD231PS %s, %s, %s", v(bReg(ii)), v(aReg(kk)), v(acc(kk, ii)))
			}
		}
	}
	p("MOVQ R12, CX")
	p("TESTQ CX, CX")
	p("JEQ da_%s_tail", name)
	label("da_" + name + "_loop")
	step(false)
	p("ADDQ $%d, BX", vb())
	if far {
		p("ADDQ $%d, AX", vb())
	}
	p("ADDQ $%d, DX", vb())
	p("DECQ CX")
	p("JNE da_%s_loop", name)
	label("da_" + name + "_tail")
	p("TESTQ R13, R13")
	p("JEQ da_%s_sum", name)
	step(true)
	label("da_" + name + "_sum")
	// SI = &dw[o*ldw+i]
	p("MOVQ DI, SI")
	p("IMULQ R10, SI")
	p("LEAQ (SI)(R11*4), SI")
	p("ADDQ dw+0(FP), SI")
	var all []int
	for j := range ob * ib {
		all = append(all, j)
	}
	foldZ(all...)
	wAddr := []string{"(SI)", "(SI)(R10*1)", "(SI)(R10*2)", "(AX)", "(AX)(R10*1)", "(AX)(R10*2)"}
	if far {
		p("LEAQ (SI)(R10*2), AX")
		p("ADDQ R10, AX")
	}
	if ib == 4 {
		kk := 0
		for ; kk+2 <= ob; kk += 2 {
			// Rows kk, kk+1: the lanes of Y[b] become their eight sums.
			b := acc(kk, 0)
			if b+7 > 15 {
				// VHADDPS reaches only Y0-Y15: move the sums down (the
				// rows before are stored).
				for j := range 8 {
					p("VMOVAPS Y%d, Y%d", b+j, j)
				}
				b = 0
			}
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
			if b+3 > 15 {
				for j := range 4 {
					p("VMOVAPS Y%d, Y%d", b+j, j)
				}
				b = 0
			}
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
// R13 tail bytes, CX count, AX scratch. Vectors 0-1 sums, 14 (AVX2) tail
// mask, 15 ones.
func dpre() {
	out.Text(fmt.Sprintf(`
// func dpre%[1]s(da, a, db *float32, out, L, flags int)
TEXT ·dpre%[1]s(SB), NOSPLIT, $0-48
`, cur.suffix))
	shift := map[int]int{8: 3, 16: 4}[cur.lanes]
	p("MOVQ L+32(FP), R12")
	p("MOVQ R12, R13")
	p("SHRQ $%d, R12", shift)
	p("ANDQ $%d, R13", cur.lanes-1)
	p("SHLQ $2, R13")
	p("TESTQ R13, R13")
	p("JEQ dp_nomask")
	setMask("R13", "AX", 14)
	label("dp_nomask")
	p("MOVQ da+0(FP), SI")
	p("MOVQ a+8(FP), DX")
	p("MOVQ db+16(FP), BX")
	p("MOVQ out+24(FP), DI")
	p("VMOVUPS %s, %s", k(cOne), v(15))
	p("MOVQ flags+40(FP), AX")
	p("TESTQ $1, AX")
	p("JEQ dp_lin_row")
	for _, act := range []bool{true, false} {
		n := "lin"
		if act {
			n = "tanh"
		}
		// vec transforms register d in place (a in register t when
		// act); off is the byte offset.
		vec := func(d, t, off int, masked bool) {
			if masked {
				p("%s", mload("(SI)", 14, d))
			} else {
				p("VMOVUPS %d(SI), %s", off, v(d))
			}
			if act {
				if masked {
					p("%s", mload("(DX)", 14, t))
				} else {
					p("VMOVUPS %d(DX), %s", off, v(t))
				}
				// 1-a² with one rounding: no cancellation when |a| ≈ 1.
				p("VFNMADD213PS %[1]s, %[2]s, %[2]s", v(15), v(t))
				p("VMULPS %s, %s, %s", v(t), v(d), v(d))
				if masked {
					p("%s", mstore(d, 14, "(SI)"))
				} else {
					p("VMOVUPS %s, %d(SI)", v(d), off)
				}
			}
		}
		label("dp_" + n + "_row")
		p("%s", vzero(0))
		p("%s", vzero(1))
		p("MOVQ R12, CX")
		label("dp_" + n + "_pair")
		p("CMPQ CX, $2")
		p("JLT dp_%s_single", n)
		vec(2, 3, 0, false)
		vec(4, 5, vb(), false)
		p("VADDPS %s, %s, %s", v(2), v(0), v(0))
		p("VADDPS %s, %s, %s", v(4), v(1), v(1))
		p("ADDQ $%d, SI", 2*vb())
		p("ADDQ $%d, DX", 2*vb())
		p("SUBQ $2, CX")
		p("JMP dp_%s_pair", n)
		label("dp_" + n + "_single")
		p("TESTQ CX, CX")
		p("JEQ dp_%s_tail", n)
		vec(2, 3, 0, false)
		p("VADDPS %s, %s, %s", v(2), v(0), v(0))
		p("ADDQ $%d, SI", vb())
		p("ADDQ $%d, DX", vb())
		label("dp_" + n + "_tail")
		p("TESTQ R13, R13")
		p("JEQ dp_%s_sum", n)
		vec(2, 3, 0, true)
		p("VADDPS %s, %s, %s", v(2), v(1), v(1))
		p("ADDQ R13, SI")
		p("ADDQ R13, DX")
		label("dp_" + n + "_sum")
		p("VADDPS %s, %s, %s", v(1), v(0), v(0))
		foldZ(0)
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
	out.Text(fmt.Sprintf(`
// func adam%[1]s(p, grad, m, v *float32, n int, b1, b2, c1, c2, eps, stepSize, invSqrtBC2 float32)
TEXT ·adam%[1]s(SB), NOSPLIT, $0-68
`, cur.suffix))
	p("MOVQ p+0(FP), DI")
	p("MOVQ grad+8(FP), SI")
	p("MOVQ m+16(FP), DX")
	p("MOVQ v+24(FP), BX")
	p("MOVQ n+32(FP), CX")
	for i, a := range []string{"b1+40", "b2+44", "c1+48", "c2+52", "eps+56", "stepSize+60", "invSqrtBC2+64"} {
		p("VBROADCASTSS %s(FP), %s", a, v(8+i))
	}
	p("XORQ AX, AX")
	body := func(masked bool) {
		ld := func(base string, reg int) {
			addr := fmt.Sprintf("(%s)(AX*1)", base)
			if masked {
				p("%s", mload(addr, 15, reg))
			} else {
				p("VMOVUPS %s, %s", addr, v(reg))
			}
		}
		st := func(reg int, base string) {
			addr := fmt.Sprintf("(%s)(AX*1)", base)
			if masked {
				p("%s", mstore(reg, 15, addr))
			} else {
				p("VMOVUPS %s, %s", v(reg), addr)
			}
		}
		op := func(ins string, a, b, c int) { p("%s %s, %s, %s", ins, v(a), v(b), v(c)) }
		ld("SI", 0)
		ld("DX", 1)
		ld("BX", 2)
		ld("DI", 3)
		op("VMULPS", 1, 8, 4) // b1*m
		op("VMULPS", 0, 10, 5)
		op("VADDPS", 5, 4, 1) // m = b1*m + c1*g
		op("VMULPS", 2, 9, 4)
		op("VMULPS", 0, 11, 5)
		op("VMULPS", 0, 5, 5)
		op("VADDPS", 5, 4, 2) // v = b2*v + (c2*g)*g
		p("VSQRTPS %s, %s", v(2), v(4))
		op("VMULPS", 14, 4, 4)
		op("VADDPS", 12, 4, 4)
		op("VMULPS", 1, 13, 5)
		op("VDIVPS", 4, 5, 5)
		op("VSUBPS", 5, 3, 3)
		st(1, "DX")
		st(2, "BX")
		st(3, "DI")
	}
	label("ad_loop")
	p("CMPQ CX, $%d", cur.lanes)
	p("JLT ad_tail")
	body(false)
	p("ADDQ $%d, AX", vb())
	p("SUBQ $%d, CX", cur.lanes)
	p("JMP ad_loop")
	label("ad_tail")
	p("TESTQ CX, CX")
	p("JEQ ad_done")
	p("SHLQ $2, CX")
	setMask("CX", "R8", 15)
	body(true)
	label("ad_done")
	p("VZEROUPPER")
	p("RET")
}

// tanhSlice: dst[j] = tanh(src[j]) for j < n.
func tanhSlice() {
	out.Text(fmt.Sprintf(`
// func tanh%[1]s(dst, src *float32, n int)
TEXT ·tanh%[1]s(SB), NOSPLIT, $0-24
`, cur.suffix))
	p("MOVQ dst+0(FP), DI")
	p("MOVQ src+8(FP), SI")
	p("MOVQ n+16(FP), CX")
	p("XORQ AX, AX")
	tanhRegs.load()
	label("th_loop")
	p("CMPQ CX, $%d", cur.lanes)
	p("JLT th_tail")
	p("VMOVUPS (SI)(AX*1), %s", v(0))
	emit(tanhCode(tanhRegs))
	p("VMOVUPS %s, (DI)(AX*1)", v(1))
	p("ADDQ $%d, AX", vb())
	p("SUBQ $%d, CX", cur.lanes)
	p("JMP th_loop")
	label("th_tail")
	p("TESTQ CX, CX")
	p("JEQ th_done")
	p("SHLQ $2, CX")
	setMask("CX", "DX", 15)
	p("%s", mload("(SI)(AX*1)", 15, 0))
	emit(tanhCode(tanhRegs))
	p("%s", mstore(1, 15, "(DI)(AX*1)"))
	label("th_done")
	p("VZEROUPPER")
	p("RET")
}

// addSlice: dst[j] += src[j] for j < n, four vectors at a time.
func addSlice() {
	out.Text(fmt.Sprintf(`
// func add%[1]s(dst, src *float32, n int)
TEXT ·add%[1]s(SB), NOSPLIT, $0-24
`, cur.suffix))
	p("MOVQ dst+0(FP), DI")
	p("MOVQ src+8(FP), SI")
	p("MOVQ n+16(FP), CX")
	p("XORQ AX, AX")
	label("add_loop4")
	p("CMPQ CX, $%d", 4*cur.lanes)
	p("JLT add_loop1")
	for j := range 4 {
		p("VMOVUPS %d(DI)(AX*1), %s", vb()*j, v(j))
	}
	for j := range 4 {
		p("VADDPS %d(SI)(AX*1), %s, %s", vb()*j, v(j), v(j))
	}
	for j := range 4 {
		p("VMOVUPS %s, %d(DI)(AX*1)", v(j), vb()*j)
	}
	p("ADDQ $%d, AX", 4*vb())
	p("SUBQ $%d, CX", 4*cur.lanes)
	p("JMP add_loop4")
	label("add_loop1")
	p("CMPQ CX, $%d", cur.lanes)
	p("JLT add_tail")
	p("VMOVUPS (DI)(AX*1), %s", v(0))
	p("VADDPS (SI)(AX*1), %s, %s", v(0), v(0))
	p("VMOVUPS %s, (DI)(AX*1)", v(0))
	p("ADDQ $%d, AX", vb())
	p("SUBQ $%d, CX", cur.lanes)
	p("JMP add_loop1")
	label("add_tail")
	p("TESTQ CX, CX")
	p("JEQ add_done")
	p("SHLQ $2, CX")
	setMask("CX", "DX", 15)
	p("%s", mload("(DI)(AX*1)", 15, 0))
	p("%s", mload("(SI)(AX*1)", 15, 1))
	p("VADDPS %s, %s, %s", v(1), v(0), v(0))
	p("%s", mstore(0, 15, "(DI)(AX*1)"))
	label("add_done")
	p("VZEROUPPER")
	p("RET")
}

// peakLoop: n iterations of 12 independent FMAs, the most a core can
// overlap, to measure its float32 peak (12·2·lanes FLOP an iteration).
func peakLoop() {
	out.Text(fmt.Sprintf(`
// func peak%[1]s(n int)
TEXT ·peak%[1]s(SB), NOSPLIT, $0-8
`, cur.suffix))
	p("MOVQ n+0(FP), CX")
	for a := range 14 {
		p("%s", vzero(a))
	}
	p("TESTQ CX, CX")
	p("JEQ pk_done")
	label("pk_loop")
	for a := range 12 {
		p("VFMADD231PS %s, %s, %s", v(12), v(13), v(a))
	}
	p("DECQ CX")
	p("JNE pk_loop")
	label("pk_done")
	p("VZEROUPPER")
	p("RET")
}

func main() {
	dst := flag.String("o", "kernel_amd64.s", "output file")
	flag.Parse()
	for _, s := range []isa{avx2, avx512} {
		cur = s
		gemmBcast()
		dotAcc()
		dpre()
		adam()
		tanhSlice()
		addSlice()
		peakLoop()
	}
	if err := out.WriteFile(*dst); err != nil {
		log.Fatal(err)
	}
}
