package sampler

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"scoresde/sde"
)

// Gaussian test data N(μ, σ²I): a non-zero mean catches sign and scaling
// errors in the drift that a centred target would hide.
const (
	dataMu    = 0.7
	dataSigma = 0.5
)

var testSDEs = []sde.SDE{sde.DefaultVE(), sde.DefaultVP(), sde.DefaultSubVP()}

// linearChain returns the exact mean and variance (per coordinate) after
// the em or rd chain with the exact Gaussian score, started from p_T. With
// that score each step is linear, x' = c·x + b + G·z, so
// M' = cM + b and V' = c²V + G². The coefficients are derived here from
// the SDE's closed forms, not taken from the sampler.
func linearChain(g *gaussScore, method string, n int, eps float64) (mean, v float64) {
	s := g.s
	mean, v = g.moments(s.T())
	h := (s.T() - eps) / float64(n)
	for i := range n {
		t := s.T() - float64(i)*h
		tn := t - h
		if i == n-1 {
			tn = eps
		}
		mt, vt := g.moments(t)
		var c, b, g2 float64
		switch method {
		case "em":
			gg := s.Diffusion(t)
			g2 = gg * gg * h
			c = 1 - s.DriftCoef(t)*h - g2/vt
		case "rd":
			// Forward transition t_{i+1} → t_i: x_t = r x_tn + N(0, G²).
			r := s.MeanScale(t) / s.MeanScale(tn)
			g2 = s.Std(t)*s.Std(t) - r*r*s.Std(tn)*s.Std(tn)
			c = 2 - r - g2/vt
		}
		b = g2 * mt / vt
		mean = c*mean + b
		v = c*c*v + g2
	}
	return mean, v
}

// sampleMoments returns per-coordinate means and variances and the
// correlation of the first two coordinates (0 for d = 1).
func sampleMoments(x []float64, d int) (mean, vr []float64, corr float64) {
	n := float64(len(x) / d)
	mean, vr = make([]float64, d), make([]float64, d)
	for i, v := range x {
		mean[i%d] += v
	}
	for k := range mean {
		mean[k] /= n
	}
	var c01 float64
	for p := 0; p < len(x); p += d {
		for k := range d {
			e := x[p+k] - mean[k]
			vr[k] += e * e
		}
		if d > 1 {
			c01 += (x[p] - mean[0]) * (x[p+1] - mean[1])
		}
	}
	for k := range vr {
		vr[k] /= n - 1
	}
	if d > 1 {
		corr = c01 / (n - 1) / math.Sqrt(vr[0]*vr[1])
	}
	return mean, vr, corr
}

