package pipeline

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"

	"scoresde/data"
	"scoresde/figures"
	"scoresde/report"
	"scoresde/sampler"
	"scoresde/sde"
)

// Animations: at least 20 frames were asked for; 30 at 12 frames a second
// play in 2.5 s. The reverse process is a run of the job's own sampler on
// animPoints points (2-D: the points drawn; 1-D: their density).
const (
	animFrames     = 30
	animPoints1D   = 5000
	animPoints2D   = 2000
	streamAnim     = 101
	animODEMaxStep = 100
)

// writeAnimations draws OUT/forward.gif, the forward process from the data
// to the prior, and OUT/reverse.gif, the reverse process from the prior to
// the samples.
func writeAnimations(cfg Config, s sde.SDE, ds *data.Set, model *Model, seed uint64) ([]string, error) {
	rng := rand.New(rand.NewPCG(seed, streamAnim))
	n := animPoints2D
	if ds.D == 1 {
		n = animPoints1D
	}
	n = min(n, ds.Len(), cfg.Sample.N)
	var files []string

	// Forward: the data's first n points (toy sets and files are in no
	// particular order; a Langevin run is thinned evenly).
	stride := max(1, ds.Len()/n)
	x0 := make([]float64, 0, n*ds.D)
	for i := 0; i < ds.Len() && len(x0) < n*ds.D; i += stride {
		x0 = append(x0, ds.Row(i)...)
	}
	steps := max(cfg.Sample.Steps, animFrames)
	g := sde.Grid{T: s.T(), N: steps}
	keep := evenIndices(steps, animFrames)
	states, err := sde.Forward(s, x0, g, keep, rng)
	if err != nil {
		return nil, err
	}
	times := make([]float64, len(keep))
	for k, i := range keep {
		times[k] = float64(i) * g.Dt()
	}
	p := filepath.Join(cfg.Out, "forward.gif")
	if err := figures.WriteGIF(p, figures.Animation{Title: "forward process", D: ds.D, Times: times, States: states, Data: ds.X}); err != nil {
		return nil, err
	}
	files = append(files, p)

	// Reverse: the job's sampler, snapshots at evenly spaced steps.
	sc := cfg.Sample
	sc.N = n
	if sc.Method == "ode" && (sc.ODESolver == "" || sc.ODESolver == "rk45") {
		// the adaptive solver has no fixed steps to show
		sc.ODESolver, sc.Steps = "heun", min(sc.Steps, animODEMaxStep)
	}
	keep = evenIndices(sc.Steps, min(animFrames, sc.Steps+1))
	res, err := model.Sample(sc, keep, rng, Options{})
	if err != nil {
		return nil, fmt.Errorf("reverse-process animation: %w", err)
	}
	all, err := sampler.StepTimes(s, samplerOptions(sc, keep))
	if err != nil {
		return nil, err
	}
	times = times[:0]
	for _, i := range keep {
		times = append(times, all[i])
	}
	times, states = tween(times, res.Snapshots, animFrames)
	p = filepath.Join(cfg.Out, "reverse.gif")
	title := fmt.Sprintf("reverse process, %s", sc.Method)
	if err := figures.WriteGIF(p, figures.Animation{Title: title, D: ds.D, Times: times, States: states, Data: ds.X}); err != nil {
		return nil, err
	}
	return append(files, p), nil
}

// evenIndices is k indices spread evenly over 0..n, both ends included.
func evenIndices(n, k int) []int {
	out := make([]int, k)
	for j := range k {
		out[j] = int(math.Round(float64(j) * float64(n) / float64(k-1)))
	}
	return out
}

// tween inserts frames linearly interpolated between consecutive states
// until there are at least want: a sampler with few steps (edm, dpm2m) has
// fewer states than an animation needs, and between its steps the points
// are shown moving in straight lines.
func tween(times []float64, states [][]float64, want int) ([]float64, [][]float64) {
	if len(states) >= want || len(states) < 2 {
		return times, states
	}
	per := int(math.Ceil(float64(want-1) / float64(len(states)-1))) // sub-steps per interval
	var ts []float64
	var ss [][]float64
	for i := 0; i+1 < len(states); i++ {
		for j := range per {
			f := float64(j) / float64(per)
			ts = append(ts, times[i]+f*(times[i+1]-times[i]))
			x := make([]float64, len(states[i]))
			for k := range x {
				x[k] = states[i][k] + f*(states[i+1][k]-states[i][k])
			}
			ss = append(ss, x)
		}
	}
	return append(ts, times[len(times)-1]), append(ss, states[len(states)-1])
}

// animationFigures returns the folder's forward.gif and reverse.gif for the
// report.
func animationFigures(dir string) []report.Figure {
	var out []report.Figure
	for _, f := range []struct{ file, title, caption string }{
		{"forward.gif", "Forward process (animation)", "The data dissolving into noise from t = 0 to T: by the last frame nothing of their shape should be left."},
		{"reverse.gif", "Reverse process (animation)", "The sampler running from the prior at t = T to the samples: the data's shape (grey) should emerge and the last frame match it. Between the steps of a few-step sampler the points are shown moving in straight lines."},
	} {
		b, err := os.ReadFile(filepath.Join(dir, f.file))
		if err != nil {
			continue
		}
		out = append(out, report.Figure{Title: f.title, Caption: f.caption, GIF: b})
	}
	return out
}
