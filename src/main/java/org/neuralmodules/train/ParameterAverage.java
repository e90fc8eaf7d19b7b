package org.neuralmodules.train;

import java.util.List;

/**
 * Weighted means of parameter vectors, the arithmetic of model averaging (data-parallel epochs,
 * Weka's {@code Aggregateable}). Written so that one vector with fraction 1 comes back bit for bit:
 * the sum starts from the first product (not from 0.0, which would turn -0.0 into 0.0), and
 * {@code 1.0 * x == x} exactly.
 */
public final class ParameterAverage {
  private ParameterAverage() {
  }

  /**
   * Each weight divided by their sum (a single weight gives exactly 1.0).
   *
   * @throws IllegalArgumentException if a weight is negative or not finite, or all are 0
   */
  public static double[] fractions(double[] weights) {
    if (weights.length == 0) {
      throw new IllegalArgumentException("nothing to average");
    }
    double sum = 0;
    for (double w : weights) {
      if (!(w >= 0) || Double.isInfinite(w)) {
        throw new IllegalArgumentException("averaging weight " + w + " is not a finite number >= 0");
      }
      sum += w;
    }
    if (!(sum > 0)) {
      throw new IllegalArgumentException("averaging weights sum to 0");
    }
    double[] f = new double[weights.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = weights[i] / sum;
    }
    return f;
  }

  /**
   * sum_i fractions[i] * vectors[i], element by element, in list order.
   *
   * @throws IllegalArgumentException if the vectors differ in length or the counts do not match
   */
  public static double[] mean(List<double[]> vectors, double[] fractions) {
    if (vectors.isEmpty() || vectors.size() != fractions.length) {
      throw new IllegalArgumentException(vectors.size() + " vectors but " + fractions.length + " fractions");
    }
    double[] first = vectors.get(0);
    double[] out = new double[first.length];
    for (int j = 0; j < out.length; j++) {
      out[j] = fractions[0] * first[j];
    }
    for (int i = 1; i < vectors.size(); i++) {
      double[] v = vectors.get(i);
      if (v.length != out.length) {
        throw new IllegalArgumentException("vector " + i + " has " + v.length + " values, the first " + out.length);
      }
      double f = fractions[i];
      for (int j = 0; j < out.length; j++) {
        out[j] += f * v[j];
      }
    }
    return out;
  }
}