// TestSamplersGaussian runs every sampler from exact p_T draws of Gaussian
// data (so the prior mismatch plays no part) with the exact score, and
// checks the output against p_ε = N(m(ε)μ, v_ε), v_ε = m(ε)²σ² + s(ε)².
//
// Tolerances, per coordinate, n = 20000 points:
//   - statistical: 5 standard errors, sqrt(V/n) for means and
//     sqrt(2/(n−1))·V for variances, 5/sqrt(n) for the correlation of the
//     two coordinates of d=2 (the samplers must not couple them);
//   - em and rd: the sample must match the chain's exact moments
//     (linearChain) to 5 SE, and the chain must match p_ε to its
//     discretisation bias, which at N=500 must stay below 2% in variance
//     and 0.01·sqrt(v_ε) in mean (measured: em ≤ 0.3% and 0.002·sqrt(v_ε),
//     rd ≤ 1.4% and 0.002·sqrt(v_ε); rd's per-step excess variance is
//     G⁴/v_t, so it overshoots more than em, whose left-point g² partly
//     cancels the same term);
//   - pc: no closed form because the step size depends on the batch; its
//     variance must lie within 5 SE + the em chain's bias + snr²·v_ε (the
//     Langevin corrector's stationary inflation, see TestLangevinStationary);
//   - ode: the exact flow is affine, x_ε = μ_ε + sqrt(v_ε/v_T)(x_T − μ_T),
//     so every point is checked against it (maxErr, measured below), and
//     the moments against p_ε to 5 SE.
func TestSamplersGaussian(t *testing.T) {
	const n, N = 20000, 500
	type method struct {
		name, solver string
		N            int
		maxErr       float64 // ode: per-point error bound
	}
	methods := []method{
		{name: "em", N: N}, {name: "rd", N: N}, {name: "pc", N: N},
		// Measured maximum errors over the 20000 points: Heun ≤ 7.3e-4 at
		// N=100 (second order: 1.8e-4 at N=200); RK4 ≤ 9.8e-7 at N=50;
		// RK45 ≤ 8e-6 at rtol = atol = 1e-5 (50–74 evaluations).
		{name: "ode", solver: "heun", N: 100, maxErr: 1.5e-3},
		{name: "ode", solver: "rk4", N: 50, maxErr: 3e-6},
		{name: "ode", solver: "rk45", maxErr: 1e-4},
	}
	for si, s := range testSDEs {
		for _, d := range []int{1, 2} {
			for mi, m := range methods {
				label := fmt.Sprintf("%s d=%d %s%s", s.Name(), d, m.name, m.solver)
				rng := rand.New(rand.NewPCG(uint64(si), uint64(10*d+mi)))
				g := &gaussScore{s: s, d: d, mu: dataMu, sigma: dataSigma}
				x := g.draw(rng, n, s.T())
				xT := append([]float64(nil), x...)
				o := Options{Eps: DefaultEps, N: m.N, Method: m.name, ODESolver: m.solver, CorrectorSteps: DefaultCorrectorSteps}
				res, err := Sample(s, g, x, o, rng)
				if err != nil {
					t.Fatalf("%s: %v", label, err)
				}
				eps := s.MinTime()
				muE, vE := g.moments(eps)
				muT, vT := g.moments(s.T())
				mean, vr, corr := sampleMoments(res.X, d)
				seM, seV := math.Sqrt(vE/n), math.Sqrt(2.0/(n-1))*vE
				if d > 1 && math.Abs(corr) > 5/math.Sqrt(n) {
					t.Errorf("%s: coordinates correlated, r = %.4f", label, corr)
				}
				tolM, tolV := 5*seM, 5*seV
				wantM, wantV := muE, vE
				switch m.name {
				case "em", "rd":
					cm, cv := linearChain(g, m.name, N, eps)
					if b := math.Abs(cv-vE) / vE; b > 0.02 {
						t.Errorf("%s: chain variance %v vs v_ε %v: bias %.3g > 2%%", label, cv, vE, b)
					}
					if b := math.Abs(cm - muE); b > 0.01*math.Sqrt(vE) {
						t.Errorf("%s: chain mean %v vs %v", label, cm, muE)
					}
					wantM, wantV = cm, cv
				case "pc":
					_, cv := linearChain(g, "em", N, eps)
					tolV += math.Abs(cv-vE) + DefaultSNR*DefaultSNR*vE
				case "ode":
					k := math.Sqrt(vE / vT)
					worst := 0.0
					for j := range xT {
						worst = max(worst, math.Abs(res.X[j]-(muE+k*(xT[j]-muT))))
					}
					if worst > m.maxErr {
						t.Errorf("%s: max deviation from the exact flow %.3g > %.3g", label, worst, m.maxErr)
					}
				}
				for k := range d {
					if math.Abs(mean[k]-wantM) > tolM {
						t.Errorf("%s: coordinate %d mean %.5f, want %.5f ± %.5f", label, k, mean[k], wantM, tolM)
					}
					if math.Abs(vr[k]-wantV) > tolV {
						t.Errorf("%s: coordinate %d variance %.5f, want %.5f ± %.5f", label, k, vr[k], wantV, tolV)
					}
				}
			}
		}
	}
}

