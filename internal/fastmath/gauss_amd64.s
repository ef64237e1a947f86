//go:build amd64 && !purego

#include "textflag.h"

// func gaussSumsAVX2(xs *float64, n int, q, m, inv, shift float64) (sum, moment float64)
// n is a positive multiple of 4. Three blocks of four go through together,
// their instructions interleaved, as in expAVX2: a block is a chain of
// some twenty dependent operations (13 of them the Horner steps), and one
// block at a time left the FMA units waiting on latency (5.0 rather than
// 3.3 ns a term here). The weights are still added to the sums block by
// block in order, so the result does not depend on the interleaving.
// Registers: SI xs, CX count of blocks; Y6 q, Y7 m, Y8 inv, Y9 shift,
// Y12 sum, Y13 moment; per block three registers (Y0-Y2, Y3-Y5, Y10 Y11
// Y14): x, then e and r; u, then k and the bits of 2^k; the weight w. u,
// needed again for the moment, is recomputed from x rather than held.
// The constants −expLimit, log₂e and the two parts of ln 2 are memory
// operands.
TEXT ·gaussSumsAVX2(SB), NOSPLIT, $0-64
	MOVQ xs+0(FP), SI
	MOVQ n+8(FP), CX
	SHRQ $2, CX
	VBROADCASTSD q+16(FP), Y6
	VBROADCASTSD m+24(FP), Y7
	VBROADCASTSD inv+32(FP), Y8
	VBROADCASTSD shift+40(FP), Y9
	VXORPD Y12, Y12, Y12
	VXORPD Y13, Y13, Y13
triple:
	CMPQ CX, $3
	JLT single
	VMOVUPD 0(SI), Y0
	VMOVUPD 32(SI), Y3
	VMOVUPD 64(SI), Y10
	VMOVAPD Y6, Y1
	VMOVAPD Y6, Y4
	VMOVAPD Y6, Y11
	VFNMADD231PD Y0, Y7, Y1 // u = q − m·x
	VFNMADD231PD Y3, Y7, Y4 // u = q − m·x
	VFNMADD231PD Y10, Y7, Y11 // u = q − m·x
	VMULPD Y1, Y1, Y0
	VMULPD Y4, Y4, Y3
	VMULPD Y11, Y11, Y10
	VFNMSUB213PD Y9, Y8, Y0 // e = −inv·u² − shift
	VFNMSUB213PD Y9, Y8, Y3 // e = −inv·u² − shift
	VFNMSUB213PD Y9, Y8, Y10 // e = −inv·u² − shift
	VMAXPD ·gaussConst+0(SB), Y0, Y0
	VMAXPD ·gaussConst+0(SB), Y3, Y3
	VMAXPD ·gaussConst+0(SB), Y10, Y10
	VMULPD ·gaussConst+32(SB), Y0, Y1
	VMULPD ·gaussConst+32(SB), Y3, Y4
	VMULPD ·gaussConst+32(SB), Y10, Y11
	VROUNDPD $0, Y1, Y1 // k = round(e·log2e)
	VROUNDPD $0, Y4, Y4 // k = round(e·log2e)
	VROUNDPD $0, Y11, Y11 // k = round(e·log2e)
	VFNMADD231PD ·gaussConst+64(SB), Y1, Y0 // r = e − k·ln2
	VFNMADD231PD ·gaussConst+64(SB), Y4, Y3 // r = e − k·ln2
	VFNMADD231PD ·gaussConst+64(SB), Y11, Y10 // r = e − k·ln2
	VFNMADD231PD ·gaussConst+96(SB), Y1, Y0
	VFNMADD231PD ·gaussConst+96(SB), Y4, Y3
	VFNMADD231PD ·gaussConst+96(SB), Y11, Y10
	VMOVUPD ·gaussConst+128(SB), Y2
	VMOVUPD ·gaussConst+128(SB), Y5
	VMOVUPD ·gaussConst+128(SB), Y14
	VFMADD213PD ·gaussConst+160(SB), Y0, Y2
	VFMADD213PD ·gaussConst+160(SB), Y3, Y5
	VFMADD213PD ·gaussConst+160(SB), Y10, Y14
	VFMADD213PD ·gaussConst+192(SB), Y0, Y2
	VFMADD213PD ·gaussConst+192(SB), Y3, Y5
	VFMADD213PD ·gaussConst+192(SB), Y10, Y14
	VFMADD213PD ·gaussConst+224(SB), Y0, Y2
	VFMADD213PD ·gaussConst+224(SB), Y3, Y5
	VFMADD213PD ·gaussConst+224(SB), Y10, Y14
	VFMADD213PD ·gaussConst+256(SB), Y0, Y2
	VFMADD213PD ·gaussConst+256(SB), Y3, Y5
	VFMADD213PD ·gaussConst+256(SB), Y10, Y14
	VFMADD213PD ·gaussConst+288(SB), Y0, Y2
	VFMADD213PD ·gaussConst+288(SB), Y3, Y5
	VFMADD213PD ·gaussConst+288(SB), Y10, Y14
	VFMADD213PD ·gaussConst+320(SB), Y0, Y2
	VFMADD213PD ·gaussConst+320(SB), Y3, Y5
	VFMADD213PD ·gaussConst+320(SB), Y10, Y14
	VFMADD213PD ·gaussConst+352(SB), Y0, Y2
	VFMADD213PD ·gaussConst+352(SB), Y3, Y5
	VFMADD213PD ·gaussConst+352(SB), Y10, Y14
	VFMADD213PD ·gaussConst+384(SB), Y0, Y2
	VFMADD213PD ·gaussConst+384(SB), Y3, Y5
	VFMADD213PD ·gaussConst+384(SB), Y10, Y14
	VFMADD213PD ·gaussConst+416(SB), Y0, Y2
	VFMADD213PD ·gaussConst+416(SB), Y3, Y5
	VFMADD213PD ·gaussConst+416(SB), Y10, Y14
	VFMADD213PD ·gaussConst+448(SB), Y0, Y2
	VFMADD213PD ·gaussConst+448(SB), Y3, Y5
	VFMADD213PD ·gaussConst+448(SB), Y10, Y14
	VFMADD213PD ·gaussConst+480(SB), Y0, Y2
	VFMADD213PD ·gaussConst+480(SB), Y3, Y5
	VFMADD213PD ·gaussConst+480(SB), Y10, Y14
	VFMADD213PD ·gaussConst+512(SB), Y0, Y2
	VFMADD213PD ·gaussConst+512(SB), Y3, Y5
	VFMADD213PD ·gaussConst+512(SB), Y10, Y14
	VFMADD213PD ·gaussConst+544(SB), Y0, Y2
	VFMADD213PD ·gaussConst+544(SB), Y3, Y5
	VFMADD213PD ·gaussConst+544(SB), Y10, Y14
	VCVTPD2DQY Y1, X1
	VCVTPD2DQY Y4, X4
	VCVTPD2DQY Y11, X11
	VPMOVSXDQ X1, Y1
	VPMOVSXDQ X4, Y4
	VPMOVSXDQ X11, Y11
	VPSLLQ $52, Y1, Y1
	VPSLLQ $52, Y4, Y4
	VPSLLQ $52, Y11, Y11
	VPADDQ Y1, Y2, Y2 // w = e^r·2^k
	VPADDQ Y4, Y5, Y5 // w = e^r·2^k
	VPADDQ Y11, Y14, Y14 // w = e^r·2^k
	VMOVAPD Y6, Y0
	VMOVAPD Y6, Y3
	VMOVAPD Y6, Y10
	VFNMADD231PD 0(SI), Y7, Y0 // u again
	VFNMADD231PD 32(SI), Y7, Y3 // u again
	VFNMADD231PD 64(SI), Y7, Y10 // u again
	VADDPD Y2, Y12, Y12
	VADDPD Y5, Y12, Y12
	VADDPD Y14, Y12, Y12
	VFMADD231PD Y2, Y0, Y13
	VFMADD231PD Y5, Y3, Y13
	VFMADD231PD Y14, Y10, Y13
	ADDQ $96, SI
	SUBQ $3, CX
	JMP triple
