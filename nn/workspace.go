package nn

import (
	"fmt"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"scoresde/nn/kernel"
)

// TileRows is the most batch rows processed as one unit of work. A batch
// of n rows is cut into ceil(n/TileRows) tiles (at least two for n > 64)
// of equal length, rounded up to a multiple of 8 (AVX2's vector width;
// AVX-512 runs a 504-row tile as 31½ vectors, the half masked), the
// last one shorter (see Tiling). The cut depends on n alone, never on GOMAXPROCS, so that the
// order of every floating-point sum (within a tile, then across tiles in
// tile order) and hence every result is the same whatever the
// parallelism. 512 rather than 256 because the weight-gradient kernel
// reduces its sums once per tile (docs/performance.md); the notebook's
// batch of 2000 still makes 4 tiles, enough for 4 cores. Equal tiles
// (504, 504, 504, 488 rather than 512, 512, 512, 464) keep two cores'
// shares within 16 rows.
const TileRows = 512

// Tiling returns how a batch of n rows is cut: tile k is rows
// [k·size, min(n, (k+1)·size)), k < tiles. Batches of more than
// minTileRows rows make at least two tiles (up to four), so that small
// batches, such as a probe's 250 points, still use several cores.
func Tiling(n int) (tiles, size int) {
	if n <= 0 {
		return 0, TileRows
	}
	t := max((n+TileRows-1)/TileRows, min(4, (n+minTileRows-1)/minTileRows))
	size = min(TileRows, ((n+t-1)/t+7)&^7)
	return (n + size - 1) / size, size
}

// minTileRows is the shortest tile worth a worker of its own.
const minTileRows = 64

// LossGrad receives the network outputs u for rows [lo, hi) of a batch,
// (hi-lo)×Out row-major, writes dLoss/du into grad (same layout) and
// returns the loss summed over those rows. It is called concurrently for
// disjoint row ranges, so it must only write to per-row state. The ranges
// are the batch's tiles (see Tiling).
type LossGrad func(lo, hi int, u, grad []float32) float64

// BatchFunc writes the network inputs of rows [lo, hi) of a batch, its
// tile number tile (see Tiling), into in, (hi-lo)×In row-major. Like
// LossGrad it is called concurrently, once per tile, and must only write
// to per-row or per-tile state; for each tile it is called before the
// tile's LossGrad and on the same goroutine, so the LossGrad may read what
// it stored for those rows.
type BatchFunc func(tile, lo, hi int, in []float32)

// Workspace holds every buffer needed to run a network on batches of up
// to a fixed number of rows, and a pool of worker goroutines. It can be
// reused for any number of calls but by one goroutine at a time. Call
// Close when done; a Workspace that becomes unreachable stops its workers
// too.
type Workspace struct {
	e *engine
}

// engine is the state shared with the workers; it holds no reference to
// the Workspace so that an unreachable Workspace can be cleaned up.
type engine struct {
	maxRows, nParams int
	in, out          int
	hidden           []int
	layers           []layer
	zeros            []float32 // zero biases for tangent propagation

	tileGrad []float32 // per tile gradient, tile k at k*nParams; made by the first Gradient
	tileLoss []float64
	scratch  []scratch // per worker

	// Pool (see pool.go).
	nWorkers int
	helpers  []helper // workers 1..nWorkers-1
	pending  atomic.Int32
	idle     parking // the caller of run, waiting for pending to reach 0
	next     atomic.Int64
	stopping atomic.Bool
	stopOnce sync.Once

	// Current job, written by the caller before waking the workers.
	kind   int
	tasks  int
	params []float32
	input  []float32
	batch  BatchFunc
	n      int
	loss   LossGrad
	grad   []float32
	res    []float32
	div    []float64
	update UpdateFunc
	chunks int
	// tileSize is the current job's tile length (see Tiling).
	tileSize int
}

const (
	jobGradient = iota
	jobUpdate
	jobForward
	jobScoreDiv
)

