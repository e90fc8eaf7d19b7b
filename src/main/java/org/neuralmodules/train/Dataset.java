package org.neuralmodules.train;

/**
 * Numeric training data as the engine sees it: inputs already preprocessed, either dense
 * (row-major n x d in {@code x}) or sparse ({@code sparse}, standardized as rows are read), and
 * one target per row (class index, or numeric value).
 *
 * @param x       dense inputs, or null when {@code sparse} holds them
 * @param weight  instance weights (finite, >= 0), or null for all 1
 * @param classes number of classes, or 0 for a numeric target
 * @param sparse  sparse inputs, or null when {@code x} holds them
 */
public record Dataset(double[] x, double[] y, double[] weight, int n, int d, int classes, SparseRows sparse)
    implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  public Dataset {
    boolean dense = x != null && sparse == null && x.length == (long) n * d;
    boolean sparseOk = x == null && sparse != null && sparse.rows() == n && sparse.features() == d;
    if (!(dense || sparseOk) || y.length != n || (weight != null && weight.length != n)) {
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

  /** Dense inputs. */
  public Dataset(double[] x, double[] y, double[] weight, int n, int d, int classes) {
    this(x, y, weight, n, d, classes, null);
  }

  public boolean numeric() {
    return classes == 0;
  }

  public int outputs() {
    return numeric() ? 1 : classes;
  }

  /** Writes row r's d input features to {@code dst[off .. off + d)}. */
  public void fillRow(int r, double[] dst, int off) {
    if (sparse != null) {
      sparse.fill(r, dst, off);
    } else {
      System.arraycopy(x, r * d, dst, off, d);
    }
  }
}
