package org.neuralmodules.config;

/** How the output biases start (option -output-bias). */
public enum OutputBias {
  /** All zero: every class starts equally likely, whatever the class frequencies. */
  ZERO,
  /**
   * The log of the (weighted, add-one smoothed) training class frequencies, so the untrained
   * network already predicts the class prior; a numeric class is unaffected (its targets are
   * standardized to mean 0).
   */
  PRIOR
}
