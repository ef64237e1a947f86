package sampler

import (
	"math"
	"math/rand/v2"
	"testing"
)

// The score of centred Gaussian data, shifted by the data's mean μ, is the
// score of the data themselves, −(x − m(t)μ)/V(t), at every t of every SDE
// (a sign error or a missing m(t) fails at once); the divergence is unchanged.
func TestShiftedIsTheScoreOfTheUncentredData(t *testing.T) {
	for _, s := range testSDEs {
		centred := &gaussScore{s: s, d: 2, mu: 0, sigma: dataSigma}
		data := &gaussScore{s: s, d: 2, mu: dataMu, sigma: dataSigma}
		sh := &Shifted{Inner: centred, SDE: s, Shift: []float64{dataMu, dataMu}}
		x := []float64{0.3, -1.1, 2.0, 0.7}
		got, want := make([]float64, 4), make([]float64, 4)
		gd, wd := make([]float64, 2), make([]float64, 2)
		for _, tt := range []float64{s.MinTime(), 0.2, 0.6, s.T()} {
			sh.ScoreDiv(x, tt, got, gd)
			data.ScoreDiv(x, tt, want, wd)
			for i := range x {
				if math.Abs(got[i]-want[i]) > 1e-12*max(1, math.Abs(want[i])) {
					t.Errorf("%s t=%v: shifted score %v, want %v", s.Name(), tt, got[i], want[i])
				}
			}
			for i := range gd {
				if gd[i] != wd[i] {
					t.Errorf("%s t=%v: divergence %v, want %v", s.Name(), tt, gd[i], wd[i])
				}
			}
		}
		if x[0] != 0.3 || x[1] != -1.1 {
			t.Error("Shifted modified its input")
		}
	}
}

// UnshiftResult moves each snapshot by m(t)·c at its own time and the
// samples at End; sampling centred Gaussian data and unshifting gives the
// uncentred data's moments at each snapshot time.
func TestUnshiftResult(t *testing.T) {
	s := testSDEs[1] // VP: m(t) varies, so a snapshot moved at the wrong time shows
	const n, N = 20000, 50
	centred := &gaussScore{s: s, d: 1, mu: 0, sigma: dataSigma}
	data := &gaussScore{s: s, d: 1, mu: dataMu, sigma: dataSigma}
	rng := rand.New(rand.NewPCG(5, 5))
	x := centred.draw(rng, n, s.T())
	keep := []int{0, 10, 25, 40, N}
	o := Options{N: N, Keep: keep, Method: "ode", ODESolver: "rk4", Eps: DefaultEps}
	res, err := Sample(s, centred, x, o, nil)
	if err != nil {
		t.Fatal(err)
	}
	UnshiftResult(res, s, []float64{dataMu})
	for k, tk := range res.Times {
		mu, v := data.moments(tk)
		m, _, _ := sampleMoments(res.Snapshots[k], 1)
		// 5 standard errors; the exact check below is the tight one.
		if math.Abs(m[0]-mu) > 5*math.Sqrt(v/n) {
			t.Errorf("snapshot %d (t=%v): mean %v, want %v", k, tk, m[0], mu)
		}
	}
	// The shift is exact: undo it and compare with a centred run.
	x2 := centred.draw(rand.New(rand.NewPCG(5, 5)), n, s.T())
	ref, err := Sample(s, centred, x2, o, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, tk := range res.Times {
		c := s.MeanScale(tk) * dataMu
		for j := range res.Snapshots[k] {
			if d := res.Snapshots[k][j] - ref.Snapshots[k][j]; math.Abs(d-c) > 1e-12 {
				t.Fatalf("snapshot %d: moved by %v, want m(%v)·μ = %v", k, d, tk, c)
			}
		}
	}
	for j := range res.X {
		if d := res.X[j] - ref.X[j]; math.Abs(d-s.MeanScale(res.End)*dataMu) > 1e-12 {
			t.Fatalf("samples moved by %v, want m(ε)·μ", d)
		}
	}
}
