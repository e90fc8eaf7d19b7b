package weka.classifiers.functions.reliability;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import weka.classifiers.functions.NeuralModules;
import weka.core.Instances;
import weka.core.Utils;
import weka.datagenerators.DataGenerator;
import weka.datagenerators.classifiers.classification.Agrawal;
import weka.datagenerators.classifiers.classification.BayesNet;
import weka.datagenerators.classifiers.classification.LED24;
import weka.datagenerators.classifiers.classification.RDG1;
import weka.datagenerators.classifiers.classification.RandomRBF;
import weka.datagenerators.classifiers.regression.Expression;
import weka.datagenerators.classifiers.regression.MexicanHat;

/**
 * Property-style robustness: datasets from weka.datagenerators (random sizes from 0 rows up, nominal
 * and numeric attributes and classes, random missing rates, sometimes a numeric attribute as the
 * class, sometimes a column on a 1e+-300 scale) and random valid option combinations. Build and predict either succeed with sound
 * predictions or fail with a documented error. Case i uses seed i, so any failure is reproducible
 * from the case number in its message.
 */
class RandomizedRobustnessTest {
  static final int CASES = 400;

  /** Errors a valid configuration may legitimately end in (documented in the README/design notes). */
  static final String[] DOCUMENTED = {"Training diverged", "Not enough memory"};

  @Test
  void randomDataAndRandomOptionsBuildAndPredictOrFailWithADocumentedError() throws Exception {
    TreeMap<String, Integer> outcomes = new TreeMap<>();
    for (int seed = 0; seed < CASES; seed++) {
      Random r = new Random(seed);
      Instances data = dataset(r, seed);
      String[] options = options(r);
      String what = "case " + seed + ": " + data.relationName() + ", " + data.numInstances() + " rows, class "
          + data.classAttribute().name() + (data.classAttribute().isNominal() ? " (nominal)" : " (numeric)")
          + ", options " + Utils.joinOptions(options);
      NeuralModules nm = new NeuralModules();
      nm.setOptions(options.clone());
      try {
        nm.buildClassifier(data);
      } catch (Exception | Error e) {
        String m = String.valueOf(e.getMessage());
        boolean documented = false;
        for (String d : DOCUMENTED) {
          documented |= m.contains(d);
        }
        if (!documented) {
          throw new AssertionError(what + ": undocumented failure " + e, e);
        }
        outcomes.merge("documented error: " + m.substring(0, Math.min(40, m.length())), 1, Integer::sum);
        continue;
      }
      Instances test = data.numInstances() > 0 ? data : withMissingRows(data, 3);
      try {
        Data.assertSoundPredictions(nm, test);
      } catch (AssertionError | Exception e) {
        throw new AssertionError(what + ": " + e.getMessage(), e);
      }
      outcomes.merge("built and predicted soundly", 1, Integer::sum);
    }
    System.out.println("RandomizedRobustnessTest outcomes over " + CASES + " cases: " + outcomes);
    assertTrue(outcomes.getOrDefault("built and predicted soundly", 0) > CASES * 0.9,
        "almost every valid configuration should train: " + outcomes);
  }