// scratch is one worker's tile buffers.
type scratch struct {
	act    [][]float32 // act[0] input tile, act[l+1] output of layer l
	in     []float32   // row-major input tile made by a BatchFunc
	d0, d1 []float32   // adjoint or tangent tiles, maxWidth × TileRows
	u, g   []float32   // row-major outputs and loss gradient
}

// NewWorkspace returns a workspace for batches of up to maxRows rows of
// networks with m's architecture. Its worker count is GOMAXPROCS at the
// time of the call. It panics if m's architecture is invalid (see
// Validate) or maxRows < 1.
func (m *MLP) NewWorkspace(maxRows int) *Workspace {
	if err := m.checkShape(); err != nil {
		panic(err)
	}
	if maxRows < 1 {
		panic(fmt.Sprintf("nn: workspace needs room for at least 1 row, got %d", maxRows))
	}
	nTiles, T := Tiling(maxRows)
	T = min(maxRows, T)
	e := &engine{
		maxRows: maxRows,
		nParams: m.NumParams(),
		in:      m.In,
		out:     m.Out,
		hidden:  slices.Clone(m.Hidden),
		layers:  m.layers(),
	}
	width := max(m.In, m.Out)
	for _, h := range m.Hidden {
		width = max(width, h)
	}
	e.zeros = make([]float32, width)
	e.tileLoss = make([]float64, nTiles)
	// More workers than processors only adds switching
	// (docs/performance.md); results do not depend on it.
	e.nWorkers = max(1, min(runtime.GOMAXPROCS(0), runtime.NumCPU(), nTiles))
	e.scratch = make([]scratch, e.nWorkers)
	for w := range e.scratch {
		s := &e.scratch[w]
		s.act = make([][]float32, len(e.layers)+1)
		s.act[0] = make([]float32, m.In*T)
		s.in = make([]float32, m.In*T)
		for l, ly := range e.layers {
			s.act[l+1] = make([]float32, ly.out*T)
		}
		s.d0 = make([]float32, width*T)
		s.d1 = make([]float32, width*T)
		s.u = make([]float32, m.Out*T)
		s.g = make([]float32, m.Out*T)
	}
	e.idle.init()
	e.helpers = make([]helper, e.nWorkers-1)
	for i := range e.helpers {
		e.helpers[i].park.init()
		go e.worker(i + 1)
	}
	ws := &Workspace{e: e}
	runtime.AddCleanup(ws, func(e *engine) { e.stop() }, e)
	return ws
}

// MaxRows is the largest batch the workspace accepts.
func (ws *Workspace) MaxRows() int { return ws.e.maxRows }

// Close stops the worker goroutines. The workspace must not be used
// afterwards. Close is idempotent.
func (ws *Workspace) Close() { ws.e.stop() }

func (e *engine) work(id int) {
	for {
		k := int(e.next.Add(1) - 1)
		if k >= e.tasks {
			return
		}
		switch e.kind {
		case jobGradient:
			e.gradientTile(id, k)
		case jobUpdate:
			e.updateChunk(k)
		case jobForward:
			e.forwardTile(id, k)
		case jobScoreDiv:
			e.scoreDivTile(id, k)
		}
	}
}

// matches reports whether m has the architecture the engine was built for.
func (e *engine) matches(m *MLP) bool {
	return m.In == e.in && m.Out == e.out && slices.Equal(m.Hidden, e.hidden) && m.Act == ActTanh
}

func (e *engine) check(m *MLP, input []float32, n int) {
	if !e.matches(m) {
		panic(fmt.Sprintf("nn: workspace built for a %d→%v→%d tanh network used with a %d→%v→%d %s network",
			e.in, e.hidden, e.out, m.In, m.Hidden, m.Out, m.Act))
	}
	if len(m.Params) != e.nParams {
		panic(fmt.Sprintf("nn: network has %d parameters, want %d", len(m.Params), e.nParams))
	}
	if n < 0 || n > e.maxRows {
		panic(fmt.Sprintf("nn: batch of %d rows outside the workspace's capacity 0..%d", n, e.maxRows))
	}
	if len(input) < n*e.in {
		panic(fmt.Sprintf("nn: input has %d values, want %d rows × %d", len(input), n, e.in))
	}
}

