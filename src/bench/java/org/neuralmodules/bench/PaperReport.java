package org.neuralmodules.bench;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import weka.experiment.PairedStats;
import weka.experiment.PairedStatsCorrected;

/**
 * docs/paper-tables.md and its figures (issue 10), from the rows of one commit in
 * docs/bench/tables.csv: "What reproduces" first, then mean ± sd tables with Weka's paired
 * corrected t-test of NMs&NM against every other method.
 */
final class PaperReport {
  static final String[] PROTOCOLS = {"codon P1", "gas P1", "gas P2"};
  static final Method[] ORDER = {Method.MLP, Method.DEQ, Method.DAG, Method.DAG_NM, Method.NMS, Method.NMS_L1,
      Method.NMS_NM, Method.NMS_NM_PAPER, Method.NO_GRAPH, Method.MLP_WEKA};
  static final double SIG = 0.05;
  /** P1 holds out 1 of 5 stratified folds: n_test / n_train of the Nadeau-Bengio correction. */
  static final double P1_TEST_TRAIN_RATIO = 0.25;

  private final List<TablesCsv.Row> rows;
  private final List<TablesCsv.Tuning> tunings;
  private final String commit;
  private final File docs;

  private PaperReport(List<TablesCsv.Row> rows, List<TablesCsv.Tuning> tunings, String commit, File docs) {
    this.rows = rows;
    this.tunings = tunings;
    this.commit = commit;
    this.docs = docs;
  }

  /** Writes the report for {@code commit}, or for the commit with the most rows when it is null. */
  static void write(File docs, String commit) throws IOException {
    List<TablesCsv.Row> all = TablesCsv.rows(new File(docs, "bench/tables.csv"));
    if (commit == null) {
      commit = all.stream().collect(Collectors.groupingBy(TablesCsv.Row::commit, Collectors.counting())).entrySet()
          .stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse("none");
    }
    String c = commit;
    List<TablesCsv.Tuning> tu = TablesCsv.tunings(new File(docs, "bench/tables-tuning.csv")).stream()
        .filter(t -> t.commit().equals(c)).toList();
    new PaperReport(all.stream().filter(r -> r.commit().equals(c)).toList(), tu, c, docs).write();
  }

  // ------------------------------------------------------------------ cells and tests

  private List<TablesCsv.Row> cell(String proto, Method m, int p) {
    return rows.stream().filter(r -> r.protocol().equals(proto) && r.method().equals(m.label) && r.nodes() == p)
        .sorted((a, b) -> Integer.compare(a.seed(), b.seed())).toList();
  }

  private TreeSet<Integer> nodes() {
    TreeSet<Integer> s = new TreeSet<>();
    rows.forEach(r -> s.add(r.nodes()));
    return s;
  }

  static double mean(List<TablesCsv.Row> c, ToDoubleFunction<TablesCsv.Row> f) {
    return c.stream().mapToDouble(f).average().orElse(Double.NaN);
  }

  static double sd(List<TablesCsv.Row> c, ToDoubleFunction<TablesCsv.Row> f) {
    if (c.size() < 2) {
      return Double.NaN;
    }
    double m = mean(c, f);
    return Math.sqrt(c.stream().mapToDouble(r -> (f.applyAsDouble(r) - m) * (f.applyAsDouble(r) - m)).sum()
        / (c.size() - 1));
  }

  /**
   * A paired comparison x - y over the seeds both cells have. Below {@link #MIN_PAIRS} pairs no
   * test is made: with two pairs, two equal differences give a zero variance and p = 0.
   */
  record Test(int n, double meanX, double meanY, double p) {
    static final int MIN_PAIRS = 3;

    boolean tested() {
      return n >= MIN_PAIRS && !Double.isNaN(p);
    }

    boolean xBetter() {
      return tested() && p < SIG && meanX < meanY;
    }

    boolean xWorse() {
      return tested() && p < SIG && meanX > meanY;
    }

    String pText() {
      return !tested() ? "–" : p < 0.001 ? "<0.001" : String.format(Locale.ROOT, "%.3f", p);
    }
  }

  /**
   * Weka's Experimenter statistic: the paired t-test corrected for overlapping training sets
   * (Nadeau and Bengio) where the seed changes the split (P1), the plain paired t-test where the
   * split is fixed and only the training seed changes (P2).
   */
  static Test paired(String proto, List<TablesCsv.Row> x, List<TablesCsv.Row> y, ToDoubleFunction<TablesCsv.Row> f) {
    Map<Integer, TablesCsv.Row> ys = new TreeMap<>();
    y.forEach(r -> ys.put(r.seed(), r));
    PairedStats st = proto.endsWith("P2") ? new PairedStats(SIG) : new PairedStatsCorrected(SIG, P1_TEST_TRAIN_RATIO);
    int n = 0;
    double sx = 0;
    double sy = 0;
    for (TablesCsv.Row rx : x) {
      TablesCsv.Row ry = ys.get(rx.seed());
      if (ry != null) {
        st.add(f.applyAsDouble(rx), f.applyAsDouble(ry));
        sx += f.applyAsDouble(rx);
        sy += f.applyAsDouble(ry);
        n++;
      }
    }
    if (n < 2) {
      return new Test(n, n == 0 ? Double.NaN : sx / n, n == 0 ? Double.NaN : sy / n, Double.NaN);
    }
    st.calculateDerived();
    return new Test(n, sx / n, sy / n, st.differencesProbability);
  }

