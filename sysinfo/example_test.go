package sysinfo_test

import (
	"fmt"
	"strings"

	"scoresde/sysinfo"
)

func ExampleCPUModel() {
	text := "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz\n"
	model, err := sysinfo.CPUModel(strings.NewReader(text))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(model)
	// Output: Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz
}

func ExampleInfo_String() {
	info := sysinfo.Info{
		CPUModel: "AMD EPYC 9R14 96-Core Processor", NProc: 2, GOMAXPROCS: 2,
		GoVersion: "go1.26.8", GOOS: "linux", GOARCH: "amd64",
		Features: []string{"avx2", "fma", "avx512f"},
	}
	fmt.Println(info)
	// Output: AMD EPYC 9R14 96-Core Processor, 2 CPUs (GOMAXPROCS 2), go1.26.8 linux/amd64, features: avx2 fma avx512f
}
