package nn

import (
	"sync/atomic"
	"testing"
	"time"
)

// A waiter and a waker hand a counter back and forth, the waker sometimes
// pausing past spinFor so that the waiter has blocked: every hand-off
// must arrive (a lost wake-up would hang the test) and none early.
func TestParkingHandOff(t *testing.T) {
	var p parking
	p.init()
	var n atomic.Int64
	const rounds = 400
	done := make(chan int64)
	go func() {
		var seen int64
		for i := int64(1); i <= rounds; i++ {
			p.wait(func() bool { return n.Load() >= i })
			if v := n.Load(); v < i {
				t.Errorf("woke at %d before hand-off %d", v, i)
			}
			seen = i
		}
		done <- seen
	}()
	for i := range rounds {
		switch i % 4 {
		case 0:
			time.Sleep(spinFor + 100*time.Microsecond) // the waiter has blocked
		case 1:
			time.Sleep(spinFor / 2)
		}
		n.Add(1)
		p.wake()
	}
	select {
	case got := <-done:
		if got != rounds {
			t.Errorf("waiter saw %d hand-offs, want %d", got, rounds)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("a wake-up was lost")
	}
}
