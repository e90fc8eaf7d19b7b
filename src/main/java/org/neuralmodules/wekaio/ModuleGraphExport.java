package org.neuralmodules.wekaio;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.neuralmodules.graph.GraphPlan;
import org.neuralmodules.graph.ModuleRanks;
import org.neuralmodules.train.ModuleRoles;

/**
 * Writes the active graph of a trained network as XMLBIF 0.3, the format Weka's Explorer shows
 * with "Visualize graph" (weka.gui.graphvisualizer.GraphVisualizer) and BIFReader reads.
 *
 * <p>What is drawn, so that the picture reads at a glance in the Explorer's window:
 * <ul>
 *   <li>A hidden node k of module rank r is the variable {@code m<r>_n<k>}; rank 1 is the largest
 *       module (ties: smallest node first). Each active edge j -> k is a GIVEN j in k's
 *       DEFINITION.</li>
 *   <li>Each drawn module hangs from a header variable {@code M<r> a>c}: module r, its strongest
 *       input feature a (sum of |U|) and the output c it drives most (sum of |V|); the header's
 *       PROPERTY has the full description ({@link ModuleRoles}). Its arrows go to the module's
 *       entry nodes (those without a drawn in-edge) and are not edges of W.</li>
 *   <li>Single-node modules (no active edge) are one summary variable {@code <n> singles}
 *       whose PROPERTY lists them.</li>
 *   <li>Cycles: the Explorer lays every graph out with Weka's HierarchicalBCEngine, which breaks
 *       on cycles of more than a few nodes (its assignLevels ignores the edges its removeCycles
 *       reversed; the layout thread then dies, and one of its error paths calls System.exit).
 *       Nodes are therefore ordered module by module, strongly connected components in
 *       topological order and, inside a cyclic component, in DFS reverse postorder; an edge that
 *       points backwards in that order (it closes a cycle) goes to its own leaf variable
 *       {@code fb n<j>->n<k>} ("feedback edge j -> k") instead of to k, and a legend variable
 *       {@code fb=feedback} says so. Every active edge of a drawn module is drawn exactly
 *       once.</li>
 *   <li>Rows: the layout engine puts all roots on one level, so side-by-side modules soon exceed
 *       any screen. Module blocks are packed into rows of a {@value #WINDOW_W} x {@value #WINDOW_H}
 *       window ({@link WindowRows}); each further row hangs from a row variable
 *       {@code row <i>} whose only parent is the deepest node of the row above (a layout link,
 *       not an edge of W). Modules that do not fit are summarized in one variable
 *       {@code +<n> modules}. The Explorer's layout centres children under parents, so a row can
 *       drift sideways; the export therefore lays its own drawing out with the same engine
 *       ({@link ExplorerFit}) and leaves out the smallest drawn module until it fits.</li>
 * </ul>
 * XMLBIF is a Bayes-net format, so every variable gets exactly one outcome: its table then has
 * one entry whatever the number of parents (a table over real outcomes would grow as 2^parents).
 * Positions follow the same rows; the Explorer re-lays the graph out, other XMLBIF readers
 * (BayesNet editor) use them. Large graphs are also capped: whole modules are taken largest first
 * while they fit in {@code maxNodes} (the largest is cut if it alone is too big), then at most
 * {@code maxEdges} of their edges, strongest |w| first. What was left out is stated in the
 * network NAME and a PROPERTY, so a capped picture is never mistaken for the whole model.
 */
public final class ModuleGraphExport {

  /**
   * Defaults that keep the Explorer's layout to a few seconds: HierarchicalBCEngine adds a dummy
   * node per level an edge spans and is quadratic in all nodes; measured on random one-module
   * graphs, 200 nodes / 300 edges lay out in under 5 s, 100 nodes / 495 edges took over 60 s.
   */
  public static final int DEFAULT_MAX_NODES = 200;
  public static final int DEFAULT_MAX_EDGES = 300;
  /** The window the default drawing fits (the Explorer's graph window can be enlarged to it). */
  public static final int WINDOW_W = 1400;
  public static final int WINDOW_H = 900;