// TestSamplersFourWells runs every sampler on the four-mode 1-D mixture
// (VE, exact score, from exact p_T draws) and bounds the Kolmogorov–Smirnov
// distance to p_ε: the 0.1% critical value 1.95/sqrt(n) for the sampling
// noise plus 0.003 for discretisation (the KS distance of 2·10⁵ samples
// at N=100 was 0.0012 for the ODE, 0.003–0.006 for the SDE samplers,
// including sampling noise ≈ 0.002). A sampler with a wrong drift or mode
// weights fails by far more.
func TestSamplersFourWells(t *testing.T) {
	const n = 20000
	s := sde.DefaultVE()
	q := fourWells(s)
	for i, o := range []Options{
		{N: 100}, {N: 100, Method: "rd"}, {N: 100, Method: "pc", CorrectorSteps: DefaultCorrectorSteps},
		{N: 25, Method: "ode", ODESolver: "rk4"},
	} {
		rng := rand.New(rand.NewPCG(21, uint64(i)))
		res, err := Sample(s, q, q.draw(rng, n, s.T()), o, rng)
		if err != nil {
			t.Fatal(err)
		}
		ks := ksDistance(res.X, func(x float64) float64 { return q.cdf(x, s.MinTime()) })
		if tol := 1.95/math.Sqrt(n) + 0.003; ks > tol {
			t.Errorf("%s%s: KS distance to p_ε %.4f > %.4f", o.Method, o.ODESolver, ks, tol)
		}
	}
}

// TestNFE: fixed-step samplers must report exactly their score
// evaluations per point, and rk45 what the score saw; Denoise adds one.
func TestNFE(t *testing.T) {
	s := sde.DefaultVP()
	for _, tc := range []struct {
		o    Options
		want int // −1: whatever the score counted
	}{
		{Options{Eps: DefaultEps, N: 37}, 37},
		{Options{Eps: DefaultEps, N: 37, Method: "rd"}, 37},
		{Options{Eps: DefaultEps, N: 37, Method: "pc", CorrectorSteps: 1}, 74},
		{Options{Eps: DefaultEps, N: 37, Method: "pc", CorrectorSteps: 0}, 37},
		{Options{Eps: DefaultEps, N: 37, Method: "pc", CorrectorSteps: 3}, 148},
		{Options{Eps: DefaultEps, N: 37, Method: "ode", ODESolver: "heun"}, 74},
		{Options{Eps: DefaultEps, N: 37, Method: "ode", ODESolver: "rk4"}, 148},
		{Options{Eps: DefaultEps, Method: "ode"}, -1},
		{Options{Eps: DefaultEps, N: 37, Denoise: true}, 38},
		{Options{Eps: DefaultEps, N: 37, Method: "ode", ODESolver: "rk4", Denoise: true}, 149},
		{Options{Eps: DefaultEps, Method: "ode", Denoise: true}, -1},
	} {
		g := &gaussScore{s: s, d: 2, mu: dataMu, sigma: dataSigma}
		rng := rand.New(rand.NewPCG(3, 4))
		res, err := Sample(s, g, g.draw(rng, 100, s.T()), tc.o, rng)
		if err != nil {
			t.Fatalf("%+v: %v", tc.o, err)
		}
		want := tc.want
		if want < 0 {
			want = g.calls
		}
		if res.NFE != want || g.calls != want {
			t.Errorf("%+v: NFE %d, score called %d times, want %d", tc.o, res.NFE, g.calls, want)
		}
	}
}

