package org.neuralmodules.bench;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * docs/bench/tables.csv (issue 10): one row per run, appended under a file lock so that several
 * harness processes (shards) can fill it at once, and read back to skip runs already made on the
 * same commit. The first seven columns are the ones the issue names; the rest describe the run.
 */
final class TablesCsv {
  static final String HEADER = "protocol,method,nodes,seed,commit,error,build_s,epochs,capped,s_per_epoch,modules,"
      + "largest_module,max_scc,active_edges,module_sizes,threads,load_avg,date,options";
  static final String TUNING_HEADER = "protocol,method,seed,alpha,inner_error,build_s,commit,date";

  /** One run. Module sizes as "size:count;size:count". */
  record Row(String protocol, String method, int nodes, int seed, String commit, double error, double buildSeconds,
      int epochs, boolean capped, double secondsPerEpoch, int modules, int largestModule, int maxScc,
      int activeEdges, String moduleSizes, int threads, double loadAvg, String date, String options) {

    String key() {
      return protocol + "|" + method + "|" + nodes + "|" + seed + "|" + commit;
    }

    String csv() {
      return String.join(",", protocol, method, Integer.toString(nodes), Integer.toString(seed), commit,
          String.format(Locale.ROOT, "%.6f", error), String.format(Locale.ROOT, "%.3f", buildSeconds),
          Integer.toString(epochs), Boolean.toString(capped), String.format(Locale.ROOT, "%.4f", secondsPerEpoch),
          Integer.toString(modules), Integer.toString(largestModule), Integer.toString(maxScc),
          Integer.toString(activeEdges), moduleSizes, Integer.toString(threads),
          String.format(Locale.ROOT, "%.2f", loadAvg), date, "\"" + options + "\"");
    }

    static Row parse(String line) {
      int q = line.indexOf(",\"");
      String opts = line.substring(q + 2, line.length() - 1);
      String[] f = line.substring(0, q).split(",", -1);
      return new Row(f[0], f[1], Integer.parseInt(f[2]), Integer.parseInt(f[3]), f[4], Double.parseDouble(f[5]),
          Double.parseDouble(f[6]), Integer.parseInt(f[7]), Boolean.parseBoolean(f[8]), Double.parseDouble(f[9]),
          Integer.parseInt(f[10]), Integer.parseInt(f[11]), Integer.parseInt(f[12]), Integer.parseInt(f[13]), f[14],
          Integer.parseInt(f[15]), Double.parseDouble(f[16]), f[17], opts);
    }
  }

  /** One tuning run: inner-split error of a tuned method at one alpha. */
  record Tuning(String protocol, String method, int seed, double alpha, double innerError, double buildSeconds,
      String commit, String date) {
    String csv() {
      return String.join(",", protocol, method, Integer.toString(seed), Double.toString(alpha),
          String.format(Locale.ROOT, "%.6f", innerError), String.format(Locale.ROOT, "%.3f", buildSeconds), commit,
          date);
    }

    static Tuning parse(String line) {
      String[] f = line.split(",", -1);
      return new Tuning(f[0], f[1], Integer.parseInt(f[2]), Double.parseDouble(f[3]), Double.parseDouble(f[4]),
          Double.parseDouble(f[5]), f[6], f[7]);
    }
  }

  private TablesCsv() {}

  static String sizes(int[] moduleSizes) {
    Map<Integer, Integer> h = new TreeMap<>();
    for (int s : moduleSizes) {
      h.merge(s, 1, Integer::sum);
    }
    StringBuilder sb = new StringBuilder();
    h.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ";").append(k).append(':').append(v));
    return sb.toString();
  }

  static List<Row> rows(File file) throws IOException {
    List<Row> out = new ArrayList<>();
    for (String l : lines(file)) {
      out.add(Row.parse(l));
    }
    return out;
  }

  static List<Tuning> tunings(File file) throws IOException {
    List<Tuning> out = new ArrayList<>();
    for (String l : lines(file)) {
      out.add(Tuning.parse(l));
    }
    return out;
  }

  private static List<String> lines(File file) throws IOException {
    if (!file.isFile()) {
      return List.of();
    }
    List<String> all = Files.readAllLines(file.toPath(), StandardCharsets.UTF_8);
    return all.subList(Math.min(1, all.size()), all.size()).stream().filter(l -> !l.isBlank()).toList();
  }

  /** Appends one line (writing the header first into a new file) while holding an exclusive lock. */
  static void append(File file, String header, String line) throws IOException {
    file.getParentFile().mkdirs();
    try (RandomAccessFile raf = new RandomAccessFile(file, "rw"); FileChannel ch = raf.getChannel();
        FileLock lock = ch.lock()) {
      StringBuilder sb = new StringBuilder();
      if (ch.size() == 0) {
        sb.append(header).append('\n');
      }
      sb.append(line).append('\n');
      ch.position(ch.size());
      ch.write(java.nio.ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8)));
    }
  }
}
