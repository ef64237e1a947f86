package nn

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// ref64 is an independent float64 forward pass using math.Tanh, written
// straight from the layer definition (row-major input, row-major W).
func ref64(m *MLP, params []float64, x []float64) []float64 {
	h := append([]float64(nil), x...)
	off := 0
	sizes := append(append([]int{m.In}, m.Hidden...), m.Out)
	for l := 0; l+1 < len(sizes); l++ {
		in, out := sizes[l], sizes[l+1]
		z := make([]float64, out)
		for o := range out {
			s := params[off+in*out+o]
			for i := range in {
				s += params[off+o*in+i] * h[i]
			}
			if l+2 < len(sizes) {
				s = math.Tanh(s)
			}
			z[o] = s
		}
		off += in*out + out
		h = z
	}
	return h
}

func to64(p []float32) []float64 {
	q := make([]float64, len(p))
	for i, v := range p {
		q[i] = float64(v)
	}
	return q
}

// dsm is a denoising-score-matching style loss, as in the notebook:
// ℓ_r = (½|u_r|² + u_r·z_r/σ_r)σ_r², with ∂ℓ_r/∂u_r = (u_r + z_r/σ_r)σ_r².
type dsm struct {
	d     int
	z     []float64
	sigma []float64
}

func newDSM(rng *rand.Rand, n, d int) *dsm {
	l := &dsm{d: d, z: make([]float64, n*d), sigma: make([]float64, n)}
	for i := range l.z {
		l.z[i] = rng.NormFloat64()
	}
	for i := range l.sigma {
		l.sigma[i] = 0.05 + 2*rng.Float64()
	}
	return l
}

func (l *dsm) grad(lo, hi int, u, g []float32) float64 {
	total := 0.0
	for r := range hi - lo {
		s := l.sigma[lo+r]
		for j := range l.d {
			uj, zj := float64(u[r*l.d+j]), l.z[(lo+r)*l.d+j]
			total += (0.5*uj*uj + uj*zj/s) * s * s
			g[r*l.d+j] = float32((uj + zj/s) * s * s)
		}
	}
	return total
}

func (l *dsm) loss64(m *MLP, params []float64, input []float32, n int) float64 {
	total := 0.0
	x := make([]float64, m.In)
	for r := range n {
		for i := range x {
			x[i] = float64(input[r*m.In+i])
		}
		u := ref64(m, params, x)
		s := l.sigma[r]
		for j, uj := range u {
			total += (0.5*uj*uj + uj*l.z[r*l.d+j]/s) * s * s
		}
	}
	return total
}

func randInput(rng *rand.Rand, n, in int) []float32 {
	x := make([]float32, n*in)
	for i := range x {
		x[i] = float32(2 * rng.NormFloat64())
	}
	return x
}

func TestGradientFiniteDifferences(t *testing.T) {
	cases := []struct {
		in, out int
		hidden  []int
		n       int
		checks  int // parameters checked (0 = all)
	}{
		{2, 1, []int{3}, 1, 0},
		{4, 3, []int{3, 5}, 7, 0},
		{2, 1, []int{3, 50}, 130, 120},
		{4, 3, []int{50}, 130, 120},
		{2, 1, []int{5, 3}, 2000, 0},
		{2, 1, nil, 7, 0},
		{2, 1, []int{50, 50, 50}, 257, 60},
	}
	if testing.Short() {
		cases[len(cases)-1].n = 130
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("%d-%v-%d/n=%d", c.in, c.hidden, c.out, c.n), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(c.n), 7))
			m, err := New(c.in, c.out, c.hidden, rng)
			if err != nil {
				t.Fatal(err)
			}
			input := randInput(rng, c.n, c.in)
			l := newDSM(rng, c.n, c.out)
			ws := m.NewWorkspace(c.n)
			defer ws.Close()
			grad := make([]float32, m.NumParams())
			loss := m.Gradient(ws, input, c.n, l.grad, grad)

			p64 := to64(m.Params)
			want := l.loss64(m, p64, input, c.n)
			// Loss: float32 outputs (relative error ~1e-6 from rounding and
			// the tanh approximation) enter a sum of n positive and
			// negative terms; compare against the sum of magnitudes.
			if math.Abs(loss-want) > 1e-5*(math.Abs(want)+float64(c.n)) {
				t.Errorf("loss = %.9g, float64 reference %.9g", loss, want)
			}

			idx := make([]int, m.NumParams())
			for j := range idx {
				idx[j] = j
			}
			if c.checks > 0 {
				rng.Shuffle(len(idx), func(i, j int) { idx[i], idx[j] = idx[j], idx[i] })
				idx = idx[:c.checks]
			}
			fd := make([]float64, len(idx))
			rms := 0.0
			for k, j := range idx {
				// Central differences in float64: truncation ~h²·ℓ''' and
				// rounding ~1e-16·|ℓ|/h are both far below the tolerance.
				h := 1e-4 * max(1, math.Abs(p64[j]))
				old := p64[j]
				p64[j] = old + h
				lp := l.loss64(m, p64, input, c.n)
				p64[j] = old - h
				lm := l.loss64(m, p64, input, c.n)
				p64[j] = old
				fd[k] = (lp - lm) / (2 * h)
				rms += fd[k] * fd[k]
			}
			rms = math.Sqrt(rms / float64(len(idx)))
			for k, j := range idx {
				// The float32 pass carries ~1e-6 relative error per value;
				// summed over rows with cancellation the gradient's error
				// stays well below 1e-4 of the typical gradient size, while
				// any indexing or formula mistake gives O(1) errors.
				if math.Abs(float64(grad[j])-fd[k]) > 1e-4*(math.Abs(fd[k])+rms) {
					t.Errorf("grad[%d] = %.7g, finite differences %.7g (rms %.3g)", j, grad[j], fd[k], rms)
				}
			}
		})
	}
}

