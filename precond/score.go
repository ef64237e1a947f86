package precond

// Network is the raw network: F at a batch of inputs sharing one noise
// input, with its divergence in x for likelihoods. *nn.MLP is one.
type Network interface {
	Dim() int
	Score(x []float64, noise float64, out []float64)
	ScoreDiv(x []float64, noise float64, out, div []float64)
}

// Score is a network under a parametrisation: a score model
// s_θ(x, t) = Skip·x + Out·F(In·x, Noise) that samplers integrate. It keeps
// a scratch buffer, so like the network it is not safe for concurrent use.
type Score struct {
	Net Network
	P   *Precond
	buf []float64
}

// NewScore wraps net with p.
func NewScore(net Network, p *Precond) *Score { return &Score{Net: net, P: p} }

// Dim is the network's dimension.
func (s *Score) Dim() int { return s.Net.Dim() }

// input returns In·x (x itself when In is 1).
func (s *Score) input(x []float64, in float64) []float64 {
	if in == 1 {
		return x
	}
	if cap(s.buf) < len(x) {
		s.buf = make([]float64, len(x))
	}
	b := s.buf[:len(x)]
	for i, v := range x {
		b[i] = in * v
	}
	return b
}

// Score writes s_θ(x_i, t) into out. For None it is the network's output,
// bit for bit.
func (s *Score) Score(x []float64, t float64, out []float64) {
	c := s.P.At(t)
	s.Net.Score(s.input(x, c.In), c.Noise, out)
	s.combine(x, c, out)
}

// ScoreDiv is Score with the divergence: ∇·s_θ = d·Skip + Out·In·(∇·F).
func (s *Score) ScoreDiv(x []float64, t float64, out, div []float64) {
	c := s.P.At(t)
	s.Net.ScoreDiv(s.input(x, c.In), c.Noise, out, div)
	s.combine(x, c, out)
	if c.Skip == 0 && c.Out*c.In == 1 {
		return
	}
	a, b := float64(s.Dim())*c.Skip, c.Out*c.In
	for i := range div {
		div[i] = a + b*div[i]
	}
}

func (s *Score) combine(x []float64, c Coefs, out []float64) {
	if c.Skip == 0 && c.Out == 1 {
		return
	}
	for i, v := range x {
		out[i] = c.Skip*v + c.Out*out[i]
	}
}
