package org.neuralmodules.bench;

import weka.classifiers.AbstractClassifier;
import weka.classifiers.Classifier;
import weka.core.Utils;

/**
 * The methods of the paper's Tables 1-2 (issue 10) as Weka option strings. Every NeuralModules
 * method runs the package's current defaults (the training recipe of issue 9) with only the
 * options below changed, plus {@code -H p -S seed -threads t}; the alpha of NMs&L1 and NMs&NM is
 * tuned per split on training rows only ({@link PaperTables}).
 */
public enum Method {
  /** The paper's MLP: Weka's MultilayerPerceptron, one hidden layer, 50 epochs, 10% validation. */
  MLP("MLP", "weka.classifiers.functions.MultilayerPerceptron", "-N 50 -V 10 -E 10", false),
  /** One implicit layer, every edge active, no regularization (a DEQ solved by Newton). */
  DEQ("DEQ", "weka.classifiers.functions.NeuralModules", "-gamma 1 -regularization NONE", false),
  /** The paper's DAG baseline (its Fig. 11b): the dense lower-triangular network, no threshold, no penalty. */
  DAG("DAG", "weka.classifiers.functions.NeuralModules", "-structure DAG -gamma 1 -regularization NONE", false),
  /** Our earlier DAG row: NMs&NM restricted to edges j < k (threshold and NM penalty kept). */
  DAG_NM("DAG (NM threshold)", "weka.classifiers.functions.NeuralModules", "-structure DAG", false),
  NMS("NMs", "weka.classifiers.functions.NeuralModules", "-regularization NONE", false),
  NMS_L1("NMs&L1", "weka.classifiers.functions.NeuralModules", "-regularization PLAIN -norm L1", true),
  NMS_NM("NMs&NM", "weka.classifiers.functions.NeuralModules", "", true),
  /** The paper's recommended region: alpha 0.2 and the top 3-5% of edges (gamma 0.04). */
  NMS_NM_PAPER("NMs&NM (paper region)", "weka.classifiers.functions.NeuralModules", "-alpha 0.2 -gamma 0.04", false),
  /** The no-graph ablation: the same recipe with no hidden-to-hidden edges (one hidden layer). */
  NO_GRAPH("No graph", "weka.classifiers.functions.NeuralModules", "-structure NONE", false),
  /** Weka's MultilayerPerceptron with its own defaults (500 epochs, no validation); reference only. */
  MLP_WEKA("MLP (Weka defaults)", "weka.classifiers.functions.MultilayerPerceptron", "", false);

  public final String label;
  public final String className;
  public final String options;
  /** Whether -alpha is chosen per split on an inner split of the training rows. */
  public final boolean tuned;

  Method(String label, String className, String options, boolean tuned) {
    this.label = label;
    this.className = className;
    this.options = options;
    this.tuned = tuned;
  }

  public boolean isNeuralModules() {
    return className.endsWith("NeuralModules");
  }

  /**
   * The full option string for p nodes and a seed (threads only for NeuralModules, 0 = all cores);
   * {@code alpha} is appended for tuned methods when not NaN.
   */
  public String optionString(int nodes, int seed, int threads, double alpha) {
    StringBuilder sb = new StringBuilder("-H ").append(nodes).append(" -S ").append(seed);
    if (isNeuralModules()) {
      sb.append(" -threads ").append(threads);
    }
    if (!options.isEmpty()) {
      sb.append(' ').append(options);
    }
    if (tuned && !Double.isNaN(alpha)) {
      sb.append(" -alpha ").append(alpha);
    }
    return sb.toString();
  }

  public Classifier make(String optionString) throws Exception {
    return AbstractClassifier.forName(className, Utils.splitOptions(optionString));
  }

  public static Method byLabel(String s) {
    for (Method m : values()) {
      if (m.label.equalsIgnoreCase(s) || m.name().equalsIgnoreCase(s)) {
        return m;
      }
    }
    throw new IllegalArgumentException("Unknown method " + s);
  }
}
