package org.neuralmodules.wekaio;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.neuralmodules.graph.GraphPlan;

/**
 * Writes the active graph of a trained network as XMLBIF 0.3, the format Weka's Explorer shows
 * with "Visualize graph" (weka.gui.graphvisualizer.GraphVisualizer) and BIFReader reads.
 *
 * <p>A hidden node k of module rank r is the variable {@code m<r>_n<k>}; rank 1 is the largest
 * module (ties: smallest node first), so the name says which module a node belongs to. Each
 * active edge j -> k is a GIVEN j in k's DEFINITION. XMLBIF is a Bayes-net format, so every
 * variable gets exactly one outcome: its table then has one entry whatever the number of
 * parents (a table over real outcomes would grow as 2^parents).
 *
 * <p>The drawing must be acyclic: the Explorer lays every graph out with Weka's
 * HierarchicalBCEngine, which breaks on cycles of more than a few nodes (its assignLevels ignores
 * the edges its removeCycles reversed; the layout thread then dies, and one of its error paths
 * calls System.exit). Nodes are therefore ordered module by module, strongly connected
 * components in topological order and, inside a cyclic component, in DFS reverse postorder; an
 * edge that points backwards in that order (it closes a cycle) goes to its own leaf variable
 * {@code cyc_n<j>_n<k>} ("feedback edge j -> k") instead of to k. Every active edge is still
 * drawn exactly once.
 *
 * <p>Positions put each module in its own grid block; the Explorer re-lays the graph out, other
 * XMLBIF readers (BayesNet editor) use them. Large graphs are capped: whole modules are taken
 * largest first while they fit in {@code maxNodes} (the largest is cut if it alone is too big),
 * then at most {@code maxEdges} of their edges, strongest |w| first. What was left out is stated
 * in the network NAME and a PROPERTY, so a capped picture is never mistaken for the whole model.
 */
public final class ModuleGraphExport {

  /**
   * Defaults that keep the Explorer's layout to a few seconds: HierarchicalBCEngine adds a dummy
   * node per level an edge spans and is quadratic in all nodes; measured on random one-module
   * graphs, 200 nodes / 300 edges lay out in under 5 s, 100 nodes / 495 edges took over 60 s.
   */
  public static final int DEFAULT_MAX_NODES = 200;
  public static final int DEFAULT_MAX_EDGES = 300;

  private static final int CELL_W = 110;
  private static final int CELL_H = 60;
  private static final int BLOCK_GAP = 40;
  private static final int ROW_WIDTH = 1400;

  private ModuleGraphExport() {}

  /** The node and edge selection, exposed for tests and for the name of each node. */
  public static final class Selection {
    /** Shown nodes, grouped by module rank, topological order inside a module. */
    public final int[] nodes;
    /** Module rank (1 = largest) of every node of the plan. */
    public final int[] rankOf;
    /** Shown edges as (source, target) node pairs, in target-node order. */
    public final int[] edgeSrc;
    public final int[] edgeDst;
    public final double[] edgeWeight;
    /** Whether edge i closes a cycle in the drawing order (drawn to a feedback leaf). */
    public final boolean[] edgeBack;
    public final int shownModules;
    public final boolean nodesCapped;
    public final boolean edgesCapped;

    private Selection(int[] nodes, int[] rankOf, int[] edgeSrc, int[] edgeDst, double[] edgeWeight,
        boolean[] edgeBack, int shownModules, boolean nodesCapped, boolean edgesCapped) {
      this.nodes = nodes;
      this.rankOf = rankOf;
      this.edgeSrc = edgeSrc;
      this.edgeDst = edgeDst;
      this.edgeWeight = edgeWeight;
      this.edgeBack = edgeBack;
      this.shownModules = shownModules;
      this.nodesCapped = nodesCapped;
      this.edgesCapped = edgesCapped;
    }

    public String nodeName(int k) {
      return "m" + rankOf[k] + "_n" + k;
    }

    /** Name of the leaf that stands for the feedback edge j -> k. */
    public static String feedbackName(int j, int k) {
      return "cyc_n" + j + "_n" + k;
    }

    public int backEdges() {
      int n = 0;
      for (boolean b : edgeBack) {
        n += b ? 1 : 0;
      }
      return n;
    }
  }

  public static String toXmlBif(GraphPlan plan, String title) {
    return toXmlBif(plan, title, DEFAULT_MAX_NODES, DEFAULT_MAX_EDGES);
  }

  public static String toXmlBif(GraphPlan plan, String title, int maxNodes, int maxEdges) {
    Selection s = select(plan, maxNodes, maxEdges);
    return write(plan, s, title);
  }

