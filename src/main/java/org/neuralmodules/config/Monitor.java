package org.neuralmodules.config;

/** What early stopping watches on the validation rows (option -monitor). */
public enum Monitor {
  /** The training objective: cross-entropy (nominal class) or squared error (numeric class). */
  LOSS,
  /**
   * The weighted misclassification rate, ties broken by the loss; for a numeric class the same
   * as LOSS. Cross-entropy keeps rising on overconfident but correct predictions long after the
   * error has stopped falling, so LOSS can stop a classifier at its first epochs.
   */
  ERROR
}