  private Test vsNm(String proto, Method other, int p, ToDoubleFunction<TablesCsv.Row> f) {
    return paired(proto, cell(proto, Method.NMS_NM, p), cell(proto, other, p), f);
  }

  // ------------------------------------------------------------------ report

  private void write() throws IOException {
    File img = new File(docs, "img");
    img.mkdirs();
    StringBuilder md = new StringBuilder("# The paper's Tables 1-2, five seeds, one commit\n\n");
    md.append("Generated from `docs/bench/tables.csv` (one row per run) by the benchmark harness: **do not edit by "
        + "hand**. Every number below comes from the rows of commit `" + commit + "` (" + rows.size()
        + " runs; " + tunings.size() + " tuning runs in `docs/bench/tables-tuning.csv`). Regenerate with "
        + "`BenchMain paper-report` (docs/benchmarks.md).\n\n");
    whatReproduces(md);
    setup(md);
    for (String proto : PROTOCOLS) {
      if (rows.stream().anyMatch(r -> r.protocol().equals(proto))) {
        protocolSection(md, proto);
      }
    }
    tuningSection(md);
    figures(md, img);
    remaining(md);
    md.append(facebookSection(new File(docs, "bench/facebook.csv")));
    Files.writeString(new File(docs, "paper-tables.md").toPath(), md.toString(), StandardCharsets.UTF_8);
  }

  private static String pct(double e) {
    return Double.isNaN(e) ? "–" : String.format(Locale.ROOT, "%.2f%%", 100 * e);
  }

  private static String f(String fmt, Object... a) {
    return String.format(Locale.ROOT, fmt, a);
  }

  /** Cells (protocol, p) that have NMs&NM and {@code other} for at least three common seeds. */
  private List<String[]> comparable(Method other) {
    List<String[]> out = new ArrayList<>();
    for (String proto : PROTOCOLS) {
      for (int p : nodes()) {
        if (vsNm(proto, other, p, TablesCsv.Row::error).n() >= Test.MIN_PAIRS) {
          out.add(new String[] {proto, Integer.toString(p)});
        }
      }
    }
    return out;
  }

  private static String verdict(int wins, int losses, int cells) {
    if (cells == 0) {
      return "not measured";
    }
    if (losses == 0 && 2 * wins >= cells) {
      return "**reproduces**";
    }
    if (wins == 0) {
      return losses > 0 ? "**does not reproduce** (reversed where significant)" : "**does not reproduce** "
          + "(no significant difference in any cell)";
    }
    return "**inconclusive**";
  }

  /** One claim line about error: NMs&NM against {@code other} in every comparable cell. */
  private void errorClaim(StringBuilder md, String claim, Method... others) {
    int wins = 0;
    int losses = 0;
    int cells = 0;
    StringBuilder detail = new StringBuilder();
    for (Method other : others) {
      for (String[] c : comparable(other)) {
        Test t = vsNm(c[0], other, Integer.parseInt(c[1]), TablesCsv.Row::error);
        cells++;
        wins += t.xBetter() ? 1 : 0;
        losses += t.xWorse() ? 1 : 0;
        detail.append(f("%s p=%s vs %s: %s vs %s (p %s); ", c[0], c[1], other.label, pct(t.meanX()), pct(t.meanY()),
            t.pText()));
      }
    }
    md.append(f("| %s | %s | %d of %d cells significantly better, %d significantly worse. %s |%n", claim,
        verdict(wins, losses, cells), wins, cells, losses, detail.toString().trim()));
  }

