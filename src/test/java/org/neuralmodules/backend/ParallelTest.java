package org.neuralmodules.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.neuralmodules.TestSupport;
import org.neuralmodules.config.Activation;
import org.neuralmodules.config.Structure;
import org.neuralmodules.graph.GraphPlan;
import org.neuralmodules.model.Network;
import org.neuralmodules.model.ParamLayout;
import org.neuralmodules.solve.NodeSolver;
import org.neuralmodules.solve.SolveStats;

/** How Parallel splits work, where it runs it, how worker failures surface, and that close() ends the workers. */
class ParallelTest {

  @Test
  void rangesAreContiguousOnePerWorkerOnDaemonPoolThreads() {
    List<String> calls = Collections.synchronizedList(new ArrayList<>());
    try (Parallel par = new Parallel(3)) {
      assertEquals(3, par.threads());
      par.forRange(10, (from, to, worker) -> {
        Thread t = Thread.currentThread();
        assertTrue(t.isDaemon(), "worker threads must not keep the JVM alive");
        assertTrue(t.getName().startsWith("neural-modules-"), t.getName());
        calls.add(worker + ":" + from + "-" + to);
      });
    }
    Collections.sort(calls);
    assertEquals(List.of("0:0-3", "1:3-6", "2:6-10"), calls);
  }

  @Test
  void oneThreadOrOneItemRunsOnTheCallerAndNothingRunsForNoItems() {
    Thread caller = Thread.currentThread();
    List<String> calls = new ArrayList<>();
    try (Parallel one = new Parallel(0); Parallel three = new Parallel(3)) {
      assertEquals(1, one.threads(), "at least one thread");
      one.forRange(5, (from, to, worker) -> {
        assertSame(caller, Thread.currentThread());
        calls.add(worker + ":" + from + "-" + to);
      });
      three.forRange(1, (from, to, worker) -> {
        assertSame(caller, Thread.currentThread());
        calls.add(worker + ":" + from + "-" + to);
      });
      one.forRange(0, (from, to, worker) -> calls.add("empty"));
      three.forRange(0, (from, to, worker) -> calls.add("empty"));
    }
    assertEquals(List.of("0:0-5", "0:0-1"), calls);
  }

  @Test
  void workerFailuresAreRethrownAsThemselves() {
    try (Parallel par = new Parallel(2)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> par.forRange(4, (f, t, w) -> {
        if (w == 1) {
          throw new IllegalArgumentException("worker 1");
        }
      }));
      assertEquals("worker 1", e.getMessage());
      AssertionError err = assertThrows(AssertionError.class, () -> par.forRange(4, (f, t, w) -> {
        if (w == 0) {
          throw new AssertionError("worker 0");
        }
      }));
      assertEquals("worker 0", err.getMessage());
    }
  }

  /** An interrupt of the caller while it waits for the workers ends forRange and keeps the flag. */
  @Test
  void interruptWhileWaitingCancelsAndKeepsTheFlag() {
    try (Parallel par = new Parallel(2)) {
      Thread.currentThread().interrupt();
      try {
        assertThrows(Parallel.CancellationRuntimeException.class, () -> par.forRange(2, (f, t, w) -> {
          try {
            Thread.sleep(2000);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }));
        assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept for the caller");
      } finally {
        Thread.interrupted();
      }
    }
  }

  private static long liveWorkers() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("neural-modules-")).count();
  }

  /** Closing a multi-threaded CPU backend ends its worker threads. */
  @Test
  void closingTheBackendEndsItsWorkers() throws Exception {
    long before = liveWorkers();
    ParamLayout l = new ParamLayout(2, 4, 2);
    Network net = Network.initialise(l, Activation.TANH, Structure.GRAPH, new Random(1));
    GraphPlan plan = TestSupport.plan(net.theta(), l, Structure.GRAPH, 0.5);
    BatchBuffers b = new BatchBuffers(8, 2, 4, 2);
    CpuBackend backend = new CpuBackend(new NodeSolver(Activation.TANH, 1e-8, 50), 3);
    backend.forward(net, plan, b, 8, new SolveStats());
    assertTrue(liveWorkers() > before, "premise: workers started");
    backend.close();
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (liveWorkers() > before && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertTrue(liveWorkers() <= before, "workers still alive after close()");
  }

  /** The AUTO backend on a machine without an OpenCL GPU is a noted CPU backend; closing it ends its workers too. */
  @Test
  void closingTheAutoCpuBackendEndsItsWorkers() throws Exception {
    long before = liveWorkers();
    org.neuralmodules.config.NMConfig cfg = org.neuralmodules.config.NMConfig.defaults().withThreads(3)
        .withDevice(org.neuralmodules.config.Device.AUTO);
    SolverBackend backend = Backends.create(cfg, new NodeSolver(Activation.TANH, 1e-8, 50));
    org.junit.jupiter.api.Assumptions.assumeTrue(backend.describe().contains("no OpenCL GPU"),
        "an OpenCL GPU is present: " + backend.describe());
    ParamLayout l = new ParamLayout(2, 4, 2);
    Network net = Network.initialise(l, Activation.TANH, Structure.GRAPH, new Random(1));
    GraphPlan plan = TestSupport.plan(net.theta(), l, Structure.GRAPH, 0.5);
    backend.forward(net, plan, new BatchBuffers(8, 2, 4, 2), 8, new SolveStats());
    assertEquals(3, backend.parallel().threads());
    backend.close();
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (liveWorkers() > before && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertTrue(liveWorkers() <= before, "workers still alive after close()");
  }
}
