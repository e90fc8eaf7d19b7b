package org.neuralmodules.backend;

/**
 * Row-major per-sample arrays of one batch, allocated once for a capacity and reused. Every array
 * is written per sample, never accumulated across samples, so any split over threads gives the
 * same bits.
 */
public final class BatchBuffers {
  public final int capacity;
  public final int d;
  public final int p;
  public final int c;
  /** Inputs x0 (n x d; empty when {@link #sparse} holds them), targets (n) and instance weights (n, mean 1 over the training set). */
  public final double[] x0;
  /** Inputs of sparse rows, or null for dense inputs in {@link #x0}. */
  public final SparseInputs sparse;
  public final double[] target;
  public final double[] weight;
  /** Node values x, activations h = f(x), dL/dh and adjoint lambda (n x p). */
  public final double[] x;
  public final double[] h;
  public final double[] g;
  public final double[] lambda;
  /** dL/d(output pre-activation) (n x c) and per-sample loss (n). */
  public final double[] delta;
  public final double[] loss;

  public BatchBuffers(int capacity, int d, int p, int c) {
    this(capacity, d, p, c, null);
  }

  /** @param sparseRef the features of an all-zero row, for sparse inputs; null for dense inputs */
  public BatchBuffers(int capacity, int d, int p, int c, double[] sparseRef) {
    if (sparseRef != null && sparseRef.length != d) {
      throw new IllegalArgumentException("reference row has " + sparseRef.length + " features, not " + d);
    }
    this.capacity = capacity;
    this.d = d;
    this.p = p;
    this.c = c;
    sparse = sparseRef == null ? null : new SparseInputs(capacity, sparseRef, p);
    x0 = new double[sparse == null ? capacity * d : 0];
    target = new double[capacity];
    weight = new double[capacity];
    java.util.Arrays.fill(weight, 1.0);
    x = new double[capacity * p];
    h = new double[capacity * p];
    g = new double[capacity * p];
    lambda = new double[capacity * p];
    delta = new double[capacity * c];
    loss = new double[capacity];
  }

  /** Before a batch's solves: the input layer's shared part for sparse inputs (none for dense). */
  public void prepareInputs(double[] theta, org.neuralmodules.model.ParamLayout layout, Parallel par) {
    if (sparse != null) {
      sparse.prepare(theta, layout, par);
    }
  }

  /** c_k = w_kk + sum_i U_ik x0_i of sample s, after {@link #prepareInputs}. */
  public void preActivation(double[] theta, org.neuralmodules.model.ParamLayout layout, int s, double[] out, int oo) {
    if (sparse != null) {
      sparse.preActivation(theta, layout, s, out, oo);
    } else {
      CpuBackend.preActivation(theta, layout, x0, s * d, out, oo);
    }
  }

  /** Bytes for a buffer of this shape. */
  public static long bytes(int capacity, int d, int p, int c) {
    return 8L * capacity * (d + 2 + 4L * p + c + 1);
  }
}