  private void whatReproduces(StringBuilder md) {
    md.append("## What reproduces\n\n");
    md.append(f("One line per claim of the paper. A cell is one protocol at one node count; \"significantly\" means "
        + "p < %.2f in Weka's paired corrected t-test over the seeds (plain paired t-test on P2, whose split is "
        + "fixed). Verdict: **reproduces** when NMs&NM is significantly better in at least half of the cells and "
        + "significantly worse in none; **does not reproduce** when it is significantly better in none; otherwise "
        + "**inconclusive**. Errors are means over the seeds (NMs&NM first).%n%n", SIG));
    md.append("| claim | verdict | measured (NMs&NM vs the other method, mean test error, p-value) |\n|---|---|---|\n");
    errorClaim(md, "NM regularization beats plain L1 (Tables 1-2)", Method.NMS_L1);
    errorClaim(md, "NM regularization beats no regularization (Tables 1-2)", Method.NMS);
    errorClaim(md, "NMs&NM beats the MLP", Method.MLP);
    errorClaim(md, "NMs&NM beats the dense DAG network", Method.DAG);
    errorClaim(md, "The graph adds accuracy: NMs&NM beats the same recipe without hidden-to-hidden edges "
        + "(our ablation, not a claim of the paper)", Method.NO_GRAPH);
    deqTimeClaim(md);
    moduleClaim(md);
    nodesClaim(md);
    speedUpClaim(md);
    md.append('\n');
  }

  /**
   * Fig. 4B from the scale task's table (docs/bench/scale.md): the table runs use one thread each,
   * so the 2-thread speed-up comes from that task, and counts only when it ran on the same engine.
   */
  private void speedUpClaim(StringBuilder md) {
    File f = new File(docs, "bench/scale.md");
    List<String> lines;
    try {
      lines = f.isFile() ? Files.readAllLines(f.toPath()) : List.of();
    } catch (IOException e) {
      lines = List.of();
    }
    StringBuilder d = new StringBuilder();
    double best = 0;
    String scaleCommit = null;
    for (String l : lines) {
      String[] c = l.split("\\|");
      if (c.length >= 12 && c[11].trim().endsWith("x")) {
        double x = Double.parseDouble(c[11].trim().replace("x", ""));
        d.append(f("p = %s: %s; ", c[1].trim(), c[11].trim()));
        if (Integer.parseInt(c[1].trim()) >= 300) {
          best = Math.max(best, x); // p = 100 includes the JIT warm-up of the 1-thread run
        }
      }
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("commit ([0-9a-f]{7,})").matcher(l);
      if (m.find()) {
        scaleCommit = m.group(1);
      }
    }
    if (scaleCommit == null) {
      md.append("| Parallel speed-up with modules (Fig. 4B) | not measured | run the `scale` task |\n");
      return;
    }
    boolean same = sameEngine(scaleCommit, commit);
    String v = !same ? "**inconclusive** (measured on another engine)" : best >= 1.6 ? "**reproduces**"
        : best < 1.3 ? "**does not reproduce**" : "**inconclusive**";
    md.append(f("| Parallel speed-up with modules (Fig. 4B), 2 threads against 1 on 2 cores | %s | Task `scale` "
        + "(`docs/bench/scale.md`, commit %s, %s): %s The table runs use one thread each. Ideal: 2x. |%n", v,
        scaleCommit, same ? "same engine as the tables" : "engine differs from the tables' commit",
        d.toString().trim()));
  }