// TestDenoise: with Gaussian data Tweedie's formula is exact, the
// denoised point is E[x₀ | x_ε] = μ + (mσ²/v_ε)(x_ε − mμ).
//   - Per point, after a deterministic ODE run (to 1e-12: it is one
//     affine map applied to the same x_ε).
//   - In distribution after em with ε = 0.3, where the shrinkage is large:
//     the denoised mean and variance are the affine image of the em
//     chain's exact moments; 5 standard errors.
func TestDenoise(t *testing.T) {
	s := sde.DefaultVP()
	const eps = 0.3
	g := &gaussScore{s: s, d: 1, mu: dataMu, sigma: dataSigma}
	m := s.MeanScale(eps)
	_, vE := g.moments(eps)
	shrink := m * dataSigma * dataSigma / vE
	tweedie := func(x float64) float64 { return dataMu + shrink*(x-m*dataMu) }

	rng := rand.New(rand.NewPCG(5, 6))
	x0 := g.draw(rng, 1000, s.T())
	o := Options{N: 40, Method: "ode", ODESolver: "rk4", Eps: eps}
	plain, err := Sample(s, g, append([]float64(nil), x0...), o, nil)
	if err != nil {
		t.Fatal(err)
	}
	o.Denoise = true
	den, err := Sample(s, g, append([]float64(nil), x0...), o, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range x0 {
		if want := tweedie(plain.X[i]); math.Abs(den.X[i]-want) > 1e-12 {
			t.Fatalf("point %d: denoised %v, want %v", i, den.X[i], want)
		}
	}

	const n = 40000
	x := g.draw(rng, n, s.T())
	res, err := Sample(s, g, x, Options{N: 200, Eps: eps, Denoise: true}, rng)
	if err != nil {
		t.Fatal(err)
	}
	cm, cv := linearChain(g, "em", 200, eps)
	wantM, wantV := tweedie(cm), shrink*shrink*cv
	mean, vr, _ := sampleMoments(res.X, 1)
	if tol := 5 * math.Sqrt(wantV/n); math.Abs(mean[0]-wantM) > tol {
		t.Errorf("denoised mean %v, want %v ± %v", mean[0], wantM, tol)
	}
	if tol := 5 * math.Sqrt(2.0/(n-1)) * wantV; math.Abs(vr[0]-wantV) > tol {
		t.Errorf("denoised variance %v, want %v ± %v (undenoised %v)", vr[0], wantV, tol, cv)
	}
}

// TestLangevinStationary runs the corrector alone at a fixed time on exact
// draws from p_t = N(μ_t, v). Its step is ε = 2α·snr²·v²/V when the
// points have variance V (‖s‖ = ‖x−μ‖/v and ‖x−μ‖, ‖z‖ are chi-distributed
// with the same d), so unadjusted Langevin's stationary variance
// V = v/(1 − ε/(2v)) solves to V* = v(1 + α·snr²): a small known
// inflation, which the test checks for three (snr, α) pairs after 300
// steps (the per-step contraction 1 − 2α·snr² gives 0.98³⁰⁰ ≈ 0.002 of
// the initial offset, negligible). n·d = 100000 values: 5 SE = 2.2% of v
// for the variance, so snr = 0.3 (9% inflation) is clearly resolved. The
// mean must stay at μ_t (5 SE).
func TestLangevinStationary(t *testing.T) {
	s := sde.DefaultVE()
	const n, d, steps, tt = 50000, 2, 300, 0.4
	for i, tc := range []struct{ snr, alpha float64 }{{DefaultSNR, 1}, {0.3, 1}, {0.3, 0.6}} {
		g := &gaussScore{s: s, d: d, mu: dataMu, sigma: dataSigma}
		rng := rand.New(rand.NewPCG(9, uint64(i)))
		x := g.draw(rng, n, tt)
		sc, z := make([]float64, len(x)), make([]float64, len(x))
		for range steps {
			if err := langevin(g, x, tt, tc.alpha, tc.snr, rng, sc, z); err != nil {
				t.Fatal(err)
			}
		}
		mu, v := g.moments(tt)
		wantV := v * (1 + tc.alpha*tc.snr*tc.snr)
		all, allVar, _ := sampleMoments(x, 1) // coordinates are iid: pool them
		if tol := 5 * math.Sqrt(wantV/(n*d)); math.Abs(all[0]-mu) > tol {
			t.Errorf("snr=%v α=%v: mean %v, want %v ± %v", tc.snr, tc.alpha, all[0], mu, tol)
		}
		if tol := 5 * math.Sqrt(2.0/(n*d)) * wantV; math.Abs(allVar[0]-wantV) > tol {
			t.Errorf("snr=%v α=%v: variance %v, want v(1+α·snr²) = %v ± %v (v = %v)", tc.snr, tc.alpha, allVar[0], wantV, tol, v)
		}
	}
}

// TestLikelihoodGaussian: the model's density at ε is the prior N(0, P·I)
// pushed through the exact affine flow x_ε = μ_ε + k(x_T − μ_T),
// k = sqrt(v_ε/v_T): N(μ_ε − kμ_T, k²P) per coordinate. Its closed-form
// NLL must match Likelihood's to 1e-3 nats per point (measured ≤ 1.3e-4
// with rk45 at the default tolerances).
func TestLikelihoodGaussian(t *testing.T) {
	for si, s := range testSDEs {
		for _, d := range []int{1, 2} {
			g := &gaussScore{s: s, d: d, mu: dataMu, sigma: dataSigma}
			rng := rand.New(rand.NewPCG(11, uint64(si*10+d)))
			x := g.draw(rng, 500, 0) // held-out data
			xc := append([]float64(nil), x...)
			res, err := Likelihood(s, g, x, Options{Eps: DefaultEps})
			if err != nil {
				t.Fatal(err)
			}
			for j := range x {
				if x[j] != xc[j] {
					t.Fatalf("%s: Likelihood modified its input", s.Name())
				}
			}
			eps := s.MinTime()
			muE, vE := g.moments(eps)
			muT, vT := g.moments(s.T())
			k := math.Sqrt(vE / vT)
			P := 1.0
			if ve, ok := s.(sde.VE); ok {
				P = ve.EtaMax * ve.EtaMax
			}
			mm, mv := muE-k*muT, k*k*P
			worst, mean := 0.0, 0.0
			for p, got := range res.PerPoint {
				want := 0.0
				for j := p * d; j < (p+1)*d; j++ {
					want += 0.5*(x[j]-mm)*(x[j]-mm)/mv + 0.5*math.Log(2*math.Pi*mv)
				}
				worst = max(worst, math.Abs(got-want))
				mean += got
			}
			mean /= float64(len(res.PerPoint))
			if worst > 1e-3 {
				t.Errorf("%s d=%d: NLL off the closed form by up to %.3g nats", s.Name(), d, worst)
			}
			if math.Abs(res.Mean-mean) > 1e-12 || math.Abs(res.MeanPerDim-mean/float64(d)) > 1e-12 {
				t.Errorf("%s d=%d: Mean %v, MeanPerDim %v; per-point mean %v", s.Name(), d, res.Mean, res.MeanPerDim, mean)
			}
			if res.NFE != g.calls {
				t.Errorf("%s d=%d: NFE %d, score called %d times", s.Name(), d, res.NFE, g.calls)
			}
		}
	}
}

// TestLikelihoodMixture checks the divergence term on non-Gaussian data.
// With β_max = 40 the VP kernel at T has m(T) = e^{−10} ≈ 5e-5, so p_T
// and the N(0,1) prior differ by O(m(T)) ≈ 1e-4 nats in log-density, and
// the model's density at ε is the four-mode mixture p_ε itself (closed
// form) to that accuracy (measured: 3e-7 nats at rtol = 1e-8). The ODE
// error dominates: at the default rtol = atol = 1e-5 the worst point is
// off by 1.7e-3 nats but the mean by 7e-6; at 1e-6 the worst is 7e-5.
// Tolerances: mean 1e-3 and worst 5e-3 at the defaults, worst 1e-3 at 1e-6.
func TestLikelihoodMixture(t *testing.T) {
	s, err := sde.NewVP(0.1, 40, 1)
	if err != nil {
		t.Fatal(err)
	}
	q := fourWells(s)
	rng := rand.New(rand.NewPCG(13, 14))
	x := q.draw(rng, 300, 0)
	for _, tc := range []struct{ tol, worst, mean float64 }{{0, 5e-3, 1e-3}, {1e-6, 1e-3, 1e-3}} {
		res, err := Likelihood(s, q, x, Options{Eps: DefaultEps, RTol: tc.tol, ATol: tc.tol})
		if err != nil {
			t.Fatal(err)
		}
		worst, mean := 0.0, 0.0
		for i, got := range res.PerPoint {
			e := got + q.logDensity(x[i], s.MinTime())
			worst = max(worst, math.Abs(e))
			mean += e / float64(len(x))
		}
		if worst > tc.worst || math.Abs(mean) > tc.mean {
			t.Errorf("tolerance %v: mixture NLL off −log p_ε by up to %.3g nats, %.3g on average (NFE %d)", tc.tol, worst, mean, res.NFE)
		}
	}
}

// TestEulerMaruyamaUnchanged: with the zero value of the new Options
// fields EulerMaruyama must reproduce, bit for bit, the notebook loop it
// implemented before they existed.
func TestEulerMaruyamaUnchanged(t *testing.T) {
	s := sde.DefaultVE()
	g := &gaussScore{s: s, d: 1, mu: dataMu, sigma: dataSigma}
	x := g.draw(rand.New(rand.NewPCG(1, 1)), 300, s.T())
	want := append([]float64(nil), x...)
	const N = 50
	rng := rand.New(rand.NewPCG(2, 2))
	sc := make([]float64, len(want))
	dt := s.T() / N
	for i := range N {
		tt := s.T() - float64(i)*dt
		g.Score(want, tt, sc)
		gg, a := s.Diffusion(tt), s.DriftCoef(tt)
		for j := range want {
			want[j] += (-a*want[j]+gg*gg*sc[j])*dt + gg*math.Sqrt(dt)*rng.NormFloat64()
		}
	}
	res, err := EulerMaruyama(s, g, x, Options{Eps: DefaultEps, N: N, Keep: []int{0, N}}, rand.New(rand.NewPCG(2, 2)))
	if err != nil {
		t.Fatal(err)
	}
	for j := range want {
		if res.X[j] != want[j] {
			t.Fatalf("x[%d] = %v, want %v", j, res.X[j], want[j])
		}
	}
}

// TestSnapshots: Keep works for every fixed-step method; snapshot 0 is
// the input and snapshot N the output (before Denoise).
func TestSnapshots(t *testing.T) {
	s := sde.DefaultSubVP()
	for _, o := range []Options{
		{N: 20, Keep: []int{0, 20, 7}},
		{N: 20, Keep: []int{0, 20, 7}, Method: "rd"},
		{N: 20, Keep: []int{0, 20, 7}, Method: "pc", CorrectorSteps: 1},
		{N: 20, Keep: []int{0, 20, 7}, Method: "ode", ODESolver: "heun"},
		{N: 20, Keep: []int{0, 20, 7}, Method: "ode", ODESolver: "rk4"},
		{N: 20, Keep: []int{0, 20, 7}, Method: "ode", ODESolver: "rk45"},
	} {
		o.Eps = DefaultEps
		g := &gaussScore{s: s, d: 2, mu: dataMu, sigma: dataSigma}
		rng := rand.New(rand.NewPCG(1, 1))
		x := g.draw(rng, 10, s.T())
		x0 := append([]float64(nil), x...)
		res, err := Sample(s, g, x, o, rng)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Snapshots) != 3 || len(res.Times) != 3 {
			t.Fatalf("%s%s: %d snapshots and %d times, want 3", o.Method, o.ODESolver, len(res.Snapshots), len(res.Times))
		}
		eps := s.MinTime()
		for k, want := range []float64{s.T(), eps, s.T() - 7*(s.T()-eps)/20} {
			if math.Abs(res.Times[k]-want) > 1e-15 {
				t.Errorf("%s%s: snapshot %d at t=%v, want %v", o.Method, o.ODESolver, k, res.Times[k], want)
			}
		}
		if res.End != eps {
			t.Errorf("%s%s: End %v, want ε = %v", o.Method, o.ODESolver, res.End, eps)
		}
		if o.Method == "ode" {
			// The exact flow is affine: x_t = μ_t + sqrt(v_t/v_T)(x_T − μ_T).
			// Heun at N=20 is the coarsest (measured 2.4e-3): 5e-3 covers it, while a snapshot
			// one grid step off (Δt = 0.05) moves by ~0.05.
			muT, vT := g.moments(s.T())
			for k, tk := range res.Times {
				mu, v := g.moments(tk)
				for j := range x0 {
					if e := math.Abs(res.Snapshots[k][j] - (mu + math.Sqrt(v/vT)*(x0[j]-muT))); e > 5e-3 {
						t.Fatalf("%s: snapshot %d off the exact flow at its time by %.3g", o.ODESolver, k, e)
					}
				}
			}
		}
		for j := range x0 {
			if res.Snapshots[0][j] != x0[j] || res.Snapshots[1][j] != res.X[j] {
				t.Fatalf("%s%s: snapshots 0 and N are not the input and the output", o.Method, o.ODESolver)
			}
			if res.Snapshots[2][j] == x0[j] || res.Snapshots[2][j] == res.X[j] {
				t.Fatalf("%s%s: snapshot 7 equals an end point", o.Method, o.ODESolver)
			}
		}
	}
}

