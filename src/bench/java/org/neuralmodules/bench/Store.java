package org.neuralmodules.bench;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Results of table runs as a CSV that later runs update row by row (key: protocol, method, nodes,
 * threads), so the quick profile, the full profile and single reruns all feed one set of tables.
 */
public final class Store {
  static final String HEADER = "protocol,method,nodes,threads,error,train_s,epochs,s_per_epoch,capped,modules,"
      + "largest_module,max_scc,active_edges,peak_heap_mb,module_sizes,load_avg,date,commit,options";

  /** One stored row; module sizes as "size:count;size:count". */
  public record Row(String protocol, String method, int nodes, int threads, double error, double trainSeconds,
      int epochs, double secondsPerEpoch, boolean capped, int modules, int largestModule, int maxScc,
      int activeEdges, double peakHeapMb, String moduleSizes, double loadAvg, String date, String commit,
      String options) {

    String key() {
      return protocol + "|" + method + "|" + nodes + "|" + threads;
    }

    String csv() {
      return String.join(",", protocol, method, Integer.toString(nodes), Integer.toString(threads),
          String.format(Locale.ROOT, "%.6f", error), String.format(Locale.ROOT, "%.3f", trainSeconds),
          Integer.toString(epochs), String.format(Locale.ROOT, "%.4f", secondsPerEpoch), Boolean.toString(capped),
          Integer.toString(modules), Integer.toString(largestModule), Integer.toString(maxScc),
          Integer.toString(activeEdges), String.format(Locale.ROOT, "%.1f", peakHeapMb), moduleSizes,
          String.format(Locale.ROOT, "%.2f", loadAvg), date, commit, "\"" + options + "\"");
    }

    static Row parse(String line) {
      int q = line.indexOf(",\"");
      String opts = line.substring(q + 2, line.length() - 1);
      String[] f = line.substring(0, q).split(",", -1);
      return new Row(f[0], f[1], Integer.parseInt(f[2]), Integer.parseInt(f[3]), Double.parseDouble(f[4]),
          Double.parseDouble(f[5]), Integer.parseInt(f[6]), Double.parseDouble(f[7]), Boolean.parseBoolean(f[8]),
          Integer.parseInt(f[9]), Integer.parseInt(f[10]), Integer.parseInt(f[11]), Integer.parseInt(f[12]),
          Double.parseDouble(f[13]), f[14], Double.parseDouble(f[15]), f[16], f[17], opts);
    }

    /** Module size -> count. */
    Map<Integer, Integer> histogram() {
      Map<Integer, Integer> h = new TreeMap<>();
      if (!moduleSizes.isEmpty()) {
        for (String part : moduleSizes.split(";")) {
          String[] kv = part.split(":");
          h.put(Integer.parseInt(kv[0]), Integer.parseInt(kv[1]));
        }
      }
      return h;
    }
  }

  private final File file;
  private final Map<String, Row> rows = new LinkedHashMap<>();

  public Store(File file) throws IOException {
    this.file = file;
    if (file.isFile()) {
      List<String> lines = Files.readAllLines(file.toPath(), StandardCharsets.UTF_8);
      for (String l : lines.subList(1, lines.size())) {
        if (!l.isBlank()) {
          Row r = Row.parse(l);
          rows.put(r.key(), r);
        }
      }
    }
  }

  public static String sizes(int[] moduleSizes) {
    Map<Integer, Integer> h = new TreeMap<>();
    for (int s : moduleSizes) {
      h.merge(s, 1, Integer::sum);
    }
    StringBuilder sb = new StringBuilder();
    h.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ";").append(k).append(':').append(v));
    return sb.toString();
  }

  public void put(Row r) throws IOException {
    rows.put(r.key(), r);
    save();
  }

  public Row get(String protocol, String method, int nodes, int threads) {
    return rows.get(protocol + "|" + method + "|" + nodes + "|" + threads);
  }

  public List<Row> all() {
    return new ArrayList<>(rows.values());
  }

  private void save() throws IOException {
    file.getParentFile().mkdirs();
    StringBuilder sb = new StringBuilder(HEADER).append('\n');
    for (Row r : rows.values()) {
      sb.append(r.csv()).append('\n');
    }
    Files.writeString(file.toPath(), sb.toString(), StandardCharsets.UTF_8);
  }
}
