package org.neuralmodules.train;

import java.io.Serializable;

/**
 * Adam (Kingma and Ba) over one flat parameter vector. Call order: construct, then
 * {@link #step} once per mini-batch; {@link #copy()} snapshots the moment estimates so a diverged
 * epoch can be rolled back.
 */
public final class Adam implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final double BETA1 = 0.9;
  private static final double BETA2 = 0.999;
  private static final double EPS = 1e-8;

  private final double[] m;
  private final double[] v;
  private long t;

  public Adam(int size) {
    m = new double[size];
    v = new double[size];
  }

  private Adam(double[] m, double[] v, long t) {
    this.m = m;
    this.v = v;
    this.t = t;
  }

  public void step(double[] theta, double[] grad, double lr) {
    t++;
    double c1 = 1.0 - Math.pow(BETA1, t);
    double c2 = 1.0 - Math.pow(BETA2, t);
    double a = lr * Math.sqrt(c2) / c1;
    for (int i = 0; i < theta.length; i++) {
      double gi = grad[i];
      m[i] = BETA1 * m[i] + (1 - BETA1) * gi;
      v[i] = BETA2 * v[i] + (1 - BETA2) * gi * gi;
      theta[i] -= a * m[i] / (Math.sqrt(v[i]) + EPS);
    }
  }

  public Adam copy() {
    return new Adam(m.clone(), v.clone(), t);
  }

  /** Steps taken so far (the bias correction's t). */
  public long steps() {
    return t;
  }

  /**
   * The optimizer state of averaged replicas: first and second moments averaged with the given
   * fractions (see {@link ParameterAverage#mean}), the step count the largest of the states. One
   * state with fraction 1 comes back as an exact copy.
   */
  public static Adam average(java.util.List<Adam> states, double[] fractions) {
    java.util.List<double[]> ms = new java.util.ArrayList<>(states.size());
    java.util.List<double[]> vs = new java.util.ArrayList<>(states.size());
    long steps = 0;
    for (Adam a : states) {
      ms.add(a.m);
      vs.add(a.v);
      steps = Math.max(steps, a.t);
    }
    return new Adam(ParameterAverage.mean(ms, fractions), ParameterAverage.mean(vs, fractions), steps);
  }
}