single:
	TESTQ CX, CX
	JEQ done
	VMOVUPD 0(SI), Y0
	VMOVAPD Y6, Y1
	VFNMADD231PD Y0, Y7, Y1 // u = q − m·x
	VMULPD Y1, Y1, Y0
	VFNMSUB213PD Y9, Y8, Y0 // e = −inv·u² − shift
	VMAXPD ·gaussConst+0(SB), Y0, Y0
	VMULPD ·gaussConst+32(SB), Y0, Y1
	VROUNDPD $0, Y1, Y1 // k = round(e·log2e)
	VFNMADD231PD ·gaussConst+64(SB), Y1, Y0 // r = e − k·ln2
	VFNMADD231PD ·gaussConst+96(SB), Y1, Y0
	VMOVUPD ·gaussConst+128(SB), Y2
	VFMADD213PD ·gaussConst+160(SB), Y0, Y2
	VFMADD213PD ·gaussConst+192(SB), Y0, Y2
	VFMADD213PD ·gaussConst+224(SB), Y0, Y2
	VFMADD213PD ·gaussConst+256(SB), Y0, Y2
	VFMADD213PD ·gaussConst+288(SB), Y0, Y2
	VFMADD213PD ·gaussConst+320(SB), Y0, Y2
	VFMADD213PD ·gaussConst+352(SB), Y0, Y2
	VFMADD213PD ·gaussConst+384(SB), Y0, Y2
	VFMADD213PD ·gaussConst+416(SB), Y0, Y2
	VFMADD213PD ·gaussConst+448(SB), Y0, Y2
	VFMADD213PD ·gaussConst+480(SB), Y0, Y2
	VFMADD213PD ·gaussConst+512(SB), Y0, Y2
	VFMADD213PD ·gaussConst+544(SB), Y0, Y2
	VCVTPD2DQY Y1, X1
	VPMOVSXDQ X1, Y1
	VPSLLQ $52, Y1, Y1
	VPADDQ Y1, Y2, Y2 // w = e^r·2^k
	VMOVAPD Y6, Y0
	VFNMADD231PD 0(SI), Y7, Y0 // u again
	VADDPD Y2, Y12, Y12
	VFMADD231PD Y2, Y0, Y13
	ADDQ $32, SI
	DECQ CX
	JMP single
done:
	VEXTRACTF128 $1, Y12, X0
	VADDPD X0, X12, X0
	VHADDPD X0, X0, X0
	VMOVSD X0, sum+48(FP)
	VEXTRACTF128 $1, Y13, X1
	VADDPD X1, X13, X1
	VHADDPD X1, X1, X1
	VMOVSD X1, moment+56(FP)
	VZEROUPPER
	RET
