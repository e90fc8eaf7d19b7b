package org.neuralmodules.bench;

import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Task {@code paper} (issue 10): the paper's Tables 1-2 on one commit, several seeds, resumable.
 *
 * <p>Order: node counts outer (the most important first), then (seed, protocol) pairs, then
 * methods, so an interrupted run leaves complete seeds. A seed sets the P1 split and the training
 * seed together ({@code -S}); P2 is one split in time, so there the seed changes training only.
 * Rows already in docs/bench/tables.csv for the same method, nodes, seed and commit are skipped.
 * {@code shard=k/K} runs only the pairs with index = k mod K, so K processes can share the work
 * (each appends under a file lock).
 *
 * <p>Tuned methods (NMs&L1, NMs&NM) pick -alpha from {@code alphas} by the error on an inner
 * stratified 80/20 split of the outer training rows (seed = the outer seed) at {@code tuneNodes}
 * nodes; the choice is reused for every node count of that split. Test rows are never seen.
 */
final class PaperTables {
  static final String DEFAULT_METHODS = "MLP,DEQ,DAG,DAG_NM,NMS,NMS_L1,NMS_NM,NMS_NM_PAPER,NO_GRAPH";

  private final Map<String, String> opts;
  private final File csv;
  private final File tuningCsv;
  private final String commit;

  PaperTables(Map<String, String> opts, File docs, String commit) {
    this.opts = opts;
    this.csv = new File(docs, "bench/tables.csv");
    this.tuningCsv = new File(docs, "bench/tables-tuning.csv");
    this.commit = commit;
  }

  void run() throws Exception {
    List<String> protocols = list("protocols", "codon,gas,gasP2");
    int[] nodes = list("nodes", "100,300").stream().mapToInt(Integer::parseInt).toArray();
    int[] seeds = list("seeds", "1,2,3,4,5").stream().mapToInt(Integer::parseInt).toArray();
    List<Method> methods = list("methods", DEFAULT_METHODS).stream().map(Method::byLabel).toList();
    int threads = Integer.parseInt(opts.getOrDefault("threads", "1"));
    double cap = Double.parseDouble(opts.getOrDefault("cap", "900"));
    double capDeq = Double.parseDouble(opts.getOrDefault("capDEQ", "120"));
    // Weka's MLP is single-threaded and O(p) per row: at p = 300 on gas its 50 epochs take ~10 min
    double capMlp = Double.parseDouble(opts.getOrDefault("capMLP", Double.toString(cap)));
    String[] shard = opts.getOrDefault("shard", "0/1").split("/");
    int k = Integer.parseInt(shard[0]);
    int kk = Integer.parseInt(shard[1]);
    List<int[]> pairs = new ArrayList<>();
    for (int s = 0; s < seeds.length; s++) {
      for (int p = 0; p < protocols.size(); p++) {
        pairs.add(new int[] {seeds[s], p});
      }
    }
    Set<String> done = new HashSet<>();
    TablesCsv.rows(csv).forEach(r -> done.add(r.key()));
    System.out.printf(Locale.ROOT, "paper tables on commit %s, shard %d/%d, %d rows already done%n", commit, k, kk,
        done.size());
    for (int p : nodes) {
      for (int i = 0; i < pairs.size(); i++) {
        if (i % kk != k) {
          continue;
        }
        int seed = pairs.get(i)[0];
        String key = protocols.get(pairs.get(i)[1]);
        Protocols.Split split = null;
        for (Method m : methods) {
          if (m == Method.MLP_WEKA && p != 100) {
            continue; // reference row at p = 100 only
          }
          String name = protocolName(key);
          String rowKey = name + "|" + m.label + "|" + p + "|" + seed + "|" + commit;
          if (done.contains(rowKey)) {
            continue;
          }
          if (split == null) {
            split = Protocols.byKey(key, seed);
          }
          double alpha = m.tuned ? tunedAlpha(split, key, m, seed, threads, cap) : Double.NaN;
          String o = m.optionString(p, seed, m.isNeuralModules() ? threads : 0, alpha);
          double load = BenchMain.loadAverage();
          Runner.Result r = Runner.run(split, m, o, p, threads,
              m == Method.DEQ ? capDeq : m.isNeuralModules() ? cap : capMlp);
          TablesCsv.Row row = new TablesCsv.Row(split.name(), m.label, p, seed, commit, r.error(), r.trainSeconds(),
              r.epochs(), r.capped(), r.secondsPerEpoch(), r.modules(), r.largestModule(), r.maxScc(),
              r.activeEdges(), TablesCsv.sizes(r.moduleSizes()), m.isNeuralModules() ? threads : 1,
              Math.max(load, BenchMain.loadAverage()), BenchMain.now(), o);
          TablesCsv.append(csv, TablesCsv.HEADER, row.csv());
          done.add(row.key());
          System.out.printf(Locale.ROOT, "  %-9s seed %d %-22s p=%-4d error %6.2f%%  %7.1f s  %3d epochs%s"
              + "  modules %d largest %d%n", split.name(), seed, m.label, p, 100 * r.error(), r.trainSeconds(),
              r.epochs(), r.capped() ? " (capped)" : "", r.modules(), r.largestModule());
        }
      }
    }
  }

