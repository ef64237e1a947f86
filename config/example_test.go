package config_test

import (
	"flag"
	"fmt"
	"sort"

	"scoresde/config"
)

func ExampleApply() {
	fs := flag.NewFlagSet("train", flag.ContinueOnError)
	epochs := fs.Int("epochs", 1000, "training epochs")
	etaMax := fs.Float64("eta-max", 1, "largest learning rate")
	hidden := fs.String("hidden", "50,50,50", "hidden layer widths")

	// The command line names -epochs, so the file's epochs is ignored.
	if err := fs.Parse([]string{"-epochs", "20"}); err != nil {
		fmt.Println(err)
		return
	}
	// As config.Load would return it for this YAML file:
	//   epochs: 5000
	//   eta-max: 2
	//   hidden: [64, 64]
	file := map[string]any{"epochs": 5000, "eta-max": 2, "hidden": []any{64, 64}}
	if err := config.Apply(fs, file); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(*epochs, *etaMax, *hidden)

	fmt.Println(config.Apply(fs, map[string]any{"epoch": 10}))

	snap := config.Snapshot(fs)
	keys := make([]string, 0, len(snap))
	for k := range snap {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Printf("%s=%s\n", k, snap[k])
	}
	// Output:
	// 20 2 64,64
	// unknown key "epoch"; did you mean "epochs"?
	// epochs=20
	// eta-max=2
	// hidden=64,64
}
