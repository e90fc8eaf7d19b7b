package org.neuralmodules.wekaio;

import weka.core.Instance;
import weka.core.Instances;
import weka.core.Utils;

/**
 * Weka's {@code Instances.meanOrMode} and {@code Instances.variance} of every numeric attribute in
 * one pass over the rows, with Weka 3.8.6's arithmetic per attribute (the same operations in the
 * same order, so the same bits). Weka's per-attribute calls read each value through
 * {@code Instance.value}, a binary search in a sparse instance: d passes of n searches, a fifth of
 * training time on Facebook's 4,714 sparse columns. Here each row is read once.
 */
final class ColumnMoments {
  final double[] mean;
  final double[] variance;

  /** Moments of every numeric attribute but the class; other entries stay 0. */
  ColumnMoments(Instances data) {
    int na = data.numAttributes();
    boolean[] numeric = new boolean[na];
    for (int a = 0; a < na; a++) {
      numeric[a] = a != data.classIndex() && data.attribute(a).isNumeric();
    }
    // meanOrMode: weighted sum / sum of weights
    double[] found = new double[na];
    double[] result = new double[na];
    // variance: West's weighted update, the first value taken as it is
    double[] wMean = new double[na];
    double[] var = new double[na];
    double[] sumWeights = new double[na];
    java.util.Arrays.fill(var, Double.NaN);
    for (int r = 0; r < data.numInstances(); r++) {
      Instance inst = data.instance(r);
      double weight = inst.weight();
      double[] row = inst.toDoubleArray();
      for (int a = 0; a < na; a++) {
        double value = row[a];
        if (!numeric[a] || Utils.isMissingValue(value)) {
          continue;
        }
        found[a] += weight;
        result[a] += weight * value;
        if (Double.isNaN(var[a])) {
          wMean[a] = value;
          sumWeights[a] = weight;
          var[a] = 0;
          continue;
        }
        double delta = weight * (value - wMean[a]);
        sumWeights[a] += weight;
        wMean[a] += delta / sumWeights[a];
        var[a] += delta * (value - wMean[a]);
      }
    }
    mean = new double[na];
    variance = new double[na];
    for (int a = 0; a < na; a++) {
      if (!numeric[a]) {
        continue;
      }
      mean[a] = found[a] <= 0 ? 0 : result[a] / found[a];
      if (sumWeights[a] <= 1) {
        variance[a] = Double.NaN;
      } else {
        double v = var[a] / (sumWeights[a] - 1);
        variance[a] = v < 0 ? 0 : v;
      }
    }
  }
}
