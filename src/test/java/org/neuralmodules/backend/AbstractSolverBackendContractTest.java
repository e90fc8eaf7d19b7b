package org.neuralmodules.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.neuralmodules.TestSupport;
import org.neuralmodules.config.Activation;
import org.neuralmodules.config.Structure;
import org.neuralmodules.graph.GraphPlan;
import org.neuralmodules.model.Network;
import org.neuralmodules.model.ParamLayout;
import org.neuralmodules.solve.NodeSolver;
import org.neuralmodules.solve.SolveStats;
import org.neuralmodules.solve.Workspace;
import org.neuralmodules.train.Gradients;

/**
 * The contract every {@link SolverBackend} must meet, run against each implementation by a
 * subclass: for a batch, the node values x and h, the adjoints lambda, the losses, the output
 * gradients and the parameter gradient equal those of an independent sample-by-sample reference
 * (the {@link NodeSolver} called directly, no backend) within {@link #TOL}, relative to
 * max(1, |value|); and the solver counters agree. Models: cyclic modules of 1, 2, 7, 33 and 70
 * nodes; a DAG; a model where every node is its own module; random sparse graphs; every activation;
 * a Newton cap of 2 iterations (fallback paths); the same backend reused across plans.
 */
public abstract class AbstractSolverBackendContractTest {
  /** Agreement required of every value (the "~1e-9"). */
  protected static final double TOL = 1e-9;
  protected static final int D = 5;
  protected static final int THREADS = 2;

  /** The backend under test. */
  protected abstract SolverBackend create(NodeSolver solver, int threads);

  /** A fully solved batch. */
  protected static final class Result {
    public BatchBuffers b;
    public double[] grad;
    public SolveStats stats = new SolveStats();
  }

  /** Block-diagonal weights: one dense (strongly connected) module per entry of {@code sizes}. */
  protected static Network blockModel(int[] sizes, Activation act, int c, long seed, double columnSum) {
    int p = 0;
    for (int s : sizes) {
      p += s;
    }
    ParamLayout l = new ParamLayout(D, p, c);
    Random r = new Random(seed);
    double[] t = TestSupport.randomTheta(l, Structure.GRAPH, r, 0.5);
    int start = 0;
    int[] block = new int[p];
    for (int i = 0; i < sizes.length; i++) {
      for (int k = start; k < start + sizes[i]; k++) {
        block[k] = i;
      }
      start += sizes[i];
    }
    for (int j = 0; j < p; j++) {
      for (int k = 0; k < p; k++) {
        if (j != k && block[j] != block[k]) {
          t[l.w(j, k)] = 0.0;
        }
      }
    }
    TestSupport.makeContractive(t, l, columnSum);
    return new Network(l, act, Structure.GRAPH, t);
  }

  protected static Network randomModel(int p, Structure s, Activation act, int c, long seed, double wScale) {
    ParamLayout l = new ParamLayout(D, p, c);
    double[] t = TestSupport.randomTheta(l, s, new Random(seed), wScale);
    return new Network(l, act, s, t);
  }

  protected static BatchBuffers batch(ParamLayout l, int n, int capacity, boolean softmax, long seed) {
    Random r = new Random(seed);
    BatchBuffers b = new BatchBuffers(capacity, l.inputs(), l.nodes(), l.outputs());
    for (int i = 0; i < n * l.inputs(); i++) {
      b.x0[i] = 1.5 * r.nextGaussian();
    }
    for (int s = 0; s < n; s++) {
      b.target[s] = softmax ? r.nextInt(l.outputs()) : r.nextGaussian();
      b.weight[s] = s % 3 == 0 ? 1.0 : 0.2 + r.nextDouble();
    }
    return b;
  }

  protected static BatchBuffers copyInputs(BatchBuffers in) {
    BatchBuffers b = new BatchBuffers(in.capacity, in.d, in.p, in.c);
    System.arraycopy(in.x0, 0, b.x0, 0, in.x0.length);
    System.arraycopy(in.target, 0, b.target, 0, in.target.length);
    System.arraycopy(in.weight, 0, b.weight, 0, in.weight.length);
    return b;
  }