func TestForwardMatchesReference(t *testing.T) {
	for _, c := range []struct {
		in, out int
		hidden  []int
		n       int
	}{{2, 1, []int{50, 50, 50}, 1}, {4, 3, []int{3, 50}, 130}, {2, 1, []int{7}, 1000}, {3, 2, nil, 9}} {
		rng := rand.New(rand.NewPCG(uint64(c.n), 11))
		m, err := New(c.in, c.out, c.hidden, rng)
		if err != nil {
			t.Fatal(err)
		}
		input := randInput(rng, c.n, c.in)
		ws := m.NewWorkspace(c.n + 5)
		out := make([]float32, c.n*c.out)
		m.Forward(ws, input, c.n, out)
		ws.Close()
		p64 := to64(m.Params)
		for r := range c.n {
			u := ref64(m, p64, to64(input[r*c.in:(r+1)*c.in]))
			for j, want := range u {
				// Each layer adds ~(fan_in)·6e-8 relative rounding plus the
				// tanh approximation's 6.1e-7; outputs are O(1).
				if got := float64(out[r*c.out+j]); math.Abs(got-want) > 1e-5*(1+math.Abs(want)) {
					t.Fatalf("%d→%v→%d row %d output %d = %.8g, want %.8g", c.in, c.hidden, c.out, r, j, got, want)
				}
			}
		}
	}
}

func TestGradientDeterministic(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	m, err := New(2, 1, []int{50, 50, 50}, rng)
	if err != nil {
		t.Fatal(err)
	}
	const n = 2000
	input := randInput(rng, n, 2)
	l := newDSM(rng, n, 1)
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	var first []float32
	var firstLoss float64
	for _, procs := range []int{1, 2, 4} {
		runtime.GOMAXPROCS(procs)
		ws := m.NewWorkspace(n)
		grad := make([]float32, m.NumParams())
		loss := m.Gradient(ws, input, n, l.grad, grad)
		// A second call on the same workspace must not depend on leftovers.
		grad2 := make([]float32, m.NumParams())
		loss2 := m.Gradient(ws, input, n, l.grad, grad2)
		ws.Close()
		if first == nil {
			first, firstLoss = grad, loss
		}
		if math.Float64bits(loss) != math.Float64bits(firstLoss) || loss2 != loss {
			t.Errorf("GOMAXPROCS=%d: loss %v, %v; want %v", procs, loss, loss2, firstLoss)
		}
		for j := range grad {
			if math.Float32bits(grad[j]) != math.Float32bits(first[j]) || grad2[j] != grad[j] {
				t.Fatalf("GOMAXPROCS=%d: grad[%d] = %v (repeat %v), want %v", procs, j, grad[j], grad2[j], first[j])
			}
		}
	}
}