  /** Label width estimate of the Explorer's default font (12 pt Dialog: about 7 px a character). */
  static final double CHAR_W = 7.5;
  /** GraphVisualizer: node width = widest label + 4, plus 8 padding. */
  static final int LABEL_PAD = 12;
  /** Feature and class names in a module header are cut to this many characters. */
  static final int NAME_CUT = 7;
  static final String LEGEND = "fb=feedback";
  private static final int GAP = 20;
  private static final int MAX_LISTED = 400;

  private ModuleGraphExport() {}

  /** The node and edge selection, exposed for tests and for the name of each node. */
  public static final class Selection {
    /** Drawn hidden nodes, grouped by module rank, topological order inside a module. */
    public final int[] nodes;
    /** Module rank (1 = largest) of every node of the plan. */
    public final int[] rankOf;
    /** Drawn edges as (source, target) node pairs, in target-node order. */
    public final int[] edgeSrc;
    public final int[] edgeDst;
    public final double[] edgeWeight;
    /** Whether edge i closes a cycle in the drawing order (drawn to a feedback leaf). */
    public final boolean[] edgeBack;
    /** Drawn modules (module ids with more than one node), largest first. */
    public final int[] modules;
    public final int shownModules;
    /** Nodes of the single-node modules, in node order (drawn as one summary variable). */
    public final int[] singletons;
    /** Modules with edges that are not drawn (caps or window), largest first. */
    public final int[] leftOut;
    public final boolean nodesCapped;
    public final boolean edgesCapped;
    /** Whether modules were left out to fit the window. */
    public final boolean windowCapped;
    /** Level of each plan node inside its module block (header = 0), for drawn nodes. */
    final int[] level;
    /** The row packing: entries are indices into {@link #modules}. */
    final WindowRows rows;
    final int columnW;
    /** Block width (columns) of each drawn module, in the order of {@link #modules}. */
    final int[] blockWidth;

    private Selection(int[] nodes, int[] rankOf, int[] edgeSrc, int[] edgeDst, double[] edgeWeight,
        boolean[] edgeBack, int[] modules, int[] singletons, int[] leftOut, boolean nodesCapped,
        boolean edgesCapped, boolean windowCapped, int[] level, WindowRows rows, int columnW, int[] blockWidth) {
      this.nodes = nodes;
      this.rankOf = rankOf;
      this.edgeSrc = edgeSrc;
      this.edgeDst = edgeDst;
      this.edgeWeight = edgeWeight;
      this.edgeBack = edgeBack;
      this.modules = modules;
      this.shownModules = modules.length;
      this.singletons = singletons;
      this.leftOut = leftOut;
      this.nodesCapped = nodesCapped;
      this.edgesCapped = edgesCapped;
      this.windowCapped = windowCapped;
      this.level = level;
      this.rows = rows;
      this.columnW = columnW;
      this.blockWidth = blockWidth;
    }

    public String nodeName(int k) {
      return "m" + rankOf[k] + "_n" + k;
    }

    /** Name of the leaf that stands for the feedback edge j -> k. */
    public static String feedbackName(int j, int k) {
      return "fb n" + j + "->n" + k;
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
    return toXmlBif(plan, null, title);
  }

  /** The default drawing: caps, single nodes collapsed, rows fitted to the window, module roles. */
  public static String toXmlBif(GraphPlan plan, ModuleRoles roles, String title) {
    Labels labels = new Labels(plan, roles);
    int limit = Integer.MAX_VALUE;
    while (true) {
      Selection s = select(plan, DEFAULT_MAX_NODES, DEFAULT_MAX_EDGES, labels, true, limit);
      String xml = write(plan, s, labels, title);
      if (s.shownModules <= 1) {
        return xml;
      }
      int[] size = ExplorerFit.drawingSize(xml, s.columnW);
      if (size == null || (size[0] <= WINDOW_W && size[1] <= WINDOW_H)) {
        return xml;
      }
      limit = s.shownModules - 1; // the Explorer's layout drifted wider than the rows: one module fewer
    }
  }

