package nn

import (
	"fmt"

	"scoresde/nn/kernel"
)

// scoreState is the lazily grown workspace behind Score and ScoreDiv.
type scoreState struct {
	ws      *Workspace
	in, out []float32
}

// Dim is the dimension d of the points the network scores: a score
// network maps [x, t] ∈ ℝ^(d+1) to ℝ^d, so Dim is Out.
func (m *MLP) Dim() int { return m.Out }

// prepare checks the arguments of Score, grows the buffers for n points
// and fills the float32 input rows [x_i, t].
func (m *MLP) prepare(x []float64, t float64, out []float64) (*scoreState, int) {
	d := m.Out
	if m.In != d+1 {
		panic(fmt.Sprintf("nn: a score network needs In = Out+1 (inputs [x, t]), got In=%d Out=%d", m.In, m.Out))
	}
	if len(x)%d != 0 || len(out) != len(x) {
		panic(fmt.Sprintf("nn: Score got %d coordinates and %d outputs for dimension %d; want equal lengths, a multiple of %d",
			len(x), len(out), d, d))
	}
	n := len(x) / d
	st := m.score
	if st == nil {
		st = &scoreState{}
		m.score = st
	}
	if st.ws == nil || st.ws.e.maxRows < n || !st.ws.e.matches(m) {
		if st.ws != nil {
			st.ws.Close()
		}
		st.ws = m.NewWorkspace(max(n, 1))
		st.in = make([]float32, max(n, 1)*m.In)
		st.out = make([]float32, max(n, 1)*d)
	}
	in := st.in[:n*m.In]
	for i := range n {
		row := in[i*m.In : (i+1)*m.In]
		for j := range d {
			row[j] = float32(x[i*d+j])
		}
		row[d] = float32(t)
	}
	return st, n
}

// Score writes the network's score s(x_i, t) for the len(x)/Dim() points
// of x into out, so that *MLP satisfies sampler.Score. It computes in
// float32. It reuses internal buffers, growing them when a larger batch
// arrives, so repeated calls do not allocate; for the same reason it is
// not safe for concurrent use (use Clone per goroutine, or Forward with
// one Workspace each). It panics if In ≠ Out+1 or the lengths disagree.
func (m *MLP) Score(x []float64, t float64, out []float64) {
	st, n := m.prepare(x, t, out)
	if n == 0 {
		return
	}
	res := st.out[:n*m.Out]
	m.Forward(st.ws, st.in[:n*m.In], n, res)
	for j, v := range res {
		out[j] = float64(v)
	}
}

// ScoreDiv is Score that also writes div[i] = Σ_j ∂s_j/∂x_j at point i,
// the exact divergence of the score field (for likelihood computations),
// by propagating the d forward-mode tangents ∂/∂x_j through the network.
// len(div) must be len(x)/Dim().
func (m *MLP) ScoreDiv(x []float64, t float64, out, div []float64) {
	st, n := m.prepare(x, t, out)
	if len(div) != n {
		panic(fmt.Sprintf("nn: ScoreDiv got %d divergence slots for %d points", len(div), n))
	}
	if n == 0 {
		return
	}
	e := st.ws.e
	e.check(m, st.in, n)
	res := st.out[:n*m.Out]
	e.params, e.input, e.n, e.res, e.div = m.Params, st.in[:n*m.In], n, res, div
	tiles, size := Tiling(n)
	e.tileSize = size
	e.run(jobScoreDiv, tiles)
	e.params, e.input, e.res, e.div = nil, nil, nil, nil
	for j, v := range res {
		out[j] = float64(v)
	}
}

// scoreDivTile computes the outputs and divergences of one tile. For input
// coordinate j the tangent of layer l's output is
//
//	ḣ_l = (1 - h_l²) ⊙ W_l ḣ_{l-1},  ḣ_0 = e_j,
//
// (without the tanh factor on the output layer) and ∂s_j/∂x_j is
// component j of the output tangent.
func (e *engine) scoreDivTile(id, k int) {
	s := &e.scratch[id]
	lo, _, L := e.tileForward(s, k)
	nl := len(e.layers)
	outT := s.act[nl]
	res := e.res[lo*e.out:]
	for o := range e.out {
		for r, v := range outT[o*L : (o+1)*L] {
			res[r*e.out+o] = v
		}
	}
	div := e.div[lo : lo+L]
	clear(div)
	for j := range e.out {
		prev, next := s.d0, s.d1
		for l, ly := range e.layers {
			w := e.params[ly.w:ly.b]
			t := next[:ly.out*L]
			if l == 0 {
				// W e_j is column j of W, the same for every row.
				for o := range ly.out {
					wo := w[o*ly.in+j]
					row := t[o*L : (o+1)*L]
					for r := range row {
						row[r] = wo
					}
				}
			} else {
				kernel.Forward(t, prev, w, e.zeros, ly.in, ly.out, L, false)
			}
			if l < nl-1 {
				h := s.act[l+1][:ly.out*L]
				for i, v := range h {
					t[i] *= 1 - v*v
				}
			}
			prev, next = next, prev
		}
		for r, v := range prev[j*L : (j+1)*L] {
			div[r] += float64(v)
		}
	}
}