func TestNoAllocations(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	m, err := New(2, 1, []int{50, 50, 50}, rng)
	if err != nil {
		t.Fatal(err)
	}
	const n = 300
	input := randInput(rng, n, 2)
	l := newDSM(rng, n, 1)
	ws := m.NewWorkspace(n)
	defer ws.Close()
	grad := make([]float32, m.NumParams())
	lossFn := l.grad
	if a := testing.AllocsPerRun(20, func() { m.Gradient(ws, input, n, lossFn, grad) }); a != 0 {
		t.Errorf("Gradient allocates %v times per call", a)
	}
	out := make([]float32, n)
	if a := testing.AllocsPerRun(20, func() { m.Forward(ws, input, n, out) }); a != 0 {
		t.Errorf("Forward allocates %v times per call", a)
	}
	x := make([]float64, n)
	s, div := make([]float64, n), make([]float64, n)
	m.Score(x, 0.5, s)
	if a := testing.AllocsPerRun(20, func() { m.Score(x, 0.5, s) }); a != 0 {
		t.Errorf("Score allocates %v times per call", a)
	}
	if a := testing.AllocsPerRun(20, func() { m.Score(x[:10], 0.5, s[:10]) }); a != 0 {
		t.Errorf("Score on a smaller batch allocates %v times per call", a)
	}
	if a := testing.AllocsPerRun(20, func() { m.ScoreDiv(x, 0.5, s, div) }); a != 0 {
		t.Errorf("ScoreDiv allocates %v times per call", a)
	}
}

func TestScoreDiv(t *testing.T) {
	for _, c := range []struct {
		d      int
		hidden []int
	}{{1, []int{50, 50, 50}}, {3, []int{7, 5}}, {2, nil}} {
		rng := rand.New(rand.NewPCG(uint64(c.d), 5))
		m, err := New(c.d+1, c.d, c.hidden, rng)
		if err != nil {
			t.Fatal(err)
		}
		const n = 150
		const tm = 0.3
		x := make([]float64, n*c.d)
		for i := range x {
			x[i] = rng.NormFloat64()
		}
		s, s2, div := make([]float64, len(x)), make([]float64, len(x)), make([]float64, n)
		m.ScoreDiv(x, tm, s, div)
		m.Score(x, tm, s2)
		for i := range s {
			if s[i] != s2[i] {
				t.Fatalf("d=%d: ScoreDiv score[%d] = %v, Score gives %v", c.d, i, s[i], s2[i])
			}
		}
		p64 := to64(m.Params)
		sp, sm := make([]float64, c.d), make([]float64, c.d)
		for i := range n {
			// Finite differences of the float32 Score with h = 1e-2:
			// rounding noise ~1e-7/h and truncation ~h² are both ≲ 1e-4.
			const h = 1e-2
			fd32 := 0.0
			// And of the float64 reference with h = 1e-5 (error ~1e-10).
			const h64 = 1e-5
			fd64 := 0.0
			for j := range c.d {
				pt := append([]float64(nil), x[i*c.d:(i+1)*c.d]...)
				pt[j] += h
				m.Score(pt, tm, sp)
				pt[j] -= 2 * h
				m.Score(pt, tm, sm)
				fd32 += (sp[j] - sm[j]) / (2 * h)

				q := append(float32To64(x[i*c.d:(i+1)*c.d]), tm)
				q[j] += h64
				up := ref64(m, p64, q)
				q[j] -= 2 * h64
				um := ref64(m, p64, q)
				fd64 += (up[j] - um[j]) / (2 * h64)
			}
			if math.Abs(div[i]-fd32) > 1e-3*(1+math.Abs(fd32)) {
				t.Errorf("d=%d point %d: div = %.7g, finite differences of Score %.7g", c.d, i, div[i], fd32)
			}
			// float32 tangents: ~1e-6 relative per layer.
			if math.Abs(div[i]-fd64) > 2e-5*(1+math.Abs(fd64)) {
				t.Errorf("d=%d point %d: div = %.7g, float64 reference %.7g", c.d, i, div[i], fd64)
			}
		}
	}
}

// float32To64 rounds x to float32 and back, as Score does with its input.
func float32To64(x []float64) []float64 {
	y := make([]float64, len(x))
	for i, v := range x {
		y[i] = float64(float32(v))
	}
	return y
}

func TestScoreGrowsAndMatchesForward(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	m, err := New(3, 2, []int{20}, rng)
	if err != nil {
		t.Fatal(err)
	}
	if m.Dim() != 2 {
		t.Fatalf("Dim = %d, want 2", m.Dim())
	}
	for _, n := range []int{1, 300, 5, 1000} {
		x := make([]float64, 2*n)
		for i := range x {
			x[i] = rng.NormFloat64()
		}
		s := make([]float64, 2*n)
		m.Score(x, 0.7, s)
		p64 := to64(m.Params)
		for i := range n {
			u := ref64(m, p64, append(float32To64(x[2*i:2*i+2]), float64(float32(0.7))))
			for j := range 2 {
				if math.Abs(s[2*i+j]-u[j]) > 1e-5*(1+math.Abs(u[j])) {
					t.Fatalf("n=%d point %d: score %v, reference %v", n, i, s[2*i+j], u[j])
				}
			}
		}
	}
}

func TestJSONRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	m, err := New(2, 1, []int{50, 50, 50}, rng)
	if err != nil {
		t.Fatal(err)
	}
	m.Params[0] = 1e-42 // subnormal
	m.Params[1] = math.MaxFloat32
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Load(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if got.In != m.In || got.Out != m.Out || fmt.Sprint(got.Hidden) != fmt.Sprint(m.Hidden) || got.Act != m.Act {
		t.Fatalf("architecture %d %v %d %s, want %d %v %d %s", got.In, got.Hidden, got.Out, got.Act, m.In, m.Hidden, m.Out, m.Act)
	}
	for j := range m.Params {
		if math.Float32bits(got.Params[j]) != math.Float32bits(m.Params[j]) {
			t.Fatalf("param %d = %v after round trip, want %v", j, got.Params[j], m.Params[j])
		}
	}
	var viaUnmarshal MLP
	if err := json.Unmarshal(b, &viaUnmarshal); err != nil || len(viaUnmarshal.Params) != len(m.Params) {
		t.Fatalf("json.Unmarshal: %v", err)
	}
	// A network without hidden layers round-trips too.
	lin, _ := New(3, 2, nil, rng)
	b, _ = json.Marshal(lin)
	if _, err := Load(bytes.NewReader(b)); err != nil {
		t.Errorf("linear model: %v", err)
	}

	m.Params[5] = float32(math.NaN())
	if _, err := json.Marshal(m); err == nil || !strings.Contains(err.Error(), "parameter 5") {
		t.Errorf("Marshal with NaN: error %v, want one naming parameter 5", err)
	}
}

func TestLoadErrors(t *testing.T) {
	good := `{"format":"scoresde-mlp","version":1,"in":2,"out":1,"hidden":[1],"act":"tanh","params":[1,2,3,4,5]}`
	if _, err := Load(strings.NewReader(good)); err != nil {
		t.Fatalf("valid model rejected: %v", err)
	}
	for _, c := range []struct{ name, json, want string }{
		{"not JSON", `{"format":`, "reading model"},
		{"NaN literal", strings.Replace(good, "[1,2,3,4,5]", "[1,2,NaN,4,5]", 1), "reading model"},
		{"float32 overflow", strings.Replace(good, "[1,2,3,4,5]", "[1,2,1e39,4,5]", 1), "reading model"},
		{"too few params", strings.Replace(good, "[1,2,3,4,5]", "[1,2,3,4]", 1), "4 parameters"},
		{"too many params", strings.Replace(good, "[1,2,3,4,5]", "[1,2,3,4,5,6]", 1), "6 parameters"},
		{"zero width", strings.Replace(good, `"hidden":[1]`, `"hidden":[0]`, 1), "width 0"},
		{"negative in", strings.Replace(good, `"in":2`, `"in":-2`, 1), "at least 1"},
		{"huge", strings.Replace(good, `"hidden":[1]`, `"hidden":[1000000000]`, 1), "more than the supported"},
		{"activation", strings.Replace(good, `"tanh"`, `"relu"`, 1), "unsupported activation"},
		{"format", strings.Replace(good, `scoresde-mlp`, `other`, 1), "format"},
		{"version", strings.Replace(good, `"version":1`, `"version":2`, 1), "version 2"},
		{"unknown field", strings.Replace(good, `"act"`, `"extra":1,"act"`, 1), "unknown field"},
	} {
		_, err := Load(strings.NewReader(c.json))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
	}
}

func TestNewErrors(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, c := range []struct {
		in, out int
		hidden  []int
		rng     *rand.Rand
	}{{0, 1, nil, rng}, {2, 0, nil, rng}, {2, 1, []int{5, -1}, rng}, {2, 1, nil, nil}} {
		if _, err := New(c.in, c.out, c.hidden, c.rng); err == nil {
			t.Errorf("New(%d, %d, %v, rng=%v) succeeded", c.in, c.out, c.hidden, c.rng != nil)
		}
	}
}

