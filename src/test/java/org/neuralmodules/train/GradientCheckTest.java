package org.neuralmodules.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.neuralmodules.TestSupport;
import org.neuralmodules.backend.BatchBuffers;
import org.neuralmodules.backend.CpuBackend;
import org.neuralmodules.backend.OutputHead;
import org.neuralmodules.config.Activation;
import org.neuralmodules.config.Structure;
import org.neuralmodules.graph.GraphPlan;
import org.neuralmodules.model.Network;
import org.neuralmodules.model.ParamLayout;
import org.neuralmodules.solve.NodeSolver;
import org.neuralmodules.solve.SolveStats;

/**
 * Central finite differences against {@link CpuBackend#forwardAdjoint} + {@link Gradients#compute}
 * for every parameter group: U, W diagonal (node biases), W active off-diagonal edges, W inactive
 * allowed edges, V and b; on graphs whose thresholded system has cyclic SCCs.
 *
 * <p>How the threshold is held fixed. A {@link GraphPlan} caches the active weights, so the loss at
 * perturbed parameters needs a new plan; but rebuilding with the original fraction could move
 * gamma and change the active set. Instead the loss is evaluated as L(theta, S): theta with every
 * allowed off-diagonal weight outside the edge set S set to 0, planned with fraction 1.0. With
 * fraction 1.0 gamma is the smallest |w| (0 here), so the active edges are exactly the non-zero
 * ones, i.e. S. Each evaluation asserts that its plan's active set is the intended one.
 *
 * <p>Which derivative an inactive edge's gradient is. An inactive edge does not enter the node
 * system at all, so the finite difference of L(theta, S0) with respect to it (S0 = the active set)
 * is exactly 0, while the analytic gradient is lambda_k f(x_j). That value is the derivative of the
 * loss with respect to the weight t of the edge j -> k when the edge is ADDED to the system, taken
 * at t = 0 (where the augmented system coincides with the thresholded one, so its x and lambda are
 * the ones the backend computed): d/dt L(theta[w_jk = t], S0 + {j->k}) at t = 0. That is what is
 * checked: the two evaluations put the edge in the system with weights +h and -h. (The weight the
 * edge currently carries, below gamma, is not used: adding it at that weight would be a different,
 * finite change of the system.)
 */
class GradientCheckTest {
  private static final double H = 1e-6;
  /** Required |analytic - fd| / max(FLOOR, |analytic| + |fd|). */
  private static final double REL_TOL = 1e-6;
  /**
   * Floor of the relative-error denominator. The rounding noise of a central difference of an O(1)
   * loss with h = 1e-6 is about 1e-16 / 1e-6 = 1e-10 absolute (observed: up to 4e-10), so entries
   * much smaller than 1e-3 cannot reach a relative error of 1e-6. With this floor they must agree
   * to 1e-8 absolute; every entry above 1e-2 must agree to 1e-6 relative.
   */
  private static final double FLOOR = 1e-2;
  /**
   * Newton tolerance of the solves. It bounds the node-value error, which enters the difference
   * quotient divided by h, so it is kept well below REL_TOL * H (Newton's quadratic convergence
   * reaches it in a few steps; every solve asserts that Newton converged).
   */
  private static final double SOLVER_TOL = 1e-14;

