package data

import (
	"math"
	"strings"
	"testing"
)

func TestFromRowsAndAccessors(t *testing.T) {
	s, err := FromRows([][]float64{{1, 2}, {3, 4}, {5, 6}})
	if err != nil {
		t.Fatal(err)
	}
	if s.Len() != 3 || s.D != 2 || s.Row(1)[1] != 4 {
		t.Errorf("len %d dim %d row1 %v", s.Len(), s.D, s.Row(1))
	}
	if c := s.Column(0); c[0] != 1 || c[1] != 3 || c[2] != 5 {
		t.Errorf("column 0 = %v", c)
	}
	c := s.Clone()
	c.X[0] = 99
	if s.X[0] != 1 {
		t.Error("Clone shares storage")
	}
}

func TestValidate(t *testing.T) {
	cases := []struct {
		s    *Set
		want string
	}{
		{&Set{D: 0, X: []float64{1}}, "dimension"},
		{&Set{D: 1}, "no points"},
		{&Set{D: 2, X: []float64{1, 2, 3}}, "do not split"},
		{&Set{D: 2, X: []float64{1, 2, 3, math.NaN()}}, "point 2 coordinate 2"},
		{&Set{D: 1, X: []float64{math.Inf(1)}}, "+Inf"},
	}
	for _, c := range cases {
		err := c.s.Validate()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: error %v, want one mentioning %q", c.s, err, c.want)
		}
	}
	if _, err := FromRows([][]float64{{1, 2}, {3}}); err == nil {
		t.Error("ragged rows accepted")
	}
	if err := (&Set{D: 1, X: []float64{0.5}}).Validate(); err != nil {
		t.Error(err)
	}
}
