package org.neuralmodules.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.neuralmodules.TestSupport;
import org.neuralmodules.config.Norm;
import org.neuralmodules.config.Regularization;
import org.neuralmodules.config.Structure;
import org.neuralmodules.graph.GraphPlan;
import org.neuralmodules.model.ParamLayout;

/** The proximal step of the L1/L2 penalties with PLAIN and NM node weights z_k. */
class RegularizerTest {

  @Test
  void proxHandWorked() {
    Regularizer l1 = new Regularizer(Regularization.PLAIN, Norm.L1, 1.0);
    assertEquals(0.3, l1.prox(0.5, 0.2), 1e-15);
    assertEquals(-0.3, l1.prox(-0.5, 0.2), 1e-15);
    assertEquals(0.0, l1.prox(-0.1, 0.2), 0.0);
    assertEquals(0.0, l1.prox(0.1, 0.2), 0.0);
    assertEquals(0.0, l1.prox(0.2, 0.2), 0.0, "exactly at the threshold");
    assertEquals(0.5, l1.prox(0.5, 0.0), 0.0);
    Regularizer l2 = new Regularizer(Regularization.PLAIN, Norm.L2, 1.0);
    assertEquals(0.8, l2.prox(1.0, 0.25), 1e-15);
    assertEquals(-0.8, l2.prox(-1.0, 0.25), 1e-15);
    assertEquals(0.0, l2.prox(0.0, 0.25), 0.0);
    assertEquals(0.05, l2.prox(0.1, 1.0), 1e-16);
  }

  /**
   * The L1 prox is the minimiser of tau |u| + (u - w)^2 / 2; the L2 one, w / (1 + tau), is the
   * minimiser of (tau / 2) u^2 + (u - w)^2 / 2, i.e. the L2 penalty is alpha z_k w^2 / 2.
   */
  @Test
  void proxMinimisesItsObjective() {
    Random r = new Random(4);
    Regularizer l1 = new Regularizer(Regularization.PLAIN, Norm.L1, 1.0);
    Regularizer l2 = new Regularizer(Regularization.PLAIN, Norm.L2, 1.0);
    for (int t = 0; t < 200; t++) {
      double w = 2 * r.nextGaussian();
      double tau = r.nextDouble();
      double u1 = l1.prox(w, tau);
      double u2 = l2.prox(w, tau);
      for (double du : new double[] {-1e-3, 1e-3, -0.1, 0.1}) {
        assertTrue(tau * Math.abs(u1) + sq(u1 - w) / 2 <= tau * Math.abs(u1 + du) + sq(u1 + du - w) / 2 + 1e-15);
        assertTrue(tau * sq(u2) / 2 + sq(u2 - w) / 2 <= tau * sq(u2 + du) / 2 + sq(u2 + du - w) / 2 + 1e-15);
      }
    }
  }

  private static double sq(double v) {
    return v * v;
  }

  /**
   * Two modules, p = 6: A = {0, 1, 2} with the 3-cycle 0->1->2->0 (3 active edges), B = {3, 4}
   * with 3->4 (1 active edge), node 5 isolated (a module with no edges). The inactive edges 4->1
   * (into A), 0->3 and 5->3 (into B) and 4->5 (into node 5) do not join modules but are regularized
   * too.
   */
  private static final int P = 6;

  private static double[] twoModuleTheta(ParamLayout l) {
    double[] t = new double[l.size()];
    t[l.w(0, 1)] = 0.5;
    t[l.w(1, 2)] = -0.5;
    t[l.w(2, 0)] = 0.5;
    t[l.w(3, 4)] = 0.5;
    t[l.w(4, 1)] = 0.04; // inactive, into module A
    t[l.w(0, 3)] = -0.04; // inactive, into module B
    t[l.w(5, 3)] = 0.02; // inactive, into module B
    t[l.w(4, 5)] = 0.03; // inactive, into the isolated node 5
    for (int k = 0; k < P; k++) {
      t[l.w(k, k)] = 0.7; // biases: never penalised
    }
    t[l.u(0, 2)] = 0.9; // U, V, b: never penalised
    t[l.v(0, 1)] = -0.9;
    t[l.b(0)] = 0.3;
    return t;
  }

