package org.neuralmodules.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.neuralmodules.config.Activation;
import org.neuralmodules.config.Structure;
import org.neuralmodules.graph.GraphPlan;
import org.neuralmodules.model.Network;
import org.neuralmodules.model.ParamLayout;

/** Module roles read off U and V: the inputs that feed a module and the outputs it drives. */
class ModuleRolesTest {

  static final String[] INPUTS = {"age", "colour=red", "colour=blue", "size"};
  static final String[] CLASSES = {"cat", "dog", "fox"};

  /**
   * 6 nodes, 4 inputs, 3 classes. Module {1, 2, 3} (edges 1 -> 2 -> 3) is fed only by input 2
   * ("colour=blue", through nodes 1 and 3) and drives only class 1 ("dog"). Module {4, 5} (edge
   * 4 -> 5) is fed by inputs 0 and 3, 0 the stronger, and drives class 2. Node 0 is a single-node
   * module with a larger |U| and |V| than any other node, on input 3 and class 0: it must not leak
   * into another module's role.
   */
  static Network network() {
    ParamLayout l = new ParamLayout(4, 6, 3);
    double[] t = new double[l.size()];
    t[l.w(1, 2)] = 0.8;
    t[l.w(2, 3)] = -0.7;
    t[l.w(4, 5)] = 0.6;
    t[l.u(2, 1)] = 1.5;
    t[l.u(2, 3)] = -0.5;
    t[l.v(1, 2)] = -2.0;
    t[l.v(1, 3)] = 0.5;
    t[l.u(0, 4)] = 1.0;
    t[l.u(0, 5)] = -1.0;
    t[l.u(3, 5)] = 0.5;
    t[l.v(2, 4)] = 0.9;
    t[l.u(3, 0)] = 9.0;
    t[l.v(0, 0)] = 9.0;
    return new Network(l, Activation.TANH, Structure.GRAPH, t);
  }

  static GraphPlan plan(Network n) {
    return GraphPlan.build(n.theta(), n.layout().wOffset(), 6, Structure.GRAPH, 1.0, null);
  }

  @Test
  void aModuleFedByOneInputAndDrivingOneClassIsDescribedByExactlyThose() {
    Network n = network();
    GraphPlan plan = plan(n);
    assertEquals(3, plan.moduleCount);
    ModuleRoles roles = ModuleRoles.of(n, plan, INPUTS, CLASSES, 3, 2);

    ModuleRoles.Role big = roles.ofRank(1);
    assertEquals(plan.moduleOf[1], big.module());
    assertEquals(3, big.size());
    assertEquals(2, big.inputs()[0], "input 2 feeds module 1");
    assertEquals(1.0, big.inputShare()[0], 1e-12, "and nothing else does");
    assertEquals(0.0, big.inputShare()[1], 0.0);
    assertEquals(1, big.outputs()[0], "module 1 drives class 1");
    assertEquals(1.0, big.outputShare()[0], 1e-12);
    String text = roles.describe(big);
    assertTrue(text.startsWith("Module 1 (3 nodes, 2 edges): strongest inputs colour=blue 100%"), text);
    assertTrue(text.contains("; drives dog 100%"), text);
    assertFalse(text.contains("size") && text.indexOf("size") < text.indexOf(";"), "node 0's input leaked: " + text);
    assertEquals("M1 colour~>dog", roles.shortLabel(big, 7));

    ModuleRoles.Role second = roles.ofRank(2);
    assertEquals(plan.moduleOf[4], second.module());
    assertArrayEquals(new int[] {0, 3, 1}, second.inputs(), "sum |U|: input 0 = 2.0, input 3 = 0.5, then ties");
    assertEquals(0.8, second.inputShare()[0], 1e-12);
    assertEquals(2, second.outputs()[0]);

    ModuleRoles.Role single = roles.ofRank(3);
    assertEquals(3, single.inputs()[0]);
    assertEquals(0, single.outputs()[0]);
  }

  @Test
  void theModelOutputListsTheModulesWithEdgesLargestFirst() {
    Network n = network();
    StringBuilder sb = new StringBuilder();
    ModelSummary.appendRoles(sb, ModuleRoles.of(n, plan(n), INPUTS, CLASSES, 3, 2));
    String out = sb.toString();
    assertTrue(out.startsWith("Module roles (all 2 modules with edges;"), out);
    int first = out.indexOf("  Module 1 (3 nodes, 2 edges): strongest inputs colour=blue 100%");
    int second = out.indexOf("  Module 2 (2 nodes, 1 edge): strongest inputs age 80%, size 20%");
    assertTrue(first > 0 && second > first, out);
    assertFalse(out.contains("Module 3"), "single-node modules are not listed: " + out);
  }

  @Test
  void theListIsCappedAtTheLargestModules() {
    // 2 * 12 nodes: twelve two-node modules (edges 2i -> 2i+1)
    int p = 24;
    ParamLayout l = new ParamLayout(2, p, 2);
    double[] t = new double[l.size()];
    for (int i = 0; i < p / 2; i++) {
      t[l.w(2 * i, 2 * i + 1)] = 1.0;
    }
    Network n = new Network(l, Activation.TANH, Structure.GRAPH, t);
    GraphPlan plan = GraphPlan.build(t, l.wOffset(), p, Structure.GRAPH, 1.0, null);
    StringBuilder sb = new StringBuilder();
    ModelSummary.appendRoles(sb, ModuleRoles.of(n, plan, null, null, 3, 2));
    String out = sb.toString();
    assertTrue(out.startsWith("Module roles (largest " + ModelSummary.MAX_DESCRIBED_MODULES + " of 12 modules"), out);
    assertEquals(ModelSummary.MAX_DESCRIBED_MODULES, out.split("\n  Module ", -1).length - 1, out);
    assertTrue(out.contains("strongest inputs x0 0%"), "unnamed inputs are x<i>: " + out);
  }
}
