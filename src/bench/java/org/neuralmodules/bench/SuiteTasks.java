package org.neuralmodules.bench;

import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The "tune" and "suite" tasks of the harness (issue 9).
 *
 * <ul>
 *   <li>tune: NeuralModules recipes (label:options;label:options) on the inner split of each suite
 *       dataset's outer training part, seeds 1..k; rows to docs/bench/tuning.csv.</li>
 *   <li>suite: every method of {@link #METHODS} on the outer splits; rows to docs/bench/suite.csv,
 *       the table to docs/suite.md ({@link SuiteReport}).</li>
 * </ul>
 * Both skip a (dataset, method, seed) already measured on the same commit, so they resume.
 */
public final class SuiteTasks {
  private SuiteTasks() {}

  static final String NM = "weka.classifiers.functions.NeuralModules";

  /** The quick profile's datasets: the suite's small ones, classification and regression. */
  static final String QUICK_DATASETS = "promotergene,ad_data,penguins,musk,meats_fat,sacramento,concrete";

  /** Method label -> {class name for classification, class name for regression, options}. */
  static final Map<String, String[]> METHODS = new LinkedHashMap<>();

  static {
    METHODS.put("NeuralModules", new String[] {NM, NM, ""});
    METHODS.put("NM no graph", new String[] {NM, NM, "-structure NONE"});
    METHODS.put("NM PLAIN", new String[] {NM, NM, "-regularization PLAIN"});
    METHODS.put("NM DEQ", new String[] {NM, NM, "-gamma 1 -regularization NONE"});
    METHODS.put("MLP", new String[] {"weka.classifiers.functions.MultilayerPerceptron",
        "weka.classifiers.functions.MultilayerPerceptron", "-H 100"});
    METHODS.put("MLP -V 10 -E 20", new String[] {"weka.classifiers.functions.MultilayerPerceptron",
        "weka.classifiers.functions.MultilayerPerceptron", "-H 100 -V 10 -E 20"});
    // MLPClassifier's own defaults (2 hidden units, ridge 0.01, BFGS): BFGS keeps a dense
    // (parameters x parameters) matrix, so -N 100 needs 4 GB on promotergene's 228 inputs and more
    // than the heap on wider data (OutOfMemoryError measured)
    METHODS.put("MLPClassifier", new String[] {"weka.classifiers.functions.MLPClassifier",
        "weka.classifiers.functions.MLPRegressor", ""});
    METHODS.put("RandomForest", new String[] {"weka.classifiers.trees.RandomForest",
        "weka.classifiers.trees.RandomForest", "-I 100"});
    METHODS.put("Logistic/LinReg", new String[] {"weka.classifiers.functions.Logistic",
        "weka.classifiers.functions.LinearRegression", ""});
    METHODS.put("SMO/SMOreg", new String[] {"weka.classifiers.functions.SMO", "weka.classifiers.functions.SMOreg",
        ""});
  }

  /** tune configs="a:-opts;b:-opts" datasets=all seeds=3 cap=600 */
  static void tune(Map<String, String> o, File docs) throws Exception {
    Suite.Csv csv = new Suite.Csv(new File(docs, "bench/tuning.csv"));
    Map<String, String> configs = new LinkedHashMap<>();
    for (String part : o.getOrDefault("configs", "defaults:").split(";")) {
      int c = part.indexOf(':');
      configs.put(part.substring(0, c).trim(), part.substring(c + 1).trim());
    }
    int seeds = Integer.parseInt(o.getOrDefault("seeds", "3"));
    double cap = Double.parseDouble(o.getOrDefault("cap", "600"));
    // folds=k: k-fold cross-validation of the outer training part instead of one inner split
    // (small sets: a 20% inner split of 85 rows scores 17 rows, one row = 6 points of error)
    int folds = Integer.parseInt(o.getOrDefault("folds", "0"));
    for (Suite.DataSet d : Suite.select(o.getOrDefault("datasets", "all"))) {
      for (int seed = 1; seed <= seeds; seed++) {
        for (Map.Entry<String, String> cfg : configs.entrySet()) {
          String label = folds > 0 ? cfg.getKey() + " cv" + folds : cfg.getKey();
          if (csv.has(d.name(), label, seed, BenchMain.commit())) {
            continue;
          }
          // a config whose options start with a class name runs that classifier (a reference)
          String cls = NM;
          String opts = cfg.getValue();
          if (opts.startsWith("weka.")) {
            int sp = opts.indexOf(' ');
            cls = sp < 0 ? opts : opts.substring(0, sp);
            opts = sp < 0 ? "" : opts.substring(sp + 1).trim();
          }
          Suite.Run r = folds > 0 ? crossValidate(d, seed, label, cls, opts, folds, cap)
              : Suite.run(d, Suite.inner(d, seed), seed, label, cls, opts, cap);
          csv.append(r, cfg.getValue());
          print(r);
        }
      }
    }
  }

  /**
   * k-fold cross-validation on the outer training part of seed: metric = mean over folds (error
   * rate, or relative RMSE), build time summed; capped if any fold was.
   */
  static Suite.Run crossValidate(Suite.DataSet d, int seed, String label, String cls, String opts, int folds,
      double cap) throws Exception {
    weka.core.Instances train = Suite.outer(d, seed).train();
    double metric = 0;
    double secs = 0;
    boolean capped = false;
    int epochs = 0;
    for (int f = 1; f <= folds; f++) {
      Protocols.Split s = Protocols.cvFold(train, d.name(), folds, f, seed);
      Suite.Run r = Suite.run(d, s, seed, label, cls, opts, cap);
      metric += r.metric() / folds;
      secs += r.buildSeconds();
      capped |= r.capped();
      epochs += r.epochs();
    }
    return new Suite.Run(d.name(), label, seed, metric, secs, capped, epochs / folds,
        String.format(Locale.ROOT, "%d-fold CV of the outer training part, mean epochs", folds));
  }

  /** suite datasets=all seeds=3 methods=all cap=900 capDEQ=<cap> */
  static void suite(Map<String, String> o, File docs) throws Exception {
    Suite.Csv csv = new Suite.Csv(new File(docs, "bench/suite.csv"));
    int seeds = Integer.parseInt(o.getOrDefault("seeds", "3"));
    double cap = Double.parseDouble(o.getOrDefault("cap", "900"));
    // DEQ solves one dense 100-node system per row with Newton + LU: 20x the default's cost
    double capDeq = Double.parseDouble(o.getOrDefault("capDEQ", Double.toString(cap)));
    List<String> methods = new ArrayList<>(METHODS.keySet());
    if (o.containsKey("methods")) {
      methods = List.of(o.get("methods").split(","));
    }
    for (Suite.DataSet d : Suite.select(o.getOrDefault("datasets", "all"))) {
      for (int seed = 1; seed <= seeds; seed++) {
        Protocols.Split split = Suite.outer(d, seed);
        for (String m : methods) {
          String[] spec = METHODS.get(m);
          if (spec == null) {
            throw new IllegalArgumentException("Unknown method " + m + "; known: " + METHODS.keySet());
          }
          if (csv.has(d.name(), m, seed, BenchMain.commit())) {
            continue;
          }
          Suite.Run r = Suite.run(d, split, seed, m, d.numeric() ? spec[1] : spec[0], spec[2],
              m.equals("NM DEQ") ? capDeq : cap);
          csv.append(r, spec[2]);
          print(r);
        }
      }
    }
    SuiteReport.write(csv, new File(docs, "suite.md"), BenchMain.commit(), BenchMain.machine());
  }

  private static void print(Suite.Run r) {
    System.out.printf(Locale.ROOT, "  %-14s s%d %-22s %7.4f  %8.2f s  %4d ep%s  %s%n", r.dataset(), r.seed(),
        r.method(), r.metric(), r.buildSeconds(), r.epochs(), r.capped() ? " CAPPED" : "", r.note());
  }
}
