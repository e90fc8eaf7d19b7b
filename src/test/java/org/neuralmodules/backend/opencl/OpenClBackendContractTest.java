package org.neuralmodules.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.neuralmodules.TestSupport;
import org.neuralmodules.backend.AbstractSolverBackendContractTest;
import org.neuralmodules.backend.BatchBuffers;
import org.neuralmodules.backend.OutputHead;
import org.neuralmodules.backend.SolverBackend;
import org.neuralmodules.config.Activation;
import org.neuralmodules.config.Structure;
import org.neuralmodules.graph.GraphPlan;
import org.neuralmodules.model.Network;
import org.neuralmodules.solve.NodeSolver;

/**
 * The backend contract for the OpenCL backend, with every module on the device (threshold above
 * the largest SCC of the suite), plus what is specific to it: modules split between device and
 * host, batches split into chunks, and that the work really ran on the device.
 */
class OpenClBackendContractTest extends AbstractSolverBackendContractTest {

  @Override
  protected SolverBackend create(NodeSolver solver, int threads) {
    return new OpenClBackend(solver, threads, OpenClTestDevice.get(), 128, OpenClBackend.DEFAULT_SCRATCH_BUDGET);
  }

  @Test
  void largeModulesGoToTheHostInTheSameStep() {
    Network net = blockModel(new int[] {1, 2, 7, 33, 70}, Activation.TANH, 3, 31, 0.9);
    GraphPlan plan = TestSupport.plan(net.theta(), net.layout(), Structure.GRAPH, 1.0);
    NodeSolver solver = solver(Activation.TANH);
    BatchBuffers input = batch(net.layout(), 33, 33, true, 4);
    Result ref = reference(net, plan, new OutputHead.Softmax(), input, 33, solver);
    try (OpenClBackend backend = new OpenClBackend(solver, 2, OpenClTestDevice.get(), 16, 1L << 20)) {
      // 1 MiB of scratch holds fewer than 33 samples: several chunks
      Result got = solve(backend, net, plan, new OutputHead.Softmax(), input, 33);
      report("split device/host, chunked", assertSame(ref, got, 33, "split device/host"));
      assertEquals(3L * 33, backend.deviceItems(), "modules of 1, 2 and 7 nodes on the device");
      assertTrue(backend.describe().contains("OpenCL"), backend.describe());
    }
  }

  @Test
  void solvesRunOnTheDevice() {
    Network net = blockModel(new int[] {4, 4, 9}, Activation.TANH, 3, 32, 0.9);
    GraphPlan plan = TestSupport.plan(net.theta(), net.layout(), Structure.GRAPH, 1.0);
    BatchBuffers input = batch(net.layout(), 10, 10, true, 5);
    try (OpenClBackend backend = (OpenClBackend) create(solver(Activation.TANH), 1)) {
      solve(backend, net, plan, new OutputHead.Softmax(), input, 10);
      assertEquals(30, backend.deviceItems());
      assertEquals(0, backend.hostRedos(), "contractive systems converge on the device");
    }
  }

  @Test
  void closingAnUnusedBackendIsSafe() {
    new OpenClBackend(solver(Activation.TANH), 1, OpenClTestDevice.get()).close();
  }
}
