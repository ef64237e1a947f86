package optim

import (
	"fmt"
	"math"
	"testing"
)

// torchAdam is torch.optim.Adam's update (weight_decay=0, amsgrad=False)
// transcribed from its documentation, in float64.
type torchAdam struct {
	lr, b1, b2, eps float64
	t               int
	m, v            []float64
}

func (a *torchAdam) step(p, g []float64) {
	a.t++
	bc1 := 1 - math.Pow(a.b1, float64(a.t))
	bc2 := 1 - math.Pow(a.b2, float64(a.t))
	for j := range p {
		a.m[j] = a.b1*a.m[j] + (1-a.b1)*g[j]
		a.v[j] = a.b2*a.v[j] + (1-a.b2)*g[j]*g[j]
		denom := math.Sqrt(a.v[j])/math.Sqrt(bc2) + a.eps
		p[j] -= a.lr / bc1 * a.m[j] / denom
	}
}

func TestAdamMatchesTorch(t *testing.T) {
	for _, steps := range []int{1, 3, 50} {
		const lr = 1e-2
		p := []float32{0.5, -1, 2, 0, 3e-3}
		p64 := []float64{0.5, -1, 2, 0, 3e-3}
		a := NewAdam(len(p), lr)
		if err := a.Validate(); err != nil {
			t.Fatal(err)
		}
		ref := &torchAdam{lr: lr, b1: 0.9, b2: 0.999, eps: 1e-8, m: make([]float64, len(p)), v: make([]float64, len(p))}
		g := make([]float32, len(p))
		g64 := make([]float64, len(p))
		for s := range steps {
			// Gradient of Σ (p_j - j)² plus a sign-changing term.
			for j := range p {
				g[j] = 2*(p[j]-float32(j)) + float32(math.Sin(float64(s+j)))
				g64[j] = float64(g[j])
			}
			a.Update(p, g)
			ref.step(p64, g64)
		}
		if a.Step != steps {
			t.Errorf("Step = %d, want %d", a.Step, steps)
		}
		for j := range p {
			// float32 state and the float32 rounding of β₂ (1-float32(0.999)
			// is 0.001·(1-1.3e-5)) perturb each step by ≲1e-5·lr.
			if math.Abs(float64(p[j])-p64[j]) > 2e-5*lr*float64(steps)+1e-6 {
				t.Errorf("%d steps: p[%d] = %.8g, torch formula %.8g", steps, j, p[j], p64[j])
			}
		}
	}
}

func TestAdamFirstStepSize(t *testing.T) {
	// After bias correction the first step is lr·g/(|g|+ε/…) ≈ lr·sign(g).
	a := NewAdam(3, 0.1)
	p := []float32{1, 1, 1}
	a.Update(p, []float32{4, -1e-3, 0})
	want := []float64{0.9, 1.1, 1}
	for j := range p {
		if math.Abs(float64(p[j])-want[j]) > 1e-5 {
			t.Errorf("p[%d] = %v, want %v", j, p[j], want[j])
		}
	}
}

func TestAdamValidate(t *testing.T) {
	for _, a := range []*Adam{
		{LR: 0, Beta1: 0.9, Beta2: 0.999},
		{LR: math.NaN(), Beta1: 0.9, Beta2: 0.999},
		{LR: 1e-3, Beta1: 1, Beta2: 0.999},
		{LR: 1e-3, Beta1: 0.9, Beta2: -0.1},
		{LR: 1e-3, Beta1: 0.9, Beta2: 0.999, Eps: -1},
		{LR: 1e-3, Beta1: 0.9, Beta2: 0.999, M: make([]float32, 2)},
	} {
		if a.Validate() == nil {
			t.Errorf("Validate accepted %+v", *a)
		}
	}
}

func TestEMA(t *testing.T) {
	p := []float32{1, 2}
	e := NewEMA(p, 0.9)
	p[0] = 100 // NewEMA must copy
	for range 10 {
		e.Update([]float32{3, 2})
	}
	// Closed form: s_k = 3 + (1-3)·0.9^k; a constant parameter stays fixed.
	want0 := 3 - 2*math.Pow(0.9, 10)
	if math.Abs(float64(e.Shadow[0])-want0) > 1e-6 || e.Shadow[1] != 2 {
		t.Errorf("Shadow = %v, want [%v 2]", e.Shadow, want0)
	}
}

func ExampleAdam() {
	// Minimise (p-3)² from p = 0.
	p := []float32{0}
	a := NewAdam(1, 0.1)
	g := make([]float32, 1)
	for range 500 {
		g[0] = 2 * (p[0] - 3)
		a.Update(p, g)
	}
	fmt.Printf("p = %.2f after %d steps\n", p[0], a.Step)
	// Output: p = 3.00 after 500 steps
}

// A step applied range by range, in any split, gives Update's result bit
// for bit, and so does the EMA's.
func TestStepByRanges(t *testing.T) {
	const n = 37
	for _, splits := range [][]int{{0, n}, {0, 8, n}, {0, 1, 16, 17, n}} {
		t.Run(fmt.Sprint(splits), func(t *testing.T) {
			p1, p2 := make([]float32, n), make([]float32, n)
			g := make([]float32, n)
			for j := range g {
				p1[j] = float32(j) / 7
				g[j] = float32(math.Sin(float64(j)))
			}
			copy(p2, p1)
			a1, a2 := NewAdam(n, 1e-2), NewAdam(n, 1e-2)
			e1, e2 := NewEMA(p1, 0.9), NewEMA(p2, 0.9)
			for range 3 {
				a1.Update(p1, g)
				e1.Update(p1)
				s := a2.Next()
				for k := 0; k+1 < len(splits); k++ {
					s.Apply(p2, g, splits[k], splits[k+1])
					e2.UpdateRange(p2, splits[k], splits[k+1])
				}
			}
			for j := range p1 {
				if p1[j] != p2[j] || a1.M[j] != a2.M[j] || a1.V[j] != a2.V[j] || e1.Shadow[j] != e2.Shadow[j] {
					t.Fatalf("parameter %d: whole %v (m %v, v %v, ema %v), by ranges %v (m %v, v %v, ema %v)",
						j, p1[j], a1.M[j], a1.V[j], e1.Shadow[j], p2[j], a2.M[j], a2.V[j], e2.Shadow[j])
				}
			}
			if a1.Step != a2.Step {
				t.Errorf("steps %d and %d", a1.Step, a2.Step)
			}
		})
	}
}
