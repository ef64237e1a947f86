// Package kernel holds the dense float32 loops of the nn package: a fully
// connected layer's forward and backward pass on a feature-major tile, the
// Adam update and a fast tanh.
//
// A tile stores a block of F features × L rows with element (f, r) at
// f*L + r, so that the rows of a batch are the vector lanes. L may be any
// value ≥ 1.
//
// The exported functions are the stable seam: they dispatch to a
// platform-specific implementation (see dispatch_*.go) and the plain Go
// reference versions in ref.go define the semantics that every
// implementation must reproduce up to float32 rounding.
package kernel