func TestInitStatistics(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	m, err := New(2, 1, []int{200, 100}, rng)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := m.NumParams(), 2*200+200+200*100+100+100+1; got != want {
		t.Fatalf("NumParams = %d, want %d", got, want)
	}
	for _, ly := range m.layers() {
		bound := 1 / math.Sqrt(float64(ly.in))
		vals := m.Params[ly.w : ly.b+ly.out]
		var bins [4]int
		for _, v := range vals {
			if math.Abs(float64(v)) > bound {
				t.Fatalf("layer %d→%d: value %v outside ±%v", ly.in, ly.out, v, bound)
			}
			bins[min(3, int((float64(v)/bound+1)*2))]++
		}
		// Each quarter of the interval holds a binomial(N, 1/4) count:
		// allow 5 standard errors.
		N := float64(len(vals))
		se := math.Sqrt(N * 0.25 * 0.75)
		for b, c := range bins {
			if math.Abs(float64(c)-N/4) > 5*se {
				t.Errorf("layer %d→%d: quarter %d holds %d of %v values, want %v ± %.0f", ly.in, ly.out, b, c, N, N/4, 5*se)
			}
		}
	}
}

func TestClone(t *testing.T) {
	m, _ := New(2, 1, []int{4}, rand.New(rand.NewPCG(1, 1)))
	c := m.Clone()
	c.Params[0]++
	c.Hidden[0] = 9
	if m.Params[0] == c.Params[0] || m.Hidden[0] != 4 {
		t.Errorf("Clone shares memory with the original")
	}
}

