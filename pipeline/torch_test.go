package pipeline

import (
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"scoresde/data"
	"scoresde/modelio"
	"scoresde/nn"
	"scoresde/precond"
	"scoresde/sde"
)

// savedModel writes a model.json of a random d-dimensional network for the
// named SDE, centred on shift, and returns it with its path.
func savedModel(t *testing.T, sdeName string, d int, shift []float64) (*Model, string) {
	t.Helper()
	cfg := Default()
	cfg.SDE.Name = sdeName
	s, err := cfg.SDE.Build()
	if err != nil {
		t.Fatal(err)
	}
	net, err := nn.New(d+1, d, []int{12, 9}, rand.New(rand.NewPCG(7, uint64(d))))
	if err != nil {
		t.Fatal(err)
	}
	pre, err := precond.FromConfig(precond.Config{Kind: precond.None}, s, minTime(cfg, s))
	if err != nil {
		t.Fatal(err)
	}
	m := &Model{Net: net, SDE: s, Shift: shift, Pre: pre}
	path := filepath.Join(t.TempDir(), "model.json")
	if err := SaveModel(path, cfg, m, minTime(cfg, s), true, 3); err != nil {
		t.Fatal(err)
	}
	return m, path
}

// maxScoreDiff is the largest difference of two models' scores over a grid
// of points and times.
func maxScoreDiff(t *testing.T, a, b *Model) float64 {
	t.Helper()
	d := a.Dim()
	rng := rand.New(rand.NewPCG(3, 4))
	x := make([]float64, 64*d)
	for i := range x {
		x[i] = 4*rng.Float64() - 2
	}
	ua, ub := make([]float64, len(x)), make([]float64, len(x))
	worst := 0.0
	for _, tm := range []float64{1e-3, 0.1, 0.37, 0.8, 1} {
		a.Score(x, tm, ua)
		b.Score(x, tm, ub)
		for i := range ua {
			worst = max(worst, math.Abs(ua[i]-ub[i]))
		}
	}
	return worst
}

// An exported VE model, read back as a plain state_dict (no shift, input
// cat(x, t): what MyScore computes), gives the model's score in the data's
// coordinates; the shift matters, so the fold is what makes them agree.
func TestExportFoldsCentring(t *testing.T) {
	for _, d := range []int{1, 2} {
		shift := []float64{0.8, -1.3}[:d]
		m, path := savedModel(t, "ve", d, shift)
		for _, format := range []string{modelio.Safetensors, modelio.NPZ} {
			out := filepath.Join(t.TempDir(), "m."+format)
			info, err := ExportModel(path, format, out, false)
			if err != nil {
				t.Fatal(err)
			}
			if !info.Folded || info.Note != "" {
				t.Errorf("d=%d %s: info %+v", d, format, info)
			}
			sd, err := modelio.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			net, err := modelio.ToMLP(sd)
			if err != nil {
				t.Fatal(err)
			}
			plain := &Model{Net: net, SDE: m.SDE, Pre: precond.WithWarp(m.SDE, sde.IdentityWarp(m.SDE, 0), 0)}
			// float32 weights, a bias rounded once after folding: ~1e-6.
			if diff := maxScoreDiff(t, m, plain); diff > 1e-5 {
				t.Errorf("d=%d %s: exported network differs by %g", d, format, diff)
			}
			unshifted := &Model{Net: m.Net, SDE: m.SDE, Pre: m.Pre}
			if diff := maxScoreDiff(t, m, unshifted); diff < 1e-3 {
				t.Fatalf("d=%d: the shift changes the score by only %g; the test cannot see a missing fold", d, diff)
			}
			back, mf, err := OpenModel(out, Default().SDE)
			if err != nil {
				t.Fatal(err)
			}
			if mf.SDE.Name != "ve" || mf.Weights != "ema" || maxScoreDiff(t, m, back) > 1e-5 {
				t.Errorf("d=%d %s: OpenModel gave %+v, score diff %g", d, format, mf, maxScoreDiff(t, m, back))
			}
		}
	}
}

// VP and sub-VP models are refused, or with unfolded written raw with the
// shift and warp in the metadata, from which OpenModel rebuilds them.
func TestExportUnfolded(t *testing.T) {
	for _, name := range []string{"vp", "subvp"} {
		m, path := savedModel(t, name, 2, []float64{0.5, -0.25})
		out := filepath.Join(t.TempDir(), "m.safetensors")
		if _, err := ExportModel(path, modelio.Safetensors, out, false); err == nil || !strings.Contains(err.Error(), "--unfolded") {
			t.Fatalf("%s: got %v, want a refusal naming --unfolded", name, err)
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("%s: refused export left a file", name)
		}
		info, err := ExportModel(path, modelio.Safetensors, out, true)
		if err != nil || info.Note == "" || info.Folded {
			t.Fatalf("%s: %+v, %v", name, info, err)
		}
		back, mf, err := OpenModel(out, Default().SDE)
		if err != nil {
			t.Fatal(err)
		}
		if mf.SDE.Name != name {
			t.Errorf("read back SDE %s, want %s", mf.SDE.Name, name)
		}
		if diff := maxScoreDiff(t, m, back); diff > 1e-5 {
			t.Errorf("%s: unfolded export read back differs by %g", name, diff)
		}
		// Flags that contradict the recorded SDE are refused.
		other := Default().SDE
		other.Name = "ve"
		other.EtaMax = 3
		if _, _, err := OpenModel(out, other); err == nil {
			t.Errorf("%s: contradicting SDE flags accepted", name)
		}
	}
}

