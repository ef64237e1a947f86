// Package exact computes, in low dimension, the quantities a trained score
// model is trying to approximate, so its error can be measured against the
// truth rather than against another estimate:
//
//   - Gibbs: the 1-D target density p(x) ∝ exp(−βV(x)) of Langevin data,
//     normalised by quadrature, with its CDF, quantiles and exact samples;
//   - EmpiricalOptimum: the minimiser over all functions of the denoising
//     score-matching loss for a finite training set, i.e. the score of the
//     data smoothed by the SDE's perturbation kernel;
//   - GibbsSmoothedScore: the score of the Gibbs density pushed through the
//     same kernel (the population score);
//   - LossProbe: the DSM loss, optimality gap and weighted score error on
//     fixed, shared noise draws;
//   - W1, KS and KLHistogram: distances from samples to the Gibbs density.
package exact
