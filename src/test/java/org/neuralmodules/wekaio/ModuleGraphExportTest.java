package org.neuralmodules.wekaio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.neuralmodules.config.Structure;
import org.neuralmodules.graph.GraphPlan;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXParseException;
import weka.classifiers.bayes.net.BIFReader;
import weka.classifiers.bayes.net.EditableBayesNet;
import weka.gui.graphvisualizer.BIFParser;
import weka.gui.graphvisualizer.GraphEdge;
import weka.gui.graphvisualizer.GraphNode;
import weka.gui.graphvisualizer.HierarchicalBCEngine;

/**
 * The XMLBIF of {@link ModuleGraphExport}: valid against its DTD, read by both of Weka's readers
 * (the Explorer's GraphVisualizer parser and BIFReader), names and edges match the plan, caps hold.
 */
class ModuleGraphExportTest {

  /**
   * 8 nodes: module {0,1,2} with the cycle 0->1->2->0 plus 0->2, module {3,4} with 3->4, and
   * singletons 5, 6, 7. Diagonal biases are nonzero and must not become edges.
   */
  static GraphPlan smallPlan() {
    int p = 8;
    double[] w = new double[p * p];
    for (int k = 0; k < p; k++) {
      w[k * p + k] = 0.5; // bias
    }
    w[0 * p + 1] = 0.9;
    w[1 * p + 2] = -0.8;
    w[2 * p + 0] = 0.7;
    w[0 * p + 2] = 0.2;
    w[3 * p + 4] = -0.6;
    return GraphPlan.build(w, 0, p, Structure.GRAPH, 1.0, null);
  }

  static GraphPlan randomPlan(int p, double fraction, long seed) {
    Random r = new Random(seed);
    double[] w = new double[p * p];
    for (int i = 0; i < w.length; i++) {
      w[i] = r.nextGaussian();
    }
    return GraphPlan.build(w, 0, p, Structure.GRAPH, fraction, null);
  }