  /** Chooses what to draw: whole modules largest first, then the strongest of their edges. */
  public static Selection select(GraphPlan plan, int maxNodes, int maxEdges) {
    if (maxNodes < 1 || maxEdges < 0) {
      throw new IllegalArgumentException("graph caps must be maxNodes >= 1 and maxEdges >= 0, got "
          + maxNodes + " and " + maxEdges);
    }
    int mc = plan.moduleCount;
    Integer[] order = new Integer[mc];
    for (int m = 0; m < mc; m++) {
      order[m] = m;
    }
    // modules are numbered by smallest node, so the id breaks size ties deterministically
    Arrays.sort(order, (a, b) -> plan.moduleSize[a] != plan.moduleSize[b]
        ? Integer.compare(plan.moduleSize[b], plan.moduleSize[a]) : Integer.compare(a, b));
    int[] rankOfModule = new int[mc];
    for (int r = 0; r < mc; r++) {
      rankOfModule[order[r]] = r + 1;
    }
    int[] rankOf = new int[plan.p];
    for (int k = 0; k < plan.p; k++) {
      rankOf[k] = rankOfModule[plan.moduleOf[k]];
    }

    int[] nodes = new int[Math.min(maxNodes, plan.p)];
    int count = 0;
    int shownModules = 0;
    boolean capped = false;
    for (int r = 0; r < mc; r++) {
      int m = order[r];
      int size = plan.moduleSize[m];
      if (count + size > maxNodes) {
        capped = true;
        if (count > 0) {
          continue; // a smaller module further down may still fit
        }
      }
      shownModules++;
      // SCCs of a module are stored contiguously in topological order
      for (int sc = plan.moduleSccStart[m]; sc < plan.moduleSccStart[m + 1] && count < maxNodes; sc++) {
        for (int k : sccOrder(plan, sc)) {
          if (count < maxNodes) {
            nodes[count++] = k;
          }
        }
      }
    }
    nodes = Arrays.copyOf(nodes, count);

    boolean[] shown = new boolean[plan.p];
    for (int k : nodes) {
      shown[k] = true;
    }
    List<int[]> edges = new ArrayList<>();
    for (int k = 0; k < plan.p; k++) {
      if (!shown[k]) {
        continue;
      }
      for (int e = plan.inStart[k]; e < plan.inStart[k + 1]; e++) {
        if (shown[plan.inSrc[e]]) {
          edges.add(new int[] {plan.inSrc[e], k, e});
        }
      }
    }
    boolean edgesCapped = edges.size() > maxEdges;
    if (edgesCapped) {
      edges.sort((a, b) -> {
        int c = Double.compare(Math.abs(plan.inW[b[2]]), Math.abs(plan.inW[a[2]]));
        return c != 0 ? c : Integer.compare(a[2], b[2]);
      });
      edges = new ArrayList<>(edges.subList(0, maxEdges));
      edges.sort((a, b) -> Integer.compare(a[2], b[2])); // back to target-node order
    }
    int[] position = new int[plan.p];
    for (int i = 0; i < nodes.length; i++) {
      position[nodes[i]] = i;
    }
    int ne = edges.size();
    int[] src = new int[ne];
    int[] dst = new int[ne];
    double[] w = new double[ne];
    boolean[] back = new boolean[ne];
    for (int i = 0; i < ne; i++) {
      src[i] = edges.get(i)[0];
      dst[i] = edges.get(i)[1];
      w[i] = plan.inW[edges.get(i)[2]];
      back[i] = position[dst[i]] <= position[src[i]];
    }
    return new Selection(nodes, rankOf, src, dst, w, back, shownModules, capped, edgesCapped);
  }

  /**
   * The nodes of SCC sc in DFS reverse postorder (DFS inside the SCC, from its smallest node):
   * the edges pointing backwards in this order are exactly the DFS back edges, a small set that
   * breaks every cycle.
   */
  static int[] sccOrder(GraphPlan plan, int sc) {
    int from = plan.sccStart[sc];
    int size = plan.sccStart[sc + 1] - from;
    if (size == 1) {
      return new int[] {plan.sccNodes[from]};
    }
    int[] members = Arrays.copyOfRange(plan.sccNodes, from, from + size);
    Arrays.sort(members);
    boolean[] visited = new boolean[plan.p];
    int[] post = new int[size];
    int postCount = 0;
    int[] stack = new int[size];
    int[] next = new int[size]; // next out-edge to look at, per stack slot
    for (int root : members) {
      if (visited[root]) {
        continue;
      }
      int top = 0;
      stack[0] = root;
      next[0] = plan.outStart[root];
      visited[root] = true;
      while (top >= 0) {
        int v = stack[top];
        if (next[top] < plan.outStart[v + 1]) {
          int u = plan.outDst[next[top]++];
          if (!visited[u] && plan.sccOf[u] == sc) {
            visited[u] = true;
            stack[++top] = u;
            next[top] = plan.outStart[u];
          }
        } else {
          post[postCount++] = v;
          top--;
        }
      }
    }
    int[] order = new int[size];
    for (int i = 0; i < size; i++) {
      order[i] = post[size - 1 - i];
    }
    return order;
  }