  /** Explicit caps, no window fitting (every module within the caps is drawn). */
  public static String toXmlBif(GraphPlan plan, String title, int maxNodes, int maxEdges) {
    Labels labels = new Labels(plan, null);
    return write(plan, select(plan, maxNodes, maxEdges, labels, false, Integer.MAX_VALUE), labels, title);
  }

  /** Module header labels and descriptions, with or without roles. */
  static final class Labels {
    final ModuleRoles roles;
    final int[] rankOfModule;
    final GraphPlan plan;

    Labels(GraphPlan plan, ModuleRoles roles) {
      this.plan = plan;
      this.roles = roles;
      this.rankOfModule = ModuleRanks.rankOfModule(plan);
    }

    String header(int module) {
      return roles != null ? roles.shortLabel(roles.ofModule(module), NAME_CUT)
          : "M" + rankOfModule[module] + " (" + plan.moduleSize[module] + ")";
    }

    String describe(int module) {
      return roles != null ? roles.describe(roles.ofModule(module))
          : String.format(Locale.ROOT, "Module %d (%d nodes, %d edges)", rankOfModule[module],
              plan.moduleSize[module], plan.moduleEdges[module]);
    }

    /**
     * Column width for the widest label a drawing of these candidates can have: their headers,
     * node and feedback-leaf names, and the summary, legend and row variables.
     */
    int columnWidth(List<Integer> mods, int[] nodes, Edges e, int singletons, Selection names) {
      int chars = Math.max(LEGEND.length(), moreName(mods.size()).length());
      chars = Math.max(chars, singlesName(singletons).length());
      chars = Math.max(chars, rowName(mods.size() + 1).length());
      for (int m : mods) {
        chars = Math.max(chars, header(m).length());
      }
      for (int k : nodes) {
        chars = Math.max(chars, names.nodeName(k).length());
      }
      for (int i = 0; i < e.src.length; i++) {
        if (e.back[i]) {
          chars = Math.max(chars, Selection.feedbackName(e.src[i], e.dst[i]).length());
        }
      }
      return (int) Math.ceil(chars * CHAR_W) + LABEL_PAD;
    }
  }

  /** Chooses what to draw under the caps alone (no window fitting). */
  public static Selection select(GraphPlan plan, int maxNodes, int maxEdges) {
    return select(plan, maxNodes, maxEdges, new Labels(plan, null), false, Integer.MAX_VALUE);
  }

  /**
   * The row packing of the default drawing before the Explorer-layout check (which may leave out
   * a few more of the smallest modules).
   */
  public static Selection selectForWindow(GraphPlan plan, ModuleRoles roles) {
    return select(plan, DEFAULT_MAX_NODES, DEFAULT_MAX_EDGES, new Labels(plan, roles), true, Integer.MAX_VALUE);
  }

