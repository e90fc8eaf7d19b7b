package org.neuralmodules.solve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.neuralmodules.config.Activation;
import org.neuralmodules.config.Structure;
import org.neuralmodules.graph.GraphPlan;

/**
 * The cyclic solver's last-resort paths on hand-built two-node cycles (issue 15): the restarts from
 * saturated states, the fixed-point bursts after a singular Newton Jacobian, and the lowest-residual
 * point kept when nothing converges. A two-node cycle 0 <-> 1 is one cyclic SCC solved by Newton
 * (far below the matrix-free minimum size); node k solves x_k = e_k + w_jk f(x_j).
 *
 * <p>Newton gets one iteration per run here (-max-iter 1), so a run that does not start at a
 * solution fails and the next resort is taken: that is what each test observes.
 */
class SolverLastResortTest {

  private static final double TOL = 1e-10;

  /** Edge 0 -> 1 has weight {@code w01}, edge 1 -> 0 {@code w10}. */
  private static GraphPlan cycle(double w01, double w10) {
    double[] w = {0, w01, w10, 0};
    GraphPlan plan = GraphPlan.build(w, 0, 2, Structure.GRAPH, 1.0, null);
    assertEquals(1, plan.cyclicSccCount, "premise: one cyclic SCC");
    return plan;
  }

  private static SolveStats solve(Activation act, int maxIter, GraphPlan plan, double[] x) {
    SolveStats st = new SolveStats();
    new NodeSolver(act, TOL, maxIter).forward(plan, x, 0, new double[2], 0, new Workspace(), st, false);
    return st;
  }

  /** max |x_k - e_k - w_jk f(x_j)|, the residual of x for the system of {@link #cycle}. */
  private static double residual(Activation act, double w01, double w10, double[] e, double[] x) {
    return Math.max(Math.abs(x[0] - e[0] - w10 * act.f(x[1])), Math.abs(x[1] - e[1] - w01 * act.f(x[0])));
  }

  /**
   * tanh, weights 50 both ways, e = (0.3, -0.2): one Newton step from e lands at negative values,
   * so the first restart starts from the saturated state with those signs, y = e + 50 * (-1, -1) =
   * (-49.7, -50.2), which solves the system exactly (tanh(-49.7) is -1 in doubles): no further
   * Newton iteration is needed. Starting instead from the signs of e, (+, -), gives (-49.7, 49.8),
   * which is not a solution.
   */
  @Test
  void theFirstRestartUsesTheSignsOfTheBestIterateAndLandsOnTheSaturatedSolution() {
    double[] e = {0.3, -0.2};
    double[] x = e.clone();
    SolveStats st = solve(Activation.TANH, 1, cycle(50, 50), x);
    assertEquals(-49.7, x[0], 1e-12);
    assertEquals(-50.2, x[1], 1e-12);
    assertEquals(0.0, residual(Activation.TANH, 50, 50, e, x), 1e-12);
    assertEquals(1, st.cyclicSolves);
    assertEquals(1, st.newtonFailures, "the first Newton run did not converge: " + st);
    assertEquals(0, st.unresolved, st.toString());
    assertEquals(1, st.newtonIterations, "the restart starts at the solution: " + st);
  }

  /**
   * The same with the sigmoid (saturation values 1 and 0) and mutual inhibition -100, e = (40, 0.5):
   * node 0 stays on, Newton drives node 1 negative, and the restart from the saturated state
   * (f = 1, 0) is y = (40 - 100 * 0, 0.5 - 100 * 1) = (40, -99.5), an exact solution.
   */
  @Test
  void aSigmoidRestartStartsFromOneAndZero() {
    double[] e = {40, 0.5};
    double[] x = e.clone();
    SolveStats st = solve(Activation.SIGMOID, 1, cycle(-100, -100), x);
    assertEquals(40.0, x[0], 1e-12);
    assertEquals(-99.5, x[1], 1e-12);
    assertEquals(0, st.unresolved, st.toString());
    assertEquals(1, st.newtonIterations, "the restart starts at the solution: " + st);
  }

  /**
   * ReLU, w01 = -0.5, w10 = -2, e = (1, 1), residual r = (y0 - 1 + 2 relu(y1), y1 - 1 + 0.5 relu(y0)):
   * at e both nodes are active, r = (2, 0.5), and the Jacobian [[1, 2], [0.5, 1]] is exactly
   * singular, so Newton iteration 1 fails at once. The solver must not spin on that point until
   * -max-iter: a fixed-point burst with target half the best residual (1) takes one damped step,
   * y = e - r / 2 = (0, 0.75) with r = (0.5, -0.25), and Newton resumes there. Node 0 is off at
   * y0 = 0, the Jacobian [[1, 2], [0, 1]] is regular and the system is linear in that region, so
   * iteration 2 lands on the solution (-1, 1) exactly. Two iterations in all, marked as needing the
   * fallback; nothing is unresolved.
   */
  @Test
  void aSingularJacobianHandsOverToAFixedPointBurstAtOnce() {
    double[] e = {1, 1};
    double[] x = e.clone();
    int maxIter = 20;
    SolveStats st = solve(Activation.RELU, maxIter, cycle(-0.5, -2), x);
    assertEquals(-1.0, x[0], 1e-9);
    assertEquals(1.0, x[1], 1e-9);
    assertEquals(1, st.newtonFailures, "needed the fallback: " + st);
    assertEquals(0, st.unresolved, st.toString());
    assertEquals(2, st.newtonIterations, "the singular step, the burst, one exact step: " + st);
  }

  /**
   * Sigmoid, mutual inhibition -100, e = (40, 35), one Newton iteration per run: nothing converges
   * (both restarts start from non-solutions and the closing fixed-point run does not reach the
   * tolerance). The solver then returns the lowest-residual point it met: its residual is the one
   * recorded as the worst, and it is lower than that of the start e and of both saturated restart
   * points, whose residuals are 100.
   */
  @Test
  void anUnresolvedSystemReturnsTheLowestResidualPointMet() {
    double[] e = {40, 35};
    double[] x = e.clone();
    SolveStats st = solve(Activation.SIGMOID, 1, cycle(-100, -100), x);
    assertEquals(1, st.unresolved, "premise: " + st);
    double r = residual(Activation.SIGMOID, -100, -100, e, x);
    assertEquals(st.worstResidual, r, 1e-9 * (1 + r), "the recorded residual is that of the returned point");
    assertEquals(100.0, residual(Activation.SIGMOID, -100, -100, e, e), 1e-9, "premise: residual at e");
    assertTrue(r < 100.0 - 1.0, "returned residual " + r + " beats the start and the restart points");
  }
}