// Gradient runs the network on the n×In row-major input, calls loss on
// the outputs tile by tile, back-propagates, writes the gradient of the
// summed loss with respect to Params into grad (len NumParams) and returns
// the summed loss. Results are bit-identical for any GOMAXPROCS. It does
// not allocate after the first call on a workspace. It panics if ws does
// not fit m or the sizes disagree.
func (m *MLP) Gradient(ws *Workspace, input []float32, n int, loss LossGrad, grad []float32) float64 {
	ws.e.check(m, input, n)
	return m.gradient(ws, input, nil, n, loss, grad, nil)
}

// UpdateFunc receives disjoint parameter ranges [lo, hi) that together
// cover all parameters, each once grad[lo:hi] holds the batch's gradient.
// It is called concurrently, after the network has been run, so it may
// change the parameters in its range: an optimiser step.
type UpdateFunc func(lo, hi int)

// GradientFunc is Gradient with the input made tile by tile by batch, on
// the workers that then run the network on it, so that making a batch
// (random draws, say) is as parallel as the rest of the step. If update is
// not nil, the workers also sum the tile gradients range by range and
// call it on each.
func (m *MLP) GradientFunc(ws *Workspace, n int, batch BatchFunc, loss LossGrad, grad []float32, update UpdateFunc) float64 {
	ws.e.check(m, nil, 0)
	if n < 0 || n > ws.e.maxRows {
		panic(fmt.Sprintf("nn: batch of %d rows outside the workspace's capacity 0..%d", n, ws.e.maxRows))
	}
	return m.gradient(ws, nil, batch, n, loss, grad, update)
}

func (m *MLP) gradient(ws *Workspace, input []float32, batch BatchFunc, n int, loss LossGrad, grad []float32, update UpdateFunc) float64 {
	e := ws.e
	if len(grad) != e.nParams {
		panic(fmt.Sprintf("nn: gradient has length %d, want %d", len(grad), e.nParams))
	}
	tiles, size := Tiling(n)
	if e.tileGrad == nil {
		// Only Gradient needs these, so workspaces used for Forward or
		// Score on large batches never hold them.
		e.tileGrad = make([]float32, len(e.tileLoss)*e.nParams)
	}
	e.params, e.input, e.batch, e.n, e.loss, e.grad = m.Params, input, batch, n, loss, grad
	e.tileSize = size
	e.run(jobGradient, tiles)
	if chunks := e.nParams / minUpdateChunk; update != nil && e.nWorkers > 1 && chunks > 1 && tiles > 0 {
		// Sum and update in parallel: both are elementwise, so the
		// chunking changes no result.
		e.update, e.chunks = update, min(chunks, 2*e.nWorkers)
		e.run(jobUpdate, e.chunks)
		e.update = nil
	} else {
		e.sumTiles(0, e.nParams, tiles)
		if update != nil {
			update(0, e.nParams)
		}
	}
	total := 0.0
	for _, l := range e.tileLoss[:tiles] {
		total += l
	}
	e.params, e.input, e.batch, e.loss, e.grad = nil, nil, nil, nil, nil
	return total
}

// minUpdateChunk is the fewest parameters worth handing to a worker.
const minUpdateChunk = 1024

// updateChunk sums the tile gradients of chunk c of e.chunks and calls
// the update on it. Chunk boundaries are multiples of 8, the vector width.
func (e *engine) updateChunk(c int) {
	bound := func(c int) int { return min(e.nParams, (c*e.nParams/e.chunks+7)&^7) }
	lo, hi := bound(c), bound(c+1)
	if c == e.chunks-1 {
		hi = e.nParams
	}
	tiles, _ := Tiling(e.n)
	e.sumTiles(lo, hi, tiles)
	e.update(lo, hi)
}

