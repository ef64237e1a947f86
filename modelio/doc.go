// Package modelio reads and writes score networks in the file formats of
// the PyTorch world: the state_dict of the notebook's MyScore network
// (nn.Sequential of Linear, Tanh, …, Linear under the keys net.0.weight,
// net.0.bias, …) saved by torch.save (.pt), by np.savez (.npz) or as
// .safetensors, and maps it to and from an nn.MLP.
//
// Files come from strangers, so every reader bounds what it allocates by
// the bytes actually present, and the .pt reader's unpickler executes
// nothing: it builds only the few objects a state_dict is made of
// (collections.OrderedDict, torch._utils._rebuild_tensor_v2 and the float
// storage classes) and refuses every other class.
package modelio
