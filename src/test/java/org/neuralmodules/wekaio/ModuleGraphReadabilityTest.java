package org.neuralmodules.wekaio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.neuralmodules.config.Activation;
import org.neuralmodules.config.Structure;
import org.neuralmodules.graph.GraphPlan;
import org.neuralmodules.model.Network;
import org.neuralmodules.model.ParamLayout;
import org.neuralmodules.train.ModuleRoles;
import weka.gui.graphvisualizer.GraphNode;

/**
 * The default drawing reads at a glance: single nodes are one variable, modules carry a header
 * with their role, feedback leaves have a legend, and the Explorer's layout fits the window.
 */
class ModuleGraphReadabilityTest {

  /** A codon-size network (100 nodes, 64 inputs, 11 classes) with about 0.5 edges per node. */
  static Network codonSize(long seed) {
    ParamLayout l = new ParamLayout(64, 100, 11);
    Random r = new Random(seed);
    double[] t = new double[l.size()];
    for (int i = 0; i < t.length; i++) {
      t[i] = r.nextGaussian();
    }
    return new Network(l, Activation.TANH, Structure.GRAPH, t);
  }

  static GraphPlan plan(Network n, double fraction) {
    return GraphPlan.build(n.theta(), n.layout().wOffset(), n.layout().nodes(), Structure.GRAPH, fraction, null);
  }

  static List<GraphNode> variables(String xml) throws Exception {
    return ModuleGraphExportTest.parseLikeGraphVisualizer(xml).nodes();
  }

  @Test
  void singleNodeModulesAreOneVariableListingThemAll() throws Exception {
    Network n = codonSize(1);
    GraphPlan plan = plan(n, 50.0 / 9900);
    int singles = 0;
    for (int s : plan.moduleSize) {
      singles += s == 1 ? 1 : 0;
    }
    assertTrue(singles >= 20, "the test needs many single nodes: " + singles);
    String xml = ModuleGraphExport.toXmlBif(plan, ModuleRoles.of(n, plan, null, null, 3, 2), "t");
    ModuleGraphExport.Selection s = ModuleGraphExport.selectForWindow(plan, ModuleRoles.of(n, plan, null, null, 3, 2));
    Set<String> names = new HashSet<>();
    variables(xml).forEach(v -> names.add(v.ID));
    assertTrue(names.contains(singles + " singles"), names.toString());
    for (int k = 0; k < plan.p; k++) {
      if (plan.moduleSize[plan.moduleOf[k]] == 1) {
        assertFalse(names.contains(s.nodeName(k)), "single node " + k + " drawn on its own");
        assertTrue(Pattern.compile("\\bn" + k + "\\b").matcher(singlesProperty(xml)).find(), "n" + k + " not listed");
      }
    }
    int headers = (int) names.stream().filter(v -> v.matches("M\\d+ .*")).count();
    int leftOut = s.leftOut.length > 0 ? 1 : 0;
    int rows = (int) names.stream().filter(v -> v.matches("row \\d+")).count();
    assertEquals(s.nodes.length + s.backEdges() + headers + 1 + leftOut + (s.backEdges() > 0 ? 1 : 0) + rows,
        names.size(), "drawn nodes, feedback leaves, headers, one singles variable, summary, legend, rows");
    assertEquals(s.shownModules, headers, "one header per drawn module");
  }

  static String singlesProperty(String xml) {
    Matcher m = Pattern.compile("<PROPERTY>single-node modules[^<]*</PROPERTY>").matcher(xml);
    assertTrue(m.find(), "no single-node list");
    return m.group();
  }

  @Test
  void headersNameTheStrongestInputAndClassOfTheirModule() throws Exception {
    Network n = org.neuralmodules.train.ModuleRolesTestAccess.network();
    GraphPlan plan = GraphPlan.build(n.theta(), n.layout().wOffset(), 6, Structure.GRAPH, 1.0, null);
    ModuleRoles roles = ModuleRoles.of(n, plan, new String[] {"age", "colour=red", "colour=blue", "size"},
        new String[] {"cat", "dog", "fox"}, 3, 2);
    String xml = ModuleGraphExport.toXmlBif(plan, roles, "t");
    Set<String> names = new HashSet<>();
    variables(xml).forEach(v -> names.add(v.ID));
    assertTrue(names.contains("M1 colour~>dog"), names.toString());
    assertTrue(names.contains("M2 age>fox"), names.toString());
    assertTrue(xml.contains("<PROPERTY>Module 1 (3 nodes, 2 edges): strongest inputs colour=blue 100%"), xml);
  }

