package org.neuralmodules.solve;

/** Outcome of one strongly connected component's solve, returned as a value and counted. */
public enum SolveStatus {
  /** Acyclic: evaluated exactly in one pass. */
  DIRECT,
  /** Newton met the residual tolerance. */
  CONVERGED,
  /** Newton failed; the damped fixed-point fallback met the tolerance. */
  FALLBACK_CONVERGED,
  /** Neither met the tolerance; the lowest-residual iterate is used. */
  FAILED
}
