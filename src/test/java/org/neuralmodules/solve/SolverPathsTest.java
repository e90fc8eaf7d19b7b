package org.neuralmodules.solve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.neuralmodules.TestSupport;
import org.neuralmodules.config.Activation;
import org.neuralmodules.config.Structure;
import org.neuralmodules.graph.GraphPlan;

/**
 * Which path a cyclic SCC takes (matrix-free fixed point only when large and sparse), the adjoint
 * on each path against a dense reference, the workspace's size bound, and the solve counters.
 */
class SolverPathsTest {

  /**
   * A ring 0 -> 1 -> ... -> m-1 -> 0 with weight {@code ring}, plus {@code chords} edges k -> k+2,
   * plus (if {@code feeder}) node m outside the ring feeding nodes 0 and 1.
   */
  private static double[] ringWeights(int p, int m, double ring, int chords, boolean feeder) {
    double[] w = new double[p * p];
    for (int k = 0; k < m; k++) {
      w[k * p + (k + 1) % m] = ring;
    }
    for (int k = 0; k < chords; k++) {
      w[k * p + (k + 2) % m] = 0.05;
    }
    if (feeder) {
      w[m * p] = 0.3;
      w[m * p + 1] = -0.3;
    }
    return w;
  }

  private static SolveStats forward(NodeSolver solver, GraphPlan plan, double[] x, double[] h) {
    SolveStats st = new SolveStats();
    solver.forward(plan, x, 0, h, 0, new Workspace(), st, false);
    return st;
  }

  /**
   * The fixed point is tried for SCCs larger than the minimum size with fewer than m^2 / 4
   * internal edges (edges from outside the SCC do not count): 8 nodes, minimum 7: 15 internal
   * edges iterate, 16 do not; at minimum 8 (not larger) none iterates.
   */
  @Test
  void onlyLargeSparseSccsIterate() {
    int m = 8;
    int p = 9;
    double[] c = new double[p];
    for (int k = 0; k < p; k++) {
      c[k] = 0.1 * (k + 1);
    }
    NodeSolver seven = new NodeSolver(Activation.TANH, 1e-10, 50, 7);
    GraphPlan sparse = GraphPlan.build(ringWeights(p, m, 0.5, 7, true), 0, p, Structure.GRAPH, 1.0, null);
    GraphPlan dense = GraphPlan.build(ringWeights(p, m, 0.5, 8, true), 0, p, Structure.GRAPH, 1.0, null);
    assertEquals(8, sparse.maxSccSize, "premise");
    assertEquals(8 + 7 + 2, sparse.activeEdges, "premise");
    SolveStats st = forward(seven, sparse, c.clone(), new double[p]);
    assertEquals(1, st.iterativeSolves, "15 internal edges < 16: " + st);
    assertEquals(1, st.cyclicSolves);
    assertEquals(0, forward(seven, dense, c.clone(), new double[p]).iterativeSolves, "16 internal edges");
    assertEquals(0, forward(new NodeSolver(Activation.TANH, 1e-10, 50, 8), sparse, c.clone(), new double[p])
        .iterativeSolves, "8 nodes are not more than 8");
    // both paths solve the same system
    double[] xi = c.clone();
    double[] xn = c.clone();
    forward(seven, sparse, xi, new double[p]);
    forward(new NodeSolver(Activation.TANH, 1e-10, 50, 8), sparse, xn, new double[p]);
    for (int k = 0; k < p; k++) {
      assertEquals(xn[k], xi[k], 1e-9, "node " + k);
    }
  }

  /** Dense reference adjoint: (I - D A) lambda = D g, D = diag(f'(x)). */
  private static double[] referenceAdjoint(GraphPlan plan, double[] x, double[] g, Activation act) {
    int p = plan.p;
    double[][] a = TestSupport.activeMatrix(plan);
    double[][] m = new double[p][p];
    double[] rhs = new double[p];
    for (int j = 0; j < p; j++) {
      double d = act.df(x[j]);
      for (int k = 0; k < p; k++) {
        m[j][k] = (j == k ? 1.0 : 0.0) - d * a[j][k];
      }
      rhs[j] = d * g[j];
    }
    TestSupport.gaussSolve(m, rhs);
    return rhs;
  }

