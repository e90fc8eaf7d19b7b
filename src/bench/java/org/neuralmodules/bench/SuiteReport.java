package org.neuralmodules.bench;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * Writes docs/suite.md from the suite CSV: mean ± sd tables with mean ranks, build times, and
 * NeuralModules' corrected paired t-tests against the baselines. Only rows of one commit are used, so a
 * resumed suite never mixes code versions in one table.
 */
final class SuiteReport {
  static final String NM = "NeuralModules";
  /** Baselines NeuralModules is t-tested against (those present). */
  static final List<String> VERSUS = List.of("MLP", "MLP -V 10 -E 20", "NM no graph", "RandomForest",
      "MLPClassifier");
  /** nTest / nTrain of the 80/20 outer split (Nadeau-Bengio variance correction). */
  static final double TEST_TRAIN = 0.25;
  static final double EPS = 1e-12;
  private static final int METRIC = 3;
  private static final int BUILD = 4;

  /** dataset -> method -> seed -> row; a later row of the commit replaces an earlier one. */
  private final Map<String, Map<String, TreeMap<Integer, String[]>>> runs = new LinkedHashMap<>();
  private final List<String> methods = new ArrayList<>();
  private final StringBuilder md = new StringBuilder();
  private boolean tuning;

  private SuiteReport() {}

  static void write(Suite.Csv csv, File out, String commit, String machine) throws Exception {
    write(csv, out, commit, machine, false);
  }

  /**
   * @param tuning rows of the "tune" task: configurations on the inner split of each outer training
   *               part (never an outer test row); the same tables under another title
   */
  static void write(Suite.Csv csv, File out, String commit, String machine, boolean tuning) throws Exception {
    SuiteReport r = new SuiteReport();
    r.tuning = tuning;
    List<String> unknown = new ArrayList<>();
    for (String[] row : csv.rows()) {
      if (row[7].equals(commit)) {
        r.runs.computeIfAbsent(row[0], k -> new LinkedHashMap<>()).computeIfAbsent(row[1], k -> new TreeMap<>())
            .put(Integer.parseInt(row[2]), row);
      }
    }
    // Column order: the harness' method order, then any other label in order of appearance.
    r.methods.addAll(SuiteTasks.METHODS.keySet());
    r.runs.values().forEach(m -> m.keySet().forEach(x -> { if (!r.methods.contains(x)) r.methods.add(x); }));
    r.methods.removeIf(m -> r.runs.values().stream().noneMatch(x -> x.containsKey(m)));
    List<String> cls = new ArrayList<>();
    List<String> reg = new ArrayList<>();
    List<Suite.DataSet> manifest = Suite.datasets();
    for (Suite.DataSet d : manifest) {
      if (r.runs.containsKey(d.name())) {
        (d.numeric() ? reg : cls).add(d.name());
      }
    }
    r.runs.keySet().stream().filter(d -> manifest.stream().noneMatch(x -> x.name().equals(d))).forEach(unknown::add);
    r.header(commit, machine, unknown);
    r.metricTable(tuning ? "Classification: inner-validation error (%)" : "Classification: test error (%)", cls,
        100, 2);
    r.metricTable("Regression: relative RMSE (RMSE / RMSE of the training mean)", reg, 1, 3);
    List<String> all = new ArrayList<>(cls);
    all.addAll(reg);
    r.buildTable(all);
    r.significance(all);
    out.getAbsoluteFile().getParentFile().mkdirs();
    Files.writeString(out.toPath(), r.md.toString(), StandardCharsets.UTF_8);
  }

