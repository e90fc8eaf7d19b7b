package org.neuralmodules.backend;

import org.neuralmodules.model.ParamLayout;

/**
 * The inputs of one batch of sparse rows, and the input layer's products over them. Standardized
 * sparse data are dense (a zero reads as -mean/sd), so each row is held as deviations from one
 * reference row, the features of an all-zero input: {@code x0[s] = ref + sum_t dev[t] e_col[t]}
 * over its stored values t. Then {@code U^T x0[s] = U^T ref + sum_t dev[t] U[col[t]]} and
 * {@code dU = ref (sum_s lambda_s)^T + sum_s sum_t dev[t] e_col[t] lambda_s^T}: a batch costs d*p
 * once plus p per stored value, where the dense path costs d*p per row. The sums are regrouped, so
 * results agree with the dense path to rounding, not bit for bit; any thread count gives the same
 * bits (each entry is summed by one thread in a fixed order).
 */
public final class SparseInputs {
  private final double[] ref;
  private final int[] start;
  private int[] col = new int[64];
  private double[] dev = new double[64];
  private int rows;
  private int stored;
  /** w_kk + sum_i U_ik ref_i for the weights {@link #prepare} last saw. */
  private final double[] base;
  /** Column sums of lambda over the batch, and the stored values, each times 1/n (gradient work arrays). */
  private final double[] lambdaSum;
  private double[] scaled = new double[64];

  /**
   * @param capacity rows a batch holds at most
   * @param ref      the features of an all-zero row (length d; kept, not copied)
   * @param p        hidden nodes
   */
  public SparseInputs(int capacity, double[] ref, int p) {
    this.ref = ref;
    this.start = new int[capacity + 1];
    this.base = new double[p];
    this.lambdaSum = new double[p];
  }

  public int features() {
    return ref.length;
  }

  /** Empties the batch. */
  public void clear() {
    rows = 0;
    stored = 0;
  }

  /** Appends stored value {@code deviation} (feature value minus {@code ref[column]}) to the open row. */
  public void add(int column, double deviation) {
    int t = stored;
    if (t == col.length) {
      int grown = Math.max(t + 1, t + (t >> 1));
      col = java.util.Arrays.copyOf(col, grown);
      dev = java.util.Arrays.copyOf(dev, grown);
    }
    col[t] = column;
    dev[t] = deviation;
    stored = t + 1;
  }

  /** Closes the open row: the next {@link #add} starts the next row. */
  public void endRow() {
    start[++rows] = stored;
  }

  /** Rows closed so far. */
  public int rows() {
    return rows;
  }

  /** Writes row s as dense features to {@code dst[off .. off + d)} (for checks and the host fallback). */
  public void fill(int s, double[] dst, int off) {
    System.arraycopy(ref, 0, dst, off, ref.length);
    for (int t = start[s]; t < start[s + 1]; t++) {
      dst[off + col[t]] += dev[t];
    }
  }

  /** Once per batch and weights, before {@link #preActivation}: the part every row shares. */
  public void prepare(double[] theta, ParamLayout layout, Parallel par) {
    int p = layout.nodes();
    par.forRange(p, (from, to, worker) -> {
      for (int k = from; k < to; k++) {
        base[k] = theta[layout.w(k, k)];
      }
      for (int i = 0; i < ref.length; i++) {
        double v = ref[i];
        if (v != 0.0) {
          int uo = layout.u(i, 0);
          for (int k = from; k < to; k++) {
            base[k] += v * theta[uo + k];
          }
        }
      }
    });
  }

  /** c_k = w_kk + sum_i U_ik x0_i for row s, from {@link #prepare}'s shared part and its stored values. */
  public void preActivation(double[] theta, ParamLayout layout, int s, double[] out, int oo) {
    int p = layout.nodes();
    System.arraycopy(base, 0, out, oo, p);
    for (int t = start[s]; t < start[s + 1]; t++) {
      double v = dev[t];
      int uo = layout.u(col[t], 0);
      for (int k = 0; k < p; k++) {
        out[oo + k] += v * theta[uo + k];
      }
    }
  }

  /**
   * Writes the mean input-layer gradient of the first n rows, dU = X0^T Lambda / n, into the U
   * block of {@code grad} (nothing else is read or written). Columns of U are split over threads.
   * The 1/n is applied to the column sums and the stored values, so U's d*p entries are written
   * once and updated only where a value is stored.
   */
  public void inputGradient(double[] lambda, int n, ParamLayout layout, double[] grad, double inv, Parallel par) {
    int p = layout.nodes();
    int d = ref.length;
    int stored = start[n];
    if (scaled.length < stored) {
      scaled = new double[Math.max(stored, 2 * scaled.length)];
    }
    for (int t = 0; t < stored; t++) {
      scaled[t] = dev[t] * inv;
    }
    double[] devInv = scaled;
    par.forRange(p, (from, to, worker) -> {
      for (int k = from; k < to; k++) {
        double sum = 0;
        for (int s = 0; s < n; s++) {
          sum += lambda[s * p + k];
        }
        lambdaSum[k] = sum * inv;
      }
      for (int i = 0; i < d; i++) {
        int uo = layout.u(i, 0);
        double v = ref[i];
        for (int k = from; k < to; k++) {
          grad[uo + k] = v * lambdaSum[k];
        }
      }
      for (int s = 0; s < n; s++) {
        int lo = s * p;
        for (int t = start[s]; t < start[s + 1]; t++) {
          double v = devInv[t];
          int uo = layout.u(col[t], 0);
          for (int k = from; k < to; k++) {
            grad[uo + k] += v * lambda[lo + k];
          }
        }
      }
    });
  }
}