func TestWorkspaceMisuse(t *testing.T) {
	m, _ := New(2, 1, []int{4}, rand.New(rand.NewPCG(1, 1)))
	other, _ := New(2, 1, []int{5}, rand.New(rand.NewPCG(1, 1)))
	ws := m.NewWorkspace(10)
	defer ws.Close()
	for name, f := range map[string]func(){
		"too many rows": func() { m.Forward(ws, make([]float32, 22), 11, make([]float32, 11)) },
		"other network": func() { other.Forward(ws, make([]float32, 2), 1, make([]float32, 1)) },
		"short output":  func() { m.Forward(ws, make([]float32, 4), 2, make([]float32, 1)) },
		"short grad":    func() { m.Gradient(ws, make([]float32, 4), 2, nil, make([]float32, 3)) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
	}
}

func TestEmptyBatch(t *testing.T) {
	m, _ := New(2, 1, []int{4}, rand.New(rand.NewPCG(1, 1)))
	ws := m.NewWorkspace(10)
	defer ws.Close()
	grad := make([]float32, m.NumParams())
	// A batch first, so the workspace holds a tile gradient.
	l := newDSM(rand.New(rand.NewPCG(2, 2)), 3, 1)
	m.Gradient(ws, randInput(rand.New(rand.NewPCG(3, 3)), 3, 2), 3, l.grad, grad)
	for j := range grad {
		grad[j] = 7
	}
	if l := m.Gradient(ws, nil, 0, nil, grad); l != 0 {
		t.Errorf("loss of an empty batch = %v, want 0", l)
	}
	for j, g := range grad {
		if g != 0 {
			t.Fatalf("grad[%d] = %v for an empty batch, want 0", j, g)
		}
	}
	m.Forward(ws, nil, 0, nil)
	m.Score(nil, 0.5, nil)
	m.ScoreDiv(nil, 0.5, nil, nil)
}

func TestAbandonedWorkspaceStopsWorkers(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	m, _ := New(2, 1, []int{4}, rand.New(rand.NewPCG(1, 1)))
	// Helpers of workspaces closed by earlier tests exit asynchronously;
	// let the count settle first.
	before := runtime.NumGoroutine()
	for range 100 {
		runtime.GC()
		time.Sleep(5 * time.Millisecond)
		n := runtime.NumGoroutine()
		if n == before {
			break
		}
		before = n
	}
	for range 5 {
		ws := m.NewWorkspace(1000)
		m.Forward(ws, make([]float32, 2000), 1000, make([]float32, 1000))
	}
	if runtime.NumGoroutine() < before+5 {
		t.Fatalf("expected worker goroutines to be running")
	}
	// Cleanups run after a GC finds the workspaces unreachable; give them
	// a few cycles.
	for range 100 {
		runtime.GC()
		if runtime.NumGoroutine() <= before {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Errorf("%d goroutines remain, %d before creating the workspaces", runtime.NumGoroutine(), before)
}

// GradientFunc, with the input made tile by tile, gives Gradient's result
// bit for bit, and asks for each tile's rows exactly once.
func TestGradientFuncMatchesGradient(t *testing.T) {
	// The larger network has enough parameters for the workers to sum
	// and update in parallel; the smaller one takes the serial path.
	for _, c := range []struct {
		n      int
		hidden []int
	}{{1, []int{7, 13}}, {TileRows - 1, []int{7, 13}}, {TileRows, []int{7, 13}}, {TileRows + 1, []int{7, 13}}, {2000, []int{7, 13}},
		{1, []int{50, 50}}, {TileRows + 1, []int{50, 50}}, {2000, []int{50, 50}}} {
		n := c.n
		t.Run(fmt.Sprint(n, c.hidden), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(5, uint64(n)))
			m, err := New(3, 2, c.hidden, rng)
			if err != nil {
				t.Fatal(err)
			}
			input := randInput(rng, n, 3)
			l := newDSM(rng, n, 2)
			ws := m.NewWorkspace(n)
			defer ws.Close()
			want := make([]float32, m.NumParams())
			wantLoss := m.Gradient(ws, input, n, l.grad, want)

			calls := make([]atomic.Int32, n)
			_, size := Tiling(n)
			batch := func(tile, lo, hi int, in []float32) {
				if lo != tile*size || hi != min(n, lo+size) || len(in) != (hi-lo)*3 {
					t.Errorf("batch(%d, %d, %d) with %d values: not a tile", tile, lo, hi, len(in))
					return
				}
				for r := lo; r < hi; r++ {
					calls[r].Add(1)
				}
				copy(in, input[lo*3:hi*3])
			}
			got := make([]float32, m.NumParams())
			gotLoss := m.GradientFunc(ws, n, batch, l.grad, got, nil)
			if gotLoss != wantLoss || !slices.Equal(got, want) {
				t.Errorf("loss %v, want %v; gradients equal: %v", gotLoss, wantLoss, slices.Equal(got, want))
			}
			for r := range calls {
				if c := calls[r].Load(); c != 1 {
					t.Fatalf("row %d made %d times", r, c)
				}
			}
			// With an update: every parameter is handed over exactly once,
			// with its final gradient.
			covered := make([]atomic.Int32, m.NumParams())
			clear(got)
			update := func(lo, hi int) {
				if !slices.Equal(got[lo:hi], want[lo:hi]) {
					t.Errorf("update(%d, %d) before the gradient there is final", lo, hi)
				}
				for j := lo; j < hi; j++ {
					covered[j].Add(1)
				}
			}
			m.GradientFunc(ws, n, batch, l.grad, got, update)
			for j := range covered {
				if c := covered[j].Load(); c != 1 {
					t.Fatalf("parameter %d updated %d times", j, c)
				}
			}
			lossFn := l.grad // a method value allocates where it is made
			if a := testing.AllocsPerRun(10, func() { m.GradientFunc(ws, n, batch, lossFn, got, nil) }); a != 0 {
				t.Errorf("GradientFunc allocates %v times per call", a)
			}
		})
	}
}

// Tiling cuts any batch into tiles of at most TileRows rows, equal but for
// the last, multiples of 8 but for the last, covering the batch exactly,
// and at least two tiles once the batch exceeds minTileRows rows.
func TestTiling(t *testing.T) {
	for _, c := range []struct{ n, tiles, size int }{
		{1, 1, 8}, {8, 1, 8}, {9, 1, 16}, {64, 1, 64}, {65, 2, 40}, {250, 4, 64}, {512, 4, 128},
		{513, 4, 136}, {2000, 4, 504}, {2049, 5, 416}, {10000, 20, 504},
	} {
		tiles, size := Tiling(c.n)
		if tiles != c.tiles || size != c.size {
			t.Errorf("Tiling(%d) = %d tiles of %d, want %d of %d", c.n, tiles, size, c.tiles, c.size)
		}
	}
	for n := 1; n < 40000; n += 7 {
		tiles, size := Tiling(n)
		last := n - (tiles-1)*size
		want := max((n+TileRows-1)/TileRows, min(4, (n+minTileRows-1)/minTileRows))
		if size > TileRows || size%8 != 0 || last < 1 || last > size || tiles > want || (n > minTileRows && tiles < 2) {
			t.Fatalf("Tiling(%d) = %d tiles of %d, last %d", n, tiles, size, last)
		}
	}
	if tiles, _ := Tiling(0); tiles != 0 {
		t.Errorf("Tiling(0) = %d tiles", tiles)
	}
}
