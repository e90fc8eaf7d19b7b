package org.neuralmodules.bench;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import weka.classifiers.AbstractClassifier;
import weka.classifiers.Classifier;
import weka.classifiers.evaluation.Evaluation;
import weka.core.Attribute;
import weka.core.Instances;
import weka.core.SparseInstance;
import weka.core.Utils;

/**
 * Sparse data (issue 13): the paper's Facebook page-page protocol (F.2, P1 split) against the
 * classifiers a Weka user would try on sparse data, with build time and peak heap; and prediction
 * of a million generated sparse rows under a small heap.
 */
final class SparseTasks {
  private SparseTasks() {}

  static final Map<String, String[]> FACEBOOK_METHODS = new LinkedHashMap<>();

  static {
    FACEBOOK_METHODS.put("NeuralModules", new String[] {SuiteTasks.NM, ""});
    FACEBOOK_METHODS.put("NM no graph", new String[] {SuiteTasks.NM, "-structure NONE"});
    FACEBOOK_METHODS.put("SMO", new String[] {"weka.classifiers.functions.SMO", ""});
    FACEBOOK_METHODS.put("NaiveBayesMultinomial", new String[] {"weka.classifiers.bayes.NaiveBayesMultinomial", ""});
    FACEBOOK_METHODS.put("RandomForest", new String[] {"weka.classifiers.trees.RandomForest", "-I 100"});
    FACEBOOK_METHODS.put("Logistic (capped)", new String[] {"weka.classifiers.functions.Logistic", "-M 20"});
    FACEBOOK_METHODS.put("MLP (capped)", new String[] {"weka.classifiers.functions.MultilayerPerceptron",
        "-H 100 -N 10"});
  }

  /** {@code facebook methods=a,b seeds=1}: one CSV row per run in docs/bench/facebook.csv. */
  static void facebook(Map<String, String> o, File docs, String commit) throws Exception {
    List<String> methods = List.of(o.getOrDefault("methods", String.join(",", FACEBOOK_METHODS.keySet())).split(","));
    int seeds = Integer.parseInt(o.getOrDefault("seeds", "1"));
    File csv = new File(docs, "bench/facebook.csv");
    csv.getParentFile().mkdirs();
    if (!csv.isFile()) {
      Files.writeString(csv.toPath(), "method,options,seed,commit,error,build_s,peak_heap_mb,max_heap_mb\n",
          StandardCharsets.UTF_8);
    }
    for (int seed = 1; seed <= seeds; seed++) {
      Protocols.Split split = Protocols.p1("facebook P1", "facebook_page_page.arff.gz", seed);
      System.out.printf(Locale.ROOT, "facebook P1 seed %d: %d train, %d test rows, %d attributes%n", seed,
          split.train().numInstances(), split.test().numInstances(), split.train().numAttributes());
      for (String label : methods) {
        String[] m = FACEBOOK_METHODS.get(label.trim());
        if (m == null) {
          throw new IllegalArgumentException("Unknown method " + label + ": use " + FACEBOOK_METHODS.keySet());
        }
        String opts = m[1] + (m[0].equals(SuiteTasks.NM) ? " -S " + seed : "");
        Classifier c = AbstractClassifier.forName(m[0], Utils.splitOptions(opts));
        System.gc();
        HeapWatch heap = HeapWatch.start();
        long t0 = System.nanoTime();
        c.buildClassifier(split.train());
        double secs = (System.nanoTime() - t0) / 1e9;
        long peak = heap.stop();
        Evaluation ev = new Evaluation(split.train());
        ev.evaluateModel(c, split.test());
        String row = String.format(Locale.ROOT, "%s,\"%s\",%d,%s,%.6f,%.2f,%.0f,%d%n", label.trim(), opts.trim(), seed,
            commit, ev.errorRate(), secs, peak / 1048576.0, Runtime.getRuntime().maxMemory() >> 20);
        System.out.print("  " + row);
        Files.writeString(csv.toPath(), row, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
      }
    }
  }

  /**
   * {@code predict-million rows=1000000 attributes=5000}: trains defaults on 2,000 generated sparse
   * rows, then predicts {@code rows} more, generated in chunks so that the data, not the
   * classifier, is what has to fit.
   */
  static void predictMillion(Map<String, String> o) throws Exception {
    int rows = Integer.parseInt(o.getOrDefault("rows", "1000000"));
    int atts = Integer.parseInt(o.getOrDefault("attributes", "5000"));
    int chunk = Integer.parseInt(o.getOrDefault("chunk", "1000000"));
    Instances header = header(atts);
    Random r = new Random(1);
    Instances train = generate(header, 2000, r);
    Classifier nm = AbstractClassifier.forName(SuiteTasks.NM, Utils.splitOptions(o.getOrDefault("options", "")));
    nm.buildClassifier(train);
    long t0 = System.nanoTime();
    long right = 0;
    for (int done = 0; done < rows; done += chunk) {
      Instances test = generate(header, Math.min(chunk, rows - done), r);
      double[][] p = ((AbstractClassifier) nm).distributionsForInstances(test);
      for (int i = 0; i < p.length; i++) {
        right += Utils.maxIndex(p[i]) == (int) test.instance(i).classValue() ? 1 : 0;
      }
    }
    System.out.printf(Locale.ROOT, "predicted %d sparse rows of %d attributes in %.1f s with -Xmx%dm: accuracy %.4f%n",
        rows, atts, (System.nanoTime() - t0) / 1e9, Runtime.getRuntime().maxMemory() >> 20, right / (double) rows);
  }

  private static Instances header(int atts) {
    ArrayList<Attribute> a = new ArrayList<>();
    for (int j = 0; j < atts; j++) {
      a.add(new Attribute("w" + j));
    }
    a.add(new Attribute("class", List.of("a", "b")));
    Instances h = new Instances("sparse-generated", a, 0);
    h.setClassIndex(atts);
    return h;
  }

  /** Ten ones a row; a row of class "b" has three of them among the first 50 attributes. */
  private static Instances generate(Instances header, int n, Random r) {
    int atts = header.numAttributes() - 1;
    Instances d = new Instances(header, n);
    for (int i = 0; i < n; i++) {
      boolean b = r.nextBoolean();
      java.util.TreeSet<Integer> idx = new java.util.TreeSet<>();
      while (b && idx.size() < 3) {
        idx.add(r.nextInt(50));
      }
      while (idx.size() < 10) {
        idx.add(50 + r.nextInt(atts - 50));
      }
      int[] ind = new int[idx.size() + 1];
      double[] val = new double[idx.size() + 1];
      int k = 0;
      for (int j : idx) {
        ind[k] = j;
        val[k++] = 1;
      }
      ind[k] = atts;
      val[k] = b ? 1 : 0;
      if (!b) { // class value 0 is not stored in a sparse row
        ind = java.util.Arrays.copyOf(ind, k);
        val = java.util.Arrays.copyOf(val, k);
      }
      SparseInstance inst = new SparseInstance(1.0, val, ind, atts + 1);
      d.add(inst);
    }
    return d;
  }
}
