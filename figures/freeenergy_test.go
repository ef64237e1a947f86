package figures

import (
	"math"
	"os"
	"path/filepath"
	"testing"
)

func TestFreeEnergyProfiles(t *testing.T) {
	dir := t.TempDir()
	x := make([]float64, 101)
	f := make([]float64, 101)
	band := make([]float64, 101)
	for i := range x {
		x[i] = -1 + 0.02*float64(i)
		f[i] = 5 + (x[i]*x[i]-0.5)*(x[i]*x[i]-0.5) // shifted: drawn from 0
		band[i] = 0.05
	}
	f[50], band[60] = math.NaN(), math.NaN() // gaps break the curve and band
	path := filepath.Join(dir, "fe")
	err := FreeEnergyProfiles(path, "F", "x",
		Profile{Label: "estimate", X: x, F: f, Band: band},
		Profile{Label: "exact", X: x, F: f, Dashed: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, ext := range []string{".png", ".svg"} {
		if st, err := os.Stat(path + ext); err != nil || st.Size() == 0 {
			t.Errorf("%s%s missing or empty", path, ext)
		}
	}
	nan := []float64{math.NaN(), math.NaN()}
	for _, bad := range [][]Profile{
		nil,
		{{Label: "short", X: x, F: f[:10]}},
		{{Label: "all NaN", X: x[:2], F: nan}},
		{{Label: "band", X: x, F: f, Band: band[:3]}},
	} {
		if err := FreeEnergyProfiles(filepath.Join(dir, "bad"), "F", "x", bad...); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
	if err := FreeEnergySurface(filepath.Join(dir, "s"), "S", []float64{0, 1}, []float64{0, 1}, []float64{1, math.NaN(), 2, 3}, 5); err != nil {
		t.Error(err)
	}
	if err := FreeEnergySurface(filepath.Join(dir, "s2"), "S", []float64{0, 1}, []float64{0, 1}, []float64{math.NaN(), math.NaN(), math.NaN(), math.NaN()}, 5); err == nil {
		t.Error("all-NaN surface accepted")
	}
}

func TestFiniteRuns(t *testing.T) {
	n := math.NaN()
	got := finiteRuns([]float64{n, 1, 2, n, 3, 4, 5}, []float64{0, 0, n, 0, 0, 0, 0})
	want := [][2]int{{1, 2}, {4, 7}}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("finiteRuns = %v, want %v", got, want)
	}
}