// Forward writes the network outputs for the n×In row-major input into
// out (n×Out row-major). It is parallel, deterministic and does not
// allocate.
func (m *MLP) Forward(ws *Workspace, input []float32, n int, out []float32) {
	e := ws.e
	e.check(m, input, n)
	if len(out) < n*e.out {
		panic(fmt.Sprintf("nn: output has %d values, want %d rows × %d", len(out), n, e.out))
	}
	e.params, e.input, e.n, e.res = m.Params, input, n, out
	tiles, size := Tiling(n)
	e.tileSize = size
	e.run(jobForward, tiles)
	e.params, e.input, e.res = nil, nil, nil
}

// tileForward loads tile k of the input and runs all layers, leaving the
// activations in s.act. It returns the tile's row range and width.
func (e *engine) tileForward(s *scratch, k int) (lo, hi, L int) {
	lo = k * e.tileSize
	hi = min(e.n, lo+e.tileSize)
	L = hi - lo
	x := s.act[0][:e.in*L]
	var rows []float32
	if e.batch != nil {
		rows = s.in[:e.in*L]
		e.batch(k, lo, hi, rows)
	} else {
		rows = e.input[lo*e.in : hi*e.in]
	}
	for r := range L {
		for f, v := range rows[r*e.in : (r+1)*e.in] {
			x[f*L+r] = v
		}
	}
	last := len(e.layers) - 1
	for l, ly := range e.layers {
		kernel.Forward(s.act[l+1], s.act[l], e.params[ly.w:ly.b], e.params[ly.b:ly.b+ly.out],
			ly.in, ly.out, L, l < last)
	}
	return lo, hi, L
}

func (e *engine) gradientTile(id, k int) {
	s := &e.scratch[id]
	lo, hi, L := e.tileForward(s, k)
	nl := len(e.layers)
	outT := s.act[nl]
	u, g := s.u[:L*e.out], s.g[:L*e.out]
	for o := range e.out {
		for r, v := range outT[o*L : (o+1)*L] {
			u[r*e.out+o] = v
		}
	}
	e.tileLoss[k] = e.loss(lo, hi, u, g)
	da, dsrc := s.d0, s.d1
	for o := range e.out {
		row := da[o*L : (o+1)*L]
		for r := range row {
			row[r] = g[r*e.out+o]
		}
	}
	tg := e.tileGrad[k*e.nParams : (k+1)*e.nParams] // every layer's Backward overwrites its part
	for l := nl - 1; l >= 0; l-- {
		ly := e.layers[l]
		var ds []float32
		if l > 0 {
			ds = dsrc
		}
		kernel.Backward(da, s.act[l+1], s.act[l], e.params[ly.w:ly.b], tg[ly.w:ly.b], tg[ly.b:ly.b+ly.out],
			ds, ly.in, ly.out, L, l < nl-1)
		da, dsrc = dsrc, da
	}
}

// sumTiles adds the tile gradients of parameters [lo, hi) into grad in
// tile order.
func (e *engine) sumTiles(lo, hi, tiles int) {
	sum := e.grad[lo:hi]
	if tiles == 0 {
		clear(sum) // an empty sum; tile 0 may hold an earlier batch's
		return
	}
	copy(sum, e.tileGrad[lo:hi])
	for t := 1; t < tiles; t++ {
		kernel.Add(sum, e.tileGrad[t*e.nParams+lo:t*e.nParams+hi])
	}
}

func (e *engine) forwardTile(id, k int) {
	s := &e.scratch[id]
	lo, _, L := e.tileForward(s, k)
	outT := s.act[len(e.layers)]
	res := e.res[lo*e.out:]
	for o := range e.out {
		for r, v := range outT[o*L : (o+1)*L] {
			res[r*e.out+o] = v
		}
	}
}
