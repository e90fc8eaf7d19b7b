package org.neuralmodules.train;

/**
 * Numeric training data as the engine sees it: row-major inputs (n x d) already preprocessed, and
 * one target per row (class index, or numeric value).
 *
 * @param weight  instance weights (>= 0), or null for all 1
 * @param classes number of classes, or 0 for a numeric target
 */
public record Dataset(double[] x, double[] y, double[] weight, int n, int d, int classes) {
  public Dataset {
    if (x.length != (long) n * d || y.length != n || (weight != null && weight.length != n)) {
      throw new IllegalArgumentException("dataset arrays do not match n=" + n + " d=" + d);
    }
    if (weight != null) {
      for (int r = 0; r < n; r++) {
        if (!(weight[r] >= 0) || Double.isInfinite(weight[r])) {
          throw new IllegalArgumentException("weight of row " + r + " is " + weight[r] + "; weights must be finite and >= 0");
        }
      }
    }
    if (classes < 0 || classes == 1) {
      throw new IllegalArgumentException("classes must be 0 (numeric) or >= 2, got " + classes);
    }
  }

  public boolean numeric() {
    return classes == 0;
  }

  public int outputs() {
    return numeric() ? 1 : classes;
  }
}
