package org.neuralmodules.config;

/** How the per-node penalty weight z_k is chosen. */
public enum Regularization {
  /** No penalty. */
  NONE,
  /** z_k = 1: the plain L1/L2 baseline of the paper. */
  PLAIN,
  /** z_k = number of active edges in node k's module (the paper's NM regularization). */
  NM
}
