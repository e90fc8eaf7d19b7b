package org.neuralmodules.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.neuralmodules.TestSupport;
import org.neuralmodules.config.Activation;
import org.neuralmodules.config.Structure;
import org.neuralmodules.graph.GraphPlan;
import org.neuralmodules.model.Network;
import org.neuralmodules.model.ParamLayout;
import org.neuralmodules.solve.NodeSolver;
import org.neuralmodules.solve.SolveStats;
import org.neuralmodules.train.Gradients;

/** The batch results and the gradient are bitwise independent of the number of threads. */
class CpuBackendDeterminismTest {

  private static final class Result {
    BatchBuffers b;
    double[] grad;
    double[] forwardOnlyX;
    SolveStats stats = new SolveStats();
  }

  private static Result run(Network net, GraphPlan plan, OutputHead head, BatchBuffers input, int n, int threads) {
    ParamLayout l = net.layout();
    Result r = new Result();
    r.b = new BatchBuffers(input.capacity, l.inputs(), l.nodes(), l.outputs());
    System.arraycopy(input.x0, 0, r.b.x0, 0, input.x0.length);
    System.arraycopy(input.target, 0, r.b.target, 0, input.target.length);
    System.arraycopy(input.weight, 0, r.b.weight, 0, input.weight.length);
    r.grad = new double[l.size()];
    NodeSolver solver = new NodeSolver(net.activation(), 1e-9, 50);
    try (CpuBackend backend = new CpuBackend(solver, threads)) {
      assertEquals(threads, backend.parallel().threads());
      // twice, so workspaces are reused with stale contents
      backend.forwardAdjoint(net, plan, head, r.b, n, new SolveStats());
      backend.forwardAdjoint(net, plan, head, r.b, n, r.stats);
      Gradients.compute(r.b, n, l, net.structure(), r.grad, backend.parallel());
      BatchBuffers f = new BatchBuffers(input.capacity, l.inputs(), l.nodes(), l.outputs());
      System.arraycopy(input.x0, 0, f.x0, 0, input.x0.length);
      backend.forward(net, plan, f, n, new SolveStats());
      r.forwardOnlyX = f.x;
    }
    return r;
  }

  @ParameterizedTest(name = "{0} head, {1}, p={2}, fraction={3}")
  @CsvSource({
      "softmax, GRAPH, 12, 0.3, 23, 1",
      "linear, GRAPH, 14, 0.2, 31, 2",
      "softmax, DAG, 10, 0.5, 9, 3",
  })
  void oneThreadEqualsSeveralThreads(String headName, Structure structure, int p, double fraction, int n,
      long seed) {
    boolean softmax = headName.equals("softmax");
    int d = 4;
    int c = softmax ? 3 : 1;
    ParamLayout l = new ParamLayout(d, p, c);
    Random rnd = new Random(seed);
    Network net = new Network(l, Activation.TANH, structure, TestSupport.randomTheta(l, structure, rnd, 0.45));
    GraphPlan plan = TestSupport.plan(net.theta(), l, structure, fraction);
    if (structure == Structure.GRAPH) {
      assertTrue(plan.cyclicSccCount > 0, "premise: cyclic SCCs");
    }
    OutputHead head = softmax ? new OutputHead.Softmax() : new OutputHead.Linear();
    int capacity = n + 3; // unused tail rows must not matter either
    BatchBuffers input = new BatchBuffers(capacity, d, p, c);
    for (int i = 0; i < n * d; i++) {
      input.x0[i] = rnd.nextGaussian();
    }
    for (int s = 0; s < n; s++) {
      input.target[s] = softmax ? rnd.nextInt(c) : rnd.nextGaussian();
      input.weight[s] = s % 4 == 0 ? 1.0 : 0.3 + rnd.nextDouble();
    }
    Result one = run(net, plan, head, input, n, 1);
    assertTrue(TestSupport.maxAbs(one.grad) > 0, "non-trivial gradient");
    TestSupport.assertBitwiseEquals(one.b.x, one.forwardOnlyX, "forward-only x equals forwardAdjoint x");
    if (structure == Structure.GRAPH) {
      assertEquals((long) n * plan.cyclicSccCount, one.stats.cyclicSolves);
    }
    for (int threads : new int[] {2, 3, 4, 7, n + 5}) {
      Result many = run(net, plan, head, input, n, threads);
      String t = threads + " threads: ";
      TestSupport.assertBitwiseEquals(one.b.x, many.b.x, t + "x");
      TestSupport.assertBitwiseEquals(one.b.h, many.b.h, t + "h");
      TestSupport.assertBitwiseEquals(one.b.g, many.b.g, t + "g");
      TestSupport.assertBitwiseEquals(one.b.lambda, many.b.lambda, t + "lambda");
      TestSupport.assertBitwiseEquals(one.b.delta, many.b.delta, t + "delta");
      TestSupport.assertBitwiseEquals(one.b.loss, many.b.loss, t + "loss");
      TestSupport.assertBitwiseEquals(one.grad, many.grad, t + "gradient");
      TestSupport.assertBitwiseEquals(one.forwardOnlyX, many.forwardOnlyX, t + "forward-only x");
      assertEquals(one.stats.cyclicSolves, many.stats.cyclicSolves, t + "cyclic solves");
      assertEquals(one.stats.newtonIterations, many.stats.newtonIterations, t + "Newton iterations");
      assertEquals(one.stats.newtonFailures, many.stats.newtonFailures, t + "Newton failures");
      assertEquals(one.stats.unresolved, many.stats.unresolved);
      assertEquals(one.stats.adjointFailures, many.stats.adjointFailures);
    }
  }
}