  /** Columns: head, activation, structure, p, gamma fraction, seed, weighted samples, at least this
   * many cyclic SCCs, at least this many modules. */
  @ParameterizedTest(name = "{0} head, {1}, {2}, p={3}, fraction={4}, seed={5}, weighted={6}")
  @CsvSource({
      "softmax, TANH, GRAPH, 10, 0.4, 11, false, 1, 1",
      "softmax, TANH, GRAPH, 12, 0.3, 12, true, 1, 1",
      "softmax, SIGMOID, GRAPH, 9, 0.5, 13, false, 1, 1",
      "softmax, TANH, GRAPH, 12, 0.12, 32, false, 1, 3",
      "softmax, TANH, GRAPH, 12, 0.12, 35, true, 3, 1",
      "linear, TANH, GRAPH, 10, 0.4, 14, false, 1, 1",
      "linear, TANH, GRAPH, 8, 0.5, 15, true, 1, 1",
      "linear, SIGMOID, GRAPH, 11, 0.35, 16, false, 1, 1",
      "linear, TANH, GRAPH, 12, 0.15, 36, false, 2, 2",
      "softmax, TANH, DAG, 10, 0.4, 17, false, 0, 1",
      "linear, SIGMOID, DAG, 9, 0.3, 18, true, 0, 1",
  })
  void everyParameterMatchesFiniteDifferences(String headName, Activation act, Structure structure, int p,
      double fraction, long seed, boolean weighted, int minCyclic, int minModules) {
    boolean softmax = headName.equals("softmax");
    int d = 3;
    int c = softmax ? 3 : 1;
    int n = 5;
    ParamLayout l = new ParamLayout(d, p, c);
    Random r = new Random(seed);
    double[] theta = TestSupport.randomTheta(l, structure, r, 0.4);
    OutputHead head = softmax ? new OutputHead.Softmax() : new OutputHead.Linear();
    BatchBuffers b = new BatchBuffers(n, d, p, c);
    for (int i = 0; i < n * d; i++) {
      b.x0[i] = r.nextGaussian();
    }
    for (int s = 0; s < n; s++) {
      b.target[s] = softmax ? r.nextInt(c) : r.nextGaussian();
      b.weight[s] = weighted ? 0.5 + r.nextDouble() : 1.0;
    }
    NodeSolver solver = new NodeSolver(act, SOLVER_TOL, 100);

    GraphPlan plan = TestSupport.plan(theta, l, structure, fraction);
    if (structure == Structure.GRAPH) {
      assertTrue(plan.cyclicSccCount >= minCyclic, "test premise: the thresholded graph has cyclic SCCs");
    } else {
      assertEquals(0, plan.cyclicSccCount, "a DAG has no cyclic SCC");
    }
    assertTrue(plan.moduleCount >= minModules, "test premise: at least " + minModules + " modules");
    assertTrue(plan.activeEdges < plan.allowedEdges, "test premise: some allowed edges are inactive");

    double[] grad = new double[l.size()];
    double baseLoss;
    SolveStats stats = new SolveStats();
    try (CpuBackend backend = new CpuBackend(solver, 1)) {
      Network net = new Network(l, act, structure, theta.clone());
      backend.forwardAdjoint(net, plan, head, b, n, stats);
      Gradients.compute(b, n, l, structure, grad, backend.parallel());
      baseLoss = meanLoss(b, n);
    }
    assertEquals(0, stats.newtonFailures, "Newton converged on the base system");
    assertEquals(0, stats.adjointFailures);

    // S0 as an edge mask; theta restricted to it.
    boolean[] active = new boolean[p * p];
    double[] masked = theta.clone();
    for (int j = 0; j < p; j++) {
      for (int k = 0; k < p; k++) {
        if (j != k) {
          active[j * p + k] = TestSupport.isActive(plan, j, k);
          if (!active[j * p + k]) {
            masked[l.w(j, k)] = 0.0;
          }
        }
      }
    }
    Evaluator eval = new Evaluator(l, act, structure, head, b, n, solver);
    assertEquals(baseLoss, eval.loss(masked, active, -1), 1e-13,
        "the masked fraction-1.0 system reproduces the thresholded system");

    List<String> failures = new ArrayList<>();
    int[] checked = new int[5];
    double maxInactiveGrad = 0;
    for (int i = 0; i < l.size(); i++) {
      int group;
      int extraEdge = -1;
      double[] plus = masked.clone();
      double[] minus = masked.clone();
      if (i < l.wOffset()) {
        group = 0; // U
        plus[i] += H;
        minus[i] -= H;
      } else if (i < l.vOffset()) {
        int j = (i - l.wOffset()) / p;
        int k = (i - l.wOffset()) % p;
        if (j == k) {
          group = 1; // diagonal = node bias
          plus[i] += H;
          minus[i] -= H;
        } else if (!structure.allows(j, k)) {
          assertEquals(0.0, grad[i], 0.0, "forbidden edge " + j + "->" + k + " has no gradient");
          continue;
        } else if (active[j * p + k]) {
          group = 2; // active edge: perturb around its value, set S0 unchanged
          plus[i] += H;
          minus[i] -= H;
        } else {
          group = 3; // inactive edge: add it to the system with weight +-H
          plus[i] = H;
          minus[i] = -H;
          extraEdge = j * p + k;
          maxInactiveGrad = Math.max(maxInactiveGrad, Math.abs(grad[i]));
        }
      } else {
        group = 4; // V and b
        plus[i] += H;
        minus[i] -= H;
      }
      double fd = (eval.loss(plus, active, extraEdge) - eval.loss(minus, active, extraEdge)) / (2 * H);
      double err = Math.abs(grad[i] - fd) / Math.max(FLOOR, Math.abs(grad[i]) + Math.abs(fd));
      checked[group]++;
      if (err > REL_TOL) {
        failures.add(String.format("%s[%d]: analytic %.12g, finite difference %.12g, rel.err %.3g",
            GROUPS[group], i, grad[i], fd, err));
      }
    }
    if (!failures.isEmpty()) {
      fail(failures.size() + " gradient entries disagree:\n" + String.join("\n", failures));
    }
    for (int g = 0; g < 5; g++) {
      assertTrue(checked[g] > 0, "no parameter of group " + GROUPS[g] + " was checked");
    }
    assertTrue(maxInactiveGrad > 1e-3, "inactive edges carry non-trivial gradients, max " + maxInactiveGrad);
  }