  private static GraphPlan twoModulePlan(ParamLayout l, double[] t) {
    // 30 allowed edges; keep 4: gamma = 0.5
    GraphPlan plan = TestSupport.plan(t, l, Structure.GRAPH, 4.0 / 30);
    assertEquals(4, plan.activeEdges);
    assertEquals(0.5, plan.gamma, 0.0);
    assertEquals(plan.moduleOf[0], plan.moduleOf[1]);
    assertEquals(plan.moduleOf[0], plan.moduleOf[2]);
    assertEquals(plan.moduleOf[3], plan.moduleOf[4]);
    assertTrue(plan.moduleOf[0] != plan.moduleOf[3]);
    assertEquals(3, plan.moduleEdges[plan.moduleOf[0]]);
    assertEquals(1, plan.moduleEdges[plan.moduleOf[3]]);
    assertEquals(0, plan.moduleEdges[plan.moduleOf[5]]);
    return plan;
  }

  @Test
  void nodeWeights() {
    ParamLayout l = new ParamLayout(1, P, 1);
    double[] t = twoModuleTheta(l);
    GraphPlan plan = twoModulePlan(l, t);
    Regularizer plain = new Regularizer(Regularization.PLAIN, Norm.L1, 0.1);
    Regularizer nm = new Regularizer(Regularization.NM, Norm.L1, 0.1);
    Regularizer none = new Regularizer(Regularization.NONE, Norm.L1, 0.1);
    // NM: z_k = active edges of k's module, but at least 1 (the engine's choice: a node alone in its
    // module is penalised like plain L1 instead of not at all)
    double[] expectedNm = {3, 3, 3, 1, 1, 1};
    for (int k = 0; k < P; k++) {
      assertEquals(1.0, plain.weight(plan, k), 0.0);
      assertEquals(expectedNm[k], nm.weight(plan, k), 0.0, "z_" + k);
      assertEquals(0.0, none.weight(plan, k), 0.0);
    }
  }

  @Test
  void nmShrinksEdgesIntoTheLargerModuleMoreL1() {
    ParamLayout l = new ParamLayout(1, P, 1);
    double[] t = twoModuleTheta(l);
    GraphPlan plan = twoModulePlan(l, t);
    double step = 0.01;
    double alpha = 1.0; // step * alpha = 0.01
    double[] nm = t.clone();
    new Regularizer(Regularization.NM, Norm.L1, alpha).apply(nm, l, Structure.GRAPH, plan, step);
    // module A, z = 3: tau = 0.03
    assertEquals(0.47, nm[l.w(0, 1)], 1e-15);
    assertEquals(-0.47, nm[l.w(1, 2)], 1e-15);
    assertEquals(0.47, nm[l.w(2, 0)], 1e-15);
    assertEquals(0.01, nm[l.w(4, 1)], 1e-15, "inactive edges are shrunk too");
    // module B, z = 1: tau = 0.01
    assertEquals(0.49, nm[l.w(3, 4)], 1e-15);
    assertEquals(-0.03, nm[l.w(0, 3)], 1e-15);
    assertEquals(0.01, nm[l.w(5, 3)], 1e-15);
    // isolated node 5, z = max(1, 0) = 1: tau = 0.01
    assertEquals(0.02, nm[l.w(4, 5)], 1e-15);
    double shrinkA = 0.5 - Math.abs(nm[l.w(0, 1)]);
    double shrinkB = 0.5 - Math.abs(nm[l.w(3, 4)]);
    assertTrue(shrinkA > shrinkB, "NM: edges into the larger module shrink more");
    assertEquals(3 * shrinkB, shrinkA, 1e-15);
    assertOnlyAllowedOffDiagonalChanged(t, nm, l, Structure.GRAPH);

    double[] plain = t.clone();
    new Regularizer(Regularization.PLAIN, Norm.L1, alpha).apply(plain, l, Structure.GRAPH, plan, step);
    assertEquals(0.49, plain[l.w(0, 1)], 1e-15);
    assertEquals(0.49, plain[l.w(3, 4)], 1e-15, "PLAIN: the same shrinkage everywhere");
    assertEquals(0.03, plain[l.w(4, 1)], 1e-15);
    assertOnlyAllowedOffDiagonalChanged(t, plain, l, Structure.GRAPH);

    double[] none = t.clone();
    new Regularizer(Regularization.NONE, Norm.L1, alpha).apply(none, l, Structure.GRAPH, plan, step);
    TestSupport.assertBitwiseEquals(t, none, "NONE changes nothing");
    double[] zeroAlpha = t.clone();
    new Regularizer(Regularization.NM, Norm.L1, 0.0).apply(zeroAlpha, l, Structure.GRAPH, plan, step);
    TestSupport.assertBitwiseEquals(t, zeroAlpha, "alpha = 0 changes nothing");
  }

