//go:build amd64 && !purego

#include "textflag.h"

// func gaussSumsAVX2(xs *float64, n int, q, m, inv, shift float64) (sum, moment float64)
// n is a positive multiple of 4. Registers: SI xs, CX count; Y6 q, Y7 m,
// Y8 inv, Y9 shift, Y10 −700, Y11 log2e, Y12 sum, Y13 moment, Y14 ln2hi,
// Y15 ln2lo; Y0 x, Y1 u, Y2 e then r, Y3 k, Y4 the weight, Y5 2^k bits.
TEXT ·gaussSumsAVX2(SB), NOSPLIT, $0-64
	MOVQ xs+0(FP), SI
	MOVQ n+8(FP), CX
	SHRQ $2, CX
	VBROADCASTSD q+16(FP), Y6
	VBROADCASTSD m+24(FP), Y7
	VBROADCASTSD inv+32(FP), Y8
	VBROADCASTSD shift+40(FP), Y9
	VMOVUPD ·gaussConst+0(SB), Y10
	VMOVUPD ·gaussConst+32(SB), Y11
	VMOVUPD ·gaussConst+64(SB), Y14
	VMOVUPD ·gaussConst+96(SB), Y15
	VXORPD Y12, Y12, Y12
	VXORPD Y13, Y13, Y13
loop:
	VMOVUPD (SI), Y0
	VMOVAPD Y6, Y1
	VFNMADD231PD Y0, Y7, Y1 // u = q − m·x
	VMULPD Y1, Y1, Y2
	VFNMSUB213PD Y9, Y8, Y2 // e = −inv·u² − shift
	VMAXPD Y10, Y2, Y2
	VMULPD Y11, Y2, Y3
	VROUNDPD $0, Y3, Y3 // k = round(e·log2e)
	VFNMADD231PD Y14, Y3, Y2 // r = e − k·ln2
	VFNMADD231PD Y15, Y3, Y2
	// e^r by Horner: p = 1/13!, then p = p·r + 1/k! for k = 12 … 0.
	VMOVUPD ·gaussConst+128(SB), Y4
	VFMADD213PD ·gaussConst+160(SB), Y2, Y4
	VFMADD213PD ·gaussConst+192(SB), Y2, Y4
	VFMADD213PD ·gaussConst+224(SB), Y2, Y4
	VFMADD213PD ·gaussConst+256(SB), Y2, Y4
	VFMADD213PD ·gaussConst+288(SB), Y2, Y4
	VFMADD213PD ·gaussConst+320(SB), Y2, Y4
	VFMADD213PD ·gaussConst+352(SB), Y2, Y4
	VFMADD213PD ·gaussConst+384(SB), Y2, Y4
	VFMADD213PD ·gaussConst+416(SB), Y2, Y4
	VFMADD213PD ·gaussConst+448(SB), Y2, Y4
	VFMADD213PD ·gaussConst+480(SB), Y2, Y4
	VFMADD213PD ·gaussConst+512(SB), Y2, Y4
	VFMADD213PD ·gaussConst+544(SB), Y2, Y4
	VCVTPD2DQY Y3, X5
	VPMOVSXDQ X5, Y5
	VPSLLQ $52, Y5, Y5
	VPADDQ Y5, Y4, Y4 // w = e^r·2^k
	VADDPD Y4, Y12, Y12
	VFMADD231PD Y4, Y1, Y13
	ADDQ $32, SI
	DECQ CX
	JNE loop
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
