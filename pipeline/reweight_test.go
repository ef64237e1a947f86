package pipeline

import (
	"context"
	"math"
	"testing"
)

// Langevin data from --potential-expr follow the same path as from the
// named potential the expression spells out: the finite-difference
// gradient differs from the analytic one by ~1e−10, far below what would
// separate the trajectories.
func TestPotentialExprDataMatchNamed(t *testing.T) {
	named := DataConfig{Potential: "fourwell", Beta: 2, Dt: 0.005, N: 3000, Seed: 42}
	ex := named
	ex.PotentialExpr = "2*(x**8 + 0.8*exp(-80*x**2) + 0.55*exp(-80*(x-0.5)**2) + 0.3*exp(-80*(x+0.5)**2))"
	a, err := LoadData(named)
	if err != nil {
		t.Fatal(err)
	}
	b, err := LoadData(ex)
	if err != nil {
		t.Fatal(err)
	}
	worst := 0.0
	for i := range a.X {
		worst = math.Max(worst, math.Abs(a.X[i]-b.X[i]))
	}
	if worst > 1e-6 {
		t.Errorf("trajectories differ by up to %g", worst)
	}
}

// The real path end to end: a biased Langevin trajectory of an expression
// potential (it starts in the shallower well and leaves the deeper one
// under-visited: data share 0.63 where equilibrium has 0.84), a short
// training, and --reweight must bring the weighted share within 0.04 of
// the exact one while the model's own samples stay near the data's.
func TestReweightRecoversEquilibriumShares(t *testing.T) {
	cfg := Default()
	cfg.Out = t.TempDir()
	cfg.Data = DataConfig{PotentialExpr: "(x**2-1)**2 + 0.3*x", Beta: 3, Dt: 0.005, N: 10000, X0: []float64{1}, Seed: 7}
	cfg.Splits = []float64{0}
	cfg.Train.Epochs = 1000 // 5000 steps: the model reproduces the data's shares
	cfg.Sample.N = 4000
	cfg.Figures, cfg.NLL, cfg.GapEvery, cfg.CheckpointEvery = false, false, 0, 0
	cfg.Reweight.On = true
	res, err := Run(context.Background(), cfg, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := res.Metrics.Reweighting
	if r == nil || len(r.SharesExact) != 2 {
		t.Fatalf("no reweighting shares: %+v", r)
	}
	t.Logf("shares: data %.4f, model %.4f, weighted %.4f ± %.4f, exact %.4f; ESS %.0f%%",
		r.SharesData[0], r.SharesModel[0], r.SharesWeighted[0], r.SharesWeightedE[0], r.SharesExact[0], 100*r.ESSFraction)
	if math.Abs(r.SharesData[0]-r.SharesExact[0]) < 0.15 {
		t.Fatalf("data share %.3f is within 0.15 of the exact %.3f: the test's premise (biased data) fails", r.SharesData[0], r.SharesExact[0])
	}
	if math.Abs(r.SharesModel[0]-r.SharesData[0]) > 0.1 {
		t.Errorf("model share %.3f is far from the data's %.3f: the model did not learn the data", r.SharesModel[0], r.SharesData[0])
	}
	// The bootstrap error here is ~0.005; 0.04 is the bound for
	// a trained model, and leaves room for a short training's bias.
	if d := math.Abs(r.SharesWeighted[0] - r.SharesExact[0]); d > 0.04 {
		t.Errorf("weighted share %.4f is %.4f from the exact %.4f", r.SharesWeighted[0], d, r.SharesExact[0])
	}
	if r.ESSFraction < 0.2 {
		t.Errorf("ESS fraction %.3f, want ≥ 0.2", r.ESSFraction)
	}
}