  private void header(String commit, String machine, List<String> unknown) {
    TreeSet<Integer> seeds = new TreeSet<>();
    runs.values().forEach(m -> m.values().forEach(s -> seeds.addAll(s.keySet())));
    md.append(tuning ? "## Tuning round on commit `" + commit + "` (inner splits)\n\n" : "# Suite benchmark\n\n");
    if (tuning) {
      md.append(f("%s; written %s (UTC). From `docs/bench/tuning.csv` (rows of this commit). Each seed s: outer "
          + "train = `StratifiedRemoveFolds -N 5 -F 1 -S s -V` of the dataset, then fit = the same filter with -V "
          + "on the outer train and validation = its fold 1: **no outer test row is used**. Metric: error %% or "
          + "relative RMSE on the inner validation part. Reproduce: `-Dexec.args=\"tune configs=... seeds=3\"`."
          + "%n", machine, BenchMain.now()));
      return;
    }
    md.append(f("Commit `%s`; %s; written %s (UTC). Generated from `docs/bench/suite.csv` (only rows of this "
        + "commit) by the benchmark harness: **do not edit by hand**.%n%n", commit, machine, BenchMain.now()));
    md.append("Reproduce: `MAVEN_OPTS=-Xmx6g mvn -B -Pbench -DskipTests compile exec:java -Dexec.args=\"suite\"` "
        + "(quick profile: `-Dexec.args=\"suite-quick\"`). Runs already in the CSV for the same commit are "
        + "skipped, so an interrupted run resumes.\n\n");
    md.append(f("- Protocol: for each seed, test = `StratifiedRemoveFolds -N 5 -F 1 -S seed`, train = the same "
        + "with `-V` (80/20, stratified); seeds %s. Datasets: `shared/datasets/suite` (MANIFEST.tsv).%n",
        seeds.isEmpty() ? "none" : seeds.toString().replaceAll("[\\[\\]]", "")));
    md.append("- Metrics: classification = test error rate in %; regression = relative RMSE = test RMSE / RMSE "
        + "of predicting the training mean (below 1 beats the mean). Cells: mean ± sd over seeds; `(n=2)` = "
        + "fewer seeds than the dataset's other methods.\n");
    md.append("- A run that hit the time cap is marked † and excluded from that dataset's ranking, never ranked "
        + "last. Ranks: per dataset among methods with no capped run and all seeds, ties share the average "
        + "rank; the mean rank row gives the average and, in brackets, on how many datasets it was ranked.\n");
    if (!unknown.isEmpty()) {
      md.append("- Rows of datasets not in the manifest were ignored: ").append(String.join(", ", unknown))
          .append(".\n");
    }
    if (runs.isEmpty()) {
      md.append("\nNo rows for this commit yet.\n");
    }
  }

  private void metricTable(String title, List<String> ds, double scale, int decimals) {
    List<String> ms = present(ds);
    if (ds.isEmpty()) {
      return;
    }
    md.append("\n## ").append(title).append("\n\n");
    tableHead("dataset", ms);
    Map<String, double[]> rankSum = new LinkedHashMap<>(); // method -> {sum of ranks, datasets ranked}
    for (String d : ds) {
      md.append("| ").append(d);
      int all = seeds(d).size();
      for (String m : ms) {
        double[] x = col(d, m, METRIC);
        md.append(" | ").append(x.length == 0 ? "–" : f("%." + decimals + "f", scale * mean(x))
            + (x.length > 1 ? f(" ± %." + decimals + "f", scale * sd(x)) : "")
            + (x.length < all ? f(" (n=%d)", x.length) : "") + (capped(d, m) ? " †" : ""));
      }
      md.append(" |\n");
      // Only complete, uncapped methods are ranked: a capped run is unfinished, not worst.
      List<String> ok = ms.stream().filter(m -> !capped(d, m) && col(d, m, METRIC).length == all
          && all > 0).sorted((a, b) -> Double.compare(mean(col(d, a, METRIC)), mean(col(d, b, METRIC)))).toList();
      for (int i = 0, j; i < ok.size(); i = j + 1) {
        j = i;
        while (j + 1 < ok.size() && Math.abs(mean(col(d, ok.get(j + 1), METRIC)) - mean(col(d, ok.get(i), METRIC)))
            <= EPS) {
          j++;
        }
        for (int t = i; t <= j; t++) {
          double[] s = rankSum.computeIfAbsent(ok.get(t), k -> new double[2]);
          s[0] += (i + j) / 2.0 + 1;
          s[1]++;
        }
      }
    }
    md.append("| **mean rank**");
    for (String m : ms) {
      double[] s = rankSum.get(m);
      md.append(" | ").append(s == null ? "–" : f("%.2f (%d)", s[0] / s[1], (int) s[1]));
    }
    md.append(" |\n");
  }