  /**
   * Adjoint of an iterated SCC. With ring weight 0.5 the adjoint iteration contracts fast and
   * converges; with 0.9 the forward fixed point still converges within its 200 steps but the
   * adjoint, held to a 1000 times tighter tolerance, does not, and the solver factors the Jacobian
   * at the solution instead. Both must give the dense reference adjoint, with no failure counted.
   */
  @Test
  void adjointOfAnIteratedSccMatchesTheDenseReferenceOnBothPaths() {
    int m = 6;
    int p = 7;
    for (double ring : new double[] {0.5, 0.9}) {
      GraphPlan plan = GraphPlan.build(ringWeights(p, m, ring, 0, true), 0, p, Structure.GRAPH, 1.0, null);
      NodeSolver solver = new NodeSolver(Activation.TANH, 1e-8, 20, 4);
      double[] x = new double[p];
      for (int k = 0; k < p; k++) {
        x[k] = 0.02 * (k % 3) - 0.015;
      }
      double[] h = new double[p];
      Workspace ws = new Workspace();
      SolveStats st = new SolveStats();
      solver.forward(plan, x, 0, h, 0, ws, st, true);
      assertEquals(1, st.iterativeSolves, "premise: the ring iterates (ring " + ring + ")");
      double[] g = {0.7, -1.1, 0.4, 0.9, -0.3, 0.5, 1.2};
      double[] lambda = new double[p];
      solver.adjoint(plan, x, 0, g, 0, lambda, 0, ws, st);
      double[] ref = referenceAdjoint(plan, x, g, Activation.TANH);
      for (int k = 0; k < p; k++) {
        assertEquals(ref[k], lambda[k], 1e-10, "ring " + ring + " lambda " + k);
      }
      assertEquals(0, st.adjointFailures, st.toString());
    }
  }

  /**
   * factorAt factors the Jacobian at given node values so that a later adjoint (of a forward
   * solve that kept no factors) gives the dense reference.
   */
  @Test
  void factorAtPreparesTheAdjoint() {
    int p = 5;
    double[] w = ringWeights(p, 4, 0.8, 2, true);
    GraphPlan plan = GraphPlan.build(w, 0, p, Structure.GRAPH, 1.0, null);
    NodeSolver solver = new NodeSolver(Activation.SIGMOID, 1e-10, 50);
    double[] x = {0.3, -0.2, 0.5, 0.1, -0.4};
    double[] h = new double[p];
    Workspace ws = new Workspace();
    SolveStats st = new SolveStats();
    solver.forward(plan, x, 0, h, 0, ws, st, false);
    solver.factorAt(plan, 0, plan.sccCount, x, 0, ws);
    double[] g = {1, -0.5, 0.25, 2, -1};
    double[] lambda = new double[p];
    solver.adjointSccs(plan, 0, plan.sccCount, x, 0, g, 0, lambda, 0, ws, st);
    double[] ref = referenceAdjoint(plan, x, g, Activation.SIGMOID);
    for (int k = 0; k < p; k++) {
      assertEquals(ref[k], lambda[k], 1e-12, "lambda " + k);
    }
    assertEquals(0, st.adjointFailures);
  }

  @Test
  void solverReportsItsSettings() {
    NodeSolver s = new NodeSolver(Activation.SIGMOID, 1e-7, 33);
    assertEquals(Activation.SIGMOID, s.activation());
    assertEquals(1e-7, s.tolerance(), 0.0);
    assertEquals(33, s.maxIterations());
  }

  /**
   * worstCaseBytes bounds what a workspace allocates for the worst plan of p nodes (one SCC of p,
   * factors kept), up to one flag per node for the SCCs.
   */
  @Test
  void workspaceBoundMatchesItsArraysForTheWorstPlan() {
    for (int p : new int[] {2, 7, 30}) {
      double[] w = new double[p * p];
      for (int j = 0; j < p; j++) {
        for (int k = 0; k < p; k++) {
          w[j * p + k] = j == k ? 0 : 0.1 + 0.01 * ((j * 7 + k * 3) % 5);
        }
      }
      GraphPlan plan = GraphPlan.build(w, 0, p, Structure.GRAPH, 1.0, null);
      assertEquals(p, plan.maxSccSize, "premise");
      for (boolean keep : new boolean[] {false, true}) {
        Workspace ws = new Workspace();
        ws.ensure(plan, keep);
        long actual = 8L * (ws.e.length + ws.y.length + ws.fy.length + ws.r.length + ws.dx.length + ws.yt.length
            + ws.rt.length + ws.best.length + ws.jac.length + ws.lu.length) + 4L * (ws.piv.length + ws.luPivots.length)
            + ws.factorOk.length;
        long bound = Workspace.worstCaseBytes(p, keep);
        assertTrue(bound >= actual && bound <= actual + p, "p=" + p + " keep=" + keep + ": " + bound + " vs " + actual);
      }
    }
  }

