package org.neuralmodules.bench;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import weka.classifiers.AbstractClassifier;
import weka.classifiers.Classifier;
import weka.classifiers.Evaluation;
import weka.classifiers.IterativeClassifier;
import weka.classifiers.functions.NeuralModules;
import weka.core.Instances;
import weka.core.Utils;

/**
 * The tabular suite (../shared/datasets/suite, MANIFEST.tsv): datasets, their outer and inner
 * splits, and one measured run. Outer split = Protocols' P1 rule (StratifiedRemoveFolds -N 5 -F 1
 * -S seed, train = the -V part); inner split = the same rule applied to the outer training part,
 * so tuning never sees an outer test row.
 */
public final class Suite {
  private Suite() {}

  /** One dataset of the manifest. */
  public record DataSet(String name, String file, boolean numeric, int rows, int attributes) {}

  /** One measured run; metric = error rate (classification) or RMSE / RMSE of the training mean. */
  public record Run(String dataset, String method, int seed, double metric, double buildSeconds, boolean capped,
      int epochs, String note) {}

  public static List<DataSet> datasets() throws IOException {
    File manifest = new File(new File(Protocols.dataDir(), "suite"), "MANIFEST.tsv");
    List<DataSet> out = new ArrayList<>();
    List<String> lines = Files.readAllLines(manifest.toPath(), StandardCharsets.UTF_8);
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split("\t");
      if (f.length < 7) {
        continue;
      }
      out.add(new DataSet(f[0].replace(".arff.gz", ""), f[0], f[1].equals("regression"), Integer.parseInt(f[2]),
          Integer.parseInt(f[3])));
    }
    return out;
  }

  /** Datasets whose name is in the comma list (all for "all"), in manifest order. */
  public static List<DataSet> select(String names) throws IOException {
    List<DataSet> all = datasets();
    if (names.equals("all")) {
      return all;
    }
    List<String> want = List.of(names.split(","));
    List<DataSet> out = new ArrayList<>();
    for (DataSet d : all) {
      if (want.contains(d.name())) {
        out.add(d);
      }
    }
    if (out.size() != want.size()) {
      throw new IllegalArgumentException("Unknown dataset in " + names + "; known: " + all.stream().map(DataSet::name)
          .toList());
    }
    return out;
  }

  public static Protocols.Split outer(DataSet d, int seed) throws Exception {
    return Protocols.p1(d.name(), "suite/" + d.file(), seed);
  }

  public static Protocols.Split inner(DataSet d, int seed) throws Exception {
    return Protocols.inner(outer(d, seed), seed);
  }

  /**
   * Builds {@code className options} on split.train() and scores it on split.test(). Iterative
   * classifiers are trained one iteration at a time and stopped at {@code capSeconds} (then marked
   * capped); the rest are built in one call.
   */
  public static Run run(DataSet d, Protocols.Split split, int seed, String method, String className, String options,
      double capSeconds) throws Exception {
    Classifier c = AbstractClassifier.forName(className, Utils.splitOptions(options));
    if (c instanceof NeuralModules nm) {
      nm.setSeed(seed);
    }
    long t0 = System.nanoTime();
    boolean capped = false;
    int epochs = 0;
    if (c instanceof IterativeClassifier it && !(className.contains("RandomForest"))) {
      it.initializeClassifier(split.train());
      while (it.next()) {
        epochs++;
        if ((System.nanoTime() - t0) / 1e9 > capSeconds) {
          capped = true;
          break;
        }
      }
      it.done();
    } else {
      c.buildClassifier(split.train());
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    Evaluation ev = new Evaluation(split.train());
    ev.evaluateModel(c, split.test());
    double metric = d.numeric() ? ev.rootRelativeSquaredError() / 100.0 : ev.errorRate();
    String note = "";
    if (c instanceof NeuralModules nm && nm.getModel() != null) {
      var r = nm.getModel().report();
      epochs = r.epochsRun;
      note = String.format(Locale.ROOT, "best %d, %s, modules %d largest %d", r.bestEpoch, r.stopReason,
          nm.getModel().plan().moduleCount, nm.getModel().plan().largestModule());
    }
    return new Run(d.name(), method, seed, metric, secs, capped, epochs, note);
  }

  /** CSV of runs: appended row by row, so an interrupted task keeps what it measured. */
  public static final class Csv {
    static final String HEADER = "dataset,method,seed,metric,build_s,capped,epochs,commit,options,note";
    private final File file;

    public Csv(File file) throws IOException {
      this.file = file;
      file.getParentFile().mkdirs();
      if (!file.isFile()) {
        Files.writeString(file.toPath(), HEADER + "\n", StandardCharsets.UTF_8);
      }
    }

    public void append(Run r, String options) throws IOException {
      String line = String.join(",", r.dataset(), r.method(), Integer.toString(r.seed()),
          String.format(Locale.ROOT, "%.6f", r.metric()), String.format(Locale.ROOT, "%.3f", r.buildSeconds()),
          Boolean.toString(r.capped()), Integer.toString(r.epochs()), BenchMain.commit(),
          "\"" + options + "\"", "\"" + r.note().replace('"', '\'') + "\"") + "\n";
      Files.writeString(file.toPath(), line, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    /** Rows as string fields (options and note unquoted). */
    public List<String[]> rows() throws IOException {
      List<String[]> out = new ArrayList<>();
      List<String> lines = Files.readAllLines(file.toPath(), StandardCharsets.UTF_8);
      for (String line : lines.subList(1, lines.size())) {
        int q = line.indexOf(",\"");
        String[] head = line.substring(0, q).split(",", -1);
        String rest = line.substring(q + 2);
        int q2 = rest.indexOf("\",\"");
        String[] row = new String[10];
        System.arraycopy(head, 0, row, 0, 8);
        row[8] = rest.substring(0, q2);
        row[9] = rest.substring(q2 + 3, rest.length() - 1);
        out.add(row);
      }
      return out;
    }

    public boolean has(String dataset, String method, int seed, String commit) throws IOException {
      for (String[] r : rows()) {
        if (r[0].equals(dataset) && r[1].equals(method) && r[2].equals(Integer.toString(seed)) && r[7].equals(commit)) {
          return true;
        }
      }
      return false;
    }
  }
}
