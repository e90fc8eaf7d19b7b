package org.neuralmodules.wekaio;

import java.io.Serializable;
import weka.core.Instance;
import weka.core.Instances;
import weka.filters.Filter;
import weka.filters.unsupervised.attribute.NominalToBinary;
import weka.filters.unsupervised.attribute.RemoveUseless;
import weka.filters.unsupervised.attribute.ReplaceMissingValues;
import weka.filters.unsupervised.attribute.Standardize;

/**
 * The preprocessing Weka users expect from a neural network, fitted on the training data and
 * replayed on every instance at prediction time: useless (constant) attributes removed, missing
 * values replaced by means/modes, nominal attributes to binary indicators, numeric attributes
 * standardised. Weka filters keep state between input() and output(), so transforms are
 * synchronised: one preprocessor can serve predictions from several threads.
 */
public final class Preprocessor implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Filter[] filters;
  private Instances outputFormat;

  public Preprocessor() {
    RemoveUseless useless = new RemoveUseless();
    NominalToBinary toBinary = new NominalToBinary();
    filters = new Filter[] {useless, new ReplaceMissingValues(), toBinary, new Standardize()};
  }

  /** Fits every filter on the training data and returns it transformed. */
  public synchronized Instances fit(Instances train) throws Exception {
    Instances data = train;
    for (Filter f : filters) {
      f.setInputFormat(data);
      data = Filter.useFilter(data, f);
    }
    outputFormat = new Instances(data, 0);
    return data;
  }

  /** Number of input features after preprocessing (class excluded). */
  public int featureCount() {
    return outputFormat.numAttributes() - 1;
  }

  public synchronized double[] transform(Instance inst) throws Exception {
    Instance cur = inst;
    for (Filter f : filters) {
      if (!f.input(cur)) {
        f.batchFinished();
      }
      cur = f.output();
    }
    double[] row = new double[featureCount()];
    features(cur, row, 0);
    return row;
  }

  /** Row-major features of all instances (already transformed data, e.g. from {@link #fit}). */
  public double[] features(Instances data) {
    int d = featureCount();
    double[] rows = new double[data.numInstances() * d];
    for (int r = 0; r < data.numInstances(); r++) {
      features(data.instance(r), rows, r * d);
    }
    return rows;
  }

  private void features(Instance inst, double[] out, int off) {
    int ci = outputFormat.classIndex();
    int col = 0;
    for (int a = 0; a < inst.numAttributes(); a++) {
      if (a != ci) {
        double v = inst.value(a);
        // a value the filters could not map (e.g. unseen at training time) counts as the mean, 0
        out[off + col++] = Double.isFinite(v) ? v : 0.0;
      }
    }
  }
}
