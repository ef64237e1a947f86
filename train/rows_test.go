package train

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"

	"scoresde/data"
	"scoresde/nn"
	"scoresde/precond"
	"scoresde/sde"
)

// tileRecord is what makeRows produced for one tile of a step.
type tileRecord struct {
	rows     []int
	t, w, iS []float64
	z, in    []float32
}

// Each training row is a draw from its perturbation kernel, fed to the
// network at the warped time and weighted by λ(t)/batch: x_t = m(t)x0 +
// s(t)z, input log s(t) rescaled so that ε ↦ 0 and T ↦ T (t itself for
// VE), λ = s(t)² or g(t)², checked against the SDEs' closed forms row by
// row for VP, sub-VP and VE and both weightings.
func TestRowsAreKernelDraws(t *testing.T) {
	vp := sde.DefaultVP()
	subvp, err := sde.New("subvp", sde.DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name      string
		s         sde.SDE
		weighting string
	}{
		{"vp std2", vp, WeightStd2}, {"vp g2", vp, WeightG2},
		{"subvp g2", subvp, WeightG2}, {"ve std2", sde.DefaultVE(), WeightStd2},
	} {
		t.Run(c.name, func(t *testing.T) {
			const n, d = 1200, 2
			rng := rand.New(rand.NewPCG(21, 1))
			ds := data.New(n, d)
			for i := range ds.X {
				ds.X[i] = 3 + rng.NormFloat64() // away from 0, so m(t) shows
			}
			net, err := nn.New(d+1, d, []int{8}, rand.New(rand.NewPCG(21, 2)))
			if err != nil {
				t.Fatal(err)
			}
			cfg := DefaultConfig()
			cfg.BatchSize, cfg.Weighting = n, c.weighting
			cfg.Precond = precond.None // the rows of the notebook's parametrisation (edm's: gaussian_test.go)
			tr, err := New(cfg, c.s, ds, &State{Net: net, RNG: rand.NewPCG(21, 3)})
			if err != nil {
				t.Fatal(err)
			}
			defer tr.Close()
			var mu sync.Mutex
			var recs []tileRecord
			inner := tr.batch
			tr.batch = func(tile, lo, hi int, in []float32) {
				inner(tile, lo, hi, in)
				r := tileRecord{rows: slices.Clone(tr.rows[lo:hi]), z: slices.Clone(tr.z[lo*d : hi*d]), in: slices.Clone(in[:(hi-lo)*(d+1)])}
				r.t = slices.Clone(tr.gens[tile].t[:hi-lo])
				for i := lo; i < hi; i++ {
					r.w = append(r.w, float64(tr.w[i]))
					r.iS = append(r.iS, float64(tr.invS[i]))
				}
				mu.Lock()
				recs = append(recs, r)
				mu.Unlock()
			}
			if err := tr.Run(context.Background(), 1, nil); err != nil {
				t.Fatal(err)
			}
			eps, T := tr.MinTime(), c.s.T()
			logS := func(t float64) float64 { return math.Log(c.s.Std(t)) }
			warp := func(t float64) float64 {
				if _, ok := c.s.(sde.VE); ok {
					return t
				}
				return (logS(t) - logS(eps)) * T / (logS(T) - logS(eps))
			}
			rows, small := 0, 0
			for _, r := range recs {
				for i, tt := range r.t {
					rows++
					if !(tt >= eps && tt <= T) {
						t.Fatalf("time %v outside [%v, %v]", tt, eps, T)
					}
					if tt < 0.05 {
						small++
					}
					m, s := c.s.MeanScale(tt), c.s.Std(tt)
					x0 := ds.Row(r.rows[i])
					in := r.in[i*(d+1) : (i+1)*(d+1)]
					for j := range d {
						want := m*x0[j] + s*float64(r.z[i*d+j])
						if math.Abs(float64(in[j])-want) > 1e-5*(1+math.Abs(want)) {
							t.Fatalf("t=%v: x_t = %v, want m·x0 + s·z = %v", tt, in[j], want)
						}
					}
					if want := warp(tt); math.Abs(float64(in[d])-want) > 1e-5 {
						t.Fatalf("t=%v: time input %v, want %v", tt, in[d], want)
					}
					lam := s * s
					if c.weighting == WeightG2 {
						lam = c.s.Diffusion(tt) * c.s.Diffusion(tt)
					}
					if want := lam / n; math.Abs(r.w[i]-want) > 1e-6*want {
						t.Fatalf("t=%v: weight %v, want λ/batch = %v", tt, r.w[i], want)
					}
					if math.Abs(r.iS[i]*s-1) > 1e-6 {
						t.Fatalf("t=%v: 1/s stored as %v, s = %v", tt, r.iS[i], s)
					}
				}
			}
			if rows != n {
				t.Fatalf("%d rows recorded, want %d", rows, n)
			}
			// Uniform in the warped time, VP and sub-VP spend most draws at
			// small t (s(0.05) is about 0.17 of s(T)); uniform t would put
			// 5% there.
			if _, ve := c.s.(sde.VE); !ve && float64(small)/n < 0.3 {
				t.Errorf("%.0f%% of the times below 0.05, want most (uniform in log s)", 100*float64(small)/n)
			}
		})
	}
}
