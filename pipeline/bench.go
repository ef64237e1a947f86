package pipeline

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"sync"
	"time"

	"scoresde/data"
	"scoresde/nn"
	"scoresde/nn/kernel"
	"scoresde/sampler"
	"scoresde/sde"
	"scoresde/sysinfo"
	"scoresde/train"
)

// BenchConfig sizes the speed benchmark; the defaults are the notebook's job.
type BenchConfig struct {
	Hidden      []int
	Batch       int
	Steps       int // training steps to time
	Samples     int // points in the reverse-sampling benchmark
	SampleSteps int
	// PeakGFLOPS is the machine's float32 peak used for the FLOP-floor
	// share; 0 measures it (kernel.PeakGFLOPS on every core at once) or,
	// with the plain Go kernels, assumes cores × clock × 32 (two 8-wide
	// FMA pipes).
	PeakGFLOPS float64
}

// DefaultBench times the notebook's network and batch.
func DefaultBench() BenchConfig {
	return BenchConfig{Hidden: []int{50, 50, 50}, Batch: 2000, Steps: 500, Samples: 10000, SampleSteps: 50}
}

// BenchResult reports the measured speeds.
type BenchResult struct {
	Machine          sysinfo.Info `json:"machine"`
	Kernels          string       `json:"kernels"`
	StepMS           float64      `json:"train_step_ms"`
	StepGFLOPS       float64      `json:"train_step_gflops"`
	FLOPPerStep      float64      `json:"flop_per_step"`
	PeakGFLOPS       float64      `json:"peak_gflops"`
	PeakSource       string       `json:"peak_source"` // "given", "measured" or "assumed"
	FloorShare       float64      `json:"floor_share"`
	ForwardMS        float64      `json:"forward_10k_ms"`
	SampleStepMS     float64      `json:"reverse_step_ms"`
	SamplesPerSecond float64      `json:"samples_per_s_500_steps"`
}

// Bench times a training step (data handling and Adam included), a forward
// pass over 10,000 rows and a reverse-sampling step.
func Bench(ctx context.Context, bc BenchConfig, w io.Writer) (*BenchResult, error) {
	res := &BenchResult{Machine: sysinfo.Collect(), Kernels: kernel.Implementation()}
	res.PeakGFLOPS, res.PeakSource = bc.PeakGFLOPS, "given"
	if res.PeakGFLOPS == 0 {
		res.PeakGFLOPS, res.PeakSource = measurePeak(min(res.Machine.GOMAXPROCS, res.Machine.NProc)), "measured"
	}
	if res.PeakGFLOPS == 0 {
		res.PeakGFLOPS, res.PeakSource = float64(min(res.Machine.GOMAXPROCS, res.Machine.NProc))*res.Machine.MHz/1000*32, "assumed"
	}

	rng := rand.New(rand.NewPCG(1, 1))
	ds := data.New(max(bc.Batch*5, 10000), 1)
	for i := range ds.X {
		ds.X[i] = rng.NormFloat64() * 0.5
	}
	net, err := nn.New(2, 1, bc.Hidden, rng)
	if err != nil {
		return nil, err
	}
	fwd, bwd := net.FLOPsPerRow()
	res.FLOPPerStep = float64(bc.Batch) * (fwd + bwd)
	tc := train.DefaultConfig()
	tc.BatchSize = bc.Batch
	st := &train.State{Net: net, RNG: rand.NewPCG(2, 2)}
	tr, err := train.New(tc, sde.DefaultVE(), ds, st)
	if err != nil {
		return nil, err
	}
	defer tr.Close()
	per := tr.StepsPerEpoch()
	epochs := max(1, bc.Steps/per)
	if err := tr.Run(ctx, 1, nil); err != nil { // warm-up: workers, caches
		return nil, err
	}
	start := time.Now()
	if err := tr.Run(ctx, 1+epochs, nil); err != nil {
		return nil, err
	}
	res.StepMS = time.Since(start).Seconds() * 1e3 / float64(epochs*per)
	res.StepGFLOPS = res.FLOPPerStep / (res.StepMS * 1e6)
	res.FloorShare = res.StepGFLOPS / res.PeakGFLOPS

	in := make([]float32, 2*10000)
	for i := range in {
		in[i] = float32(rng.NormFloat64())
	}
	out := make([]float32, 10000)
	ws := net.NewWorkspace(10000)
	defer ws.Close()
	net.Forward(ws, in, 10000, out)
	const reps = 20
	start = time.Now()
	for range reps {
		net.Forward(ws, in, 10000, out)
	}
	res.ForwardMS = time.Since(start).Seconds() * 1e3 / reps

	x := make([]float64, bc.Samples)
	ve := sde.DefaultVE()
	ve.SamplePrior(rng, x)
	start = time.Now()
	if _, err := sampler.EulerMaruyama(ve, net, x, sampler.Options{N: bc.SampleSteps}, rng); err != nil {
		return nil, err
	}
	res.SampleStepMS = time.Since(start).Seconds() * 1e3 / float64(bc.SampleSteps)
	res.SamplesPerSecond = float64(bc.Samples) / (res.SampleStepMS * 500 / 1e3)
	return res, nil
}

// measurePeak runs kernel.PeakGFLOPS on the given number of goroutines at
// once and returns the total; 0 without assembly kernels.
func measurePeak(cores int) float64 {
	rates := make([]float64, cores)
	var wg sync.WaitGroup
	for i := range rates {
		wg.Go(func() { rates[i] = kernel.PeakGFLOPS(200 * time.Millisecond) })
	}
	wg.Wait()
	total := 0.0
	for _, r := range rates {
		total += r
	}
	return total
}

// WriteText prints the benchmark as a small table.
func (r *BenchResult) WriteText(w io.Writer) {
	fmt.Fprintf(w, "machine: %s\nkernels: %s\n", r.Machine.String(), r.Kernels)
	fmt.Fprintf(w, "training step (batch, data handling, Adam): %8.3f ms  %6.1f GFLOP/s  %4.0f%% of the %s %.0f GFLOP/s peak\n",
		r.StepMS, r.StepGFLOPS, 100*r.FloorShare, r.PeakSource, r.PeakGFLOPS)
	fmt.Fprintf(w, "forward pass, 10,000 rows:                  %8.3f ms\n", r.ForwardMS)
	fmt.Fprintf(w, "reverse-sampling step, 10,000 points:       %8.3f ms  (%.0f samples/s at 500 steps)\n", r.SampleStepMS, r.SamplesPerSecond)
}
