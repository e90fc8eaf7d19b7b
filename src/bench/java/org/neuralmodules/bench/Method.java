package org.neuralmodules.bench;

import weka.classifiers.AbstractClassifier;
import weka.classifiers.Classifier;
import weka.core.Utils;

/**
 * The methods of the paper's Tables 1-3 as Weka option strings. All NeuralModules methods share the
 * training budget {@link #COMMON} (50 epochs, Adam lr 0.002, mini-batch 32, early stopping on a 10%
 * validation split with patience 10); MLP gets the same epoch budget and
 * the same validation rule through Weka's own -N/-V/-E.
 */
public enum Method {
  MLP("MLP", "weka.classifiers.functions.MultilayerPerceptron", "-N 50 -V 10 -E 10"),
  DEQ("DEQ", "weka.classifiers.functions.NeuralModules", "-gamma 1 -regularization NONE"),
  DAG("DAG", "weka.classifiers.functions.NeuralModules", "-structure DAG"),
  NMS("NMs", "weka.classifiers.functions.NeuralModules", "-regularization NONE"),
  NMS_L1("NMs&L1", "weka.classifiers.functions.NeuralModules", "-regularization PLAIN -norm L1"),
  NMS_NM("NMs&NM", "weka.classifiers.functions.NeuralModules", ""),
  /** Weka's MultilayerPerceptron with its own defaults (500 epochs, no validation); reference only. */
  MLP_WEKA("MLP (Weka defaults)", "weka.classifiers.functions.MultilayerPerceptron", "");

  /**
   * Shared by every NeuralModules method of the paper tables: the training budget of issue 5 (the
   * defaults before issue 9's recipe), kept so those tables stay comparable; the suite task
   * (SuiteTasks) runs the current defaults.
   */
  public static final String COMMON = "-N 50 -L 0.002 -mini-batch 32 -V 10 -E 10 -S 1";

  public final String label;
  public final String className;
  public final String options;

  Method(String label, String className, String options) {
    this.label = label;
    this.className = className;
    this.options = options;
  }

  public boolean isNeuralModules() {
    return className.endsWith("NeuralModules");
  }

  /** The full option string for p nodes (threads only for NeuralModules; 0 = all cores). */
  public String optionString(int nodes, int threads) {
    StringBuilder sb = new StringBuilder("-H ").append(nodes);
    if (isNeuralModules()) {
      sb.append(' ').append(COMMON);
      if (threads > 0) {
        sb.append(" -threads ").append(threads);
      }
    }
    if (!options.isEmpty()) {
      sb.append(' ').append(options);
    }
    return sb.toString();
  }

  public Classifier make(int nodes, int threads) throws Exception {
    return AbstractClassifier.forName(className, Utils.splitOptions(optionString(nodes, threads)));
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
