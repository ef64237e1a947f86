package pipeline

import (
	"fmt"
	"io"
	"strings"
)

// Summary is the short account of a run printed on stdout (or as JSON).
type Summary struct {
	Out       string    `json:"out"`
	Points    int       `json:"data_points"`
	Dim       int       `json:"dim"`
	SDE       string    `json:"sde"`
	Sampler   string    `json:"sampler"`
	NFE       int       `json:"nfe"`
	Epochs    int       `json:"epochs"`
	FinalLoss float64   `json:"final_loss"`
	Timing    Timing    `json:"timing"`
	Metrics   *Metrics  `json:"metrics"`
	Files     []string  `json:"files"`
	Skipped   []Skipped `json:"skipped,omitempty"`
}

// Summary condenses the result.
func (r *Result) Summary() Summary {
	s := Summary{
		Out: r.Config.Out, Points: r.Data.Len(), Dim: r.Data.D,
		SDE: r.Config.SDE.Name, Sampler: r.Config.Sample.Method, NFE: r.NFE,
		Epochs: len(r.Losses), Timing: r.Timing, Metrics: r.Metrics, Files: r.OutFiles,
		Skipped: r.Skipped,
	}
	if n := len(r.Losses); n > 0 {
		s.FinalLoss = r.Losses[n-1]
	}
	return s
}

// WriteText prints the summary as a few aligned lines.
func (s Summary) WriteText(w io.Writer) {
	fmt.Fprintf(w, "scoresde: %d points of dimension %d, %s SDE, %d epochs, sampler %s (%d score evaluations per sample)\n",
		s.Points, s.Dim, s.SDE, s.Epochs, s.Sampler, s.NFE)
	var ph []string
	for _, p := range s.Timing.Phases {
		ph = append(ph, fmt.Sprintf("%s %.2fs", p.Name, p.Seconds))
	}
	fmt.Fprintf(w, "time:       %s; total %.2fs\n", strings.Join(ph, ", "), s.Timing.Total)
	fmt.Fprintf(w, "final loss: %.5f\n", s.FinalLoss)
	if s.Metrics != nil {
		s.Metrics.WriteText(w)
	}
	for _, sk := range s.Skipped {
		fmt.Fprintf(w, "not made:   %s (%s)\n", sk.What, sk.Reason)
	}
	fmt.Fprintf(w, "outputs in: %s\n", s.Out)
}
