package pipeline

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
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
	Dim         int // data dimension: the network maps dim+1 inputs (x, t) to dim outputs
	Batch       int
	Steps       int // training steps to time
	Samples     int // points in the forward-pass and reverse-sampling benchmarks
	SampleSteps int
	// PeakGFLOPS is the machine's float32 peak used for the FLOP-floor
	// share; 0 measures it (kernel.PeakGFLOPS on every core at once) or,
	// with the plain Go kernels, assumes cores × clock × 32 (two 8-wide
	// FMA pipes).
	PeakGFLOPS float64
}

// DefaultBench times the notebook's network and batch.
func DefaultBench() BenchConfig {
	return BenchConfig{Hidden: []int{50, 50, 50}, Dim: 1, Batch: 2000, Steps: 500, Samples: 10000, SampleSteps: 50}
}

// BenchResult reports the measured speeds.
type BenchResult struct {
	Machine          sysinfo.Info `json:"machine"`
	Kernels          string       `json:"kernels"`
	KernelNote       string       `json:"kernel_note,omitempty"`
	Dim              int          `json:"dim"`
	Hidden           []int        `json:"hidden"`
	StepMS           float64      `json:"train_step_ms"`
	StepMedianMS     float64      `json:"train_step_median_ms"` // over epochs
	StepGFLOPS       float64      `json:"train_step_gflops"`
	FLOPPerStep      float64      `json:"flop_per_step"`
	PeakGFLOPS       float64      `json:"peak_gflops"`
	PeakSource       string       `json:"peak_source"` // "given", "measured" or "assumed"
	FloorShare       float64      `json:"floor_share"`
	ForwardRows      int          `json:"forward_rows"`
	ForwardMS        float64      `json:"forward_ms"`
	SampleStepMS     float64      `json:"reverse_step_ms"`
	SamplesPerSecond float64      `json:"samples_per_s_500_steps"`
	// PerKernel times each kernel of the step on one core, on the step's
	// shapes, against one core's share of the peak.
	PerKernel []KernelRate `json:"per_kernel"`
}

// Bench times a training step (data handling and Adam included), a forward
// pass and a reverse-sampling step over bc.Samples points, and each kernel
// of the step on one core.
func Bench(ctx context.Context, bc BenchConfig, w io.Writer) (*BenchResult, error) {
	if bc.Dim < 1 {
		bc.Dim = 1
	}
	res := &BenchResult{Machine: sysinfo.Collect(), Kernels: kernel.Implementation(), KernelNote: kernel.Note(),
		Dim: bc.Dim, Hidden: bc.Hidden}
	res.PeakGFLOPS, res.PeakSource = bc.PeakGFLOPS, "given"
	if res.PeakGFLOPS == 0 {
		res.PeakGFLOPS, res.PeakSource = measurePeak(min(res.Machine.GOMAXPROCS, res.Machine.NProc)), "measured"
	}
	if res.PeakGFLOPS == 0 {
		res.PeakGFLOPS, res.PeakSource = float64(min(res.Machine.GOMAXPROCS, res.Machine.NProc))*res.Machine.MHz/1000*32, "assumed"
	}

	rng := rand.New(rand.NewPCG(1, 1))
	ds := data.New(max(bc.Batch*5, 10000), bc.Dim)
	for i := range ds.X {
		ds.X[i] = rng.NormFloat64() * 0.5
	}
	net, err := nn.New(bc.Dim+1, bc.Dim, bc.Hidden, rng)
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
	// Each epoch's time too: the median step, as PyTorch's bench_scale.py
	// reports it, is steadier on a shared machine than the mean.
	epochMS := make([]float64, 0, epochs)
	last := start
	if err := tr.Run(ctx, 1+epochs, func(*train.State) error {
		now := time.Now()
		epochMS = append(epochMS, now.Sub(last).Seconds()*1e3/float64(per))
		last = now
		return nil
	}); err != nil {
		return nil, err
	}
	res.StepMS = time.Since(start).Seconds() * 1e3 / float64(epochs*per)
	slices.Sort(epochMS)
	res.StepMedianMS = epochMS[len(epochMS)/2]
	res.StepGFLOPS = res.FLOPPerStep / (res.StepMS * 1e6)
	res.FloorShare = res.StepGFLOPS / res.PeakGFLOPS

	nf := bc.Samples
	res.ForwardRows = nf
	in := make([]float32, (bc.Dim+1)*nf)
	for i := range in {
		in[i] = float32(rng.NormFloat64())
	}
	out := make([]float32, bc.Dim*nf)
	ws := net.NewWorkspace(nf)
	defer ws.Close()
	net.Forward(ws, in, nf, out)
	reps := min(100, max(3, int(2e9/(float64(nf)*fwd)))) // about 2 GFLOP
	start = time.Now()
	for range reps {
		net.Forward(ws, in, nf, out)
	}
	res.ForwardMS = time.Since(start).Seconds() * 1e3 / float64(reps)

	// The kernels run on one core, against one core's peak (measured
	// alone: one busy core may run faster than all of them).
	var corePeak float64
	if res.PeakSource == "given" {
		corePeak = res.PeakGFLOPS / float64(max(1, min(res.Machine.GOMAXPROCS, res.Machine.NProc)))
	} else {
		corePeak = measurePeak(1)
	}
	widths := append(append([]int{bc.Dim + 1}, bc.Hidden...), bc.Dim)
	res.PerKernel = kernelRates(widths, bc.Batch, corePeak)

	x := make([]float64, bc.Samples*bc.Dim)
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
		// The best of a hundred 1-ms windows: a shared machine's pauses
		// would otherwise pull the peak down, and every share up.
		wg.Go(func() {
			for range 100 {
				rates[i] = max(rates[i], kernel.PeakGFLOPS(time.Millisecond))
			}
		})
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
	if r.KernelNote != "" {
		fmt.Fprintf(w, "note: %s\n", r.KernelNote)
	}
	fmt.Fprintf(w, "network: %d→%v→%d (data dimension %d)\n", r.Dim+1, r.Hidden, r.Dim, r.Dim)
	fmt.Fprintf(w, "training step (batch, data handling, Adam): %8.3f ms  %6.1f GFLOP/s  %4.0f%% of the %s %.0f GFLOP/s peak\n",
		r.StepMS, r.StepGFLOPS, 100*r.FloorShare, r.PeakSource, r.PeakGFLOPS)
	fmt.Fprintf(w, "training step, median over epochs:          %8.3f ms\n", r.StepMedianMS)
	fmt.Fprintf(w, "forward pass, %7d rows:                  %8.3f ms\n", r.ForwardRows, r.ForwardMS)
	fmt.Fprintf(w, "reverse-sampling step, %7d points:        %8.3f ms  (%.0f samples/s at 500 steps)\n", r.ForwardRows, r.SampleStepMS, r.SamplesPerSecond)
	if len(r.PerKernel) > 0 {
		fmt.Fprintf(w, "kernels on one core, on the step's shapes (%s):\n", r.Kernels)
		for _, k := range r.PerKernel {
			if k.NsPerValue > 0 {
				fmt.Fprintf(w, "  %-9s %-36s %8.3f ns a value\n", k.Kernel, k.Shape, k.NsPerValue)
				continue
			}
			share := ""
			if k.PeakShare > 0 {
				share = fmt.Sprintf("  %4.0f%% of one core's peak", 100*k.PeakShare)
			}
			fmt.Fprintf(w, "  %-9s %-36s %8.1f GFLOP/s%s\n", k.Kernel, k.Shape, k.GFLOPS, share)
		}
	}
}
