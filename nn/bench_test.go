package nn

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"

	"scoresde/optim"
)

func notebookNet(b *testing.B) *MLP {
	m, err := New(2, 1, []int{50, 50, 50}, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		b.Fatal(err)
	}
	return m
}

// reportMS reports wall ms/op and CPU ms/op (all threads, measured from
// start, a cpuTime() reading taken before the loop); on a machine shared
// with other work the CPU time is the steadier number.
func reportMS(b *testing.B, start time.Duration) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1e6, "ms/op")
	if start > 0 {
		b.ReportMetric(float64((cpuTime()-start).Nanoseconds())/float64(b.N)/1e6, "cpu-ms/op")
	}
}

// BenchmarkGradient is one training step's forward+backward of the
// notebook network on a batch of 2000 with the DSM loss.
func BenchmarkGradient(b *testing.B) {
	m := notebookNet(b)
	const n = 2000
	rng := rand.New(rand.NewPCG(3, 4))
	input := randInput(rng, n, 2)
	l := newDSM(rng, n, 1)
	ws := m.NewWorkspace(n)
	defer ws.Close()
	grad := make([]float32, m.NumParams())
	b.Logf("GOMAXPROCS=%d NumCPU=%d", runtime.GOMAXPROCS(0), runtime.NumCPU())
	start := cpuTime()
	for b.Loop() {
		m.Gradient(ws, input, n, l.grad, grad)
	}
	reportMS(b, start)
}

func BenchmarkForward(b *testing.B) {
	m := notebookNet(b)
	const n = 10000
	input := randInput(rand.New(rand.NewPCG(3, 4)), n, 2)
	ws := m.NewWorkspace(n)
	defer ws.Close()
	out := make([]float32, n)
	start := cpuTime()
	for b.Loop() {
		m.Forward(ws, input, n, out)
	}
	reportMS(b, start)
}

func BenchmarkScore(b *testing.B) {
	for _, n := range []int{5000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			m := notebookNet(b)
			x := make([]float64, n)
			out := make([]float64, n)
			start := cpuTime()
			for b.Loop() {
				m.Score(x, 0.5, out)
			}
			reportMS(b, start)
		})
	}
}

func BenchmarkScoreDiv(b *testing.B) {
	m := notebookNet(b)
	const n = 5000
	x := make([]float64, n)
	out, div := make([]float64, n), make([]float64, n)
	start := cpuTime()
	for b.Loop() {
		m.ScoreDiv(x, 0.5, out, div)
	}
	reportMS(b, start)
}

// BenchmarkTrainStep is one full notebook training step: gradient of the
// DSM loss on a batch of 2000 and an Adam update.
func BenchmarkTrainStep(b *testing.B) {
	m := notebookNet(b)
	const n = 2000
	rng := rand.New(rand.NewPCG(3, 4))
	input := randInput(rng, n, 2)
	l := newDSM(rng, n, 1)
	ws := m.NewWorkspace(n)
	defer ws.Close()
	grad := make([]float32, m.NumParams())
	opt := optim.NewAdam(m.NumParams(), 1e-3)
	start := cpuTime()
	for b.Loop() {
		m.Gradient(ws, input, n, l.grad, grad)
		opt.Update(m.Params, grad)
	}
	reportMS(b, start)
}
