// Package data holds the point sets that flow through scoresde: n points of
// dimension d, stored row-major in one flat slice so batches are cheap views.
package data

import (
	"fmt"
	"math"
)

// Set is n points of dimension D stored row-major: point i is X[i*D:(i+1)*D].
type Set struct {
	D int
	X []float64
}

// New returns a zeroed set of n points of dimension d.
func New(n, d int) *Set {
	return &Set{D: d, X: make([]float64, n*d)}
}

// FromRows copies rows into a Set. All rows must have the same length.
func FromRows(rows [][]float64) (*Set, error) {
	if len(rows) == 0 {
		return nil, fmt.Errorf("data: no points")
	}
	d := len(rows[0])
	s := New(len(rows), d)
	for i, r := range rows {
		if len(r) != d {
			return nil, fmt.Errorf("data: point %d has %d coordinates, want %d", i+1, len(r), d)
		}
		copy(s.X[i*d:], r)
	}
	return s, nil
}

// Len is the number of points.
func (s *Set) Len() int {
	if s.D == 0 {
		return 0
	}
	return len(s.X) / s.D
}

// Row returns point i as a slice aliasing the set's storage.
func (s *Set) Row(i int) []float64 { return s.X[i*s.D : (i+1)*s.D] }

// Column returns a copy of coordinate j of every point.
func (s *Set) Column(j int) []float64 {
	n := s.Len()
	c := make([]float64, n)
	for i := range n {
		c[i] = s.X[i*s.D+j]
	}
	return c
}

// Clone returns a deep copy.
func (s *Set) Clone() *Set {
	return &Set{D: s.D, X: append([]float64(nil), s.X...)}
}

// Validate reports the first structural problem or non-finite value.
func (s *Set) Validate() error {
	if s.D < 1 {
		return fmt.Errorf("data: dimension %d, want at least 1", s.D)
	}
	if len(s.X) == 0 {
		return fmt.Errorf("data: no points")
	}
	if len(s.X)%s.D != 0 {
		return fmt.Errorf("data: %d values do not split into points of dimension %d", len(s.X), s.D)
	}
	for i, v := range s.X {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("data: point %d coordinate %d is %v; remove or fix non-finite values", i/s.D+1, i%s.D+1, v)
		}
	}
	return nil
}
