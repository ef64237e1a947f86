package pipeline

import (
	"fmt"
	"math/rand/v2"
	"time"

	"scoresde/nn"
	"scoresde/nn/kernel"
)

// KernelRate is one kernel's speed on one of the training step's shapes,
// on one core.
type KernelRate struct {
	Kernel string `json:"kernel"` // "forward", "backward", "tanh", "adam", "add"
	Shape  string `json:"shape"`
	// GFLOPS and PeakShare (of one core's share of the peak) for the
	// matrix kernels; NsPerValue for the elementwise ones.
	GFLOPS     float64 `json:"gflops,omitempty"`
	PeakShare  float64 `json:"peak_share,omitempty"`
	NsPerValue float64 `json:"ns_per_value,omitempty"`
}

// timeKernel returns the time of one call of f: the best over batches
// of about 0.2 ms for about 30 ms, so that the pauses of a shared machine
// do not count.
func timeKernel(f func()) time.Duration {
	start := time.Now()
	f()
	k := max(1, int(200*time.Microsecond/max(time.Since(start), 1)))
	best := time.Duration(1<<63 - 1)
	for rounds, t0 := 0, time.Now(); rounds < 10 || time.Since(t0) < 30*time.Millisecond; rounds++ {
		start := time.Now()
		for range k {
			f()
		}
		best = min(best, time.Since(start)/time.Duration(k))
	}
	return best
}

// kernelRates times each kernel of a training step on the step's tile
// (the layers of widths, nn's tile length for batch rows) on the calling
// goroutine; corePeak is one core's peak in GFLOP/s (0: no shares).
func kernelRates(widths []int, batch int, corePeak float64) []KernelRate {
	_, L := nn.Tiling(batch)
	L = min(L, batch)
	rng := rand.New(rand.NewPCG(3, 3))
	fill := func(n int) []float32 {
		s := make([]float32, n)
		for i := range s {
			s[i] = float32(rng.Float64()*2 - 1)
		}
		return s
	}
	var rates []KernelRate
	addRate := func(name, shape string, flop float64, d time.Duration) {
		r := KernelRate{Kernel: name, Shape: shape, GFLOPS: flop / float64(d.Nanoseconds())}
		if corePeak > 0 {
			r.PeakShare = r.GFLOPS / corePeak
		}
		rates = append(rates, r)
	}
	seen := map[string]bool{}
	last := len(widths) - 2
	nParams := 0
	for l := 0; l+1 < len(widths); l++ {
		in, out := widths[l], widths[l+1]
		nParams += in*out + out
		act, dsrc := l < last, l > 0
		shape := fmt.Sprintf("%d→%d×%d rows", in, out, L)
		if act {
			shape += " tanh"
		}
		if seen[shape] {
			continue
		}
		seen[shape] = true
		src, w, b, dst := fill(in*L), fill(out*in), fill(out), fill(out*L)
		addRate("forward", shape, float64(2*in*out*L), timeKernel(func() { kernel.Forward(dst, src, w, b, in, out, L, act) }))
		a, da, dw, db := fill(out*L), fill(out*L), fill(out*in), fill(out)
		var ds []float32
		flop := 2*in*out*L + out*L
		if dsrc {
			ds = fill(in * L)
			flop += 2 * in * out * L
		}
		if act {
			flop += 3 * out * L
		}
		bshape := shape
		if dsrc {
			bshape += " +input adjoint"
		}
		addRate("backward", bshape, float64(flop), timeKernel(func() { kernel.Backward(da, a, src, w, dw, db, ds, in, out, L, act) }))
	}
	elem := func(name, shape string, n int, f func()) {
		d := timeKernel(f)
		rates = append(rates, KernelRate{Kernel: name, Shape: shape, NsPerValue: float64(d.Nanoseconds()) / float64(n)})
	}
	h := 1
	for _, v := range widths[1 : len(widths)-1] {
		h = max(h, v)
	}
	x, y := fill(h*L), fill(h*L)
	elem("tanh", fmt.Sprintf("%d×%d values", h, L), h*L, func() { kernel.Tanh(y, x) })
	p, g, m, v := fill(nParams), fill(nParams), make([]float32, nParams), make([]float32, nParams)
	elem("adam", fmt.Sprintf("%d parameters", nParams), nParams, func() { kernel.Adam(p, g, m, v, 0.9, 0.999, 1e-8, 1e-3, 1) })
	elem("add", fmt.Sprintf("%d parameters", nParams), nParams, func() { kernel.Add(g, p) })
	return rates
}