  private static String write(GraphPlan plan, Selection s, String title) {
    StringBuilder note = new StringBuilder();
    note.append(String.format(Locale.ROOT, "%d modules, %d nodes, %d active edges", plan.moduleCount, plan.p,
        plan.activeEdges));
    int back = s.backEdges();
    if (back > 0) {
      note.append(String.format(Locale.ROOT, "; %d cycle-closing edges drawn to cyc_ leaves", back));
    }
    if (s.nodesCapped || s.edgesCapped) {
      note.append(String.format(Locale.ROOT, "; showing %d modules (largest first), %d nodes, %d edges%s",
          s.shownModules, s.nodes.length, s.edgeSrc.length, s.edgesCapped ? " (strongest |w| first)" : ""));
    }
    StringBuilder x = new StringBuilder(256 + 160 * s.nodes.length + 40 * s.edgeSrc.length);
    x.append("<?xml version=\"1.0\"?>\n");
    x.append("<!-- Neural Modules graph: variable m<r>_n<k> is hidden node k in module r "
        + "(1 = largest); GIVEN j in the DEFINITION of k is an active edge j -> k. -->\n");
    appendDtd(x);
    x.append("<BIF VERSION=\"0.3\">\n<NETWORK>\n");
    x.append("<NAME>").append(escape(title + " (" + note + ")")).append("</NAME>\n");
    x.append("<PROPERTY>").append(escape("note = " + note)).append("</PROPERTY>\n");

    int[][] pos = layout(s);
    for (int i = 0; i < s.nodes.length; i++) {
      int k = s.nodes[i];
      int sc = plan.sccOf[k];
      x.append("<VARIABLE TYPE=\"nature\">\n");
      x.append("<NAME>").append(s.nodeName(k)).append("</NAME>\n");
      x.append("<OUTCOME>node</OUTCOME>\n");
      x.append(String.format(Locale.ROOT, "<PROPERTY>module = %d (%d nodes)</PROPERTY>%n", s.rankOf[k],
          plan.moduleSize[plan.moduleOf[k]]));
      x.append(String.format(Locale.ROOT, "<PROPERTY>scc = %d (%d nodes%s)</PROPERTY>%n", sc, plan.sccSize(sc),
          plan.isCyclic(sc) ? ", cyclic" : ""));
      x.append(String.format(Locale.ROOT, "<PROPERTY>position = (%d, %d)</PROPERTY>%n", pos[i][0], pos[i][1]));
      x.append("</VARIABLE>\n");
    }
    for (int i = 0; i < s.nodes.length; i++) {
      int k = s.nodes[i];
      x.append("<DEFINITION>\n<FOR>").append(s.nodeName(k)).append("</FOR>\n");
      // edges are sorted by target node, so k's parents are one run; find it
      int from = firstEdgeTo(s, k);
      for (int e = from; e >= 0 && e < s.edgeDst.length && s.edgeDst[e] == k; e++) {
        if (s.edgeBack[e]) {
          continue;
        }
        x.append("<GIVEN>").append(s.nodeName(s.edgeSrc[e])).append("</GIVEN>\n");
      }
      // one outcome per variable: a single probability whatever the number of parents
      x.append("<TABLE>1</TABLE>\n");
      for (int e = from; e >= 0 && e < s.edgeDst.length && s.edgeDst[e] == k; e++) {
        if (s.edgeBack[e]) {
          continue;
        }
        x.append(String.format(Locale.ROOT, "<PROPERTY>weight %s -&gt; %s = %.4g</PROPERTY>%n",
            s.nodeName(s.edgeSrc[e]), s.nodeName(k), s.edgeWeight[e]));
      }
      x.append("</DEFINITION>\n");
    }
    appendFeedbackLeaves(x, s, pos);
    x.append("</NETWORK>\n</BIF>\n");
    return x.toString();
  }