  @Test
  void legendExactlyWhenFeedbackLeavesExist() throws Exception {
    Set<String> cyclic = new HashSet<>();
    variables(ModuleGraphExport.toXmlBif(ModuleGraphExportTest.smallPlan(), "t")).forEach(v -> cyclic.add(v.ID));
    assertTrue(cyclic.contains("fb n2->n0"));
    assertTrue(cyclic.contains(ModuleGraphExport.LEGEND));
    String xml = ModuleGraphExport.toXmlBif(ModuleGraphExportTest.smallPlan(), "t");
    assertTrue(xml.contains("legend: a leaf &apos;fb n&lt;j&gt;-&gt;n&lt;k&gt;&apos; stands for the active edge "
        + "j -&gt; k that closes a cycle"), "the legend explains the leaves");

    // a DAG has no feedback edges, so no leaves and no legend
    int p = 6;
    double[] w = new double[p * p];
    w[0 * p + 1] = 1;
    w[1 * p + 2] = 1;
    w[3 * p + 4] = 1;
    GraphPlan dag = GraphPlan.build(w, 0, p, Structure.GRAPH, 1.0, null);
    Set<String> acyclic = new HashSet<>();
    variables(ModuleGraphExport.toXmlBif(dag, "t")).forEach(v -> acyclic.add(v.ID));
    assertFalse(acyclic.contains(ModuleGraphExport.LEGEND), acyclic.toString());
    assertTrue(acyclic.stream().noneMatch(v -> v.startsWith("fb n")), acyclic.toString());
  }

  /**
   * Codon-size graphs (100 nodes, 50 active edges: the default 0.5 edges per node) fit the window
   * twice over: the positions in the XMLBIF, and the drawing the Explorer's own layout makes of
   * it. (A single module larger than the window is still drawn whole: the graph window scrolls.)
   */
  @Test
  void codonSizeDrawingFitsTheWindowInTheExplorersLayout() throws Exception {
    for (long seed = 1; seed <= 4; seed++) {
      for (double edges : new double[] {40, 50}) {
        Network n = codonSize(seed);
        GraphPlan plan = plan(n, edges / 9900);
        String xml = ModuleGraphExport.toXmlBif(plan, ModuleRoles.of(n, plan, null, null, 3, 2), "t");
        ModuleGraphExportTest.assertValidAgainstDtd(xml);
        ModuleGraphExportTest.assertAcyclic(ModuleGraphExportTest.parseLikeGraphVisualizer(xml));
        int maxX = 0;
        int maxY = 0;
        Matcher m = Pattern.compile("position = \\((\\d+), (\\d+)\\)").matcher(xml);
        while (m.find()) {
          maxX = Math.max(maxX, Integer.parseInt(m.group(1)));
          maxY = Math.max(maxY, Integer.parseInt(m.group(2)));
        }
        String at = "seed " + seed + ", " + plan.activeEdges + " edges";
        assertTrue(maxX < ModuleGraphExport.WINDOW_W && maxY < ModuleGraphExport.WINDOW_H,
            at + ": positions up to (" + maxX + ", " + maxY + ")");
        ExplorerLayout.Drawing d = ExplorerLayout.measure(xml);
        assertTrue(d.width() <= ModuleGraphExport.WINDOW_W && d.height() <= ModuleGraphExport.WINDOW_H,
            at + ": the Explorer draws " + d.width() + " x " + d.height());
        long headers = variables(xml).stream().filter(v -> v.ID.matches("M\\d+ .*")).count();
        assertTrue(headers >= 2, at + ": only " + headers + " modules drawn");
        ModuleGraphExport.Selection s = ModuleGraphExport.selectForWindow(plan, null);
        assertEquals(plan.largestModule(), plan.moduleSize[s.modules[0]], at + ": the largest module comes first");
      }
    }
  }

  /** Without the row packing the same graph (all modules side by side) is far wider. */
  @Test
  void withoutRowsTheSameModulesWouldNotFit() throws Exception {
    Network n = codonSize(2);
    GraphPlan plan = plan(n, 100.0 / 9900);
    String unpacked = ModuleGraphExport.toXmlBif(plan, "t", ModuleGraphExport.DEFAULT_MAX_NODES,
        ModuleGraphExport.DEFAULT_MAX_EDGES);
    ExplorerLayout.Drawing d = ExplorerLayout.measure(unpacked);
    assertTrue(d.width() > ModuleGraphExport.WINDOW_W, "the test graph is too small to need rows: " + d);
  }
}
