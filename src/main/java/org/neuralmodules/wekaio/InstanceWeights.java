package org.neuralmodules.wekaio;

import weka.core.Instances;

/**
 * Checks instance weights before training: a NaN, infinite or negative weight is an error that
 * names the row (instead of a NaN surfacing later in a filter, blamed on an attribute).
 */
public final class InstanceWeights {
  private InstanceWeights() {
  }

  /**
   * Checks the weights and, where all are valid but their sum overflows, scales them in place by
   * one power of two (exact; only relative weights matter).
   *
   * @return a message naming the first bad weight, or null if all are finite and >= 0
   */
  public static String check(Instances data) {
    double max = 0;
    for (int r = 0; r < data.numInstances(); r++) {
      double w = data.instance(r).weight();
      if (Double.isNaN(w) || Double.isInfinite(w) || w < 0) {
        return String.format(java.util.Locale.ROOT, "NeuralModules: the instance weight of training row %d is %s; "
            + "instance weights must be finite numbers >= 0. Fix or remove that row's weight.", r + 1, w);
      }
      max = Math.max(max, w);
    }
    if (Double.isInfinite(data.sumOfWeights())) {
      double s = Math.scalb(1.0, -Math.getExponent(max));
      for (int r = 0; r < data.numInstances(); r++) {
        data.instance(r).setWeight(data.instance(r).weight() * s);
      }
    }
    return null;
  }
}
