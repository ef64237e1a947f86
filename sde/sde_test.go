package sde

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

// testSDEs covers the defaults and non-default T and β_min=0, where a
// mistake in the t/T rescaling or in the small-t expansions would show.
func testSDEs(t *testing.T) []SDE {
	t.Helper()
	mk := func(s SDE, err error) SDE {
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	return []SDE{
		DefaultVE(),
		mk(NewVE(0.01, 5, 2.5)),
		DefaultVP(),
		mk(NewVP(0, 8, 0.5)),
		DefaultSubVP(),
		mk(NewSubVP(0.3, 12, 3)),
	}
}

// initialVariance is v(0): VE's kernel includes the notebook's η_min²
// smoothing of the data, the VP-type kernels start from a point mass.
func initialVariance(s SDE) float64 {
	if ve, ok := s.(VE); ok {
		return ve.EtaMin * ve.EtaMin
	}
	return 0
}

// TestMomentODEs integrates dm/dt = a m, dv/dt = 2a v + g² with classical
// RK4 on 20000 steps (local error O(h⁵·β⁵), about 1e-12 here) and compares
// with the closed forms MeanScale and Std².
func TestMomentODEs(t *testing.T) {
	for _, s := range testSDEs(t) {
		const n = 20000
		h := s.T() / n
		rhs := func(t, m, v float64) (float64, float64) {
			a, g := s.DriftCoef(t), s.Diffusion(t)
			return a * m, 2*a*v + g*g
		}
		m, v := 1.0, initialVariance(s)
		worst := 0.0
		for i := range n {
			t0 := float64(i) * h
			k1m, k1v := rhs(t0, m, v)
			k2m, k2v := rhs(t0+h/2, m+h/2*k1m, v+h/2*k1v)
			k3m, k3v := rhs(t0+h/2, m+h/2*k2m, v+h/2*k2v)
			k4m, k4v := rhs(t0+h, m+h*k3m, v+h*k3v)
			m += h / 6 * (k1m + 2*k2m + 2*k3m + k4m)
			v += h / 6 * (k1v + 2*k2v + 2*k3v + k4v)
			if (i+1)%1000 == 0 {
				t1 := float64(i+1) * h
				sd := s.Std(t1)
				worst = max(worst, math.Abs(m-s.MeanScale(t1)), math.Abs(v-sd*sd))
			}
		}
		if worst > 1e-9 {
			t.Errorf("%s T=%v: closed-form moments differ from the moment ODEs by %.3g, want ≤ 1e-9", s.Name(), s.T(), worst)
		}
	}
}

// simpson integrates f over [a,b] with n (even) intervals.
func simpson(f func(float64) float64, a, b float64, n int) float64 {
	h := (b - a) / float64(n)
	sum := f(a) + f(b)
	for i := 1; i < n; i++ {
		w := 2.0
		if i%2 == 1 {
			w = 4
		}
		sum += w * f(a+float64(i)*h)
	}
	return sum * h / 3
}

func TestVEEtaIsIntegratedBeta(t *testing.T) {
	for _, v := range []VE{DefaultVE(), {EtaMin: 0.01, EtaMax: 5, Tmax: 2.5}} {
		if got := v.Std(0); math.Abs(got-v.EtaMin) > 1e-15 {
			t.Errorf("η̃(0) = %v, want η_min = %v", got, v.EtaMin)
		}
		if got := v.Std(v.Tmax); math.Abs(got-v.EtaMax) > 1e-12 {
			t.Errorf("η̃(T) = %v, want η_max = %v", got, v.EtaMax)
		}
		for _, f := range []float64{0.1, 0.5, 0.9, 1} {
			tt := f * v.Tmax
			q := simpson(v.Beta, 0, tt, 2000) // Simpson error ~ h⁴, < 1e-10 here
			eta := v.Eta(tt)
			if math.Abs(q-eta*eta) > 1e-9*max(1, q) {
				t.Errorf("VE T=%v: ∫₀^%v β = %v by quadrature, η² = %v", v.Tmax, tt, q, eta*eta)
			}
			if sd := v.Std(tt); math.Abs(sd*sd-eta*eta-v.EtaMin*v.EtaMin) > 1e-12 {
				t.Errorf("VE: η̃² = %v ≠ η² + η_min² = %v", sd*sd, eta*eta+v.EtaMin*v.EtaMin)
			}
		}
	}
}

func TestVPIntegratedBeta(t *testing.T) {
	type sched interface {
		SDE
		Beta(float64) float64
		IntegratedBeta(float64) float64
	}
	for _, s := range []sched{DefaultVP(), VP{BetaMin: 0, BetaMax: 8, Tmax: 0.5}, SubVP{BetaMin: 0.3, BetaMax: 12, Tmax: 3}} {
		for _, f := range []float64{0.25, 1} {
			tt := f * s.T()
			if q, b := simpson(s.Beta, 0, tt, 100), s.IntegratedBeta(tt); math.Abs(q-b) > 1e-12*max(1, b) {
				t.Errorf("%s T=%v: ∫₀^%v β = %v by quadrature, IntegratedBeta = %v", s.Name(), s.T(), tt, q, b)
			}
		}
		// The t/T rescaling keeps the total noise B(T) = (β_min+β_max)/2.
		var bmin, bmax float64
		switch v := s.(type) {
		case VP:
			bmin, bmax = v.BetaMin, v.BetaMax
		case SubVP:
			bmin, bmax = v.BetaMin, v.BetaMax
		}
		if b := s.IntegratedBeta(s.T()); math.Abs(b-(bmin+bmax)/2) > 1e-12 {
			t.Errorf("%s T=%v: B(T) = %v, want (β_min+β_max)/2 = %v", s.Name(), s.T(), b, (bmin+bmax)/2)
		}
	}
}

// TestForwardPointMass runs sde.Forward from a point mass and checks the
// sample mean and variance against m(t)x₀ and the point-mass variance
// (η(t)² for VE, s(t)² for VP/subVP). Two separate tolerances:
//   - sample vs. the exact moments of the Euler–Maruyama chain (computed
//     here by its linear moment recursion): 5 standard errors,
//     sqrt(V/n) for the mean and sqrt(2/(n−1))·V for the variance;
//   - the chain's moments vs. the SDE's: EM's O(Δt) bias, which at
//     N=1000 we require to be below 2.5% (measured: ≤ 0.8% for VE and VP,
//     1.7% for sub-VP at t=0.1, where its variance ~B(t)² is small and
//     the left-point rule, with g(0)=0, lags).
func TestForwardPointMass(t *testing.T) {
	const (
		n  = 20000
		x0 = 0.8
		N  = 1000
	)
	keep := []int{100, 500, 1000}
	for k, s := range []SDE{DefaultVE(), DefaultVP(), DefaultSubVP()} {
		rng := rand.New(rand.NewPCG(7, uint64(k)))
		x := make([]float64, n)
		for i := range x {
			x[i] = x0
		}
		g := Grid{T: s.T(), N: N}
		got, err := Forward(s, x, g, keep, rng)
		if err != nil {
			t.Fatal(err)
		}
		// Moments of the EM chain.
		emM, emV := make([]float64, N+1), make([]float64, N+1)
		emM[0] = x0
		dt := g.Dt()
		for i := range N {
			tt := float64(i) * dt
			c := 1 + s.DriftCoef(tt)*dt
			gg := s.Diffusion(tt)
			emM[i+1] = c * emM[i]
			emV[i+1] = c*c*emV[i] + gg*gg*dt
		}
		for j, i := range keep {
			tt := float64(i) * dt
			wantM := s.MeanScale(tt) * x0
			wantV := s.Std(tt) * s.Std(tt)
			if ve, ok := s.(VE); ok {
				wantV = ve.Eta(tt) * ve.Eta(tt)
			}
			if rel := math.Abs(emV[i]-wantV) / wantV; rel > 0.025 {
				t.Errorf("%s t=%v: EM chain variance %v vs SDE %v: relative bias %.3g > 2.5%%", s.Name(), tt, emV[i], wantV, rel)
			}
			if d := math.Abs(emM[i] - wantM); d > 0.01*max(wantM, 0.01) {
				t.Errorf("%s t=%v: EM chain mean %v vs SDE %v", s.Name(), tt, emM[i], wantM)
			}
			m, v := meanVar(got[j])
			if d := math.Abs(m - emM[i]); d > 5*math.Sqrt(emV[i]/n) {
				t.Errorf("%s t=%v: sample mean %v, want %v ± %v", s.Name(), tt, m, emM[i], 5*math.Sqrt(emV[i]/n))
			}
			if d := math.Abs(v - emV[i]); d > 5*math.Sqrt(2.0/(n-1))*emV[i] {
				t.Errorf("%s t=%v: sample variance %v, want %v ± %v", s.Name(), tt, v, emV[i], 5*math.Sqrt(2.0/(n-1))*emV[i])
			}
		}
	}
}

func meanVar(x []float64) (m, v float64) {
	for _, xi := range x {
		m += xi
	}
	m /= float64(len(x))
	for _, xi := range x {
		v += (xi - m) * (xi - m)
	}
	return m, v / float64(len(x)-1)
}

func TestPriorLogDensity(t *testing.T) {
	for _, s := range []SDE{DefaultVE(), DefaultVP(), DefaultSubVP()} {
		sd := 1.0 // VP and sub-VP: N(0, I), not the kernel's std at T
		if ve, ok := s.(VE); ok {
			sd = ve.EtaMax
		}
		x := []float64{0.3, -1.7}
		want := 0.0
		for _, xi := range x {
			want += distuv.Normal{Mu: 0, Sigma: sd}.LogProb(xi)
		}
		if got := s.PriorLogDensity(x); math.Abs(got-want) > 1e-12 {
			t.Errorf("%s: prior log density %v, want %v", s.Name(), got, want)
		}
		// Prior draws have the prior's variance (5 standard errors).
		rng := rand.New(rand.NewPCG(1, 2))
		z := make([]float64, 20000)
		s.SamplePrior(rng, z)
		_, v := meanVar(z)
		if tol := 5 * math.Sqrt(2.0/float64(len(z))) * sd * sd; math.Abs(v-sd*sd) > tol {
			t.Errorf("%s: prior sample variance %v, want %v ± %v", s.Name(), v, sd*sd, tol)
		}
	}
}

func TestNew(t *testing.T) {
	def := DefaultParams()
	with := func(f func(*Params)) Params { p := def; f(&p); return p }
	for _, tc := range []struct {
		name    string
		p       Params
		want    SDE
		errWant string
	}{
		{"ve", def, DefaultVE(), ""},
		{"VP", def, DefaultVP(), ""},
		{"subvp", def, DefaultSubVP(), ""},
		{"vp", with(func(p *Params) { p.BetaMin = 0 }), VP{BetaMin: 0, BetaMax: 20, Tmax: 1}, ""},
		{"ddpm", def, nil, "unknown SDE"},
		{"vp", with(func(p *Params) { p.BetaMin = -1 }), nil, "beta_min"},
		{"subvp", with(func(p *Params) { p.BetaMax = 0.1 }), nil, "beta_max"},
		{"vp", with(func(p *Params) { p.BetaMax = math.NaN() }), nil, "beta_max"},
		{"vp", with(func(p *Params) { p.T = 0 }), nil, "T must"},
		{"subvp", with(func(p *Params) { p.T = math.Inf(1) }), nil, "T must"},
		{"ve", with(func(p *Params) { p.EtaMin = 0 }), nil, "eta_min"},
		{"ve", with(func(p *Params) { p.EtaMax = 0.01 }), nil, "eta_max"},
		{"ve", Params{}, nil, "eta_min"},
	} {
		s, err := New(tc.name, tc.p)
		if tc.errWant != "" {
			if err == nil || !strings.Contains(err.Error(), tc.errWant) {
				t.Errorf("New(%q, %+v): error %v, want one mentioning %q", tc.name, tc.p, err, tc.errWant)
			}
			continue
		}
		if err != nil {
			t.Errorf("New(%q, %+v): %v", tc.name, tc.p, err)
			continue
		}
		if s != tc.want {
			t.Errorf("New(%q, %+v) = %#v, want %#v", tc.name, tc.p, s, tc.want)
		}
	}
}

func TestMinTime(t *testing.T) {
	for _, tc := range []struct {
		s    SDE
		want float64
	}{
		{DefaultVE(), 0},
		{DefaultVP(), 1e-5},
		{DefaultSubVP(), 1e-5},
		{VP{BetaMin: 0.1, BetaMax: 20, Tmax: 2}, 2e-5},
	} {
		if got := tc.s.MinTime(); got != tc.want {
			t.Errorf("%s T=%v: MinTime %v, want %v", tc.s.Name(), tc.s.T(), got, tc.want)
		}
	}
}

// Schedules whose mean scale m(T) would underflow are refused up front;
// the largest accepted one keeps m(T) and σ(T) = s(T)/m(T) finite.
func TestVPScheduleRange(t *testing.T) {
	for _, c := range []struct {
		betaMax float64
		ok      bool
	}{{20, true}, {2799, true}, {2801, false}, {1e300, false}} {
		for name, mk := range map[string]func(a, b, T float64) (SDE, error){
			"vp":    func(a, b, T float64) (SDE, error) { return NewVP(a, b, T) },
			"subvp": func(a, b, T float64) (SDE, error) { return NewSubVP(a, b, T) },
		} {
			s, err := mk(0.1, c.betaMax-0.1, 1)
			if (err == nil) != c.ok {
				t.Errorf("%s β_max %v: error %v, want ok=%v", name, c.betaMax, err, c.ok)
				continue
			}
			if err == nil {
				if m, sd := s.MeanScale(1), s.Std(1); !(m > 0) || math.IsInf(sd/m, 0) {
					t.Errorf("%s β_max %v: m(T) = %v, σ(T) = %v", name, c.betaMax, m, sd/m)
				}
			}
		}
	}
}
