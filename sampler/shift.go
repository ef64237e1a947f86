package sampler

import "scoresde/sde"

// Shifted presents a score of data shifted by −Shift (centred data, say)
// in the data's own coordinates. Under the SDE, data x₀ and x₀ − c have
// marginals that differ by the shift m(t)·c at time t, so
//
//	s(x, t) = Inner(x − m(t)·Shift, t),
//
// and a divergence in x is unchanged. A nil Shift is no shift. It keeps a
// scratch buffer, so it is not safe for concurrent use.
type Shifted struct {
	Inner Score
	SDE   sde.SDE
	Shift []float64 // one value per coordinate
	buf   []float64
}

// Clone returns a copy with its own buffer, for another goroutine (Inner
// must itself be safe for concurrent use).
func (s *Shifted) Clone() *Shifted { return &Shifted{Inner: s.Inner, SDE: s.SDE, Shift: s.Shift} }

// Dim is Inner's.
func (s *Shifted) Dim() int { return s.Inner.Dim() }

// Score evaluates Inner at the shifted points.
func (s *Shifted) Score(x []float64, t float64, out []float64) {
	s.Inner.Score(s.Move(x, t), t, out)
}

// ScoreDiv is Score with Inner's divergence; Inner must be a ScoreDiv.
func (s *Shifted) ScoreDiv(x []float64, t float64, out, div []float64) {
	s.Inner.(ScoreDiv).ScoreDiv(s.Move(x, t), t, out, div)
}

// Move returns x − m(t)·Shift, the points as Inner sees them at time t, in
// a buffer reused by the next call (x itself when Shift is nil).
func (s *Shifted) Move(x []float64, t float64) []float64 {
	return shift(&s.buf, x, -s.SDE.MeanScale(t), s.Shift)
}

// Unshift adds m(t)·c to the points of x in place: from centred to the
// data's coordinates at time t (nothing when c is nil).
func Unshift(x []float64, s sde.SDE, t float64, c []float64) {
	shift(&x, x, s.MeanScale(t), c)
}

// shift returns x + f·c point by point, in *buf (grown when short; it may
// be x itself), or x when c is nil.
func shift(buf *[]float64, x []float64, f float64, c []float64) []float64 {
	if c == nil {
		return x
	}
	if cap(*buf) < len(x) {
		*buf = make([]float64, len(x))
	}
	b := (*buf)[:len(x)]
	d := len(c)
	for i := range x {
		b[i] = x[i] + f*c[i%d]
	}
	return b
}

// UnshiftResult moves a Result of a sampler run on shifted data to the
// data's coordinates: the samples at its End and each snapshot at its own
// time.
func UnshiftResult(r *Result, s sde.SDE, c []float64) {
	if c == nil {
		return
	}
	Unshift(r.X, s, r.End, c)
	for k, v := range r.Snapshots {
		Unshift(v, s, r.Times[k], c)
	}
}
