//go:build !amd64 || purego

package fastmath

func gaussSums(xs []float64, q, m, inv, shift float64) (sum, moment float64) {
	return gaussSumsRef(xs, q, m, inv, shift)
}