func TestBadOptions(t *testing.T) {
	s := sde.DefaultVP()
	g := &gaussScore{s: s, d: 2, mu: dataMu, sigma: dataSigma}
	ok := func() []float64 { return make([]float64, 8) }
	rng := rand.New(rand.NewPCG(1, 1))
	for _, tc := range []struct {
		name string
		x    []float64
		o    Options
		rng  *rand.Rand
		want string
	}{
		{"unknown method", ok(), Options{Eps: DefaultEps, N: 5, Method: "ddim"}, rng, "unknown method"},
		{"unknown solver", ok(), Options{Eps: DefaultEps, N: 5, Method: "ode", ODESolver: "euler"}, rng, "unknown ODE solver"},
		{"no steps", ok(), Options{Eps: DefaultEps, Method: "rd"}, rng, "at least 1"},
		{"no steps heun", ok(), Options{Eps: DefaultEps, Method: "ode", ODESolver: "heun"}, rng, "at least 1"},
		{"keep range", ok(), Options{Eps: DefaultEps, N: 5, Keep: []int{6}}, rng, "snapshot index"},
		{"rk45 keep without N", ok(), Options{Eps: DefaultEps, Method: "ode", Keep: []int{0}}, rng, "rk45"},
		{"ragged", make([]float64, 7), Options{Eps: DefaultEps, N: 5}, rng, "dimension 2"},
		{"NaN", []float64{0, 1, math.NaN(), 0}, Options{Eps: DefaultEps, N: 5, Method: "pc"}, rng, "x[2]"},
		{"eps too big", ok(), Options{N: 5, Eps: 1}, rng, "Eps"},
		{"eps where std is 0", ok(), Options{N: 5, Method: "rd", Eps: 0}, rng, "kernel std"},
		{"nil rng", ok(), Options{Eps: DefaultEps, N: 5, Method: "pc"}, nil, "random source"},
		{"negative corrector", ok(), Options{Eps: DefaultEps, N: 5, Method: "pc", CorrectorSteps: -1}, rng, "CorrectorSteps"},
		{"bad snr", ok(), Options{Eps: DefaultEps, N: 5, Method: "pc", SNR: -0.1}, rng, "SNR"},
		{"pc alpha", ok(), Options{Eps: DefaultEps, N: 5, Method: "pc"}, rng, "α"},
		{"rk45 tolerance", ok(), Options{Eps: DefaultEps, Method: "ode", RTol: -1}, rng, "tolerances"},
		{"rk45 max steps", ok(), Options{Eps: DefaultEps, Method: "ode", MaxSteps: 2}, rng, "maximum number of steps"},
	} {
		_, err := Sample(s, g, tc.x, tc.o, tc.rng)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one mentioning %q", tc.name, err, tc.want)
		}
	}
	if _, err := Likelihood(s, g, make([]float64, 3), Options{Eps: DefaultEps}); err == nil || !strings.Contains(err.Error(), "dimension 2") {
		t.Errorf("Likelihood on ragged input: error %v", err)
	}
	if _, err := Likelihood(s, g, nil, Options{Eps: DefaultEps}); err == nil || !strings.Contains(err.Error(), "at least one point") {
		t.Errorf("Likelihood on no points: error %v", err)
	}
}
