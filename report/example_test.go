package report_test

import (
	"bytes"
	"fmt"
	"log"
	"strings"

	"scoresde/report"
)

func ExampleRender() {
	r := report.Report{
		Title:   "Four-well run",
		Summary: []report.KV{{Key: "W1", Value: report.Num(0.021345)}},
		Metrics: []report.Metric{{Name: "Wasserstein-1", Value: report.Num(0.021345), Note: "lower is better"}},
		Timing:  []report.Phase{{Name: "training", Seconds: 71.9}, {Name: "sampling", Seconds: 6.2}},
	}
	var b bytes.Buffer
	if err := report.Render(&b, r); err != nil {
		log.Fatal(err)
	}
	for _, line := range strings.Split(b.String(), "\n") {
		if strings.HasPrefix(line, "<h1>") || strings.HasPrefix(line, "<h2>") {
			fmt.Println(line)
		}
	}
	// Output:
	// <h1>Four-well run</h1>
	// <h2>Summary</h2>
	// <h2>Metrics</h2>
	// <h2>Timing</h2>
}

func ExampleNum() {
	fmt.Println(report.Num(0.0213456), report.Num(5000), report.Num(1234567))
	// Output: 0.02135 5000 1.235e+06
}