  static String protocolName(String key) {
    return switch (key) {
      case "codon" -> "codon P1";
      case "gas" -> "gas P1";
      case "gasP2" -> "gas P2";
      case "facebook" -> "facebook P1";
      default -> throw new IllegalArgumentException("Unknown protocol " + key);
    };
  }

  /**
   * The alpha of the grid with the lowest inner-split error (ties: the earlier grid value, the
   * package default first); runs only the grid points not yet in docs/bench/tables-tuning.csv.
   */
  private double tunedAlpha(Protocols.Split outer, String key, Method m, int seed, int threads, double cap)
      throws Exception {
    double[] grid = list("alphas", "0.01,0.001,0.1").stream().mapToDouble(Double::parseDouble).toArray();
    int tuneNodes = Integer.parseInt(opts.getOrDefault("tuneNodes", "100"));
    String name = protocolName(key);
    double[] err = new double[grid.length];
    Arrays.fill(err, Double.NaN);
    for (TablesCsv.Tuning t : TablesCsv.tunings(tuningCsv)) {
      for (int g = 0; g < grid.length; g++) {
        if (t.protocol().equals(name) && t.method().equals(m.label) && t.seed() == seed && t.alpha() == grid[g]
            && t.commit().equals(commit)) {
          err[g] = t.innerError();
        }
      }
    }
    Protocols.Split inner = null;
    for (int g = 0; g < grid.length; g++) {
      if (!Double.isNaN(err[g])) {
        continue;
      }
      if (inner == null) {
        inner = Protocols.inner(outer, seed);
      }
      String o = m.optionString(tuneNodes, seed, threads, grid[g]);
      Runner.Result r = Runner.run(inner, m, o, tuneNodes, threads, cap);
      err[g] = r.error();
      TablesCsv.append(tuningCsv, TablesCsv.TUNING_HEADER, new TablesCsv.Tuning(name, m.label, seed, grid[g],
          r.error(), r.trainSeconds(), commit, BenchMain.now()).csv());
      System.out.printf(Locale.ROOT, "  tune %-9s seed %d %-8s alpha %-6s inner error %6.2f%%  %6.1f s%n", name, seed,
          m.label, grid[g], 100 * r.error(), r.trainSeconds());
    }
    int best = 0;
    for (int g = 1; g < grid.length; g++) {
      if (err[g] < err[best]) {
        best = g;
      }
    }
    return grid[best];
  }

  private List<String> list(String key, String dflt) {
    return Arrays.asList(opts.getOrDefault(key, dflt).split(","));
  }
}
