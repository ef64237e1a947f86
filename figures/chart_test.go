package figures

import (
	"testing"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

func TestSegmentHits(t *testing.T) {
	r := vg.Rectangle{Min: vg.Point{X: 0, Y: 0}, Max: vg.Point{X: 10, Y: 10}}
	for _, tc := range []struct {
		a, b vg.Point
		want bool
	}{
		{vg.Point{X: -5, Y: 5}, vg.Point{X: 15, Y: 5}, true},    // crosses
		{vg.Point{X: 2, Y: 2}, vg.Point{X: 3, Y: 3}, true},      // inside
		{vg.Point{X: -5, Y: -5}, vg.Point{X: -1, Y: 20}, false}, // passes left
		{vg.Point{X: -5, Y: 14}, vg.Point{X: 14, Y: 12}, false}, // passes above
		{vg.Point{X: -1, Y: 9}, vg.Point{X: 3, Y: 11}, true},    // clips a corner
		{vg.Point{X: 11, Y: -1}, vg.Point{X: 11, Y: 11}, false}, // vertical, outside
	} {
		if got := segmentHits(tc.a, tc.b, r); got != tc.want {
			t.Errorf("segmentHits(%v, %v) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestLegendPlacement(t *testing.T) {
	xs := []float64{0, 0.25, 0.5, 0.75, 1}
	rising := []float64{0, 0.25, 0.5, 0.75, 1}
	falling := []float64{1, 0.75, 0.5, 0.25, 0}
	top := []float64{1, 1, 1, 1, 1}
	for _, tc := range []struct {
		name     string
		ys       [][]float64
		headroom bool
		want     legendPlace
		raised   bool
	}{
		{"rising curve leaves top left", [][]float64{rising}, true, legendTopLeft, false},
		{"falling curve leaves top right", [][]float64{falling}, true, legendTopRight, false},
		{"line along the top: raise the range", [][]float64{top, rising}, true, legendTopRight, true},
		{"line along the top, fixed range: outside", [][]float64{top, rising}, false, legendOutside, false},
	} {
		c := newChart("t", "x", "y")
		for i, y := range tc.ys {
			if err := c.addSeries(Series{Label: "curve", X: xs, Y: y}, i); err != nil {
				t.Fatal(err)
			}
		}
		c.headroom = tc.headroom
		cv := draw.New(vgimg.New(5*vg.Inch, 4*vg.Inch))
		c.placeLegend(cv)
		if c.place != tc.want {
			t.Errorf("%s: legend placed at %d, want %d", tc.name, c.place, tc.want)
		}
		if raised := c.p.Y.Max > 1; raised != tc.raised {
			t.Errorf("%s: y range top %v, raised = %v, want %v", tc.name, c.p.Y.Max, raised, tc.raised)
		}
	}
}

func TestNiceTicks(t *testing.T) {
	for _, tc := range []struct {
		lo, hi float64
		want   []string
	}{
		{-3, 3, []string{"-3", "-2", "-1", "0", "1", "2", "3"}},
		{0, 1, []string{"0.0", "0.2", "0.4", "0.6", "0.8", "1.0"}},
		{0, 500, []string{"0", "100", "200", "300", "400", "500"}},
		{-0.13, 0.13, []string{"-0.10", "-0.05", "0.00", "0.05", "0.10"}},
		{0, 19.5, []string{"0", "5", "10", "15"}},
		{0.05, 1.2, []string{"0.2", "0.4", "0.6", "0.8", "1.0", "1.2"}},
	} {
		var got []string
		for _, tk := range (niceTicks{n: 6}).Ticks(tc.lo, tc.hi) {
			if tk.Label != "" {
				got = append(got, tk.Label)
			}
		}
		if len(got) != len(tc.want) {
			t.Errorf("ticks on [%v, %v]: %q, want %q", tc.lo, tc.hi, got, tc.want)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("ticks on [%v, %v]: %q, want %q", tc.lo, tc.hi, got, tc.want)
				break
			}
		}
	}
}