  private void buildTable(List<String> ds) {
    List<String> ms = present(ds);
    boolean ratio = ms.contains(NM) && ms.contains("MLP");
    if (ds.isEmpty()) {
      return;
    }
    md.append("\n## Build time (s, mean over seeds)\n\nTraining time only (scoring excluded), on the machine "
        + "above; † = capped.");
    md.append(ratio ? " The last column is NeuralModules / MLP.\n\n" : "\n\n");
    List<String> cols = new ArrayList<>(ms);
    if (ratio) {
      cols.add("NM / MLP");
    }
    tableHead("dataset", cols);
    double[] total = new double[ms.size()];
    double nmBoth = 0;
    double mlpBoth = 0; // totals over datasets with both, so the ratio compares like with like
    for (String d : ds) {
      md.append("| ").append(d);
      for (int i = 0; i < ms.size(); i++) {
        double[] x = col(d, ms.get(i), BUILD);
        total[i] += x.length == 0 ? 0 : mean(x);
        md.append(" | ").append(x.length == 0 ? "–" : f("%.2f", mean(x)) + (capped(d, ms.get(i)) ? " †" : ""));
      }
      if (ratio) {
        double[] a = col(d, NM, BUILD);
        double[] b = col(d, "MLP", BUILD);
        boolean both = a.length > 0 && b.length > 0;
        nmBoth += both ? mean(a) : 0;
        mlpBoth += both ? mean(b) : 0;
        md.append(" | ").append(both ? f("%.2f", mean(a) / mean(b)) : "–");
      }
      md.append(" |\n");
    }
    md.append("| **total**");
    Arrays.stream(total).forEach(t -> md.append(f(" | %.1f", t)));
    md.append(ratio ? f(" | %.2f |%n", nmBoth / mlpBoth) : " |\n");
  }

  /** One paired comparison NeuralModules - other over the seeds both have (negative = NM better). */
  private record Test(int k, double meanDiff, double p, String verdict, boolean capped) {}

  private Test test(String d, String other) {
    TreeMap<Integer, String[]> a = cell(d, NM);
    TreeMap<Integer, String[]> b = cell(d, other);
    double[] diff = a.keySet().stream().filter(b::containsKey).mapToDouble(s -> Double.parseDouble(a.get(s)[METRIC])
        - Double.parseDouble(b.get(s)[METRIC])).toArray();
    int k = diff.length;
    boolean capped = capped(d, NM) || capped(d, other);
    if (k < 2) {
      return new Test(k, k == 0 ? Double.NaN : diff[0], Double.NaN, "n/a", capped);
    }
    double m = mean(diff);
    double v = sd(diff) * sd(diff);
    double p;
    if (v <= 1e-24) { // identical differences: any nonzero shift is as significant as it gets
      p = Math.abs(m) > EPS ? 0 : 1;
    } else {
      double t = m / Math.sqrt((1.0 / k + TEST_TRAIN) * v);
      p = 2 * new TDistribution(k - 1).cumulativeProbability(-Math.abs(t));
    }
    return new Test(k, m, p, p < 0.05 ? (m < 0 ? "better" : "worse") : "=", capped);
  }