  private static final String[] GROUPS = {"U", "W diagonal", "W active edge", "W inactive edge", "V/b"};

  static double meanLoss(BatchBuffers b, int n) {
    double s = 0;
    for (int i = 0; i < n; i++) {
      s += b.loss[i];
    }
    return s / n;
  }

  /** Batch loss of theta restricted to a fixed edge set (see the class comment). */
  private static final class Evaluator {
    final ParamLayout l;
    final Activation act;
    final Structure structure;
    final OutputHead head;
    final BatchBuffers b;
    final int n;
    final NodeSolver solver;

    Evaluator(ParamLayout l, Activation act, Structure structure, OutputHead head, BatchBuffers b, int n,
        NodeSolver solver) {
      this.l = l;
      this.act = act;
      this.structure = structure;
      this.head = head;
      this.b = b;
      this.n = n;
      this.solver = solver;
    }

    /** Theta must be 0 outside {@code active} (plus {@code extraEdge}, -1 for none). */
    double loss(double[] theta, boolean[] active, int extraEdge) {
      int p = l.nodes();
      GraphPlan plan = TestSupport.plan(theta, l, structure, 1.0);
      for (int j = 0; j < p; j++) {
        for (int k = 0; k < p; k++) {
          if (j != k) {
            boolean want = active[j * p + k] || j * p + k == extraEdge;
            if (want != TestSupport.isActive(plan, j, k)) {
              fail("finite-difference plan has the wrong active set at edge " + j + "->" + k);
            }
          }
        }
      }
      BatchBuffers bb = new BatchBuffers(n, l.inputs(), p, l.outputs());
      System.arraycopy(b.x0, 0, bb.x0, 0, b.x0.length);
      System.arraycopy(b.target, 0, bb.target, 0, n);
      System.arraycopy(b.weight, 0, bb.weight, 0, n);
      SolveStats st = new SolveStats();
      try (CpuBackend backend = new CpuBackend(solver, 1)) {
        backend.forwardAdjoint(new Network(l, act, structure, theta), plan, head, bb, n, st);
      }
      if (st.newtonFailures != 0) {
        fail("Newton failed in a finite-difference evaluation: " + st);
      }
      return meanLoss(bb, n);
    }
  }
}
