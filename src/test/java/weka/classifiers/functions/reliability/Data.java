package weka.classifiers.functions.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import weka.classifiers.functions.NeuralModules;
import weka.core.Attribute;
import weka.core.Instance;
import weka.core.Instances;
import weka.core.Utils;
import weka.core.converters.ConverterUtils.DataSource;

/** Datasets and checks shared by the reliability tests. */
final class Data {
  private Data() {}

  static Instances iris() throws Exception {
    Instances d = DataSource.read("test-data/iris.arff");
    d.setClassIndex(d.numAttributes() - 1);
    return d;
  }

  static Instances codonSmall() throws Exception {
    Instances d = DataSource.read("test-data/codon_usage_small.arff");
    d.setClassIndex(d.numAttributes() - 1);
    return d;
  }

  /** A small, fast, single-threaded classifier. */
  static NeuralModules small(String... extra) throws Exception {
    // a higher rate than the default so that a handful of epochs learns something
    List<String> o = new ArrayList<>(List.of("-H", "8", "-N", "5", "-L", "0.01", "-threads", "1"));
    o.addAll(List.of(extra));
    NeuralModules nm = new NeuralModules();
    nm.setOptions(o.toArray(new String[0]));
    return nm;
  }

  static List<String> nominalValues(String prefix, int n) {
    List<String> v = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      v.add(prefix + i);
    }
    return v;
  }

  /** An empty dataset with the given attributes; the last one is the class. */
  static Instances empty(String name, Attribute... atts) {
    Instances d = new Instances(name, new ArrayList<>(List.of(atts)), 0);
    d.setClassIndex(d.numAttributes() - 1);
    return d;
  }

  /**
   * Predicts every row one by one and as a batch and checks that each prediction is sound: the
   * right length, finite, a distribution for a nominal class; batch equals one by one.
   *
   * @return the one-by-one predictions
   */
  static double[][] assertSoundPredictions(NeuralModules nm, Instances data) throws Exception {
    double[][] one = new double[data.numInstances()][];
    for (int i = 0; i < one.length; i++) {
      one[i] = nm.distributionForInstance(data.instance(i));
      assertSound(data, one[i], "row " + i);
    }
    double[][] batch = nm.distributionsForInstances(data);
    for (int i = 0; i < one.length; i++) {
      assertSound(data, batch[i], "batch row " + i);
      for (int o = 0; o < one[i].length; o++) {
        assertEquals(one[i][o], batch[i][o], 0.0, "batch vs one by one, row " + i);
      }
    }
    return one;
  }

  static void assertSound(Instances header, double[] dist, String what) {
    boolean nominal = header.classAttribute().isNominal();
    assertEquals(nominal ? header.numClasses() : 1, dist.length, what + ": length of " + java.util.Arrays.toString(dist));
    double sum = 0;
    for (double v : dist) {
      assertTrue(Double.isFinite(v), what + ": non-finite prediction " + java.util.Arrays.toString(dist));
      sum += v;
    }
    if (nominal) {
      assertEquals(1.0, sum, 1e-9, what + ": not a distribution " + java.util.Arrays.toString(dist));
      for (double v : dist) {
        assertTrue(v >= 0, what + ": negative probability");
      }
    }
  }

  /** Fraction of rows whose predicted class is the actual one. */
  static double accuracy(double[][] pred, Instances data) {
    int ok = 0;
    for (int i = 0; i < pred.length; i++) {
      Instance inst = data.instance(i);
      if (!inst.classIsMissing() && Utils.maxIndex(pred[i]) == (int) inst.classValue()) {
        ok++;
      }
    }
    return (double) ok / pred.length;
  }

  static double correlation(double[][] pred, Instances data) {
    int n = pred.length;
    double[] a = new double[n];
    double[] b = new double[n];
    for (int i = 0; i < n; i++) {
      a[i] = pred[i][0];
      b[i] = data.instance(i).classValue();
    }
    return Utils.correlation(a, b, n);
  }
}
