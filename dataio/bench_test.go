package dataio

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"scoresde/data"
)

// benchSet is 100000 two-dimensional points, the size of a large training set.
func benchSet() *data.Set {
	rng := rand.New(rand.NewPCG(1, 2))
	s := data.New(100000, 2)
	for i := range s.X {
		s.X[i] = rng.NormFloat64()
	}
	return s
}

func BenchmarkRead(b *testing.B) {
	s := benchSet()
	for _, format := range []string{CSV, NPY} {
		var buf bytes.Buffer
		if err := Write(&buf, s, format); err != nil {
			b.Fatal(err)
		}
		in := buf.Bytes()
		b.Run(format, func(b *testing.B) {
			b.SetBytes(int64(len(in)))
			for b.Loop() {
				if _, err := Read(bytes.NewReader(in), format); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkWrite(b *testing.B) {
	s := benchSet()
	for _, format := range []string{CSV, NPY} {
		b.Run(format, func(b *testing.B) {
			var buf bytes.Buffer
			for b.Loop() {
				buf.Reset()
				if err := Write(&buf, s, format); err != nil {
					b.Fatal(err)
				}
			}
			b.SetBytes(int64(buf.Len()))
		})
	}
}
