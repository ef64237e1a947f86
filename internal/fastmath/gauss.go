package fastmath

// GaussSums returns Σ_j w_j and Σ_j w_j·u_j over xs, where u_j = q − m·x_j
// and w_j = e^(−inv·u_j² − shift): the total weight and first moment of a
// Gaussian kernel centred on q, the inner loop of an exact DSM optimum.
// shift should be at least −min_j inv·u_j², so that no weight exceeds 1;
// exponents below −700 count as −700 (a weight of 1e−304, nothing next to
// the largest). On amd64 with AVX2 and FMA four weights are computed at a
// time, each within a few ulps of Exp's; elsewhere it is the plain loop.
func GaussSums(xs []float64, q, m, inv, shift float64) (sum, moment float64) {
	return gaussSums(xs, q, m, inv, shift)
}

// gaussSumsRef is the plain loop, the reference for the vector version.
func gaussSumsRef(xs []float64, q, m, inv, shift float64) (sum, moment float64) {
	for _, x := range xs {
		u := q - m*x
		w := Exp(max(-u*u*inv-shift, -expLimit))
		sum += w
		moment += w * u
	}
	return sum, moment
}
