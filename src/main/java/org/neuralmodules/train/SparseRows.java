package org.neuralmodules.train;

import java.io.Serializable;
import org.neuralmodules.backend.SparseInputs;

/**
 * Input rows stored by their non-zeros (compressed sparse rows), standardized only when a row is
 * read: feature j is {@code (v - mean[j]) / sd[j]} ({@code v - mean[j]} where sd is 0), NaN read as
 * 0, clipped to +-clip. That is the arithmetic of Weka's Standardize followed by our feature
 * extraction, so a row reads bit for bit as the dense path would have stored it, while memory
 * stays proportional to the non-zeros (standardizing first would fill every column).
 */
public final class SparseRows implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int[] start;
  private final int[] col;
  private final double[] val;
  private final double[] mean;
  private final double[] sd;
  private final double clip;
  /** The standardized features of an all-zero row. */
  private final double[] zeroRow;

  /**
   * @param start row r's non-zeros are {@code [start[r], start[r + 1])} (length rows + 1)
   * @param col   feature index of each non-zero, increasing within a row
   * @param val   raw (unstandardized) value of each non-zero
   */
  public SparseRows(int[] start, int[] col, double[] val, double[] mean, double[] sd, double clip) {
    if (start.length == 0 || start[0] != 0 || start[start.length - 1] != col.length || col.length != val.length
        || mean.length != sd.length) {
      throw new IllegalArgumentException("inconsistent sparse rows");
    }
    for (int c : col) {
      if (c < 0 || c >= mean.length) {
        throw new IllegalArgumentException("feature index " + c + " outside [0, " + mean.length + ")");
      }
    }
    this.start = start;
    this.col = col;
    this.val = val;
    this.mean = mean;
    this.sd = sd;
    this.clip = clip;
    zeroRow = new double[mean.length];
    for (int j = 0; j < mean.length; j++) {
      zeroRow[j] = standardize(0.0, j);
    }
  }

  public int rows() {
    return start.length - 1;
  }

  public int features() {
    return mean.length;
  }

  public long nonZeros() {
    return col.length;
  }

  private double standardize(double v, int j) {
    double s = sd[j] > 0 ? (v - mean[j]) / sd[j] : v - mean[j];
    return Double.isNaN(s) ? 0.0 : Math.max(-clip, Math.min(clip, s));
  }

  /** Writes row r's standardized features to {@code dst[off .. off + features())}. */
  public void fill(int r, double[] dst, int off) {
    System.arraycopy(zeroRow, 0, dst, off, zeroRow.length);
    for (int k = start[r]; k < start[r + 1]; k++) {
      dst[off + col[k]] = standardize(val[k], col[k]);
    }
  }

  /** The standardized features of an all-zero row (a copy). */
  public double[] zeroRow() {
    return zeroRow.clone();
  }

  /**
   * Appends row r to {@code dst} as its stored values' deviations from {@link #zeroRow}, and
   * closes the row there: the sparse form of {@link #fill} (the same features up to rounding).
   */
  public void deviations(int r, SparseInputs dst) {
    for (int k = start[r]; k < start[r + 1]; k++) {
      int j = col[k];
      dst.add(j, standardize(val[k], j) - zeroRow[j]);
    }
    dst.endRow();
  }

  /** Rows {@code rows[from .. from + size)}, in that order, with the same standardization. */
  public SparseRows select(int[] rows, int from, int size) {
    int[] s = new int[size + 1];
    for (int i = 0; i < size; i++) {
      int r = rows[from + i];
      s[i + 1] = s[i] + start[r + 1] - start[r];
    }
    int[] c = new int[s[size]];
    double[] v = new double[s[size]];
    for (int i = 0; i < size; i++) {
      int r = rows[from + i];
      System.arraycopy(col, start[r], c, s[i], s[i + 1] - s[i]);
      System.arraycopy(val, start[r], v, s[i], s[i + 1] - s[i]);
    }
    return new SparseRows(s, c, v, mean, sd, clip);
  }

  /** Hash of every stored bit (see {@link Trainer#fingerprint}). */
  long fingerprint() {
    long h = 7;
    for (int v : start) {
      h = 31 * h + v;
    }
    for (int v : col) {
      h = 31 * h + v;
    }
    for (double[] a : new double[][] {val, mean, sd}) {
      for (double v : a) {
        h = 31 * h + Double.doubleToLongBits(v);
      }
    }
    return h;
  }
}