  /** Validating parse that fails on any DTD violation (BIFReader parses with validation on). */
  static void assertValidAgainstDtd(String xml) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setValidating(true);
    DocumentBuilder b = f.newDocumentBuilder();
    List<String> problems = new ArrayList<>();
    b.setErrorHandler(new ErrorHandler() {
      @Override
      public void warning(SAXParseException e) {
        problems.add("warning: " + e.getMessage());
      }

      @Override
      public void error(SAXParseException e) {
        problems.add("error: " + e.getMessage());
      }

      @Override
      public void fatalError(SAXParseException e) throws SAXParseException {
        throw e;
      }
    });
    b.parse(new InputSource(new StringReader(xml)));
    assertTrue(problems.isEmpty(), "XMLBIF violates its DTD: " + problems);
  }

  record Parsed(String name, List<GraphNode> nodes, List<GraphEdge> edges) {
    Set<String> edgeNames() {
      Set<String> s = new HashSet<>();
      for (GraphEdge e : edges) {
        s.add(nodes.get(e.src).ID + "->" + nodes.get(e.dest).ID);
      }
      return s;
    }
  }

  /** What the Explorer's "Visualize graph" window reads (GraphVisualizer.readBIF uses BIFParser). */
  static Parsed parseLikeGraphVisualizer(String xml) throws Exception {
    ArrayList<GraphNode> nodes = new ArrayList<>();
    ArrayList<GraphEdge> edges = new ArrayList<>();
    String name = new BIFParser(xml, nodes, edges).parse();
    return new Parsed(name, nodes, edges);
  }

  static Set<String> planEdgeNames(GraphPlan plan, ModuleGraphExport.Selection s, Set<Integer> shown) {
    Set<String> out = new HashSet<>();
    for (int j = 0; j < plan.p; j++) {
      for (int e = plan.outStart[j]; e < plan.outStart[j + 1]; e++) {
        int k = plan.outDst[e];
        if (shown.contains(j) && shown.contains(k)) {
          out.add(s.nodeName(j) + "->" + s.nodeName(k));
        }
      }
    }
    return out;
  }

  /** A hidden node m<r>_n<k>. */
  static boolean isHidden(String id) {
    return id.matches("m\\d+_n\\d+");
  }

  /** A feedback leaf fb n<j>->n<k>. */
  static boolean isLeaf(String id) {
    return id.startsWith("fb n");
  }

  /** Drawn arrows that stand for edges of W (between hidden nodes, or into a feedback leaf). */
  static int weightEdges(Parsed g) {
    int n = 0;
    for (GraphEdge e : g.edges) {
      String dst = g.nodes.get(e.dest).ID;
      n += isHidden(g.nodes.get(e.src).ID) && (isHidden(dst) || isLeaf(dst)) ? 1 : 0;
    }
    return n;
  }

  /**
   * Expectations changed on purpose with the readable drawing (issue 12): single-node modules are
   * one summary variable "3 singles" instead of m3_n5, m4_n6, m5_n7; each drawn module hangs from
   * a header "M<r> (<size>)" (with roles: "M<r> input>class"); the feedback leaf of 2 -> 0 is
   * "fb n2->n0" and the legend "fb=feedback" explains it.
   */
  @Test
  void smallGraphNamesNodesByModuleRankAndKeepsExactlyTheActiveEdges() throws Exception {
    GraphPlan plan = smallPlan();
    assertEquals(5, plan.activeEdges);
    String xml = ModuleGraphExport.toXmlBif(plan, "test");
    assertValidAgainstDtd(xml);
    Parsed g = parseLikeGraphVisualizer(xml);

    Set<String> names = new HashSet<>();
    for (GraphNode n : g.nodes) {
      names.add(n.ID);
    }
    // ranks: {0,1,2} largest = 1, {3,4} = 2; singletons 5, 6, 7 are one summary variable.
    // the cycle 0 -> 1 -> 2 -> 0 is drawn in DFS order 0, 1, 2: its closing edge 2 -> 0 goes to a
    // feedback leaf, so the drawing is acyclic (the Explorer's layout needs that)
    assertEquals(Set.of("m1_n0", "m1_n1", "m1_n2", "m2_n3", "m2_n4", "fb n2->n0", "M1 (3)", "M2 (2)",
        "fb=feedback", "3 singles"), names);
    // W's five edges, plus one arrow from each header to its module's entry node
    assertEquals(Set.of("m1_n0->m1_n1", "m1_n1->m1_n2", "m1_n2->fb n2->n0", "m1_n0->m1_n2", "m2_n3->m2_n4",
        "M1 (3)->m1_n0", "M2 (2)->m2_n3"), g.edgeNames());
    assertEquals(7, g.edges.size(), "no duplicate or bias (self) edges");
    assertEquals(5, weightEdges(g));
    assertTrue(g.name.contains("5 modules, 8 nodes, 5 active edges; 3 single-node modules in one summary node; "
        + "1 cycle-closing edges"), g.name);
    assertTrue(xml.contains("single-node modules (no active edge; each works as an ordinary hidden unit): n5 n6 n7"));
    assertFalse(g.name.contains("showing"), "nothing was capped: " + g.name);
    assertFalse(g.name.contains("left out"), "nothing was capped: " + g.name);

    // positions: every node has its own cell, and a module's nodes are closer to each other than
    // to any node of another module (grid block per module)
    Map<String, int[]> pos = new HashMap<>();
    for (GraphNode n : g.nodes) {
      assertTrue(pos.values().stream().noneMatch(q -> q[0] == n.x && q[1] == n.y), "overlap at " + n.ID);
      pos.put(n.ID, new int[] {n.x, n.y});
    }
    double within = dist(pos.get("m1_n0"), pos.get("m1_n1"));
    assertTrue(within < dist(pos.get("m1_n1"), pos.get("m2_n3")), "module blocks are separated");
  }

  static double dist(int[] a, int[] b) {
    return Math.hypot(a[0] - b[0], a[1] - b[1]);
  }

  @Test
  void bifReaderLoadsItAsANetworkWithTheSameParents() throws Exception {
    GraphPlan plan = smallPlan();
    BIFReader r = new BIFReader().processString(ModuleGraphExport.toXmlBif(plan, "a <title> & more"));
    assertEquals(10, r.getNrOfNodes(), "5 nodes with edges, one feedback leaf, 2 headers, legend, singles");
    int n2 = r.getNode("m1_n2");
    Set<String> parents = new HashSet<>();
    for (int i = 0; i < r.getNrOfParents(n2); i++) {
      parents.add(r.getNodeName(r.getParent(n2, i)));
    }
    assertEquals(Set.of("m1_n0", "m1_n1"), parents);
    int n0 = r.getNode("m1_n0");
    assertEquals(1, r.getNrOfParents(n0));
    assertEquals("M1 (3)", r.getNodeName(r.getParent(n0, 0)), "an entry node hangs from its module header");
    assertEquals(0, r.getNrOfParents(r.getNode("3 singles")));
    assertEquals(1, r.getCardinality(n2), "one outcome per node keeps every table at one entry");
    // the BayesNet editor's model keeps the positions: a module block starts with its header on the
    // top level, its nodes one level (90 px) per longest-path step below; module 2's block is to
    // the right of module 1's
    EditableBayesNet editable = new EditableBayesNet(r);
    int head = r.getNode("M1 (3)");
    assertEquals(editable.getPositionY(head) + 90, editable.getPositionY(n0));
    assertEquals(editable.getPositionY(n0) + 2 * 90, editable.getPositionY(n2), "0 -> 1 -> 2: two levels below");
    int m1Right = Math.max(editable.getPositionX(n0), Math.max(editable.getPositionX(r.getNode("m1_n1")),
        editable.getPositionX(n2)));
    assertTrue(editable.getPositionX(r.getNode("M2 (2)")) > m1Right, "module 2 right of module 1");
  }

  @Test
  void nodeCapTakesWholeModulesLargestFirstAndSaysSo() throws Exception {
    GraphPlan plan = smallPlan();
    // 4 nodes: module 1 (3 nodes) fits, module 2 (2 nodes) does not and is summarized; single
    // nodes are always in their summary variable (they no longer count against the cap)
    Parsed g = parseLikeGraphVisualizer(ModuleGraphExport.toXmlBif(plan, "t", 4, 100));
    Set<String> names = new HashSet<>();
    g.nodes.forEach(n -> names.add(n.ID));
    assertEquals(Set.of("m1_n0", "m1_n1", "m1_n2", "fb n2->n0", "M1 (3)", "fb=feedback", "3 singles", "+1 module"),
        names);
    assertEquals(4, weightEdges(g));
    assertTrue(g.name.contains("showing 1 modules (largest first), 3 nodes, 4 edges"), g.name);
    assertTrue(g.name.contains("1 modules left out"), g.name);

    // a module larger than the cap is cut, in topological order
    ModuleGraphExport.Selection s = ModuleGraphExport.select(plan, 2, 100);
    assertEquals(2, s.nodes.length);
    assertTrue(s.nodesCapped);
    assertEquals(1, s.shownModules);
    for (int k : s.nodes) {
      assertEquals(1, s.rankOf[k]);
    }
  }

  @Test
  void edgeCapKeepsTheStrongestEdges() throws Exception {
    GraphPlan plan = smallPlan();
    ModuleGraphExport.Selection s = ModuleGraphExport.select(plan, 100, 2);
    assertTrue(s.edgesCapped);
    assertFalse(s.nodesCapped);
    Set<String> kept = new HashSet<>();
    for (int i = 0; i < s.edgeSrc.length; i++) {
      kept.add(s.edgeSrc[i] + "->" + s.edgeDst[i]);
    }
    assertEquals(Set.of("0->1", "1->2"), kept, "|0.9| and |-0.8| are the two strongest");
    Parsed g = parseLikeGraphVisualizer(ModuleGraphExport.toXmlBif(plan, "t", 100, 2));
    assertEquals(2, weightEdges(g));
    assertTrue(g.name.contains("strongest |w| first"), g.name);
    assertThrows(IllegalArgumentException.class, () -> ModuleGraphExport.select(plan, 0, 10));
  }

  /**
   * Maps the drawn edges back to graph edges (a feedback leaf "fb n<j>->n<k>" stands for j -> k);
   * header and row arrows are not edges of W and are skipped.
   */
  static Set<String> drawnEdgesAsGraphEdges(Parsed g) {
    Set<String> out = new HashSet<>();
    for (GraphEdge e : g.edges) {
      String dst = g.nodes.get(e.dest).ID;
      String src = g.nodes.get(e.src).ID;
      if (!isHidden(src) || !(isHidden(dst) || isLeaf(dst))) {
        continue; // a header's, a row's or the legend's arrow
      }
      if (isLeaf(dst)) {
        String[] ends = dst.substring(3).split("->");
        assertEquals("n" + src.substring(src.indexOf("_n") + 2), ends[0], "leaf hangs off its edge's source");
        out.add(src.substring(src.indexOf('_') + 1) + "->" + ends[1]);
      } else {
        assertTrue(out.add(src.substring(src.indexOf('_') + 1) + "->" + dst.substring(dst.indexOf('_') + 1)));
      }
    }
    return out;
  }

  static void assertAcyclic(Parsed g) {
    int n = g.nodes.size();
    int[] indeg = new int[n];
    List<List<Integer>> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new ArrayList<>());
    }
    for (GraphEdge e : g.edges) {
      out.get(e.src).add(e.dest);
      indeg[e.dest]++;
    }
    ArrayList<Integer> queue = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (indeg[i] == 0) {
        queue.add(i);
      }
    }
    for (int q = 0; q < queue.size(); q++) {
      for (int d : out.get(queue.get(q))) {
        if (--indeg[d] == 0) {
          queue.add(d);
        }
      }
    }
    assertEquals(n, queue.size(), "the drawn graph has a cycle");
  }

  @Test
  void largeCyclicGraphIsDrawnAcyclicWithEveryActiveEdgeBetweenShownNodes() throws Exception {
    GraphPlan plan = randomPlan(400, 0.004, 3); // 639 active edges, cyclic components
    assertTrue(plan.cyclicSccCount > 0);
    String xml = ModuleGraphExport.toXmlBif(plan, "big", 300, 2000);
    assertValidAgainstDtd(xml);
    Parsed g = parseLikeGraphVisualizer(xml);
    assertAcyclic(g);
    ModuleGraphExport.Selection s = ModuleGraphExport.select(plan, 300, 2000);
    assertTrue(s.backEdges() > 0);
    int summaries = (s.singletons.length > 0 ? 1 : 0) + (s.leftOut.length > 0 ? 1 : 0) + 1; // + legend
    assertEquals(s.nodes.length + s.backEdges() + s.shownModules + summaries, g.nodes.size(),
        "hidden nodes, one leaf per feedback edge, one header per module, the summaries and the legend");
    assertTrue(s.nodesCapped && s.nodes.length <= 300);
    assertTrue(g.name.contains("showing"), "the cap is stated: " + g.name);
    Set<Integer> shown = new HashSet<>();
    for (int k : s.nodes) {
      shown.add(k);
    }
    assertEquals(shown.size(), s.nodes.length, "no node twice");
    // every drawn edge is an active edge of the plan, and every active edge between drawn nodes is
    // drawn exactly once (the edge cap is not reached here)
    assertFalse(s.edgesCapped);
    Set<String> expected = new HashSet<>();
    for (String e : planEdgeNames(plan, s, shown)) {
      String[] ends = e.split("->");
      expected.add(ends[0].substring(ends[0].indexOf('_') + 1) + "->" + ends[1].substring(ends[1].indexOf('_') + 1));
    }
    assertEquals(expected, drawnEdgesAsGraphEdges(g));
    // largest modules first: the largest module is drawn, and the first nodes are its nodes
    assertEquals(plan.largestModule(), plan.moduleSize[plan.moduleOf[s.nodes[0]]]);
    for (int i = 1; i < s.nodes.length; i++) {
      assertTrue(s.rankOf[s.nodes[i - 1]] <= s.rankOf[s.nodes[i]], "nodes grouped by module rank");
    }
  }

  @Test
  void defaultCapsHold() throws Exception {
    GraphPlan plan = randomPlan(400, 0.01, 4); // 1596 active edges
    Parsed g = parseLikeGraphVisualizer(ModuleGraphExport.toXmlBif(plan, "big"));
    ModuleGraphExport.Selection s = ModuleGraphExport.select(plan, ModuleGraphExport.DEFAULT_MAX_NODES,
        ModuleGraphExport.DEFAULT_MAX_EDGES);
    assertEquals(ModuleGraphExport.DEFAULT_MAX_NODES, s.nodes.length);
    assertEquals(ModuleGraphExport.DEFAULT_MAX_EDGES, weightEdges(g));
    assertTrue(s.edgesCapped);
    assertTrue(g.name.contains("(strongest |w| first)"), g.name);
    assertAcyclic(g);
  }

  /**
   * The Explorer lays the graph out with HierarchicalBCEngine before showing it. On a cyclic graph
   * at the default caps that layout must complete: before feedback leaves it died on every cyclic
   * component of more than a few nodes. (Its thread reports completion by event; the wait only
   * guards against a hang.)
   */
  @Test
  void explorerLayoutCompletesOnACappedCyclicGraph() throws Exception {
    GraphPlan plan = randomPlan(400, 0.01, 4);
    assertTrue(plan.maxSccSize > 100);
    Parsed g = parseLikeGraphVisualizer(ModuleGraphExport.toXmlBif(plan, "big"));
    HierarchicalBCEngine le = new HierarchicalBCEngine(new ArrayList<>(g.nodes), new ArrayList<>(g.edges),
        60, 20, false);
    CountDownLatch done = new CountDownLatch(1);
    le.addLayoutCompleteEventListener(e -> done.countDown());
    java.io.PrintStream err = System.err;
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    System.setErr(new java.io.PrintStream(captured, true));
    try {
      le.layoutGraph();
      assertTrue(done.await(5, TimeUnit.MINUTES), "GraphVisualizer layout did not finish");
    } finally {
      System.setErr(err);
    }
    assertEquals("", captured.toString(), "layout printed errors");
    for (GraphNode n : g.nodes) {
      assertNotNull(n.ID);
    }
  }

  @Test
  void escapesMarkup() {
    assertEquals("a &lt;b&gt; &amp; &quot;c&quot; &apos;", ModuleGraphExport.escape("a <b> & \"c\" '"));
    Matcher m = Pattern.compile("<NAME>([^<]*)</NAME>").matcher(ModuleGraphExport.toXmlBif(smallPlan(), "x<y"));
    assertTrue(m.find());
    assertTrue(m.group(1).startsWith("x&lt;y"));
  }
}
