package sde

// IdentityWarp is the warp that feeds the network t itself, whatever the
// SDE: the input of networks trained elsewhere (the notebook's cat(x, t)).
func IdentityWarp(s SDE, eps float64) TimeWarp {
	return TimeWarp{s: s, identity: true, eps: eps, span: s.T() - eps}
}
