package exact

import (
	"math"
	"runtime"
	"sync"
)

// glX and glW are the 8-point Gauss–Legendre nodes and weights on [−1, 1].
// Eight nodes integrate polynomials of degree 15 exactly, so panels a few
// times narrower than the narrowest feature of a smooth integrand give
// close to machine precision.
var glX, glW = gaussLegendre(8)

// gaussLegendre returns the n-point Gauss–Legendre rule on [−1, 1] by Newton
// iteration on the Legendre polynomial P_n from Chebyshev initial guesses.
func gaussLegendre(n int) (x, w []float64) {
	x = make([]float64, n)
	w = make([]float64, n)
	for i := range (n + 1) / 2 {
		z := math.Cos(math.Pi * (float64(i) + 0.75) / (float64(n) + 0.5))
		var dp float64
		for range 100 {
			p0, p1 := 1.0, z
			for k := 2; k <= n; k++ {
				p0, p1 = p1, ((2*float64(k)-1)*z*p1-(float64(k)-1)*p0)/float64(k)
			}
			dp = float64(n) * (z*p1 - p0) / (z*z - 1)
			dz := p1 / dp
			z -= dz
			if math.Abs(dz) < 1e-16 {
				break
			}
		}
		// Recompute the derivative at the converged node for the weight.
		p0, p1 := 1.0, z
		for k := 2; k <= n; k++ {
			p0, p1 = p1, ((2*float64(k)-1)*z*p1-(float64(k)-1)*p0)/float64(k)
		}
		dp = float64(n) * (z*p1 - p0) / (z*z - 1)
		x[i], x[n-1-i] = -z, z
		w[i] = 2 / ((1 - z*z) * dp * dp)
		w[n-1-i] = w[i]
	}
	return x, w
}

// glPanel integrates f over [a, b] with the 8-point rule.
func glPanel(f func(float64) float64, a, b float64) float64 {
	c, r := (a+b)/2, (b-a)/2
	s := 0.0
	for i, xi := range glX {
		s += glW[i] * f(c+r*xi)
	}
	return s * r
}

// parallelFor calls body on contiguous chunks covering 0..n−1, one chunk per
// worker, and waits. Small n runs on the calling goroutine.
func parallelFor(n, minChunk int, body func(lo, hi int)) {
	workers := min(runtime.GOMAXPROCS(0), n/max(minChunk, 1))
	if workers <= 1 {
		body(0, n)
		return
	}
	var wg sync.WaitGroup
	for k := range workers {
		lo, hi := k*n/workers, (k+1)*n/workers
		wg.Add(1)
		go func() {
			defer wg.Done()
			body(lo, hi)
		}()
	}
	wg.Wait()
}
