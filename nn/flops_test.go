package nn

import (
	"math/rand/v2"
	"testing"
)

// countingPasses runs a plain forward and backward pass of m on one row,
// counting each multiply-add as it happens: an independent count of the
// work FLOPsPerRow claims.
func countingPasses(m *MLP) (fwd, bwd int) {
	ls := m.layers()
	acts := [][]float64{make([]float64, m.In)}
	for _, ly := range ls {
		in, out := acts[len(acts)-1], make([]float64, ly.out)
		for o := range ly.out {
			for i := range ly.in {
				out[o] += float64(m.Params[ly.w+o*ly.in+i]) * in[i]
				fwd += 2
			}
		}
		acts = append(acts, out)
	}
	delta := make([]float64, m.Out)
	for k := len(ls) - 1; k >= 0; k-- {
		ly := ls[k]
		gw := make([]float64, ly.in*ly.out)
		for o := range ly.out {
			for i := range ly.in {
				gw[o*ly.in+i] += delta[o] * acts[k][i]
				bwd += 2
			}
		}
		if k == 0 {
			break // the input needs no gradient
		}
		prev := make([]float64, ly.in)
		for o := range ly.out {
			for i := range ly.in {
				prev[i] += float64(m.Params[ly.w+o*ly.in+i]) * delta[o]
				bwd += 2
			}
		}
		delta = prev
	}
	return fwd, bwd
}

func TestFLOPsPerRow(t *testing.T) {
	for _, c := range []struct {
		in, out int
		hidden  []int
	}{{2, 1, []int{50, 50, 50}}, {3, 2, []int{7}}, {5, 4, []int{3, 9, 2, 6}}, {2, 1, nil}} {
		m, err := New(c.in, c.out, c.hidden, rand.New(rand.NewPCG(1, 2)))
		if err != nil {
			t.Fatal(err)
		}
		f, b := m.FLOPsPerRow()
		wf, wb := countingPasses(m)
		if f != float64(wf) || b != float64(wb) {
			t.Errorf("%d→%v→%d: %v forward, %v backward FLOPs; counted %d and %d", c.in, c.hidden, c.out, f, b, wf, wb)
		}
	}
	// The notebook's net at batch 2000: 20.6 MFLOP forward, 40.8 backward.
	m, _ := New(2, 1, []int{50, 50, 50}, rand.New(rand.NewPCG(1, 2)))
	if f, b := m.FLOPsPerRow(); 2000*f != 20_600_000 || 2000*b != 40_800_000 {
		t.Errorf("notebook net: %v and %v FLOP per batch of 2000", 2000*f, 2000*b)
	}
}
