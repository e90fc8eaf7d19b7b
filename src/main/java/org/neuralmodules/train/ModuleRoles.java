package org.neuralmodules.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.neuralmodules.graph.GraphPlan;
import org.neuralmodules.graph.ModuleRanks;
import org.neuralmodules.model.Network;
import org.neuralmodules.model.ParamLayout;

/**
 * What each module does, read off the input weights U and the output weights V: the input
 * features that feed the module most strongly (largest sum of |U_ik| over the module's nodes k)
 * and the outputs (classes, or the numeric target) it drives most (largest sum of |V_ok|). Inputs
 * are standardized by the preprocessor, so |U| of different features compare. Shares are of the
 * module's total |U| (or |V|) mass.
 */
public final class ModuleRoles {

  /** One module's role. Indices are feature (input) and output indices, strongest first. */
  public record Role(int module, int rank, int size, int edges, int[] inputs, double[] inputShare,
      int[] outputs, double[] outputShare) {}

  private final Role[] byModule;
  private final Role[] byRank;
  private final String[] inputNames;
  private final String[] outputNames;

  private ModuleRoles(Role[] byModule, Role[] byRank, String[] inputNames, String[] outputNames) {
    this.byModule = byModule;
    this.byRank = byRank;
    this.inputNames = inputNames;
    this.outputNames = outputNames;
  }

  /**
   * Roles of every module of {@code plan}, keeping the {@code topInputs} strongest inputs and
   * {@code topOutputs} strongest outputs. Names may be null (then "x3", "out 1").
   */
  public static ModuleRoles of(Network net, GraphPlan plan, String[] inputNames, String[] outputNames,
      int topInputs, int topOutputs) {
    ParamLayout l = net.layout();
    if (plan.p != l.nodes()) {
      throw new IllegalArgumentException("plan has " + plan.p + " nodes, network " + l.nodes());
    }
    int d = l.inputs();
    int c = l.outputs();
    String[] in = names(inputNames, d, "x");
    String[] out = names(outputNames, c, "out ");
    double[] theta = net.theta();
    double[][] uMass = new double[plan.moduleCount][d];
    double[][] vMass = new double[plan.moduleCount][c];
    for (int k = 0; k < plan.p; k++) {
      int m = plan.moduleOf[k];
      for (int i = 0; i < d; i++) {
        uMass[m][i] += Math.abs(theta[l.u(i, k)]);
      }
      for (int o = 0; o < c; o++) {
        vMass[m][o] += Math.abs(theta[l.v(o, k)]);
      }
    }
    int[] order = ModuleRanks.order(plan);
    Role[] byModule = new Role[plan.moduleCount];
    Role[] byRank = new Role[plan.moduleCount];
    for (int r = 0; r < order.length; r++) {
      int m = order[r];
      int[] ti = strongest(uMass[m], topInputs);
      int[] to = strongest(vMass[m], topOutputs);
      Role role = new Role(m, r + 1, plan.moduleSize[m], plan.moduleEdges[m], ti, shares(uMass[m], ti), to,
          shares(vMass[m], to));
      byModule[m] = role;
      byRank[r] = role;
    }
    return new ModuleRoles(byModule, byRank, in, out);
  }

  private static String[] names(String[] given, int n, String prefix) {
    if (given != null && given.length == n) {
      return given.clone();
    }
    String[] s = new String[n];
    for (int i = 0; i < n; i++) {
      s[i] = prefix + i;
    }
    return s;
  }

  /** Indices of the {@code top} largest values, largest first (ties: smaller index first). */
  static int[] strongest(double[] mass, int top) {
    Integer[] idx = new Integer[mass.length];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = i;
    }
    Arrays.sort(idx, (a, b) -> mass[a] != mass[b] ? Double.compare(mass[b], mass[a]) : Integer.compare(a, b));
    return Arrays.stream(idx).limit(Math.max(0, top)).mapToInt(Integer::intValue).toArray();
  }

  private static double[] shares(double[] mass, int[] idx) {
    double total = 0;
    for (double v : mass) {
      total += v;
    }
    double[] s = new double[idx.length];
    for (int i = 0; i < idx.length; i++) {
      s[i] = total > 0 ? mass[idx[i]] / total : 0.0;
    }
    return s;
  }

  public Role ofModule(int module) {
    return byModule[module];
  }

  /** Role of the module of rank r (1 = largest). */
  public Role ofRank(int rank) {
    return byRank[rank - 1];
  }

  public int modules() {
    return byRank.length;
  }

  public String inputName(int i) {
    return inputNames[i];
  }

  public String outputName(int o) {
    return outputNames[o];
  }

  /** "UUU 12%, GCC 9%" - the strongest inputs of a role with their shares. */
  public String inputsText(Role r) {
    return listText(r.inputs(), r.inputShare(), inputNames);
  }

  public String outputsText(Role r) {
    return listText(r.outputs(), r.outputShare(), outputNames);
  }

  private static String listText(int[] idx, double[] share, String[] names) {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < idx.length; i++) {
      parts.add(String.format(Locale.ROOT, "%s %.0f%%", names[idx[i]], 100 * share[i]));
    }
    return String.join(", ", parts);
  }

  /** "Module 1 (12 nodes, 14 edges): strongest inputs a 20%, b 9%; drives vrl 30%, pln 12%". */
  public String describe(Role r) {
    return String.format(Locale.ROOT, "Module %d (%d node%s, %d edge%s): strongest inputs %s; drives %s", r.rank(),
        r.size(), r.size() == 1 ? "" : "s", r.edges(), r.edges() == 1 ? "" : "s", inputsText(r), outputsText(r));
  }

  /** A short label for a drawing: "M1 UUU>vrl" (strongest input and output, cut to {@code cut} chars). */
  public String shortLabel(Role r, int cut) {
    String in = r.inputs().length > 0 ? cut(inputNames[r.inputs()[0]], cut) : "";
    String out = r.outputs().length > 0 ? cut(outputNames[r.outputs()[0]], cut) : "";
    return "M" + r.rank() + " " + in + ">" + out;
  }

  static String cut(String s, int n) {
    return s.length() <= n ? s : s.substring(0, Math.max(1, n - 1)) + "~";
  }
}