  /** One leaf variable per cycle-closing edge j -> k, placed just below k. */
  private static void appendFeedbackLeaves(StringBuilder x, Selection s, int[][] pos) {
    int[] indexOf = new int[s.rankOf.length];
    for (int i = 0; i < s.nodes.length; i++) {
      indexOf[s.nodes[i]] = i;
    }
    int[] perTarget = new int[s.rankOf.length];
    for (int e = 0; e < s.edgeSrc.length; e++) {
      if (!s.edgeBack[e]) {
        continue;
      }
      int j = s.edgeSrc[e];
      int k = s.edgeDst[e];
      int[] at = pos[indexOf[k]];
      int shift = ++perTarget[k];
      x.append("<VARIABLE TYPE=\"nature\">\n");
      x.append("<NAME>").append(Selection.feedbackName(j, k)).append("</NAME>\n");
      x.append("<OUTCOME>node</OUTCOME>\n");
      x.append("<PROPERTY>").append(escape("feedback edge " + s.nodeName(j) + " -> " + s.nodeName(k)
          + " (closes a cycle)")).append("</PROPERTY>\n");
      x.append(String.format(Locale.ROOT, "<PROPERTY>position = (%d, %d)</PROPERTY>%n", at[0] + 8 * shift,
          at[1] + CELL_H / 2 + 4 * shift));
      x.append("</VARIABLE>\n");
      x.append("<DEFINITION>\n<FOR>").append(Selection.feedbackName(j, k)).append("</FOR>\n");
      x.append("<GIVEN>").append(s.nodeName(j)).append("</GIVEN>\n<TABLE>1</TABLE>\n");
      x.append(String.format(Locale.ROOT, "<PROPERTY>weight %s -&gt; %s = %.4g</PROPERTY>%n", s.nodeName(j),
          s.nodeName(k), s.edgeWeight[e]));
      x.append("</DEFINITION>\n");
    }
  }

  private static int firstEdgeTo(Selection s, int k) {
    int lo = 0;
    int hi = s.edgeDst.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (s.edgeDst[mid] < k) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo < s.edgeDst.length && s.edgeDst[lo] == k ? lo : -1;
  }

  /** Grid block per module (ceil(sqrt(size)) columns), blocks left to right in wrapped rows. */
  private static int[][] layout(Selection s) {
    int[][] pos = new int[s.nodes.length][2];
    int x0 = BLOCK_GAP;
    int y0 = BLOCK_GAP;
    int rowHeight = 0;
    int i = 0;
    while (i < s.nodes.length) {
      int rank = s.rankOf[s.nodes[i]];
      int j = i;
      while (j < s.nodes.length && s.rankOf[s.nodes[j]] == rank) {
        j++;
      }
      int size = j - i;
      int cols = (int) Math.ceil(Math.sqrt(size));
      int rows = (size + cols - 1) / cols;
      int w = cols * CELL_W;
      if (x0 > BLOCK_GAP && x0 + w > ROW_WIDTH) {
        x0 = BLOCK_GAP;
        y0 += rowHeight + BLOCK_GAP;
        rowHeight = 0;
      }
      for (int a = 0; a < size; a++) {
        pos[i + a][0] = x0 + (a % cols) * CELL_W;
        pos[i + a][1] = y0 + (a / cols) * CELL_H;
      }
      x0 += w + BLOCK_GAP;
      rowHeight = Math.max(rowHeight, rows * CELL_H);
      i = j;
    }
    return pos;
  }

  /** The XMLBIF 0.3 DTD, as weka.classifiers.bayes.BayesNet writes it (BIFReader validates). */
  private static void appendDtd(StringBuilder x) {
    x.append("<!DOCTYPE BIF [\n")
        .append("<!ELEMENT BIF ( NETWORK )*>\n")
        .append("<!ATTLIST BIF VERSION CDATA #REQUIRED>\n")
        .append("<!ELEMENT NETWORK ( NAME, ( PROPERTY | VARIABLE | DEFINITION )* )>\n")
        .append("<!ELEMENT NAME (#PCDATA)>\n")
        .append("<!ELEMENT VARIABLE ( NAME, ( OUTCOME |  PROPERTY )* ) >\n")
        .append("<!ATTLIST VARIABLE TYPE (nature|decision|utility) \"nature\">\n")
        .append("<!ELEMENT OUTCOME (#PCDATA)>\n")
        .append("<!ELEMENT DEFINITION ( FOR | GIVEN | TABLE | PROPERTY )* >\n")
        .append("<!ELEMENT FOR (#PCDATA)>\n")
        .append("<!ELEMENT GIVEN (#PCDATA)>\n")
        .append("<!ELEMENT TABLE (#PCDATA)>\n")
        .append("<!ELEMENT PROPERTY (#PCDATA)>\n")
        .append("]>\n");
  }

  static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&apos;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