  /** A dataset from a random generator, with random size, missing values and class choice. */
  static Instances dataset(Random r, int seed) throws Exception {
    int n = switch (r.nextInt(6)) {
      case 0 -> r.nextInt(4); // 0 to 3 rows
      case 1 -> 5 + r.nextInt(20);
      default -> 20 + r.nextInt(200);
    };
    DataGenerator g;
    List<String> o = new ArrayList<>();
    switch (r.nextInt(7)) {
      case 0 -> {
        g = new RDG1();
        o.addAll(List.of("-a", "" + (2 + r.nextInt(10)), "-c", "" + (2 + r.nextInt(4)), "-N", "" + r.nextInt(5)));
      }
      case 1 -> {
        g = new RandomRBF();
        o.addAll(List.of("-a", "" + (1 + r.nextInt(8)), "-c", "" + (2 + r.nextInt(4)), "-C", "" + (1 + r.nextInt(10))));
      }
      case 2 -> {
        g = new Agrawal();
        o.addAll(List.of("-F", "" + (1 + r.nextInt(10)), "-P", "" + r.nextDouble() * 0.2));
      }
      case 3 -> {
        g = new LED24();
        o.addAll(List.of("-N", "" + r.nextInt(30)));
      }
      case 4 -> {
        g = new BayesNet();
        int nodes = 2 + r.nextInt(8);
        o.addAll(List.of("-N", "" + nodes, "-C", "" + (2 + r.nextInt(4)), "-A", "" + (nodes - 1 + r.nextInt(nodes * (nodes - 1) / 2 - nodes + 2))));
      }
      case 5 -> {
        g = new MexicanHat();
        o.addAll(List.of("-A", "" + (0.5 + 10 * r.nextDouble()), "-N", "" + r.nextDouble() * 0.3));
      }
      default -> {
        g = new Expression();
        String[] exprs = {"sin(a1)", "a1*a1-3", "exp(a1)", "log(abs(a1)+1)*100000"};
        o.addAll(List.of("-E", exprs[r.nextInt(exprs.length)]));
      }
    }
    o.addAll(List.of("-S", "" + seed, "-n", "" + Math.max(1, n), "-r", g.getClass().getSimpleName() + "-" + seed));
    g.setOptions(o.toArray(new String[0]));
    g.setDatasetFormat(g.defineDataFormat());
    Instances data = g.generateExamples();
    if (n == 0) {
      data.delete();
    }
    data.setClassIndex(data.numAttributes() - 1);
    // sometimes a numeric attribute as the class (regression on classification data)
    if (data.classAttribute().isNominal() && r.nextInt(4) == 0) {
      for (int a = 0; a < data.numAttributes() - 1; a++) {
        if (data.attribute(a).isNumeric()) {
          data.setClassIndex(a);
          break;
        }
      }
    }
    // sometimes one numeric column (the class too) on an extreme scale, 1e-300 to 1e300
    if (r.nextInt(5) == 0) {
      int a = r.nextInt(data.numAttributes());
      double factor = Math.pow(10, (r.nextBoolean() ? 1 : -1) * (100 + r.nextInt(201)));
      if (data.attribute(a).isNumeric()) {
        for (int i = 0; i < data.numInstances(); i++) {
          data.instance(i).setValue(a, data.instance(i).value(a) * factor);
        }
        data.setRelationName(data.relationName() + "-attribute" + (a + 1) + "x" + factor);
      }
    }
    double missing = new double[] {0, 0, 0.05, 0.3, 0.8}[r.nextInt(5)];
    double missingClass = r.nextInt(4) == 0 ? 0.2 : 0;
    for (int i = 0; i < data.numInstances(); i++) {
      for (int a = 0; a < data.numAttributes(); a++) {
        double p = a == data.classIndex() ? missingClass : missing;
        if (r.nextDouble() < p) {
          data.instance(i).setMissing(a);
        }
      }
    }
    return data;
  }

  /** A random valid option combination, small enough to stay fast. */
  static String[] options(Random r) {
    List<String> o = new ArrayList<>();
    o.addAll(List.of("-H", "" + (1 + r.nextInt(12)), "-N", "" + (1 + r.nextInt(4))));
    o.addAll(List.of("-gamma", pick(r, "1e-6", "0.02", "0.3", "1")));
    o.addAll(List.of("-alpha", pick(r, "0", "1e-3", "0.1", "5")));
    o.addAll(List.of("-norm", pick(r, "L1", "L2")));
    o.addAll(List.of("-regularization", pick(r, "NM", "PLAIN", "NONE")));
    o.addAll(List.of("-structure", pick(r, "GRAPH", "DAG")));
    o.addAll(List.of("-activation", pick(r, "TANH", "SIGMOID", "RELU")));
    o.addAll(List.of("-L", pick(r, "1e-4", "0.005", "0.1", "1")));
    o.addAll(List.of("-mini-batch", pick(r, "1", "7", "32", "1000")));
    o.addAll(List.of("-V", pick(r, "0", "10", "50", "90")));
    o.addAll(List.of("-E", pick(r, "1", "3")));
    o.addAll(List.of("-S", "" + r.nextInt(1000)));
    o.addAll(List.of("-threads", pick(r, "1", "2")));
    o.addAll(List.of("-tol", pick(r, "1e-10", "1e-8", "1e-3")));
    o.addAll(List.of("-max-iter", pick(r, "1", "5", "50")));
    o.addAll(List.of("-batch-size", pick(r, "1", "3", "100")));
    return o.toArray(new String[0]);
  }

  private static String pick(Random r, String... values) {
    return values[r.nextInt(values.length)];
  }

  /** Rows with every value missing (to predict something when there were no training rows). */
  private static Instances withMissingRows(Instances header, int n) {
    Instances d = new Instances(header, 0);
    for (int i = 0; i < n; i++) {
      double[] v = new double[header.numAttributes()];
      java.util.Arrays.fill(v, Utils.missingValue());
      d.add(new weka.core.DenseInstance(1.0, v));
    }
    return d;
  }
}