  /** Whether two commits have the same src/main (git diff --quiet). */
  static boolean sameEngine(String a, String b) {
    try {
      Process pr = new ProcessBuilder("git", "diff", "--quiet", a, b.replace("+uncommitted", ""), "--", "src/main")
          .redirectErrorStream(true).start();
      pr.getInputStream().readAllBytes();
      return pr.waitFor() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void deqTimeClaim(StringBuilder md) {
    int fasterCells = 0;
    int worse = 0;
    int cells = 0;
    int capped = 0;
    StringBuilder d = new StringBuilder();
    for (String[] c : comparable(Method.DEQ)) {
      int p = Integer.parseInt(c[1]);
      Test err = vsNm(c[0], Method.DEQ, p, TablesCsv.Row::error);
      Test spe = vsNm(c[0], Method.DEQ, p, TablesCsv.Row::secondsPerEpoch);
      cells++;
      fasterCells += spe.xBetter() ? 1 : 0;
      worse += err.xWorse() ? 1 : 0;
      long cap = cell(c[0], Method.DEQ, p).stream().filter(TablesCsv.Row::capped).count();
      capped += (int) cap;
      d.append(f("%s p=%d: %.3f vs %.3f s/epoch (%.0fx, p %s), error %s vs %s (p %s)%s; ", c[0], p, spe.meanX(),
          spe.meanY(), spe.meanY() / spe.meanX(), spe.pText(), pct(err.meanX()), pct(err.meanY()), err.pText(),
          cap > 0 ? f(", DEQ capped in %d runs", cap) : ""));
    }
    String v = cells == 0 ? "not measured" : fasterCells == cells && worse == 0 ? "**reproduces**"
        : fasterCells == 0 ? "**does not reproduce**" : "**inconclusive**";
    md.append(f("| NMs is faster than DEQ at equal accuracy (Fig. 4A) | %s | Seconds per epoch significantly lower "
        + "in %d of %d cells; error significantly worse in %d. %s%s |%n", v, fasterCells, cells, worse,
        d.toString().trim(), capped > 0 ? " DEQ runs hit the per-run wall-clock cap, so their errors are those of "
            + "fewer epochs (their best-validation weights)." : ""));
  }

  private void moduleClaim(StringBuilder md) {
    int wins = 0;
    int losses = 0;
    int cells = 0;
    StringBuilder d = new StringBuilder();
    for (Method other : new Method[] {Method.NMS_L1, Method.NMS}) {
      for (String[] c : comparable(other)) {
        int p = Integer.parseInt(c[1]);
        Test t = vsNm(c[0], other, p, r -> r.largestModule());
        Test mods = vsNm(c[0], other, p, r -> r.modules());
        cells++;
        wins += t.xBetter() ? 1 : 0;
        losses += t.xWorse() ? 1 : 0;
        d.append(f("%s p=%d vs %s: largest module %.1f vs %.1f nodes (p %s), %.1f vs %.1f modules; ", c[0], p,
            other.label, t.meanX(), t.meanY(), t.pText(), mods.meanX(), mods.meanY()));
      }
    }
    md.append(f("| NM regularization makes modules small and balanced (Figs. 6, 17) | %s | Largest module of the "
        + "final model significantly smaller in %d of %d cells, larger in %d. %s |%n", verdict(wins, losses, cells),
        wins, cells, losses, d.toString().trim()));
  }

  private void nodesClaim(StringBuilder md) {
    TreeSet<Integer> ps = nodes();
    if (ps.size() < 2) {
      md.append("| Error falls as nodes grow (Fig. 5) | not measured | one node count only |\n");
      return;
    }
    int wins = 0;
    int losses = 0;
    int cells = 0;
    StringBuilder d = new StringBuilder();
    for (String proto : PROTOCOLS) {
      int lo = ps.first();
      for (int hi : ps.tailSet(lo, false)) {
        Test t = paired(proto, cell(proto, Method.NMS_NM, hi), cell(proto, Method.NMS_NM, lo), TablesCsv.Row::error);
        if (!t.tested()) {
          continue;
        }
        cells++;
        wins += t.xBetter() ? 1 : 0;
        losses += t.xWorse() ? 1 : 0;
        d.append(f("%s: p=%d %s vs p=%d %s (p %s); ", proto, hi, pct(t.meanX()), lo, pct(t.meanY()), t.pText()));
      }
    }
    if (cells == 0) {
      md.append("| Error falls as nodes grow (Fig. 5), NMs&NM | not measured | fewer than three paired seeds at a second "
          + "node count |\n");
      return;
    }
    md.append(f("| Error falls as nodes grow (Fig. 5), NMs&NM | %s | Larger p significantly better in %d of %d "
        + "comparisons, worse in %d. %s |%n", verdict(wins, losses, cells), wins, cells, losses, d.toString().trim()));
  }

  private void setup(StringBuilder md) {
    md.append("## Setup\n\n");
    md.append("- **Seeds.** Seed s sets the P1 split (`StratifiedRemoveFolds -N 5 -F 1 -S s`, train = the same "
        + "with `-V`, 80/20 stratified) and the training seed (`-S s`) together. **P2** (gas drift over time) is one "
        + "split (train = batches 1-5, test = batches 6-10 of `gas_drift_with_batch`, `batch` removed), so there "
        + "the seed changes the training seed only.\n");
    md.append("- **Methods** (`-H p -S s` added to each; NeuralModules methods also `-threads 1`; all "
        + "NeuralModules rows run the package's current defaults, the issue-9 recipe, with only these options "
        + "changed):\n");
    for (Method m : ORDER) {
      md.append("  - **").append(m.label).append("**: ").append(m.className.substring(m.className.lastIndexOf('.') + 1))
          .append(" `").append(m.options.isEmpty() ? "(defaults)" : m.options).append('`')
          .append(m.tuned ? " with `-alpha` tuned per split (below)" : "");
      switch (m) {
        case MLP -> md.append(": Weka's MLP, one hidden layer of p nodes, 50 epochs, early stopping on 10% "
            + "(the paper's budget); lr 0.3, momentum 0.2");
        case DEQ -> md.append(": every edge active, no penalty; wall-clock cap per run (see the CSV's `capped`)");
        case DAG -> md.append(": the paper's DAG baseline (Fig. 11b), the dense lower-triangular network");
        case DAG_NM -> md.append(": our earlier DAG row, NMs&NM restricted to edges j < k (threshold and NM "
            + "penalty kept); an extra, not the paper's baseline");
        case NMS_NM_PAPER -> md.append(": the paper's recommended region (alpha 0.2, top 3-5% of edges)");
        case NO_GRAPH -> md.append(": the no-graph ablation, one hidden layer trained by the same recipe");
        case MLP_WEKA -> md.append(": reference row, p = 100 only, when run");
        default -> { }
      }
      md.append('\n');
    }
    md.append("- **Tuning.** NMs&L1 and NMs&NM choose `-alpha` from {0.01, 0.001, 0.1} by the error on an inner "
        + "stratified 80/20 split of the outer training rows (seed s), at p = 100; the choice is reused at every p "
        + "for that split. Test rows are never seen. gamma stays at the package's automatic default (0.5 active "
        + "edges per node); tuning it too would triple the cost.\n");
    md.append("- **Time** = wall time of initializeClassifier + all epochs + done(), preprocessing included; "
        + "s/epoch = time inside next() / epochs. One thread per run, two runs side by side on the 2-core machine "
        + "(other jobs too: see `load_avg` in the CSV). `*` = a run hit its wall-clock cap (it keeps its "
        + "best-validation weights).\n");
    md.append("- **Statistics.** mean ± sd over the seeds; p = Weka's `PairedStatsCorrected` (test/train ratio "
        + "0.25) on P1, `PairedStats` on P2, of NMs&NM against the row's method (the Experimenter's "
        + "`PairedCorrectedTTester` statistic).\n");
    md.append("- Paper numbers (after the slash) are its Tables 1-2; OPTNET is not implemented here. Table 3 (HAPT) "
        + "cannot be reproduced: the dataset is not available (`../shared/datasets/README.md`).\n\n");
  }

  private void protocolSection(StringBuilder md, String proto) {
    TreeSet<Integer> ps = new TreeSet<>();
    rows.stream().filter(r -> r.protocol().equals(proto)).forEach(r -> ps.add(r.nodes()));
    Map<String, double[]> paper = proto.startsWith("codon") ? PaperNumbers.CODON
        : proto.equals("gas P1") ? PaperNumbers.GAS : Map.of();
    md.append("## ").append(proto).append("\n\n### Test error: mean ± sd over seeds (n) / paper; p vs NMs&NM\n\n");
    StringBuilder head = new StringBuilder("| method |");
    StringBuilder sep = new StringBuilder("|---|");
    for (int p : ps) {
      head.append(f(" p=%d | p vs NM |", p));
      sep.append("---:|---:|");
    }
    md.append(head).append('\n').append(sep).append('\n');
    for (Method m : ORDER) {
      StringBuilder line = new StringBuilder("| " + m.label + " |");
      boolean any = false;
      for (int p : ps) {
        List<TablesCsv.Row> c = cell(proto, m, p);
        any |= !c.isEmpty();
        double pap = PaperNumbers.lookup(paper, m.label, p);
        String capped = c.stream().anyMatch(TablesCsv.Row::capped) ? "*" : "";
        line.append(c.isEmpty() ? " –" : c.size() < 2 ? f(" %.2f%s (1)", 100 * mean(c, TablesCsv.Row::error), capped)
            : f(" %.2f ± %.2f%s (%d)", 100 * mean(c, TablesCsv.Row::error), 100 * sd(c, TablesCsv.Row::error), capped,
                c.size()));
        line.append(Double.isNaN(pap) ? "" : " / " + pct(pap)).append(" |");
        line.append(m == Method.NMS_NM || c.isEmpty() ? " |" : " " + vsNm(proto, m, p, TablesCsv.Row::error).pText()
            + " |");
      }
      if (any) {
        md.append(line).append('\n');
      }
    }
    md.append("\n### Training time: mean s (mean epochs; s per epoch)\n\n");
    md.append(head.toString().replace(" p vs NM |", "")).append('\n')
        .append(sep.toString().replace("---:|---:|", "---:|")).append('\n');
    methodRows(md, proto, ps, false, c -> {
      long capped = c.stream().filter(TablesCsv.Row::capped).count();
      return f(" %.1f (%.0f%s; %.3g) |", mean(c, TablesCsv.Row::buildSeconds), mean(c, r -> r.epochs()),
          capped > 0 ? f(", %d capped", capped) : "", mean(c, TablesCsv.Row::secondsPerEpoch));
    });
    md.append("\n### Modules of the final model: mean count / mean largest module / mean largest SCC\n\n");
    md.append(head.toString().replace(" p vs NM |", "")).append('\n')
        .append(sep.toString().replace("---:|---:|", "---:|")).append('\n');
    methodRows(md, proto, ps, true, c -> f(" %.1f / %.1f / %.1f |", mean(c, r -> r.modules()),
        mean(c, r -> r.largestModule()), mean(c, r -> r.maxScc())));
    md.append('\n');
  }

  /** One table row per method with runs (NeuralModules methods only if asked): a cell per node count. */
  private void methodRows(StringBuilder md, String proto, TreeSet<Integer> ps, boolean neuralModulesOnly,
      java.util.function.Function<List<TablesCsv.Row>, String> cellText) {
    for (Method m : ORDER) {
      if (neuralModulesOnly && !m.isNeuralModules()) {
        continue;
      }
      StringBuilder line = new StringBuilder("| " + m.label + " |");
      boolean any = false;
      for (int p : ps) {
        List<TablesCsv.Row> c = cell(proto, m, p);
        any |= !c.isEmpty();
        line.append(c.isEmpty() ? " – |" : cellText.apply(c));
      }
      if (any) {
        md.append(line).append('\n');
      }
    }
  }

  private void tuningSection(StringBuilder md) {
    if (tunings.isEmpty()) {
      return;
    }
    md.append("## Alpha chosen on inner splits\n\n| protocol | method | seed | inner error per alpha | chosen |\n"
        + "|---|---|---:|---|---:|\n");
    Map<String, List<TablesCsv.Tuning>> by = new TreeMap<>();
    tunings.forEach(t -> by.computeIfAbsent(t.protocol() + "|" + t.method() + "|" + t.seed(), k -> new ArrayList<>())
        .add(t));
    by.forEach((k, ts) -> {
      String[] p = k.split("\\|");
      TablesCsv.Tuning best = ts.get(0);
      StringBuilder e = new StringBuilder();
      for (TablesCsv.Tuning t : ts) {
        e.append(f("%s: %s; ", t.alpha(), pct(t.innerError())));
        best = t.innerError() < best.innerError() ? t : best;
      }
      md.append(f("| %s | %s | %s | %s | %s |%n", p[0], p[1], p[2], e.toString().trim(), best.alpha()));
    });
    md.append('\n');
  }

  // ------------------------------------------------------------------ figures

  private void figures(StringBuilder md, File img) throws IOException {
    md.append("## Figures\n\n");
    TreeSet<Integer> ps = nodes();
    for (String proto : PROTOCOLS) {
      Map<String, Plot.Series> s = new LinkedHashMap<>();
      for (Method m : ORDER) {
        double[] x = ps.stream().mapToDouble(Integer::doubleValue).toArray();
        double[] y = ps.stream().mapToDouble(p -> 100 * mean(cell(proto, m, p), TablesCsv.Row::error)).toArray();
        if (Arrays.stream(y).filter(Double::isFinite).count() >= 2) {
          s.put(m.label, new Plot.Series(x, y));
        }
      }
      if (!s.isEmpty()) {
        String file = "fig5_error_vs_nodes_" + proto.toLowerCase(Locale.ROOT).replace(' ', '_') + ".png";
        Plot.lines(new File(img, file), "Mean test error vs nodes, " + proto + " (cf. paper Fig. 5)", "hidden nodes p",
            "mean test error (%)", s, true, false);
        md.append(f("![Fig. 5, %s](img/%s)%n%n", proto, file));
      }
    }
    Map<String, Plot.Series> t = new LinkedHashMap<>();
    for (String proto : PROTOCOLS) {
      for (Method m : new Method[] {Method.NMS_NM, Method.DEQ}) {
        double[] x = ps.stream().mapToDouble(Integer::doubleValue).toArray();
        double[] y = ps.stream().mapToDouble(p -> mean(cell(proto, m, p), TablesCsv.Row::secondsPerEpoch)).toArray();
        if (Arrays.stream(y).anyMatch(Double::isFinite)) {
          t.put(m.label + ", " + proto, new Plot.Series(x, y));
        }
      }
    }
    if (!t.isEmpty()) {
      Plot.lines(new File(img, "fig4a_time_nm_vs_deq.png"), "Seconds per epoch, NMs&NM vs DEQ (cf. paper Fig. 4A)",
          "hidden nodes p", "seconds per epoch (log)", t, true, true);
      md.append("![Fig. 4A](img/fig4a_time_nm_vs_deq.png)\n\n");
    }
    fig17(md, img);
  }

  /**
   * Fig. 17: time per epoch against the largest module, and the measured largest module against
   * what a random graph with the same number of active edges gives (Monte Carlo, union-find).
   */
  private void fig17(StringBuilder md, File img) throws IOException {
    Method[] graphMethods = {Method.NMS, Method.NMS_L1, Method.NMS_NM, Method.NMS_NM_PAPER, Method.DAG_NM};
    Map<String, Plot.Series> scatter = new LinkedHashMap<>();
    Map<String, Plot.Series> growth = new LinkedHashMap<>();
    StringBuilder table = new StringBuilder("| method | p | runs | mean active edges per node | mean largest module "
        + "| random graph, same edges: mean largest module | measured / random |\n|---|---:|---:|---:|---:|---:|---:|\n");
    for (Method m : graphMethods) {
      List<TablesCsv.Row> rs = rows.stream().filter(r -> r.method().equals(m.label) && r.modules() > 0).toList();
      if (rs.isEmpty()) {
        continue;
      }
      scatter.put(m.label, points(rs, r -> r.largestModule(), TablesCsv.Row::secondsPerEpoch));
      growth.put(m.label + " (measured)", points(rs, r -> (double) r.activeEdges() / r.nodes(),
          r -> (double) r.largestModule() / r.nodes()));
      for (int p : nodes()) {
        List<TablesCsv.Row> c = rs.stream().filter(r -> r.nodes() == p).toList();
        if (c.isEmpty()) {
          continue;
        }
        double measured = mean(c, r -> r.largestModule());
        double random = c.stream().mapToDouble(r -> randomLargest(p, r.activeEdges(), 40, r.seed())).average()
            .orElse(Double.NaN);
        table.append(f("| %s | %d | %d | %.2f | %.1f | %.1f | %.2f |%n", m.label, p, c.size(),
            mean(c, r -> (double) r.activeEdges() / r.nodes()), measured, random, measured / random));
      }
    }
    if (scatter.isEmpty()) {
      return;
    }
    Plot.lines(new File(img, "fig17_time_vs_module_size.png"), "Seconds per epoch vs largest module (every run; cf. "
        + "paper Fig. 17)", "largest module (nodes, log)", "seconds per epoch (log)", scatter, true, true);
    for (int p : nodes()) {
      double[] x = new double[30];
      double[] y = new double[30];
      for (int i = 0; i < x.length; i++) {
        x[i] = 0.1 * (i + 1);
        y[i] = randomLargest(p, (int) Math.round(x[i] * p), 40, 1) / p;
      }
      growth.put(f("random graph, p = %d", p), new Plot.Series(x, y));
    }
    Plot.lines(new File(img, "fig17_module_growth.png"), "Largest module / p vs active edges per node (cf. Fig. 17)",
        "active edges per node", "largest module / p", growth, false, false);
    md.append("### Module size, time and the random-graph analysis (Fig. 17)\n\n");
    md.append("The probability analysis: a graph of p nodes with m edges placed uniformly at random (no self loops) "
        + "has, on average over 40 draws, the largest weakly connected component in the column \"random graph\"; "
        + "past about one edge per node a giant module appears (the Erdős–Rényi threshold, mean degree 2m/p = 1 "
        + "for weak connectivity at half an edge per node). A measured / random ratio below 1 means training "
        + "(the penalty and the threshold on |w|) keeps modules smaller than chance would at the same edge count.\n\n");
    md.append(table).append('\n');
    md.append("![Fig. 17 time](img/fig17_time_vs_module_size.png)\n\n![Fig. 17 growth](img/fig17_module_growth.png)\n\n");
  }

  /** Scatter points: each (x, y) followed by a NaN so that Plot.lines draws markers only. */
  private static Plot.Series points(List<TablesCsv.Row> rs, ToDoubleFunction<TablesCsv.Row> fx,
      ToDoubleFunction<TablesCsv.Row> fy) {
    double[] x = new double[2 * rs.size()];
    double[] y = new double[2 * rs.size()];
    for (int i = 0; i < rs.size(); i++) {
      x[2 * i] = fx.applyAsDouble(rs.get(i));
      y[2 * i] = fy.applyAsDouble(rs.get(i));
      x[2 * i + 1] = x[2 * i];
      y[2 * i + 1] = Double.NaN;
    }
    return new Plot.Series(x, y);
  }

  /** Mean size of the largest weakly connected component of random directed graphs, p nodes, m edges. */
  static double randomLargest(int p, int m, int draws, long seed) {
    Random rnd = new Random(seed * 7919 + p * 31L + m);
    long pairs = (long) p * (p - 1);
    m = (int) Math.min(m, pairs);
    double sum = 0;
    for (int d = 0; d < draws; d++) {
      int[] parent = new int[p];
      int[] size = new int[p];
      for (int i = 0; i < p; i++) {
        parent[i] = i;
        size[i] = 1;
      }
      java.util.HashSet<Long> used = new java.util.HashSet<>();
      int placed = 0;
      while (placed < m) {
        long e = (long) (rnd.nextDouble() * pairs);
        if (!used.add(e)) {
          continue;
        }
        placed++;
        int a = (int) (e / (p - 1));
        int b = (int) (e % (p - 1));
        b = b >= a ? b + 1 : b;
        int ra = find(parent, a);
        int rb = find(parent, b);
        if (ra != rb) {
          if (size[ra] < size[rb]) {
            int tmp = ra;
            ra = rb;
            rb = tmp;
          }
          parent[rb] = ra;
          size[ra] += size[rb];
        }
      }
      int best = 0;
      for (int i = 0; i < p; i++) {
        best = Math.max(best, size[find(parent, i)]);
      }
      sum += best;
    }
    return sum / draws;
  }

  private static int find(int[] parent, int i) {
    while (parent[i] != i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  }

  // ------------------------------------------------------------------ what is not run

  private void remaining(StringBuilder md) {
    md.append("## Not run on this commit, with the command and an estimate\n\n");
    // what the measured profile cost, from the CSV: runs plus tuning, on two processes
    double runHours = rows.stream().mapToDouble(TablesCsv.Row::buildSeconds).sum() / 3600;
    double tuneHours = tunings.stream().mapToDouble(TablesCsv.Tuning::buildSeconds).sum() / 3600;
    md.append(String.format(Locale.ROOT, "The profile above covers p = %s (five seeds, every method), in that order. "
        + "Its runs took %.1f CPU-hours and the alpha tuning %.1f, i.e. about %.1f hours on two processes side by "
        + "side (preprocessing and scoring not counted)%s. The rest of the issue's grid, resumable (rows already in "
        + "the CSV for the same commit are skipped), two processes side by side:\n\n```\n",
        nodes().stream().map(String::valueOf).collect(Collectors.joining(" and ")), runHours,
        tuneHours, (runHours + tuneHours) / 2,
        (runHours + tuneHours) / 2 > 2 ? ": more than the 2 hours the issue asks for (DEQ and Weka's MLP at p = 300 "
            + "take the most: one DEQ epoch there outlasts the 120 s cap)" : ""));
    md.append("java -cp <bench classes>:$(cat target/bench-cp.txt) -Dbench.data=../shared/datasets \\\n"
        + "  org.neuralmodules.bench.BenchMain paper nodes=40,60,80,200 shard=0/2 &   # and shard=1/2\n"
        + "java ... BenchMain paper nodes=1000,3000 methods=NMS,NMS_L1,NMS_NM,NMS_NM_PAPER,NO_GRAPH shard=0/2 &\n"
        + "java ... BenchMain paper-report\n```\n\n");
    // estimate: mean build time per method at the nearest measured p, scaled by (p / p_measured)^2
    TreeSet<Integer> ps = nodes();
    if (ps.isEmpty()) {
      return;
    }
    double small = 0;
    double large = 0;
    for (Method m : ORDER) {
      if (m == Method.MLP_WEKA) {
        continue;
      }
      for (String proto : PROTOCOLS) {
        for (int p : new int[] {40, 60, 80, 200, 1000, 3000}) {
          if (p >= 1000 && !(m == Method.NMS || m == Method.NMS_L1 || m == Method.NMS_NM || m == Method.NMS_NM_PAPER
              || m == Method.NO_GRAPH)) {
            continue;
          }
          int near = ps.stream().min((a, b) -> Double.compare(Math.abs(Math.log((double) a / p)),
              Math.abs(Math.log((double) b / p)))).orElseThrow();
          double b = mean(cell(proto, m, near), TablesCsv.Row::buildSeconds);
          if (Double.isFinite(b)) {
            double est = 5 * b * Math.pow((double) p / near, p > near ? 2 : 1);
            if (p >= 1000) {
              large += est;
            } else {
              small += est;
            }
          }
        }
      }
    }
    md.append(f("Estimate (5 seeds; the mean time per run at the nearest measured p scaled by (p / p_measured)^2 "
        + "upwards, linearly downwards; DEQ and MLP runs are capped or budgeted, so their share is an upper bound): "
        + "p = 40-200 about %.1f CPU-hours, p = 1000 and 3000 about %.1f CPU-hours, halved with two processes on two "
        + "cores. The per-epoch time of NMs&NM grows with the largest module, not with p^2, as long as modules stay "
        + "small (Fig. 17), so the second number is pessimistic.%n%n", small / 3600, large / 3600));
  }

  /** The F.2 rows from docs/bench/facebook.csv (task facebook); the paper's Fig. 16 prints no numbers. */
  static String facebookSection(File csv) throws IOException {
    StringBuilder md = new StringBuilder("## facebook P1 (Appendix F.2)\n\n");
    md.append("The paper (Fig. 16, text only: no numbers are printed) reports NM \"more than 40 percent\" more "
        + "accurate than a traditional network at 500 nodes and better still at 1000, at a cost of hours of "
        + "training. Ours: P1 split (80/20 stratified, seed 1), defaults, one run per row (task `facebook`, "
        + "rows in `docs/bench/facebook.csv`, their own commit).\n\n");
    if (!csv.isFile()) {
      return md.append("Not run yet.\n\n").toString();
    }
    md.append("| method | options | test error | build s | peak heap MB | -Xmx MB | commit |\n|---|---|---:|---:|---:|---:|---|\n");
    List<String> lines = Files.readAllLines(csv.toPath());
    for (String line : lines.subList(1, lines.size())) {
      String[] fl = line.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)");
      if (fl.length >= 8) {
        md.append(f("| %s | `%s` | %.2f%% | %s | %s | %s | %s |%n", fl[0], fl[1].replace("\"", ""),
            100 * Double.parseDouble(fl[4]), fl[5], fl[6], fl[7], fl[3]));
      }
    }
    return md.append("\n").toString();
  }
}
