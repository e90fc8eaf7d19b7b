package org.neuralmodules.solve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.neuralmodules.TestSupport;
import org.neuralmodules.config.Activation;
import org.neuralmodules.config.Structure;
import org.neuralmodules.graph.GraphPlan;
import org.neuralmodules.model.ParamLayout;

/**
 * The matrix-free path for large sparse SCCs must give the same node values and adjoints as dense
 * Newton + LU (whose gradients the finite-difference test verifies), and hand over to Newton when
 * the map does not contract.
 */
class IterativeSolveTest {

  private static final int P = 150;
  private static final int N = 6;

  private static double[][] solve(NodeSolver solver, GraphPlan plan, double[] c, double[] g, SolveStats stats) {
    double[] x = c.clone();
    double[] h = new double[N * P];
    double[] lambda = new double[N * P];
    Workspace ws = new Workspace();
    for (int s = 0; s < N; s++) {
      solver.forward(plan, x, s * P, h, s * P, ws, stats, true);
      solver.adjoint(plan, x, s * P, g, s * P, lambda, s * P, ws, stats);
    }
    return new double[][] {x, lambda};
  }

  private static double[] random(Random r, int n, double scale) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = scale * r.nextGaussian();
    }
    return v;
  }

  @ParameterizedTest
  @ValueSource(strings = {"TANH", "SIGMOID"})
  void largeSparseSccMatchesDenseNewton(String activation) {
    Activation act = Activation.valueOf(activation);
    Random r = new Random(11);
    ParamLayout l = new ParamLayout(2, P, 2);
    double[] theta = TestSupport.randomTheta(l, Structure.GRAPH, r, 0.12);
    GraphPlan plan = TestSupport.plan(theta, l, Structure.GRAPH, 0.03);
    assertTrue(plan.maxSccSize > NodeSolver.ITERATIVE_MIN_SIZE, "test needs a large SCC: " + plan.maxSccSize);
    double[] c = random(r, N * P, 1.0);
    double[] g = random(r, N * P, 1.0);
    SolveStats dense = new SolveStats();
    SolveStats iter = new SolveStats();
    double[][] a = solve(new NodeSolver(act, 1e-12, 100, Integer.MAX_VALUE), plan, c, g, dense);
    double[][] b = solve(new NodeSolver(act, 1e-12, 100), plan, c, g, iter);
    assertEquals(0, dense.iterativeSolves);
    assertEquals(N, iter.iterativeSolves, "iterative path not taken: " + iter);
    assertEquals(0, iter.unresolved + iter.adjointFailures, iter.toString());
    for (int i = 0; i < N * P; i++) {
      assertEquals(a[0][i], b[0][i], 1e-10 * (1 + Math.abs(a[0][i])), "x[" + i + "]");
      assertEquals(a[1][i], b[1][i], 1e-10 * (1 + Math.abs(a[1][i])), "lambda[" + i + "]");
    }
  }

  @Test
  void nonContractingSccFallsBackToNewton() {
    Random r = new Random(5);
    ParamLayout l = new ParamLayout(2, P, 2);
    double[] theta = TestSupport.randomTheta(l, Structure.GRAPH, r, 3.0);
    GraphPlan plan = TestSupport.plan(theta, l, Structure.GRAPH, 0.03);
    assertTrue(plan.maxSccSize > NodeSolver.ITERATIVE_MIN_SIZE);
    double[] c = random(r, N * P, 0.5);
    double[] g = random(r, N * P, 1.0);
    SolveStats dense = new SolveStats();
    SolveStats iter = new SolveStats();
    double[][] a = solve(new NodeSolver(Activation.TANH, 1e-10, 100, Integer.MAX_VALUE), plan, c, g, dense);
    double[][] b = solve(new NodeSolver(Activation.TANH, 1e-10, 100), plan, c, g, iter);
    assertTrue(iter.iterativeSolves < iter.cyclicSolves, "some systems should need Newton: " + iter);
    assertEquals(dense.unresolved, iter.unresolved);
    for (int i = 0; i < N * P; i++) {
      assertTrue(Double.isFinite(b[0][i]) && Double.isFinite(b[1][i]));
    }
    // where both paths ended in Newton they agree exactly; elsewhere both meet the tolerance
    for (int i = 0; i < N * P; i++) {
      assertEquals(a[0][i], b[0][i], 1e-6 * (1 + Math.abs(a[0][i])), "x[" + i + "]");
    }
  }
}