  /** The reference: every sample solved on its own by the NodeSolver, one thread, no backend. */
  protected static Result reference(Network net, GraphPlan plan, OutputHead head, BatchBuffers input, int n,
      NodeSolver solver) {
    ParamLayout l = net.layout();
    int p = l.nodes();
    int c = l.outputs();
    Result r = new Result();
    r.b = copyInputs(input);
    BatchBuffers b = r.b;
    Workspace ws = new Workspace();
    for (int s = 0; s < n; s++) {
      CpuBackend.preActivation(net.theta(), l, b.x0, s * l.inputs(), b.x, s * p);
      solver.forward(plan, b.x, s * p, b.h, s * p, ws, r.stats, true);
      b.loss[s] = head.lossAndGradient(net.theta(), l, b.h, s * p, b.target[s], b.delta, s * c, b.g, s * p);
      CpuBackend.scale(b, s, p, c);
      solver.adjoint(plan, b.x, s * p, b.g, s * p, b.lambda, s * p, ws, r.stats);
    }
    r.grad = new double[l.size()];
    try (Parallel one = new Parallel(1)) {
      Gradients.compute(b, n, l, net.structure(), r.grad, one);
    }
    return r;
  }

  protected Result solve(SolverBackend backend, Network net, GraphPlan plan, OutputHead head, BatchBuffers input,
      int n) {
    Result r = new Result();
    r.b = copyInputs(input);
    backend.forwardAdjoint(net, plan, head, r.b, n, r.stats);
    r.grad = new double[net.layout().size()];
    Gradients.compute(r.b, n, net.layout(), net.structure(), r.grad, backend.parallel());
    return r;
  }

  /** Asserts agreement within TOL and returns the largest relative difference seen. */
  protected static double assertSame(Result ref, Result got, int n, String what) {
    int p = ref.b.p;
    int c = ref.b.c;
    double worst = 0;
    worst = Math.max(worst, compare(ref.b.x, got.b.x, n * p, what + " x"));
    worst = Math.max(worst, compare(ref.b.h, got.b.h, n * p, what + " h"));
    worst = Math.max(worst, compare(ref.b.lambda, got.b.lambda, n * p, what + " lambda"));
    worst = Math.max(worst, compare(ref.b.g, got.b.g, n * p, what + " dL/dh"));
    worst = Math.max(worst, compare(ref.b.delta, got.b.delta, n * c, what + " delta"));
    worst = Math.max(worst, compare(ref.b.loss, got.b.loss, n, what + " loss"));
    worst = Math.max(worst, compare(ref.grad, got.grad, ref.grad.length, what + " gradient"));
    assertEquals(ref.stats.cyclicSolves, got.stats.cyclicSolves, what + ": cyclic solves");
    assertEquals(ref.stats.unresolved, got.stats.unresolved, what + ": unresolved solves");
    assertEquals(ref.stats.adjointFailures, got.stats.adjointFailures, what + ": singular adjoints");
    return worst;
  }

  private static double compare(double[] a, double[] b, int len, String what) {
    double worst = 0;
    for (int i = 0; i < len; i++) {
      if (!Double.isFinite(a[i]) || !Double.isFinite(b[i])) {
        fail(what + "[" + i + "] not finite: " + a[i] + " vs " + b[i]);
      }
      double rel = Math.abs(a[i] - b[i]) / Math.max(1.0, Math.abs(a[i]));
      if (rel > TOL) {
        fail(String.format(Locale.ROOT, "%s[%d]: reference %.17g, backend %.17g (relative difference %.3g > %.1g)",
            what, i, a[i], b[i], rel, TOL));
      }
      worst = Math.max(worst, rel);
    }
    return worst;
  }

  /** Runs one model through the backend (twice, reusing buffers) and checks it against the reference. */
  protected double check(Network net, double fraction, OutputHead head, int n, NodeSolver solver, String what) {
    GraphPlan plan = TestSupport.plan(net.theta(), net.layout(), net.structure(), fraction);
    BatchBuffers input = batch(net.layout(), n, n + 3, head instanceof OutputHead.Softmax, n * 31L + 7);
    Result ref = reference(net, plan, head, input, n, solver);
    assertTrue(TestSupport.maxAbs(ref.grad) > 0, "premise: non-zero gradient");
    double worst;
    try (SolverBackend backend = create(solver, THREADS)) {
      solve(backend, net, plan, head, input, n);
      Result got = solve(backend, net, plan, head, input, n);
      worst = assertSame(ref, got, n, what);
      // forward alone gives the same node values
      BatchBuffers f = copyInputs(input);
      backend.forward(net, plan, f, n, new SolveStats());
      compare(ref.b.x, f.x, n * net.layout().nodes(), what + " forward-only x");
      compare(ref.b.h, f.h, n * net.layout().nodes(), what + " forward-only h");
      report(what + " [" + backend.describe() + "]", worst);
    }
    return worst;
  }

  protected static void report(String what, double worst) {
    System.out.printf(Locale.ROOT, "contract %s: largest relative difference %.3g%n", what, worst);
  }

