package org.neuralmodules.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
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

/**
 * The CPU backend's building blocks against plain reference sums: the pre-activation (unrolled
 * four inputs at a time), instance-weight scaling, the output heads' gradients, the batch buffers'
 * initial weights and size, and interruption.
 */
class CpuBackendPartsTest {

  /**
   * c_k = w_kk + sum_i U_ik x0_i for input counts that exercise the four-at-a-time blocks and the
   * remainder (d = 1, 4, 9), at nonzero offsets into both arrays.
   */
  @Test
  void preActivationIsBiasPlusInputSum() {
    for (int d : new int[] {1, 4, 9}) {
      int p = 5;
      ParamLayout l = new ParamLayout(d, p, 2);
      Random r = new Random(d);
      double[] theta = TestSupport.randomTheta(l, Structure.GRAPH, r, 0.5);
      double[] x0 = new double[3 * d];
      for (int i = 0; i < x0.length; i++) {
        x0[i] = r.nextGaussian();
      }
      double[] out = new double[3 * p];
      Arrays.fill(out, 99.0); // stale values must be overwritten
      CpuBackend.preActivation(theta, l, x0, 2 * d, out, p);
      for (int k = 0; k < p; k++) {
        double c = theta[l.w(k, k)];
        for (int i = 0; i < d; i++) {
          c += theta[l.u(i, k)] * x0[2 * d + i];
        }
        assertEquals(c, out[p + k], 1e-12, "d=" + d + " node " + k);
        assertEquals(99.0, out[k], 0.0, "outside the target range");
        assertEquals(99.0, out[2 * p + k], 0.0, "outside the target range");
      }
    }
  }

  /** Weight 2 doubles the loss, delta and g of that sample only; weight 1 leaves them as they are. */
  @Test
  void scaleMultipliesLossAndGradientsBySampleWeight() {
    BatchBuffers b = new BatchBuffers(2, 1, 3, 2);
    for (int s = 0; s < 2; s++) {
      b.loss[s] = 1.5;
      for (int o = 0; o < 2; o++) {
        b.delta[s * 2 + o] = 0.25 + o;
      }
      for (int k = 0; k < 3; k++) {
        b.g[s * 3 + k] = -0.5 + k;
      }
    }
    b.weight[0] = 1.0;
    b.weight[1] = 2.0;
    CpuBackend.scale(b, 0, 3, 2);
    CpuBackend.scale(b, 1, 3, 2);
    assertEquals(1.5, b.loss[0], 0.0);
    assertEquals(3.0, b.loss[1], 0.0);
    for (int o = 0; o < 2; o++) {
      assertEquals(0.25 + o, b.delta[o], 0.0);
      assertEquals(2 * (0.25 + o), b.delta[2 + o], 0.0);
    }
    for (int k = 0; k < 3; k++) {
      assertEquals(-0.5 + k, b.g[k], 0.0);
      assertEquals(2 * (-0.5 + k), b.g[3 + k], 0.0);
    }
  }

  /** A new buffer weighs every sample 1; bytes() is what its arrays take. */
  @Test
  void newBuffersWeighOneAndBytesCountTheirArrays() {
    BatchBuffers b = new BatchBuffers(7, 3, 5, 2);
    for (double w : b.weight) {
      assertEquals(1.0, w, 0.0);
    }
    long doubles = b.x0.length + b.target.length + b.weight.length + b.x.length + b.h.length + b.g.length
        + b.lambda.length + b.delta.length + b.loss.length;
    assertEquals(8 * doubles, BatchBuffers.bytes(7, 3, 5, 2));
  }

  /**
   * Squared-error head by hand: p = 2 nodes, o = v.h + b = 0.5*1 + (-2)*0.25 + 0.3 = 0.3, target 1.3:
   * r = -1, loss 0.5, delta = r, g = V r = (-0.5, 2). Stale g is overwritten.
   */
  @Test
  void linearHeadLossAndGradientByHand() {
    ParamLayout l = new ParamLayout(0, 2, 1);
    double[] theta = new double[l.size()];
    theta[l.v(0, 0)] = 0.5;
    theta[l.v(0, 1)] = -2;
    theta[l.b(0)] = 0.3;
    double[] h = {1, 0.25};
    double[] delta = new double[1];
    double[] g = {7, 7};
    double loss = new OutputHead.Linear().lossAndGradient(theta, l, h, 0, 1.3, delta, 0, g, 0);
    assertEquals(0.5, loss, 1e-15);
    assertEquals(-1, delta[0], 1e-15);
    assertEquals(-0.5, g[0], 1e-15);
    assertEquals(2, g[1], 1e-15);
  }

  /**
   * Softmax head by hand: two classes with outputs (0, ln 3): p = (1/4, 3/4); target 0 gives loss
   * ln 4, delta = p - e_0 = (-3/4, 3/4), g = V^T delta. Stale g is overwritten.
   */
  @Test
  void softmaxHeadLossAndGradientByHand() {
    ParamLayout l = new ParamLayout(0, 1, 2);
    double[] theta = new double[l.size()];
    theta[l.v(0, 0)] = 2;
    theta[l.v(1, 0)] = 1;
    theta[l.b(1)] = Math.log(3);
    double[] h = {0.0}; // outputs (0, ln 3) come from the biases; V shows in g
    double[] g = {5};
    double[] delta = new double[2];
    double loss = new OutputHead.Softmax().lossAndGradient(theta, l, h, 0, 0, delta, 0, g, 0);
    assertEquals(Math.log(4), loss, 1e-15);
    assertEquals(-0.75, delta[0], 1e-15);
    assertEquals(0.75, delta[1], 1e-15);
    assertEquals(2 * -0.75 + 1 * 0.75, g[0], 1e-15);
  }

  /** A Stop (interrupt) reaches a single-threaded forward pass within one sample. */
  @Test
  void interruptedForwardStops() {
    ParamLayout l = new ParamLayout(2, 4, 2);
    Network net = Network.initialise(l, Activation.TANH, Structure.GRAPH, new Random(1));
    GraphPlan plan = TestSupport.plan(net.theta(), l, Structure.GRAPH, 0.5);
    BatchBuffers b = new BatchBuffers(4, 2, 4, 2);
    try (CpuBackend backend = new CpuBackend(new NodeSolver(Activation.TANH, 1e-8, 50), 1)) {
      Thread.currentThread().interrupt();
      try {
        assertThrows(Parallel.CancellationRuntimeException.class, () -> backend.forward(net, plan, b, 4, new SolveStats()));
      } finally {
        Thread.interrupted();
      }
      backend.forward(net, plan, b, 4, new SolveStats());
      assertTrue(Double.isFinite(b.h[0]), "runs again once the interrupt is cleared");
      assertEquals("CPU (1 thread)", backend.describe());
    }
  }
}