func TestExportRefusesPreconditioning(t *testing.T) {
	m, path := savedModel(t, "ve", 1, nil)
	edm, err := precond.New(precond.EDM, m.SDE, m.Pre.MinTime(), 0.5)
	if err != nil {
		t.Fatal(err)
	}
	m.Pre = edm
	cfg := Default()
	if err := SaveModel(path, cfg, m, m.Pre.MinTime(), true, 3); err != nil {
		t.Fatal(err)
	}
	_, err = ExportModel(path, modelio.NPZ, filepath.Join(t.TempDir(), "m.npz"), false)
	if err == nil || !strings.Contains(err.Error(), `"edm"`) {
		t.Errorf("got %v, want a refusal naming the precond", err)
	}
}

// The exact optimum's column against its closed form for one training
// point x0: ∇log N(x; m(t)x0, s(t)²) = (m(t)x0 − x)/s(t)².
func TestScoreTableExactColumn(t *testing.T) {
	for _, name := range []string{"ve", "vp"} {
		m, _ := savedModel(t, name, 2, nil)
		x0 := []float64{0.3, -0.7}
		x := &data.Set{D: 2, X: []float64{-1, 0, 0.5, 0.5, 2, -2}}
		tm := 0.4
		header, cols, err := ScoreTable(m, x, tm, ScoreRefs{Train: &data.Set{D: 2, X: x0}})
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(header, ",") != "s1,s2,s1_opt,s2_opt" {
			t.Fatalf("header %v", header)
		}
		mt, s := m.SDE.MeanScale(tm), m.SDE.Std(tm)
		u := make([]float64, len(x.X))
		m.Score(x.X, tm, u)
		for i := range x.Len() {
			for j := range 2 {
				want := (mt*x0[j] - x.X[2*i+j]) / (s * s)
				if got := cols[2+j][i]; math.Abs(got-want) > 1e-9*math.Abs(want)+1e-12 {
					t.Errorf("%s point %d coord %d: s_opt %v, want %v", name, i, j, got, want)
				}
				if cols[j][i] != u[2*i+j] {
					t.Errorf("%s point %d coord %d: s %v, model %v", name, i, j, cols[j][i], u[2*i+j])
				}
			}
		}
	}
	m, _ := savedModel(t, "ve", 1, nil)
	if _, _, err := ScoreTable(m, &data.Set{D: 1, X: []float64{0}}, 1.5, ScoreRefs{}); err == nil {
		t.Error("t beyond T accepted")
	}
	if _, _, err := ScoreTable(m, &data.Set{D: 2, X: []float64{0, 0}}, 0.5, ScoreRefs{}); err == nil {
		t.Error("points of the wrong dimension accepted")
	}
}

// The truth's column against the closed form for the harmonic potential:
// its Gibbs density N(0, 1/β) through the kernel is N(0, m(t)²/β + s(t)²).
func TestScoreTableTruthColumn(t *testing.T) {
	for _, name := range []string{"ve", "vp"} {
		m, _ := savedModel(t, name, 1, nil)
		x := &data.Set{D: 1, X: []float64{-1.5, -0.2, 0.4, 2}}
		tm, beta := 0.3, 2.0
		header, cols, err := ScoreTable(m, x, tm, ScoreRefs{Truth: "harmonic", Beta: beta})
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(header, ",") != "s,s_true" {
			t.Fatalf("header %v", header)
		}
		mt, s := m.SDE.MeanScale(tm), m.SDE.Std(tm)
		for i, xi := range x.X {
			want := -xi / (mt*mt/beta + s*s)
			if got := cols[1][i]; math.Abs(got-want) > 1e-6*(1+math.Abs(want)) {
				t.Errorf("%s x=%v: s_true %v, want %v", name, xi, got, want)
			}
		}
	}
	m, _ := savedModel(t, "ve", 2, nil)
	if _, _, err := ScoreTable(m, &data.Set{D: 2, X: []float64{0, 0}}, 0.5, ScoreRefs{Truth: "harmonic", Beta: 1}); err == nil {
		t.Error("--truth accepted for a 2-D model")
	}
}