  @Test
  void nmShrinksEdgesIntoTheLargerModuleMoreL2() {
    ParamLayout l = new ParamLayout(1, P, 1);
    double[] t = twoModuleTheta(l);
    GraphPlan plan = twoModulePlan(l, t);
    double[] nm = t.clone();
    new Regularizer(Regularization.NM, Norm.L2, 2.0).apply(nm, l, Structure.GRAPH, plan, 0.05);
    // step * alpha = 0.1; A: tau = 0.3, B: tau = 0.1
    assertEquals(0.5 / 1.3, nm[l.w(0, 1)], 1e-15);
    assertEquals(0.04 / 1.3, nm[l.w(4, 1)], 1e-15);
    assertEquals(0.03 / 1.1, nm[l.w(4, 5)], 1e-15);
    assertEquals(0.5 / 1.1, nm[l.w(3, 4)], 1e-15);
    assertEquals(-0.04 / 1.1, nm[l.w(0, 3)], 1e-15);
    assertTrue(Math.abs(nm[l.w(0, 1)]) < Math.abs(nm[l.w(3, 4)]));
    assertOnlyAllowedOffDiagonalChanged(t, nm, l, Structure.GRAPH);
  }

  @Test
  void dagLeavesForbiddenEdgesAlone() {
    ParamLayout l = new ParamLayout(2, 5, 2);
    double[] t = TestSupport.randomTheta(l, Structure.GRAPH, new Random(1), 0.5); // forbidden edges non-zero on purpose
    GraphPlan plan = TestSupport.plan(t, l, Structure.DAG, 0.5);
    double[] after = t.clone();
    new Regularizer(Regularization.PLAIN, Norm.L2, 1.0).apply(after, l, Structure.DAG, plan, 0.5);
    for (int j = 0; j < 5; j++) {
      for (int k = 0; k < 5; k++) {
        double expected = j < k ? t[l.w(j, k)] / 1.5 : t[l.w(j, k)];
        assertEquals(expected, after[l.w(j, k)], 1e-15, "edge " + j + "->" + k);
      }
    }
  }

  private static void assertOnlyAllowedOffDiagonalChanged(double[] before, double[] after, ParamLayout l,
      Structure s) {
    for (int i = 0; i < before.length; i++) {
      boolean offDiagonal = false;
      if (i >= l.wOffset() && i < l.vOffset()) {
        int j = (i - l.wOffset()) / l.nodes();
        int k = (i - l.wOffset()) % l.nodes();
        offDiagonal = s.allows(j, k);
      }
      if (!offDiagonal) {
        assertEquals(Double.doubleToRawLongBits(before[i]), Double.doubleToRawLongBits(after[i]),
            "parameter " + i + " is not an allowed off-diagonal edge and must not change");
      }
    }
  }
}
