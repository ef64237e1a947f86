package train

import (
	"math"
	"math/bits"
)

// rowSource is a SplitMix64 generator (Steele, Lea and Flood, "Fast
// splittable pseudorandom number generators", OOPSLA 2014): a Weyl
// sequence through a strong 64-bit mixer. It is reseeded for every tile of
// every step, which costs one assignment, where math/rand/v2's PCG and
// ChaCha8 would need their full seeding.
type rowSource struct{ s uint64 }

const golden = 0x9e3779b97f4a7c15 // 2⁶⁴/φ, odd: the Weyl increment

// mix64 is SplitMix64's output function, a bijection of uint64 whose
// outputs for consecutive inputs look independent.
func mix64(z uint64) uint64 {
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// seed starts the stream of part r (a tile) of a step. Hashing r (rather
// than adding r·golden) puts the parts' starting points far apart on the
// Weyl sequence, so no two streams overlap within any realistic number of
// draws.
func (g *rowSource) seed(step, r uint64) { g.s = step ^ mix64(r+golden) }

// Uint64 implements rand.Source.
func (g *rowSource) Uint64() uint64 {
	g.s += golden
	return mix64(g.s)
}

// shuffle permutes p uniformly (Fisher–Yates) with draws from a SplitMix64
// stream started at seed. It does what rand.Shuffle does without a call
// through an interface and a closure per swap, since the training loop
// shuffles serially every epoch (docs/performance.md).
func shuffle(p []int, seed uint64) {
	g := rowSource{s: seed}
	for i := len(p) - 1; i > 0; i-- {
		j := int(g.below(uint64(i + 1)))
		p[i], p[j] = p[j], p[i]
	}
}

// below returns a uniform integer in [0, n), n > 0, by Lemire's
// multiply-and-reject ("Fast random integer generation in an interval",
// 2019): exactly uniform, and almost never more than one draw.
func (g *rowSource) below(n uint64) uint64 {
	hi, lo := bits.Mul64(g.Uint64(), n)
	if lo < n {
		thresh := -n % n
		for lo < thresh {
			hi, lo = bits.Mul64(g.Uint64(), n)
		}
	}
	return hi
}

// Float64 is a uniform draw in [0, 1): rand.Float64's formula.
func (g *rowSource) Float64() float64 { return float64(g.Uint64()>>11) * 0x1p-53 }

// fillNormal fills dst with standard normal draws by the ziggurat method
// of Marsaglia and Tsang ("The ziggurat method for generating random
// variables", J. Stat. Softw. 5(8), 2000), 128 layers, as math/rand's
// NormFloat64 does, but a slice at a time with the generator's state in a
// register rather than one call through an interface per draw
// (docs/performance.md). One draw picks a layer (7 bits) and a signed
// abscissa (32 bits); 99% of draws land inside their layer's rectangle,
// and normalSlow handles the rest.
func (g *rowSource) fillNormal(dst []float32) {
	s := g.s
	for k := range dst {
		s += golden
		u := mix64(s)
		j := int32(u)
		i := u >> 32 & (zigLayers - 1)
		a := uint32(j)
		if j < 0 {
			a = -a
		}
		if a < zig.k[i] {
			dst[k] = float32(float64(j) * zig.w[i])
			continue
		}
		g.s = s
		dst[k] = float32(g.normalSlow(j, i))
		s = g.s
	}
	g.s = s
}

// normalSlow finishes a ziggurat draw whose abscissa, j in layer i, fell
// outside the layer's rectangle: the base layer's tail beyond r by
// Marsaglia's exponential rejection, a wedge by comparing with the
// density; a rejection starts over.
func (g *rowSource) normalSlow(j int32, i uint64) float64 {
	for {
		x := float64(j) * zig.w[i]
		if i == 0 {
			for {
				x = -math.Log(1-g.Float64()) / zigR
				y := -math.Log(1 - g.Float64())
				if y+y >= x*x {
					break
				}
			}
			if j > 0 {
				return zigR + x
			}
			return -zigR - x
		}
		if zig.f[i]+g.Float64()*(zig.f[i-1]-zig.f[i]) < math.Exp(-0.5*x*x) {
			return x
		}
		u := g.Uint64()
		j, i = int32(u), u>>32&(zigLayers-1)
		a := uint32(j)
		if j < 0 {
			a = -a
		}
		if a < zig.k[i] {
			return float64(j) * zig.w[i]
		}
	}
}

// The ziggurat: zigLayers layers of equal area zigV under the unnormalised
// density f(x) = e^(−x²/2), the base layer's reaching to zigR with the
// tail beyond it. Layer i ≥ 1 spans x < x_i; x_0 = 0 and x_127 = zigR.
const (
	zigLayers = 128
	zigR      = 3.442619855899
	zigV      = 9.91256303526217e-3
)

// zig holds, per layer, k[i] = 2³¹·(x_{i−1}/x_i) (the rectangle's share of
// the abscissae; for the base layer x_127/(zigV/f(zigR))), w[i] = x_i/2³¹
// (the abscissa scale) and f[i] = f(x_i). Read-only after initialisation.
var zig = func() (z struct {
	k    [zigLayers]uint32
	w, f [zigLayers]float64
}) {
	const m = 1 << 31
	dn, tn := zigR, zigR
	q := zigV / math.Exp(-0.5*dn*dn) // the base layer's width, tail included
	z.k[0], z.k[1] = uint32(dn/q*m), 0
	z.w[0], z.w[zigLayers-1] = q/m, dn/m
	z.f[0], z.f[zigLayers-1] = 1, math.Exp(-0.5*dn*dn)
	for i := zigLayers - 2; i >= 1; i-- {
		dn = math.Sqrt(-2 * math.Log(zigV/dn+math.Exp(-0.5*dn*dn)))
		z.k[i+1] = uint32(dn / tn * m)
		tn = dn
		z.f[i] = math.Exp(-0.5 * dn * dn)
		z.w[i] = dn / m
	}
	return z
}()
