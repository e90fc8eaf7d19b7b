package org.neuralmodules.bench;

import java.io.File;
import weka.core.Instances;
import weka.core.converters.ConverterUtils.DataSource;
import weka.filters.Filter;
import weka.filters.supervised.instance.StratifiedRemoveFolds;
import weka.filters.unsupervised.attribute.Remove;

/**
 * The train/test protocols of the benchmark, built from the read-only .arff.gz files with Weka
 * filters so that every split can be recreated from the command line alone.
 *
 * <ul>
 *   <li>P1: test = StratifiedRemoveFolds -N 5 -F 1 -S seed, train = the same with -V.</li>
 *   <li>P2: gas_drift_with_batch, train = batches 1-5, test = batches 6-10, batch removed.</li>
 * </ul>
 */
public final class Protocols {
  private Protocols() {}

  /** A named train/test pair. */
  public record Split(String name, Instances train, Instances test) {}

  /** Folder with the datasets; -Dbench.data=... overrides it. */
  public static File dataDir() {
    return new File(System.getProperty("bench.data", "../shared/datasets"));
  }

  private static final java.util.Map<String, Instances> CACHE = new java.util.HashMap<>();

  /** Loads a dataset once per JVM (the filters below copy, never modify, what they are given). */
  public static synchronized Instances load(String file) throws Exception {
    Instances cached = CACHE.get(file);
    if (cached != null) {
      return cached;
    }
    File f = new File(dataDir(), file);
    if (!f.isFile()) {
      throw new IllegalArgumentException("Dataset " + f.getAbsolutePath() + " not found: pass "
          + "-Dbench.data=<folder with the .arff.gz files> (see /work/shared/datasets/README.md).");
    }
    Instances data = DataSource.read(f.getPath());
    data.setClassIndex(data.numAttributes() - 1);
    CACHE.put(file, data);
    return data;
  }

  /** P1: stratified 80/20 split with seed {@code seed}. */
  public static Split p1(String name, String file, int seed) throws Exception {
    Instances all = load(file);
    return new Split(name, fold(all, seed, true), fold(all, seed, false));
  }

  private static Instances fold(Instances all, int seed, boolean invert) throws Exception {
    return fold(all, 5, 1, seed, invert);
  }

  /** Fold f of Weka's StratifiedRemoveFolds -N folds -S seed, or (invert) every other fold. */
  private static Instances fold(Instances all, int folds, int f, int seed, boolean invert) throws Exception {
    StratifiedRemoveFolds filter = new StratifiedRemoveFolds();
    String n = Integer.toString(folds);
    String k = Integer.toString(f);
    String s = Integer.toString(seed);
    filter.setOptions(invert ? new String[] {"-N", n, "-F", k, "-S", s, "-V"} : new String[] {"-N", n, "-F", k, "-S", s});
    filter.setInputFormat(all);
    return Filter.useFilter(all, filter);
  }

  /** P2: gas drift over time, train on batches 1-5, test on 6-10; the batch attribute is removed. */
  public static Split p2() throws Exception {
    Instances all = load("gas_drift_with_batch.arff.gz");
    int batch = all.attribute("batch").index();
    Instances train = new Instances(all, 0);
    Instances test = new Instances(all, 0);
    for (int i = 0; i < all.numInstances(); i++) {
      double b = all.instance(i).value(batch);
      (b <= 5 ? train : test).add(all.instance(i));
    }
    Remove rm = new Remove();
    rm.setAttributeIndices(Integer.toString(batch + 1));
    rm.setInputFormat(all);
    Instances tr = Filter.useFilter(train, rm);
    Instances te = Filter.useFilter(test, rm);
    tr.setClassIndex(tr.numAttributes() - 1);
    te.setClassIndex(te.numAttributes() - 1);
    return new Split("gas P2", tr, te);
  }

  /**
   * Fold f (1-based) of a stratified k-fold cross-validation of rows: fit = the other k - 1 folds,
   * validation = fold f (Weka's StratifiedRemoveFolds, as every split here).
   */
  public static Split cvFold(Instances rows, String name, int folds, int f, int seed) throws Exception {
    return new Split(name + " cv" + f + "/" + folds, fold(rows, folds, f, seed, true), fold(rows, folds, f, seed, false));
  }

  /** Inner split of a training set (for tuning/sweeps): never touches the test rows. */
  public static Split inner(Split outer, int seed) throws Exception {
    return new Split(outer.name() + " inner", fold(outer.train(), seed, true), fold(outer.train(), seed, false));
  }

  /** By protocol key: codon, gas, gasP2, facebook; split seed 1. */
  public static Split byKey(String key) throws Exception {
    return byKey(key, 1);
  }

  /** By protocol key with the P1 split seed {@code seed} (P2 is one fixed split in time). */
  public static Split byKey(String key, int seed) throws Exception {
    return switch (key) {
      case "codon" -> p1("codon P1", "codon_usage.arff.gz", seed);
      case "gas" -> p1("gas P1", "gas_drift.arff.gz", seed);
      case "gasP2" -> p2();
      case "facebook" -> p1("facebook P1", "facebook_page_page.arff.gz", seed);
      default -> throw new IllegalArgumentException("Unknown protocol " + key
          + ": use codon, gas, gasP2 or facebook.");
    };
  }
}