  /**
   * Chooses what to draw: whole modules with edges largest first, then the strongest of their
   * edges; with {@code fit}, only the modules whose rows fit the window, and at most
   * {@code maxModules} of them.
   */
  static Selection select(GraphPlan plan, int maxNodes, int maxEdges, Labels labels, boolean fit,
      int maxModules) {
    if (maxNodes < 1 || maxEdges < 0) {
      throw new IllegalArgumentException("graph caps must be maxNodes >= 1 and maxEdges >= 0, got "
          + maxNodes + " and " + maxEdges);
    }
    int[] order = ModuleRanks.order(plan);
    int[] rankOfModule = ModuleRanks.rankOfModule(plan);
    int[] rankOf = new int[plan.p];
    for (int k = 0; k < plan.p; k++) {
      rankOf[k] = rankOfModule[plan.moduleOf[k]];
    }
    int[] singletons = Arrays.stream(order).filter(m -> plan.moduleSize[m] == 1)
        .map(m -> firstNode(plan, m)).sorted().toArray();

    List<Integer> mods = new ArrayList<>();
    List<Integer> leftOut = new ArrayList<>();
    int[] nodes = new int[Math.min(maxNodes, plan.p)];
    int count = 0;
    boolean capped = false;
    for (int m : order) {
      int size = plan.moduleSize[m];
      if (size == 1) {
        continue;
      }
      if (count + size > maxNodes) {
        capped = true;
        if (count > 0) {
          leftOut.add(m);
          continue; // a smaller module further down may still fit
        }
      }
      mods.add(m);
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
    Edges e = edges(plan, nodes, maxEdges);
    int[] level = levels(plan, nodes, e);

    Selection naming = new Selection(nodes, rankOf, e.src, e.dst, e.w, e.back, new int[0], singletons, new int[0],
        false, false, false, level, null, 0, new int[0]);
    int columnW = labels.columnWidth(mods, nodes, e, singletons.length, naming);
    int extra = 1 + (singletons.length > 0 ? 1 : 0) + (e.backCount() > 0 ? 1 : 0);
    WindowRows rows = fit ? new WindowRows(WINDOW_W, WINDOW_H, columnW, extra)
        : new WindowRows(Integer.MAX_VALUE / 4, Integer.MAX_VALUE / 4, columnW, extra);
    int[][] profile = profiles(plan, nodes, e, level);
    List<Integer> kept = new ArrayList<>();
    List<Integer> keptWidth = new ArrayList<>();
    boolean windowCapped = false;
    for (int i = 0; i < mods.size(); i++) {
      int width = Arrays.stream(profile[i]).max().orElse(1);
      if (kept.size() < maxModules && rows.add(kept.size(), width, profile[i].length)) {
        kept.add(mods.get(i));
        keptWidth.add(width);
      } else {
        windowCapped = true;
        leftOut.add(mods.get(i));
      }
    }
    if (windowCapped) {
      boolean[] keep = new boolean[plan.moduleCount];
      kept.forEach(m -> keep[m] = true);
      nodes = Arrays.stream(nodes).filter(k -> keep[plan.moduleOf[k]]).toArray();
      e = e.restrictTo(plan, keep);
    }
    mods = kept;
    leftOut.sort((a, b) -> Integer.compare(rankOfModule[a], rankOfModule[b]));
    return new Selection(nodes, rankOf, e.src, e.dst, e.w, e.back,
        mods.stream().mapToInt(Integer::intValue).toArray(), singletons,
        leftOut.stream().mapToInt(Integer::intValue).toArray(), capped, e.capped, windowCapped, level, rows,
        columnW, keptWidth.stream().mapToInt(Integer::intValue).toArray());
  }

  private static int firstNode(GraphPlan plan, int module) {
    return plan.sccNodes[plan.sccStart[plan.moduleSccStart[module]]];
  }

  /** Drawn edges (target-node order) and which of them close a cycle. */
  private static final class Edges {
    int[] src;
    int[] dst;
    double[] w;
    boolean[] back;
    boolean capped;

    int backCount() {
      int n = 0;
      for (boolean b : back) {
        n += b ? 1 : 0;
      }
      return n;
    }

    Edges restrictTo(GraphPlan plan, boolean[] keepModule) {
      Edges r = new Edges();
      int[] idx = java.util.stream.IntStream.range(0, src.length)
          .filter(i -> keepModule[plan.moduleOf[dst[i]]]).toArray();
      r.src = new int[idx.length];
      r.dst = new int[idx.length];
      r.w = new double[idx.length];
      r.back = new boolean[idx.length];
      for (int i = 0; i < idx.length; i++) {
        r.src[i] = src[idx[i]];
        r.dst[i] = dst[idx[i]];
        r.w[i] = w[idx[i]];
        r.back[i] = back[idx[i]];
      }
      r.capped = capped;
      return r;
    }
  }

  private static Edges edges(GraphPlan plan, int[] nodes, int maxEdges) {
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
    Edges out = new Edges();
    out.capped = edges.size() > maxEdges;
    if (out.capped) {
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
    out.src = new int[ne];
    out.dst = new int[ne];
    out.w = new double[ne];
    out.back = new boolean[ne];
    for (int i = 0; i < ne; i++) {
      out.src[i] = edges.get(i)[0];
      out.dst[i] = edges.get(i)[1];
      out.w[i] = plan.inW[edges.get(i)[2]];
      out.back[i] = position[out.dst[i]] <= position[out.src[i]];
    }
    return out;
  }

  /**
   * Level of each drawn node below its module header (header 0, entry nodes 1): the longest path
   * over the forward drawn edges, as HierarchicalBCEngine assigns levels. Nodes are in
   * topological order of those edges, so one pass suffices.
   */
  private static int[] levels(GraphPlan plan, int[] nodes, Edges e) {
    int[] level = new int[plan.p];
    List<List<Integer>> parents = parents(plan, e);
    for (int k : nodes) {
      int l = 1;
      for (int j : parents.get(k)) {
        l = Math.max(l, level[j] + 1);
      }
      level[k] = l;
    }
    return level;
  }

  private static List<List<Integer>> parents(GraphPlan plan, Edges e) {
    List<List<Integer>> parents = new ArrayList<>(plan.p);
    for (int k = 0; k < plan.p; k++) {
      parents.add(new ArrayList<>(0));
    }
    for (int i = 0; i < e.src.length; i++) {
      if (!e.back[i]) {
        parents.get(e.dst[i]).add(e.src[i]);
      }
    }
    return parents;
  }

  /**
   * Per drawn module (in order of first appearance), how many drawn things sit on each level of
   * its block: header, nodes, feedback leaves and the layout engine's dummy nodes for edges that
   * span more than one level.
   */
  private static int[][] profiles(GraphPlan plan, int[] nodes, Edges e, int[] level) {
    List<Integer> mods = new ArrayList<>();
    int[] index = new int[plan.moduleCount];
    Arrays.fill(index, -1);
    for (int k : nodes) {
      if (index[plan.moduleOf[k]] < 0) {
        index[plan.moduleOf[k]] = mods.size();
        mods.add(plan.moduleOf[k]);
      }
    }
    int[] depth = new int[mods.size()];
    for (int k : nodes) {
      int i = index[plan.moduleOf[k]];
      depth[i] = Math.max(depth[i], level[k] + 1);
    }
    for (int i = 0; i < e.src.length; i++) {
      if (e.back[i]) {
        int m = index[plan.moduleOf[e.src[i]]];
        depth[m] = Math.max(depth[m], level[e.src[i]] + 2);
      }
    }
    int[][] profile = new int[mods.size()][];
    for (int i = 0; i < profile.length; i++) {
      profile[i] = new int[depth[i]];
      profile[i][0] = 1;
    }
    for (int k : nodes) {
      profile[index[plan.moduleOf[k]]][level[k]]++;
    }
    for (int i = 0; i < e.src.length; i++) {
      int[] pr = profile[index[plan.moduleOf[e.src[i]]]];
      if (e.back[i]) {
        pr[level[e.src[i]] + 1]++;
      } else {
        for (int l = level[e.src[i]] + 1; l < level[e.dst[i]]; l++) {
          pr[l]++;
        }
      }
    }
    return profile;
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

  /** One XMLBIF variable: name, properties, position, parents with a weight note per parent. */
  private static final class Var {
    final String name;
    final List<String> props = new ArrayList<>();
    final List<String> parents = new ArrayList<>();
    final List<String> parentNotes = new ArrayList<>();
    int x;
    int y;

    Var(String name) {
      this.name = name;
    }

    Var at(int col, int level, int columnW) {
      x = GAP + col * columnW;
      y = GAP + level * WindowRows.LEVEL_H;
      return this;
    }
  }

  private static String write(GraphPlan plan, Selection s, Labels labels, String title) {
    List<Var> vars = variables(plan, s, labels);
    String note = note(plan, s);
    StringBuilder x = new StringBuilder(512 + 200 * vars.size());
    x.append("<?xml version=\"1.0\"?>\n");
    x.append("<!-- Neural Modules graph: variable m<r>_n<k> is hidden node k in module r (1 = largest); "
        + "GIVEN j in the DEFINITION of k is an active edge j -> k. 'M<r> a>c' heads module r (strongest "
        + "input a, output c driven most); 'fb n<j>->n<k>' is the feedback edge j -> k that closes a cycle; "
        + "'row <i>' variables only arrange rows. -->\n");
    appendDtd(x);
    x.append("<BIF VERSION=\"0.3\">\n<NETWORK>\n");
    x.append("<NAME>").append(escape(title + " (" + note + ")")).append("</NAME>\n");
    x.append("<PROPERTY>").append(escape("note = " + note)).append("</PROPERTY>\n");
    for (Var v : vars) {
      x.append("<VARIABLE TYPE=\"nature\">\n<NAME>").append(escape(v.name)).append("</NAME>\n");
      x.append("<OUTCOME>node</OUTCOME>\n");
      for (String p : v.props) {
        x.append("<PROPERTY>").append(escape(p)).append("</PROPERTY>\n");
      }
      x.append(String.format(Locale.ROOT, "<PROPERTY>position = (%d, %d)</PROPERTY>%n", v.x, v.y));
      x.append("</VARIABLE>\n");
    }
    for (Var v : vars) {
      x.append("<DEFINITION>\n<FOR>").append(escape(v.name)).append("</FOR>\n");
      for (String p : v.parents) {
        x.append("<GIVEN>").append(escape(p)).append("</GIVEN>\n");
      }
      // one outcome per variable: a single probability whatever the number of parents
      x.append("<TABLE>1</TABLE>\n");
      for (String p : v.parentNotes) {
        x.append("<PROPERTY>").append(escape(p)).append("</PROPERTY>\n");
      }
      x.append("</DEFINITION>\n");
    }
    x.append("</NETWORK>\n</BIF>\n");
    return x.toString();
  }

  static String note(GraphPlan plan, Selection s) {
    StringBuilder note = new StringBuilder();
    note.append(String.format(Locale.ROOT, "%d modules, %d nodes, %d active edges", plan.moduleCount, plan.p,
        plan.activeEdges));
    if (s.singletons.length > 0) {
      note.append(String.format(Locale.ROOT, "; %d single-node modules in one summary node", s.singletons.length));
    }
    int back = s.backEdges();
    if (back > 0) {
      note.append(String.format(Locale.ROOT, "; %d cycle-closing edges drawn to fb leaves", back));
    }
    if (s.nodesCapped || s.edgesCapped) {
      note.append(String.format(Locale.ROOT, "; showing %d modules (largest first), %d nodes, %d edges%s",
          s.shownModules, s.nodes.length, s.edgeSrc.length, s.edgesCapped ? " (strongest |w| first)" : ""));
    }
    if (s.windowCapped) {
      note.append(String.format(Locale.ROOT, "; %d smaller modules in one summary node to fit %dx%d",
          s.leftOut.length, WINDOW_W, WINDOW_H));
    } else if (s.leftOut.length > 0) {
      note.append(String.format(Locale.ROOT, "; %d modules left out", s.leftOut.length));
    }
    return note.toString();
  }

  /** Every variable of the drawing with its parents and its position in the rows. */
  private static List<Var> variables(GraphPlan plan, Selection s, Labels labels) {
    List<Var> vars = new ArrayList<>();
    int cw = s.columnW;
    int[] moduleIndex = new int[plan.moduleCount];
    Arrays.fill(moduleIndex, -1);
    for (int i = 0; i < s.modules.length; i++) {
      moduleIndex[s.modules[i]] = i;
    }
    // drawn nodes of each module, in drawing order
    List<List<Integer>> members = new ArrayList<>();
    for (int i = 0; i < s.modules.length; i++) {
      members.add(new ArrayList<>());
    }
    for (int k : s.nodes) {
      members.get(moduleIndex[plan.moduleOf[k]]).add(k);
    }
    List<List<int[]>> forwardIn = new ArrayList<>(); // per node: (edge index)
    for (int k = 0; k < plan.p; k++) {
      forwardIn.add(null);
    }
    List<List<Integer>> backOut = new ArrayList<>();
    for (int k = 0; k < plan.p; k++) {
      backOut.add(null);
    }
    for (int e = 0; e < s.edgeSrc.length; e++) {
      if (s.edgeBack[e]) {
        if (backOut.get(s.edgeSrc[e]) == null) {
          backOut.set(s.edgeSrc[e], new ArrayList<>());
        }
        backOut.get(s.edgeSrc[e]).add(e);
      } else {
        if (forwardIn.get(s.edgeDst[e]) == null) {
          forwardIn.set(s.edgeDst[e], new ArrayList<>());
        }
        forwardIn.get(s.edgeDst[e]).add(new int[] {e});
      }
    }

    List<List<Integer>> rows = s.rows.rows();
    String deepest = null; // the deepest variable of the row above
    int deepestLevel = -1;
    int rowZeroCols = 0;
    for (int r = 0; r < rows.size(); r++) {
      int top = s.rows.firstLevel(r);
      String separator = null;
      if (r > 0) {
        List<Integer> row = rows.get(r);
        separator = rowName(r + 1);
        Var sep = new Var(separator).at(0, top - 1, cw);
        sep.props.add("layout only: modules M" + labels.rankOfModule[s.modules[row.get(0)]] + " to M"
            + labels.rankOfModule[s.modules[row.get(row.size() - 1)]] + " (row " + (r + 1) + ") hang from this "
            + "variable, and it hangs from the deepest node of the row above, so the Explorer stacks the rows");
        sep.parents.add(deepest);
        vars.add(sep);
      }
      int col = 0;
      for (int i : rows.get(r)) {
        int m = s.modules[i];
        Var head = new Var(labels.header(m)).at(col, top, cw);
        head.props.add(labels.describe(m));
        head.props.add("module header: its arrows point to the module's entry nodes (not edges of W)");
        if (separator != null) {
          head.parents.add(separator);
        }
        vars.add(head);
        int[] used = new int[plan.p + 2];
        for (int k : members.get(i)) {
          int lv = s.level[k];
          Var v = new Var(s.nodeName(k)).at(col + used[lv]++, top + lv, cw);
          int sc = plan.sccOf[k];
          v.props.add(String.format(Locale.ROOT, "module = %d (%d nodes)", s.rankOf[k], plan.moduleSize[m]));
          v.props.add(String.format(Locale.ROOT, "scc = %d (%d nodes%s)", sc, plan.sccSize(sc),
              plan.isCyclic(sc) ? ", cyclic" : ""));
          List<int[]> in = forwardIn.get(k);
          if (in == null) {
            v.parents.add(head.name);
          } else {
            for (int[] e : in) {
              v.parents.add(s.nodeName(s.edgeSrc[e[0]]));
              v.parentNotes.add(String.format(Locale.ROOT, "weight %s -> %s = %.4g", s.nodeName(s.edgeSrc[e[0]]),
                  v.name, s.edgeWeight[e[0]]));
            }
          }
          vars.add(v);
          if (top + lv > deepestLevel || (top + lv == deepestLevel && deepest.startsWith("fb n"))) {
            deepestLevel = top + lv; // a hidden node rather than a feedback leaf, on a tie
            deepest = v.name;
          }
          List<Integer> back = backOut.get(k);
          if (back != null) {
            for (int e : back) {
              int j = s.edgeSrc[e];
              int t = s.edgeDst[e];
              Var leaf = new Var(Selection.feedbackName(j, t)).at(col + used[lv + 1]++, top + lv + 1, cw);
              leaf.props.add("feedback edge " + s.nodeName(j) + " -> " + s.nodeName(t) + " (closes a cycle; drawn "
                  + "to this leaf because the Explorer's layout needs an acyclic drawing)");
              leaf.parents.add(s.nodeName(j));
              leaf.parentNotes.add(String.format(Locale.ROOT, "weight %s -> %s = %.4g", s.nodeName(j),
                  s.nodeName(t), s.edgeWeight[e]));
              vars.add(leaf);
              if (top + lv + 1 > deepestLevel) {
                deepestLevel = top + lv + 1;
                deepest = leaf.name;
              }
            }
          }
        }
        col += s.blockWidth[i];
      }
      if (r == 0) {
        rowZeroCols = col;
      }
    }
    int col = rowZeroCols;
    if (s.backEdges() > 0) {
      Var legend = new Var(LEGEND).at(col++, 0, cw);
      legend.props.add("legend: a leaf 'fb n<j>->n<k>' stands for the active edge j -> k that closes a cycle "
          + "(a feedback edge). It is drawn into a leaf because the Explorer's layout needs an acyclic drawing; "
          + "every active edge of a drawn module is drawn once, as an arrow or as an fb leaf.");
      legend.props.add("legend: 'M<r> a>c' heads module r (1 = largest): a is the input feature feeding it most "
          + "(sum of |U|), c the class or target it drives most (sum of |V|); m<r>_n<k> is node k of module r.");
      vars.add(legend);
    }
    if (s.singletons.length > 0) {
      Var single = new Var(singlesName(s.singletons.length)).at(col++, 0, cw);
      single.props.add("single-node modules (no active edge; each works as an ordinary hidden unit): "
          + list(s.singletons));
      vars.add(single);
    }
    if (s.leftOut.length > 0) {
      int nodes = 0;
      for (int m : s.leftOut) {
        nodes += plan.moduleSize[m];
      }
      Var more = new Var(moreName(s.leftOut.length)).at(col, 0, cw);
      more.props.add(String.format(Locale.ROOT, "%d more modules with edges (%d nodes) are not drawn, to keep %s: "
          + "see the model output for their roles", s.leftOut.length, nodes,
          s.windowCapped ? "the drawing within " + WINDOW_W + "x" + WINDOW_H : "the layout fast"));
      int listed = 0;
      for (int m : s.leftOut) {
        if (listed++ >= 50) {
          more.props.add("...");
          break;
        }
        more.props.add(labels.describe(m));
      }
      vars.add(more);
    }
    return vars;
  }

  /** Name of the variable that stands for all single-node modules. */
  public static String singlesName(int n) {
    return n + " single" + (n == 1 ? "" : "s");
  }

  /** Name of the variable that stands for the modules with edges that are not drawn. */
  public static String moreName(int n) {
    return "+" + n + " module" + (n == 1 ? "" : "s");
  }

  /** Name of the layout variable that row i (1-based, from 2) hangs from. */
  public static String rowName(int i) {
    return "row " + i;
  }

  private static String list(int[] nodes) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < nodes.length && i < MAX_LISTED; i++) {
      b.append(i == 0 ? "" : " ").append('n').append(nodes[i]);
    }
    if (nodes.length > MAX_LISTED) {
      b.append(" ... (").append(nodes.length - MAX_LISTED).append(" more)");
    }
    return b.toString();
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
