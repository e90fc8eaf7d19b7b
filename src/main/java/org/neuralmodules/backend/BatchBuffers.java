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
  /** Inputs x0 (n x d), targets (n) and instance weights (n, mean 1 over the training set). */
  public final double[] x0;
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
    this.capacity = capacity;
    this.d = d;
    this.p = p;
    this.c = c;
    x0 = new double[capacity * d];
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

  /** Bytes for a buffer of this shape. */
  public static long bytes(int capacity, int d, int p, int c) {
    return 8L * capacity * (d + 2 + 4L * p + c + 1);
  }
}
