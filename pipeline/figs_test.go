package pipeline

import (
	"errors"
	"path/filepath"
	"runtime"
	"slices"
	"sync/atomic"
	"testing"
)

// The draw queue runs every queued figure once, whatever GOMAXPROCS, names
// both files of each, and reports every failure in queue order.
func TestDrawQueue(t *testing.T) {
	errA, errB := errors.New("a failed"), errors.New("b failed")
	cases := []struct {
		name string
		fail map[int]error
		want []error
	}{
		{"all succeed", nil, nil},
		{"one fails", map[int]error{3: errA}, []error{errA}},
		{"two fail", map[int]error{1: errB, 5: errA}, []error{errB, errA}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			q := &drawQueue{dir: "out"}
			var runs [8]atomic.Int32
			for i := range runs {
				q.add(string(rune('a'+i)), func(p string) error {
					if p != filepath.Join("out", string(rune('a'+i))) {
						t.Errorf("figure %d drawn at %q", i, p)
					}
					runs[i].Add(1)
					return c.fail[i]
				})
			}
			err := q.run()
			for i := range runs {
				if n := runs[i].Load(); n != 1 {
					t.Errorf("figure %d drawn %d times", i, n)
				}
			}
			if len(q.files) != 2*len(runs) || q.files[0] != filepath.Join("out", "a.png") || q.files[1] != filepath.Join("out", "a.svg") {
				t.Errorf("files %v", q.files)
			}
			if c.want == nil {
				if err != nil {
					t.Errorf("error %v, want none", err)
				}
				return
			}
			for _, w := range c.want {
				if !errors.Is(err, w) {
					t.Errorf("error %v does not wrap %v", err, w)
				}
			}
			if len(c.want) == 2 && err.Error() != c.want[0].Error()+"\n"+c.want[1].Error() {
				t.Errorf("error %q not in queue order", err)
			}
		})
	}
}

// A figure queued with addFirst is drawn before those queued earlier, and
// the file list keeps the order of the calls.
func TestDrawQueueAddFirst(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1)) // one worker: the start order is the finish order
	q := &drawQueue{dir: "d"}
	var order []string
	record := func(p string) error { order = append(order, filepath.Base(p)); return nil }
	q.add("a", record)
	q.add("b", record)
	q.addFirst("slow", record)
	q.add("c", record)
	if err := q.run(); err != nil {
		t.Fatal(err)
	}
	if want := []string{"slow", "a", "b", "c"}; !slices.Equal(order, want) {
		t.Errorf("drawn in order %v, want %v", order, want)
	}
	if want := []string{"a", "b", "slow", "c"}; q.files[4] != filepath.Join("d", "slow.png") || len(q.files) != 2*len(want) {
		t.Errorf("files %v, want the order %v", q.files, want)
	}
}
