package nn

import (
	"sync/atomic"
	"time"
)

// The worker pool of an engine: the goroutine calling run is worker 0 and
// nWorkers-1 helper goroutines are the others. A training step hands them
// two jobs about every millisecond, with gaps of a few to tens of
// microseconds (the next step's seed, the epoch's shuffle), and the
// reverse sampler one every couple of milliseconds. Blocking on a channel
// between jobs costs a futex round trip and a scheduler hand-off, tens of
// microseconds, each way; so waits first spin, then block.

// spinFor is how long a wait polls before it blocks: longer than the
// gaps between the jobs of a busy loop, short enough that an idle
// workspace costs nothing.
const spinFor = 200 * time.Microsecond

// parking is a spin-then-block wait of one goroutine for a condition that
// another goroutine makes true and then announces with wake.
type parking struct {
	parked atomic.Bool
	ch     chan struct{} // capacity 1: the wake-up of a blocked waiter
}

func (p *parking) init() { p.ch = make(chan struct{}, 1) }

// wait returns once ready() is true.
func (p *parking) wait(ready func() bool) {
	start := time.Now()
	for i := 1; !ready(); i++ {
		if i%64 == 0 && time.Since(start) > spinFor {
			p.parked.Store(true)
			// ready may have become true before parked was set, in which
			// case wake saw nothing to do: take the wake-up back. If wake
			// got there first, its token is on the way.
			if ready() && p.parked.CompareAndSwap(true, false) {
				return
			}
			<-p.ch
			return
		}
	}
}

// wake unblocks the waiter if it has blocked. Call it after making the
// waiter's condition true.
func (p *parking) wake() {
	if p.parked.CompareAndSwap(true, false) {
		p.ch <- struct{}{}
	}
}

// helper is one helper goroutine's mailbox.
type helper struct {
	jobs atomic.Uint64 // jobs handed to this helper so far
	park parking
	_    [48]byte // keep helpers' counters on separate cache lines
}

func (e *engine) worker(id int) {
	h := &e.helpers[id-1]
	var taken uint64
	for {
		h.park.wait(func() bool { return h.jobs.Load() != taken })
		taken++
		if e.stopping.Load() {
			return
		}
		e.work(id)
		if e.pending.Add(-1) == 0 {
			e.idle.wake()
		}
	}
}

// run executes tasks 0..tasks-1 of the current job on the pool, the
// calling goroutine acting as worker 0. Tasks are claimed dynamically, but
// each task writes only its own outputs, so the assignment of tasks to
// workers never affects results.
func (e *engine) run(kind, tasks int) {
	if tasks == 0 {
		return
	}
	e.kind, e.tasks = kind, tasks
	e.next.Store(0)
	helpers := min(e.nWorkers, tasks) - 1
	e.pending.Store(int32(helpers))
	for i := range helpers {
		h := &e.helpers[i]
		h.jobs.Add(1)
		h.park.wake()
	}
	e.work(0)
	if helpers > 0 {
		e.idle.wait(func() bool { return e.pending.Load() == 0 })
	}
}

func (e *engine) stop() {
	e.stopOnce.Do(func() {
		e.stopping.Store(true)
		for i := range e.helpers {
			h := &e.helpers[i]
			h.jobs.Add(1)
			h.park.wake()
		}
	})
}