  private void significance(List<String> ds) {
    List<String> vs = VERSUS.stream().filter(methods::contains).toList();
    if (!methods.contains(NM) || vs.isEmpty() || ds.isEmpty()) {
      return;
    }
    md.append("\n## Significance: NeuralModules against each baseline\n\n");
    md.append("Weka's paired corrected t-test (Nadeau & Bengio): d = metric(NeuralModules) − metric(baseline) "
        + "per seed, t = mean(d) / sqrt((1/k + nTest/nTrain) · var(d)) with nTest/nTrain = 0.25, var with k−1, "
        + "two-sided, df = k−1, 5% level. **better** = NeuralModules significantly lower error / relative RMSE. "
        + "k = paired seeds; n/a = only one paired seed; – = one of the two did not run; † = a capped run is involved (the test still uses it).\n\n");
    tableHead("dataset", vs.stream().map(v -> "vs " + v).toList());
    Map<String, int[]> count = new LinkedHashMap<>(); // wins, ties, losses, n/a
    int minK = Integer.MAX_VALUE;
    int maxK = 0;
    for (String d : ds) {
      md.append("| ").append(d);
      for (String v : vs) {
        Test t = test(d, v);
        int[] c = count.computeIfAbsent(v, x -> new int[4]);
        if (t.k() == 0) { // one of the two did not run here: nothing to compare, nothing to count
          md.append(" | –");
          continue;
        }
        c[switch (t.verdict()) { case "better" -> 0; case "=" -> 1; case "worse" -> 2; default -> 3; }]++;
        minK = t.k() > 1 ? Math.min(minK, t.k()) : minK;
        maxK = Math.max(maxK, t.k());
        md.append(" | ").append(t.k() < 2 ? "n/a (k=1)" : f("%s (p%s, k=%d)", t.verdict(),
            t.p() < 0.001 ? "<0.001" : f("=%.3f", t.p()), t.k())).append(t.capped() ? " †" : "");
      }
      md.append(" |\n");
    }
    md.append("\nWins / ties / losses of NeuralModules (datasets):\n\n");
    count.forEach((v, c) -> md.append(f("- vs %s: %d / %d / %d%s%n", v, c[0], c[1], c[2],
        c[3] > 0 ? f(" (%d with one seed, not testable)", c[3]) : "")));
    if (minK < 5) { // also skipped when nothing was testable (minK stays MAX_VALUE)
      md.append(f("%nWith k = %s paired seeds (fewer than 5) the test is weak (df = k−1, and the correction "
          + "inflates the variance): \"=\" means not enough evidence, not equivalence. Run with `seeds=5` or more "
          + "for a usable test.%n", minK == maxK ? "" + minK : minK + "–" + maxK));
    }
    if (vs.contains("NM no graph")) {
      int[] byMean = new int[3];
      List<String> sig = new ArrayList<>();
      for (String d : ds) {
        Test t = test(d, "NM no graph");
        if (t.k() > 0) {
          byMean[Math.abs(t.meanDiff()) <= EPS ? 1 : t.meanDiff() < 0 ? 0 : 2]++;
        }
        if (!t.verdict().equals("=") && !t.verdict().equals("n/a")) {
          sig.add(d + " (" + t.verdict() + ")");
        }
      }
      int[] c = count.get("NM no graph");
      md.append(f("%n## No-graph ablation%n%nNeuralModules against the same recipe without the module graph "
          + "(`-structure NONE`), on the datasets where both ran: by mean metric over the paired seeds it is lower "
          + "on %d, equal on %d and higher on %d of %d datasets; by the corrected t-test at 5%% it is better on %d, "
          + "not different on %d and worse on %d%s.%s%n", byMean[0], byMean[1], byMean[2],
          byMean[0] + byMean[1] + byMean[2], c[0], c[1], c[2], c[3] > 0 ? f(" (%d not testable)", c[3]) : "",
          sig.isEmpty() ? "" : " Significant: " + String.join(", ", sig) + "."));
    }
  }

  // ------------------------------------------------------------------ helpers

  private List<String> present(List<String> ds) {
    return methods.stream().filter(m -> ds.stream().anyMatch(d -> !cell(d, m).isEmpty())).toList();
  }

  private TreeMap<Integer, String[]> cell(String d, String m) {
    return runs.getOrDefault(d, Map.of()).getOrDefault(m, new TreeMap<>());
  }

  private TreeSet<Integer> seeds(String d) {
    TreeSet<Integer> s = new TreeSet<>();
    runs.getOrDefault(d, Map.of()).values().forEach(x -> s.addAll(x.keySet()));
    return s;
  }

  private double[] col(String d, String m, int c) {
    return cell(d, m).values().stream().mapToDouble(r -> Double.parseDouble(r[c])).toArray();
  }

  private boolean capped(String d, String m) {
    return cell(d, m).values().stream().anyMatch(r -> r[5].equals("true"));
  }

  private void tableHead(String first, List<String> cols) {
    md.append("| ").append(first).append(" | ").append(String.join(" | ", cols)).append(" |\n|---");
    cols.forEach(c -> md.append("|---:"));
    md.append("|\n");
  }

  static double mean(double[] x) {
    return Arrays.stream(x).sum() / x.length;
  }

  /** Sample standard deviation (k-1); 0 for a single value. */
  static double sd(double[] x) {
    double m = mean(x);
    return x.length < 2 ? 0 : Math.sqrt(Arrays.stream(x).map(v -> (v - m) * (v - m)).sum() / (x.length - 1));
  }

  private static String f(String fmt, Object... a) {
    return String.format(Locale.ROOT, fmt, a);
  }
}
