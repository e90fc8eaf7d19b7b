package org.neuralmodules.bench;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.neuralmodules.graph.GraphPlan;
import weka.classifiers.AbstractClassifier;
import weka.classifiers.Classifier;
import weka.classifiers.functions.NeuralModules;
import weka.core.Utils;

/**
 * Benchmark harness for issue 5 (never shipped: compiled only with -Pbench).
 *
 * <pre>
 * mvn -B -Pbench -DskipTests compile exec:java -Dexec.args="TASK [key=value ...]"
 * </pre>
 *
 * Tasks: quick, full, tables, speed, scale, kernels, modules, sweep, report. Results go to
 * docs/bench (CSV, markdown fragments, run log), docs/img (PNG) and docs/paper-tables.md.
 * See docs/benchmarks.md.
 */
public final class BenchMain {
  private final Map<String, String> opts;
  private final File docs;

  private BenchMain(Map<String, String> opts) {
    this.opts = opts;
    this.docs = new File(opts.getOrDefault("docs", "docs"));
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      System.err.println("usage: BenchMain quick|full|paper|paper-report|speed|scale|kernels|modules|sweep|report|tune|suite|suite-quick|suite-report|facebook|predict-million"
          + " [key=value ...]\n"
          + "  suite: datasets=all|name,name seeds=3 methods=<labels> cap=<s per run>\n"
          + "  facebook: methods=<labels> seeds=1 (docs/bench/facebook.csv); predict-million rows=1000000 attributes=5000\n"
          + "  tune: configs=\"label:options;label:options\" datasets=all seeds=3 cap=<s>\n"
          + "  paper (issue 10): protocols=codon,gas,gasP2 nodes=100,300 seeds=1,2,3,4,5 methods=" + PaperTables.DEFAULT_METHODS
          + " threads=1 cap=900 capDEQ=120 capMLP=<cap> alphas=0.01,0.001,0.1 tuneNodes=100 shard=k/K\n"
          + "    commit=<c> (resume rows of commit c: only while git diff c -- src/main is empty); paper-report [commit=<c>]\n"
          + "  scale: nodes=100,300,1000,3000 threads=1,2 epochs=1 gammaDegree=<mean active in-degree> cap=<s>\n"
          + "  sweep: alphas=0.001,0.01,0.1 gammas=0.01,0.02,0.05\n"
          + "  -Dbench.data=<folder of the .arff.gz files> (default ../shared/datasets)");
      System.exit(2);
    }
    Map<String, String> o = new HashMap<>();
    for (int i = 1; i < args.length; i++) {
      int eq = args[i].indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("Arguments after the task are key=value, got " + args[i]);
      }
      o.put(args[i].substring(0, eq), args[i].substring(eq + 1));
    }
    new BenchMain(o).run(args[0], String.join(" ", args));
    System.exit(0);
  }

  private void run(String task, String command) throws Exception {
    long t0 = System.nanoTime();
    System.out.println("== " + task + " on " + machine());
    switch (task) {
      case "quick" -> {
        opts.putIfAbsent("nodes", "100");
        new PaperTables(opts, docs, commit()).run();
        PaperReport.write(docs, null);
        speed();
        kernels(true);
        modules();
      }
      case "full" -> {
        opts.putIfAbsent("nodes", "40,60,80,100,200,300");
        new PaperTables(opts, docs, commit()).run();
        PaperReport.write(docs, null);
        speed();
        scale(ints("scaleNodes", "100,300,1000,3000"), ints("threads", "1,2"));
        kernels(false);
        modules();
        sweep(doubles("alphas", "0.001,0.003,0.01,0.03,0.1,0.3"), doubles("gammas", "0.01,0.02,0.03,0.05,0.1"));
      }
      case "paper", "tables" -> new PaperTables(opts, docs, opts.getOrDefault("commit", commit())).run();
      case "paper-report", "report" -> PaperReport.write(docs, opts.get("commit"));
      case "speed" -> speed();
      case "scale" -> scale(ints("nodes", "1000,3000"), ints("threads", "1,2"));
      case "kernels" -> kernels(Boolean.parseBoolean(opts.getOrDefault("quick", "true")));
      case "modules" -> modules();
      case "sweep" -> sweep(doubles("alphas", "0.001,0.01,0.1"), doubles("gammas", "0.01,0.02,0.05"));
      case "tune" -> SuiteTasks.tune(opts, docs);
      case "facebook" -> SparseTasks.facebook(opts, docs, commit());
      case "predict-million" -> SparseTasks.predictMillion(opts);
      case "suite" -> SuiteTasks.suite(opts, docs);
      case "suite-quick" -> {
        // the small sets only, where every method (Weka's MLP with its 500 epochs too) finishes fast
        opts.putIfAbsent("datasets", SuiteTasks.QUICK_DATASETS);
        opts.putIfAbsent("capDEQ", "30");
        SuiteTasks.suite(opts, docs);
      }
      case "suite-report" -> SuiteReport.write(new Suite.Csv(new File(docs, "bench/suite.csv")),
          new File(docs, "suite.md"), opts.getOrDefault("commit", commit()), machine());
      case "tune-report" -> SuiteReport.write(new Suite.Csv(new File(docs, "bench/tuning.csv")),
          new File(opts.getOrDefault("out", "target/tuning-round.md")), opts.getOrDefault("commit", commit()),
          machine(), true);
      default -> throw new IllegalArgumentException("Unknown task " + task);
    }
    double mins = (System.nanoTime() - t0) / 6e10;
    String line = String.format(Locale.ROOT, "| %s | `%s` | %.1f min | %s | %s | %s |%n", now(), command, mins,
        commit(), machine(), loadNote());
    File log = new File(docs, "bench/runs.md");
    log.getParentFile().mkdirs();
    if (!log.isFile()) {
      Files.writeString(log.toPath(), "# Benchmark run log\n\nAppended by the harness after every task.\n\n"
          + "| finished (UTC) | command (BenchMain args) | wall time | commit | machine | load average at end |\n"
          + "|---|---|---:|---|---|---|\n", StandardCharsets.UTF_8);
    }
    Files.writeString(log.toPath(), line, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    System.out.printf(Locale.ROOT, "== %s done in %.1f min%n", task, mins);
  }

  private static void print(Runner.Result r) {
    System.out.printf(Locale.ROOT, "  %-22s p=%-5d t=%d error %6.2f%%  train %8.1f s  %3d epochs%s  %.3f s/epoch"
        + "  modules %d largest %d maxSCC %d  heap %.0f MB%n", r.method(), r.nodes(), r.threads(), 100 * r.error(),
        r.trainSeconds(), r.epochs(), r.capped() ? " (capped)" : "", r.secondsPerEpoch(), r.modules(),
        r.largestModule(), r.maxScc(), r.peakHeapBytes() / 1048576.0);
  }

  // ------------------------------------------------------------------ item 3: speed against MLP

  private void speed() throws Exception {
    int epochs = (int) dbl("speedEpochs", 10);
    StringBuilder md = new StringBuilder();
    md.append("### Speed against MultilayerPerceptron (item 3)\n\n");
    md.append(String.format(Locale.ROOT, "Same data (P1 training rows), same hidden node count (100), same number "
        + "of epochs (%d, no early stopping), one run after the other in one JVM. Time per epoch = time inside "
        + "IterativeClassifier.next() / epochs (MLP: the same as build time with -N %d divided by %d, without "
        + "its one-off setup). NeuralModules trains on 90%% of the rows and evaluates the other 10%% each "
        + "epoch (its default -V 10); MLP trains on all rows (-V 0, Weka default). %s%n%n", epochs, epochs, epochs,
        loadNote()));
    md.append("| dataset | MLP -H 100 s/epoch | NeuralModules defaults, 2 threads, s/epoch | ratio NM/MLP (target <= 0.2) "
        + "| NeuralModules 1 thread s/epoch | ratio (1 thread) | NM modules / largest / max SCC |\n");
    md.append("|---|---:|---:|---:|---:|---:|---|\n");
    for (String key : new String[] {"codon", "gas"}) {
      Protocols.Split split = Protocols.byKey(key);
      String mlpOpts = "-H 100 -N " + epochs;
      Classifier mlp = AbstractClassifier.forName("weka.classifiers.functions.MultilayerPerceptron",
          Utils.splitOptions(mlpOpts));
      Runner.Result rm = Runner.run(split, mlp, "MLP", mlpOpts, 100, 1, 1e9, null);
      print(rm);
      Runner.Result[] nm = new Runner.Result[2];
      for (int t = 0; t < 2; t++) {
        int threads = t == 0 ? 0 : 1;
        String o = "-H 100 -N " + epochs + " -E " + (epochs + 1) + (threads > 0 ? " -threads 1" : "");
        Classifier c = AbstractClassifier.forName("weka.classifiers.functions.NeuralModules", Utils.splitOptions(o));
        nm[t] = Runner.run(split, c, "NeuralModules", o, 100, threads, 1e9, null);
        print(nm[t]);
      }
      md.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f | **%.3f** | %.3f | %.3f | %d / %d / %d |%n",
          split.name(), rm.secondsPerEpoch(), nm[0].secondsPerEpoch(),
          nm[0].secondsPerEpoch() / rm.secondsPerEpoch(), nm[1].secondsPerEpoch(),
          nm[1].secondsPerEpoch() / rm.secondsPerEpoch(), nm[0].modules(), nm[0].largestModule(), nm[0].maxScc()));
    }
    md.append(String.format(Locale.ROOT, "%nRun %s, commit %s, %s.%n", now(), commit(), machine()));
    fragment("speed.md", md.toString());
  }

  // ------------------------------------------------------------------ item 4: scale

  private void scale(int[] nodes, int[] threads) throws Exception {
    int epochs = (int) dbl("epochs", 1);
    double degree = dbl("gammaDegree", 2.0);
    double cap = dbl("cap", 1800);
    Protocols.Split split = Protocols.byKey("codon");
    StringBuilder md = new StringBuilder();
    md.append("### Scale on codon P1 (item 4)\n\n");
    md.append(String.format(Locale.ROOT, "NeuralModules defaults except -H p and -gamma = %.3g / (p - 1) (a mean of "
        + "%.3g active in-edges per node, as -gamma 0.02 gives at p = 100: a fixed fraction "
        + "of p(p-1) edges would make the first epoch's random graph one giant strongly connected component, "
        + "O(p^3) per sample); %d epoch(s) from initialisation (-N %d), timed per thread count. Peak heap = sum of "
        + "the heap pools' peaks during training (JVM max heap %d MB). %s%n%n", degree, degree, epochs, epochs,
        Runtime.getRuntime().maxMemory() >> 20, loadNote()));
    md.append("| p | gamma | threads | s/epoch | test error | peak heap MB | modules | largest module | max SCC | active edges | speed-up 2t/1t |\n");
    md.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    Map<String, Plot.Series> fig = new LinkedHashMap<>();
    double[][] spe = new double[threads.length][nodes.length];
    for (int i = 0; i < nodes.length; i++) {
      int p = nodes[i];
      double gamma = Math.min(1.0, degree / (p - 1));
      double[] s = new double[threads.length];
      for (int t = 0; t < threads.length; t++) {
        String o = String.format(Locale.ROOT, "-H %d -gamma %.6g -N %d -E %d -threads %d", p, gamma, epochs,
            epochs + 1, threads[t]);
        Classifier c = AbstractClassifier.forName("weka.classifiers.functions.NeuralModules", Utils.splitOptions(o));
        Runner.Result r = Runner.run(split, c, "NeuralModules", o, p, threads[t], cap, null);
        print(r);
        s[t] = r.secondsPerEpoch();
        spe[t][i] = s[t];
        String speed = t > 0 ? String.format(Locale.ROOT, "%.2fx", s[0] / s[t]) : "";
        md.append(String.format(Locale.ROOT, "| %d | %.3g | %d | %.2f%s | %.2f%% | %.0f | %d | %d | %d | %d | %s |%n", p,
            gamma, threads[t], s[t], r.capped() ? " (capped)" : "", 100 * r.error(), r.peakHeapBytes() / 1048576.0,
            r.modules(), r.largestModule(), r.maxScc(), r.activeEdges(), speed));
      }
    }
    for (int t = 0; t < threads.length; t++) {
      double[] x = new double[nodes.length];
      for (int i = 0; i < nodes.length; i++) {
        x[i] = nodes[i];
      }
      fig.put("NMs&NM, " + threads[t] + (threads[t] == 1 ? " thread" : " threads"), new Plot.Series(x, spe[t]));
    }
    Plot.lines(new File(docs, "img/fig4b_time_threads.png"), "Seconds per epoch vs nodes, codon P1 (cf. paper Fig. 4B)",
        "hidden nodes p (log)", "seconds per epoch (log)", fig, true, true);
    md.append(String.format(Locale.ROOT, "%nRun %s, commit %s, %s.%n", now(), commit(), machine()));
    fragment("scale.md", md.toString());
  }

  // ------------------------------------------------------------------ item 5: kernels

  private void kernels(boolean quick) throws IOException {
    String md = "## Kernels (item 5)\n\n" + loadNote() + "\n\n" + Kernels.runAll(quick)
        + String.format(Locale.ROOT, "%nRun %s, commit %s, %s.%n", now(), commit(), machine());
    System.out.println(md);
    fragment("kernels.md", md);
  }

  // ------------------------------------------------------------------ Fig. 6: module structure

  private void modules() throws Exception {
    for (String key : new String[] {"codon", "gas"}) {
      Protocols.Split split = Protocols.byKey(key);
      NeuralModules nm = new NeuralModules();
      nm.setOptions(Utils.splitOptions("-H 100"));
      GraphPlan[] plans = new GraphPlan[3];
      // plan at initialisation: random weights, top gamma fraction
      nm.initializeClassifier(split.train());
      plans[0] = nm.getModel().plan();
      int epochs = 1;
      nm.next();
      plans[1] = nm.getModel().plan();
      while (nm.next()) {
        epochs++;
      }
      epochs++;
      nm.done();
      plans[2] = nm.getModel().plan();
      String[] titles = new String[3];
      String[] when = {"initialisation", "after epoch 1", "final (best of " + nm.getModel().report().epochsRun + " epochs)"};
      for (int i = 0; i < 3; i++) {
        titles[i] = String.format(Locale.ROOT, "%s: %d modules, largest %d, %d edges", when[i], plans[i].moduleCount,
            plans[i].largestModule(), plans[i].activeEdges);
      }
      Plot.adjacency(new File(docs, "img/fig6_modules_" + key + ".png"),
          "Neural modules, " + split.name() + ", NeuralModules defaults (-H 100 -gamma 0.005 NM L1 alpha 0.01)",
          titles, plans);
      System.out.println(split.name() + ": " + Arrays.toString(titles));
    }
  }

  // ------------------------------------------------------------------ Fig. 15: alpha x gamma

  private void sweep(double[] alphas, double[] gammas) throws Exception {
    Protocols.Split inner = Protocols.inner(Protocols.byKey("codon"), 7);
    double[][] err = new double[alphas.length][gammas.length];
    double[][] mods = new double[alphas.length][gammas.length];
    StringBuilder csv = new StringBuilder("alpha,gamma,inner_error,epochs,s_per_epoch,modules,largest_module,max_scc\n");
    for (int a = 0; a < alphas.length; a++) {
      for (int g = 0; g < gammas.length; g++) {
        String o = String.format(Locale.ROOT, "-H 100 -alpha %s -gamma %s", alphas[a], gammas[g]);
        Classifier c = AbstractClassifier.forName("weka.classifiers.functions.NeuralModules", Utils.splitOptions(o));
        Runner.Result r = Runner.run(inner, c, "NMs&NM", o, 100, 0, dbl("cap", 600), null);
        print(r);
        err[a][g] = 100 * r.error();
        mods[a][g] = r.modules();
        csv.append(String.format(Locale.ROOT, "%s,%s,%.6f,%d,%.4f,%d,%d,%d%n", alphas[a], gammas[g], r.error(),
            r.epochs(), r.secondsPerEpoch(), r.modules(), r.largestModule(), r.maxScc()));
      }
    }
    String[] rows = Arrays.stream(alphas).mapToObj(v -> "alpha " + v).toArray(String[]::new);
    String[] cols = Arrays.stream(gammas).mapToObj(v -> "gamma " + v).toArray(String[]::new);
    Plot.heatMap(new File(docs, "img/fig15_alpha_gamma_codon.png"),
        "Inner-validation error (%), codon P1 training rows, p = 100, NM L1 (cf. paper Fig. 15)", "alpha (NM strength)",
        rows, "gamma (fraction of edges active)", cols, err, "%.2f");
    Plot.heatMap(new File(docs, "img/fig15_alpha_gamma_codon_modules.png"),
        "Number of modules of the final model, same sweep", "alpha (NM strength)", rows,
        "gamma (fraction of edges active)", cols, mods, "%.0f");
    fragment("sweep.csv", csv.toString());
  }

  // ------------------------------------------------------------------ helpers

  private void fragment(String name, String text) throws IOException {
    File f = new File(docs, "bench/" + name);
    f.getParentFile().mkdirs();
    Files.writeString(f.toPath(), text, StandardCharsets.UTF_8);
  }

  private List<String> list(String key, String dflt) {
    return Arrays.asList(opts.getOrDefault(key, dflt).split(","));
  }

  private int[] ints(String key, String dflt) {
    return list(key, dflt).stream().mapToInt(Integer::parseInt).toArray();
  }

  private double[] doubles(String key, String dflt) {
    return list(key, dflt).stream().mapToDouble(Double::parseDouble).toArray();
  }

  private double dbl(String key, double dflt) {
    return opts.containsKey(key) ? Double.parseDouble(opts.get(key)) : dflt;
  }

  static String now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static String commitCache;

  static synchronized String commit() {
    if (commitCache == null) {
      try {
        // the last commit that changed the engine, the harness or the build: commits of docs and
        // tests alone do not change results, so resumable runs keep their key across them
        Process pr = new ProcessBuilder("git", "log", "-1", "--format=%h", "--", "src/main", "src/bench", "pom.xml")
            .redirectErrorStream(true).start();
        String head = new String(pr.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        pr.waitFor();
        Process st = new ProcessBuilder("git", "status", "--porcelain", "--untracked-files=no", "src/main", "src/bench",
            "pom.xml")
            .redirectErrorStream(true).start();
        String dirty = new String(st.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        st.waitFor();
        commitCache = pr.exitValue() == 0 ? head + (dirty.isEmpty() ? "" : "+uncommitted") : "unknown";
      } catch (IOException | InterruptedException e) {
        commitCache = "unknown";
      }
    }
    return commitCache;
  }

  static String cpuModel() {
    try {
      for (String l : Files.readAllLines(new File("/proc/cpuinfo").toPath())) {
        if (l.startsWith("model name")) {
          return l.substring(l.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException e) {
      // not Linux: fall through
    }
    return System.getProperty("os.arch");
  }

  static String machine() {
    return String.format(Locale.ROOT, "%s, %d cores, Java %s, max heap %d MB", cpuModel(),
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
        Runtime.getRuntime().maxMemory() >> 20);
  }

  static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  static String loadNote() {
    double l = loadAverage();
    return String.format(Locale.ROOT, "1-minute load average %.2f on %d cores%s", l,
        Runtime.getRuntime().availableProcessors(),
        l > Runtime.getRuntime().availableProcessors() + 0.5 ? " (machine shared with other jobs: timings are noisy)" : "");
  }
}
