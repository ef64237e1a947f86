package modelio_test

import (
	"fmt"

	"scoresde/modelio"
)

// Reading the state_dict of the notebook's MyScore saved by torch.save and
// mapping it to the network it describes.
func ExampleToMLP() {
	sd, err := modelio.ReadFile("testdata/mlp1d.pt")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, t := range sd.Tensors {
		fmt.Println(t.Name, t.Shape)
	}
	net, err := modelio.ToMLP(sd)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d → %v → %d, tanh\n", net.In, net.Hidden, net.Out)
	// Output:
	// net.0.weight [5 2]
	// net.0.bias [5]
	// net.2.weight [4 5]
	// net.2.bias [4]
	// net.4.weight [1 4]
	// net.4.bias [1]
	// 2 → [5 4] → 1, tanh
}