  /** add() sums every counter; the summary names the optional counters only when nonzero. */
  @Test
  void statsAddEveryCounterAndSummariseThem() {
    SolveStats a = new SolveStats();
    a.cyclicSolves = 10;
    a.iterativeSolves = 2;
    a.newtonIterations = 24;
    a.newtonFailures = 3;
    a.unresolved = 1;
    a.adjointFailures = 4;
    a.nonFiniteOutputs = 5;
    SolveStats b = new SolveStats();
    b.add(a);
    b.add(a);
    assertEquals(20, b.cyclicSolves);
    assertEquals(4, b.iterativeSolves);
    assertEquals(48, b.newtonIterations);
    assertEquals(6, b.newtonFailures);
    assertEquals(2, b.unresolved);
    assertEquals(8, b.adjointFailures);
    assertEquals(10, b.nonFiniteOutputs);
    assertEquals(3.0, a.meanIterations(), 0.0, "24 Newton iterations over 10 - 2 Newton solves");
    String s = a.toString();
    assertTrue(s.contains("mean Newton iterations 3.00"), s);
    assertTrue(s.contains("rescued by fixed point 2"), s);
    assertTrue(s.contains("matrix-free fixed-point solves 2"), s);
    assertTrue(s.contains("non-finite outputs replaced 5"), s);
    SolveStats one = new SolveStats();
    one.iterativeSolves = 1;
    one.nonFiniteOutputs = 1;
    one.cyclicSolves = 1;
    assertEquals(0.0, one.meanIterations(), 0.0, "no Newton solve");
    assertTrue(one.toString().contains("solves 1") && one.toString().contains("replaced 1"), one.toString());
    String none = new SolveStats().toString();
    assertFalse(none.contains("matrix-free") || none.contains("non-finite"), none);
  }

  /**
   * A dense 2-cycle feeding two slow rings (weight 0.9, iterated forward, adjoint falling back to a
   * factorisation in the middle of the adjoint pass): the late factorisations must not disturb the
   * factors and flags the 2-cycle and the upstream ring still need, so the whole adjoint is the
   * dense reference, with no failure counted.
   */
  @Test
  void lateFactorisationsKeepTheFactorsOfSccsStillToBeProcessed() {
    int p = 14;
    double[] w = new double[p * p];
    w[1] = 0.5; // 0 -> 1
    w[p] = -0.4; // 1 -> 0
    for (int r = 0; r < 2; r++) {
      int first = 2 + 6 * r;
      for (int k = 0; k < 6; k++) {
        w[(first + k) * p + first + (k + 1) % 6] = 0.9;
      }
    }
    w[1 * p + 2] = 0.05; // 2-cycle -> ring A
    w[7 * p + 8] = 0.05; // ring A -> ring B
    GraphPlan plan = GraphPlan.build(w, 0, p, Structure.GRAPH, 1.0, null);
    assertEquals(3, plan.cyclicSccCount, "premise");
    NodeSolver solver = new NodeSolver(Activation.TANH, 1e-8, 20, 4);
    double[] x = new double[p];
    for (int k = 0; k < p; k++) {
      x[k] = 0.01 * ((k % 4) - 1.5);
    }
    double[] h = new double[p];
    Workspace ws = new Workspace();
    SolveStats st = new SolveStats();
    solver.forward(plan, x, 0, h, 0, ws, st, true);
    assertEquals(2, st.iterativeSolves, "premise: both rings iterate");
    assertEquals(0, st.unresolved, st.toString());
    double[] g = new double[p];
    for (int k = 0; k < p; k++) {
      g[k] = 1.0 - 0.15 * k;
    }
    double[] lambda = new double[p];
    solver.adjoint(plan, x, 0, g, 0, lambda, 0, ws, st);
    double[] ref = referenceAdjoint(plan, x, g, Activation.TANH);
    for (int k = 0; k < p; k++) {
      assertEquals(ref[k], lambda[k], 1e-10, "lambda " + k);
    }
    assertEquals(0, st.adjointFailures, st.toString());
  }

  /** A Stop reaches an LU factorisation of 64 or more columns (checked once per 64 columns). */
  @Test
  void largeFactorisationsStopOnInterrupt() {
    int n = 64;
    double[] a = new double[n * n];
    for (int i = 0; i < n; i++) {
      a[i * n + i] = 2;
      a[i * n + (i + 1) % n] = 1;
    }
    Thread.currentThread().interrupt();
    try {
      org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.CancellationException.class,
          () -> DenseLU.factor(a.clone(), 0, n, new int[n], 0));
    } finally {
      Thread.interrupted();
    }
  }

  /**
   * A cyclic SCC whose input-only start already solves it (TANH, c = 0: x = 0) converges with no
   * Newton iteration and counts as a plain convergence, not as a Newton failure.
   */
  @Test
  void aStartThatAlreadySolvesTheSystemIsNoFailure() {
    int p = 3;
    double[] w = new double[p * p];
    w[1] = 0.7;
    w[p + 2] = -0.6;
    w[2 * p] = 0.5;
    GraphPlan plan = GraphPlan.build(w, 0, p, Structure.GRAPH, 1.0, null);
    assertEquals(1, plan.cyclicSccCount, "premise");
    SolveStats st = forward(new NodeSolver(Activation.TANH, 1e-10, 50), plan, new double[p], new double[p]);
    assertEquals(1, st.cyclicSolves);
    assertEquals(0, st.newtonIterations);
    assertEquals(0, st.newtonFailures, st.toString());
    assertEquals(0, st.unresolved);
  }
}
