package exact

import "fmt"

// Shares returns the Gibbs mass in each of the len(splits)+1 intervals
// (−∞, s₀), [s₀, s₁), …, [s_last, ∞) cut at the increasing split points:
// the exact counterpart of stats.MassShares, differences of the CDF.
func (g *Gibbs) Shares(splits []float64) ([]float64, error) {
	for i := 1; i < len(splits); i++ {
		if !(splits[i] > splits[i-1]) {
			return nil, fmt.Errorf("exact: split points %v are not strictly increasing", splits)
		}
	}
	shares := make([]float64, 0, len(splits)+1)
	prev := 0.0
	for _, s := range splits {
		c := g.CDF(s)
		shares = append(shares, c-prev)
		prev = c
	}
	return append(shares, 1-prev), nil
}