  protected static NodeSolver solver(Activation act) {
    return new NodeSolver(act, 1e-11, 50);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Activation.class)
  void cyclicModulesOfSeveralSizes(Activation act) {
    int[] sizes = {1, 2, 7, 33, 70, 1, 2};
    Network net = blockModel(sizes, act, 3, 5 + act.ordinal(), 0.9);
    GraphPlan plan = TestSupport.plan(net.theta(), net.layout(), Structure.GRAPH, 1.0);
    assertEquals(sizes.length, plan.moduleCount, "premise: one module per block");
    assertEquals(70, plan.maxSccSize, "premise: the 70-node block is one SCC");
    check(net, 1.0, new OutputHead.Softmax(), 37, solver(act), "blocks 1,2,7,33,70 " + act);
  }

  @Test
  void linearHeadOnStrongerCycles() {
    // column sums 1.6: not a contraction, Newton takes more steps and some systems are stiff
    Network net = blockModel(new int[] {2, 7, 33, 3}, Activation.TANH, 1, 21, 1.6);
    check(net, 1.0, new OutputHead.Linear(), 29, solver(Activation.TANH), "blocks, column sum 1.6, linear head");
  }

  @Test
  void dagStructure() {
    Network net = randomModel(30, Structure.DAG, Activation.TANH, 3, 8, 0.5);
    GraphPlan plan = TestSupport.plan(net.theta(), net.layout(), Structure.DAG, 0.3);
    assertEquals(0, plan.cyclicSccCount, "premise: no cycles in a DAG");
    check(net, 0.3, new OutputHead.Softmax(), 41, solver(Activation.TANH), "DAG p=30");
  }

  @Test
  void everyNodeItsOwnModule() {
    int[] sizes = new int[24];
    java.util.Arrays.fill(sizes, 1);
    Network net = blockModel(sizes, Activation.SIGMOID, 3, 9, 0.9);
    GraphPlan plan = TestSupport.plan(net.theta(), net.layout(), Structure.GRAPH, 1.0);
    assertEquals(24, plan.moduleCount, "premise: singleton modules");
    check(net, 1.0, new OutputHead.Softmax(), 19, solver(Activation.SIGMOID), "singleton modules");
  }

  @Test
  void randomSparseGraph() {
    Network net = randomModel(40, Structure.GRAPH, Activation.TANH, 3, 10, 0.45);
    GraphPlan plan = TestSupport.plan(net.theta(), net.layout(), Structure.GRAPH, 0.03);
    assertTrue(plan.cyclicSccCount > 0 && plan.moduleCount > 1, "premise: several modules, some cyclic");
    check(net, 0.03, new OutputHead.Softmax(), 50, solver(Activation.TANH), "random GRAPH p=40");
  }

  @Test
  void newtonCapExercisesFallbacks() {
    // two Newton iterations are not enough for most systems: the fallback paths run
    Network net = blockModel(new int[] {7, 12, 3}, Activation.TANH, 3, 12, 1.4);
    NodeSolver capped = new NodeSolver(Activation.TANH, 1e-11, 2);
    GraphPlan plan = TestSupport.plan(net.theta(), net.layout(), Structure.GRAPH, 1.0);
    BatchBuffers input = batch(net.layout(), 23, 23, true, 3);
    Result ref = reference(net, plan, new OutputHead.Softmax(), input, 23, capped);
    assertTrue(ref.stats.newtonFailures > 0, "premise: Newton fails within 2 iterations");
    check(net, 1.0, new OutputHead.Softmax(), 23, capped, "Newton capped at 2 iterations");
  }

  @Test
  void backendIsReusedAcrossPlansAndBatchSizes() {
    NodeSolver solver = solver(Activation.TANH);
    Network a = blockModel(new int[] {7, 2, 33}, Activation.TANH, 3, 13, 0.9);
    Network b = blockModel(new int[] {3, 40, 1, 5}, Activation.TANH, 3, 14, 1.2);
    try (SolverBackend backend = create(solver, THREADS)) {
      int round = 0;
      for (Network net : new Network[] {a, b, a, b}) {
        int n = round % 2 == 0 ? 45 : 6;
        GraphPlan plan = TestSupport.plan(net.theta(), net.layout(), Structure.GRAPH, 1.0);
        BatchBuffers input = batch(net.layout(), n, 50, true, round);
        Result ref = reference(net, plan, new OutputHead.Softmax(), input, n, solver);
        Result got = solve(backend, net, plan, new OutputHead.Softmax(), input, n);
        report("reuse round " + round, assertSame(ref, got, n, "round " + round));
        round++;
      }
    }
  }
}
