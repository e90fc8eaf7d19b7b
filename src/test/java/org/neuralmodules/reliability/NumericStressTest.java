package org.neuralmodules.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Constructor;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.neuralmodules.TestSupport;
import org.neuralmodules.backend.CpuBackend;
import org.neuralmodules.config.Activation;
import org.neuralmodules.config.NMConfig;
import org.neuralmodules.config.Structure;
import org.neuralmodules.graph.GraphPlan;
import org.neuralmodules.model.Network;
import org.neuralmodules.model.ParamLayout;
import org.neuralmodules.solve.NodeSolver;
import org.neuralmodules.solve.SolveStats;
import org.neuralmodules.solve.Workspace;
import org.neuralmodules.train.TrainedModel;
import org.neuralmodules.train.TrainingReport;

/**
 * Hard numerics: random networks whose node systems are contracting, expanding, saturated or
 * unbounded (RELU), with large weights and inputs. Whatever the system, the solver returns finite
 * node values and adjoints, never reports a non-solution as converged, and every failure is
 * counted; model predictions are always finite. Prints the measured failure rates (recorded in
 * docs/design-notes.md) and bounds them per activation.
 */
class NumericStressTest {
  private static final double TOL = NMConfig.DEFAULT_TOLERANCE;
  private static final double[] W_SCALES = {0.1, 0.5, 1, 3, 10, 100, 1e4};
  private static final double[] GAMMAS = {0.05, 0.3, 1.0};
  private static final double[] INPUT_SCALES = {1, 1e3};
  private static final int CASES = 400;
  private static final int SAMPLES = 8;

  @Test
  void solverStaysFiniteCountsEveryFailureAndNeverClaimsAFalseSolution() {
    Random rnd = new Random(20240611);
    SolveStats total = new SolveStats();
    long[] byAct = new long[Activation.values().length * 2]; // unresolved, cyclic solves
    long[] byScale = new long[W_SCALES.length * 2];
    long contractiveUnresolved = 0;
    for (int c = 0; c < CASES; c++) {
      int p = 2 + rnd.nextInt(39);
      int d = 1 + rnd.nextInt(5);
      Activation act = Activation.values()[c % Activation.values().length];
      Structure structure = c % 7 == 0 ? Structure.DAG : Structure.GRAPH;
      int scaleIndex = rnd.nextInt(W_SCALES.length);
      double wScale = W_SCALES[scaleIndex];
      double gamma = GAMMAS[rnd.nextInt(GAMMAS.length)];
      double inScale = INPUT_SCALES[rnd.nextInt(INPUT_SCALES.length)];
      ParamLayout l = new ParamLayout(d, p, 2);
      double[] theta = TestSupport.randomTheta(l, structure, rnd, wScale);
      boolean contractive = rnd.nextBoolean();
      if (contractive) {
        TestSupport.makeContractive(theta, l, 0.9); // a mix of contracting and expanding systems
      }
      GraphPlan plan = TestSupport.plan(theta, l, structure, gamma);
      NodeSolver solver = new NodeSolver(act, TOL, NMConfig.DEFAULT_MAX_ITERATIONS);
      Workspace ws = new Workspace();
      String what = String.format(Locale.ROOT, "case %d: p=%d %s %s w~%.3g gamma=%.2f input~%.3g", c, p, act,
          structure, wScale, gamma, inScale);
      for (int s = 0; s < SAMPLES; s++) {
        double[] x0 = new double[d];
        for (int i = 0; i < d; i++) {
          x0[i] = inScale * rnd.nextGaussian();
        }
        double[] pre = new double[p];
        CpuBackend.preActivation(theta, l, x0, 0, pre, 0);
        double[] x = pre.clone();
        double[] h = new double[p];
        SolveStats st = new SolveStats();
        solver.forward(plan, x, 0, h, 0, ws, st, true);
        double[] g = new double[p];
        for (int k = 0; k < p; k++) {
          g[k] = rnd.nextGaussian();
        }
        double[] lambda = new double[p];
        solver.adjoint(plan, x, 0, g, 0, lambda, 0, ws, st);
        for (int k = 0; k < p; k++) {
          assertTrue(Double.isFinite(x[k]) && Double.isFinite(h[k]) && Double.isFinite(lambda[k]),
              what + ": non-finite node value or adjoint at node " + k);
        }
        if (st.unresolved == 0) {
          // an independent residual of the whole system: converged must mean solved
          double[] r = TestSupport.residual(TestSupport.activeMatrix(plan), pre, x, act);
          double bound = 10 * TOL * (1 + TestSupport.maxAbs(x)) + 1e-13 * rowSize(plan, h);
          assertTrue(TestSupport.maxAbs(r) <= bound, what + ": reported as solved with residual "
              + TestSupport.maxAbs(r) + " > " + bound);
        } else {
          assertTrue(st.worstResidual > 0, what + ": a failure must report its residual");
        }
        total.add(st);
        byAct[2 * act.ordinal()] += st.unresolved;
        byAct[2 * act.ordinal() + 1] += st.cyclicSolves;
        byScale[2 * scaleIndex] += st.unresolved;
        byScale[2 * scaleIndex + 1] += st.cyclicSolves;
        if (contractive) {
          contractiveUnresolved += st.unresolved;
        }
      }
    }
    assertTrue(total.cyclicSolves > CASES, "the stress test must exercise cyclic systems");
    System.out.printf(Locale.ROOT, "NumericStressTest solver: %d cases x %d samples, %s; unresolved rate %.4f%%%n",
        CASES, SAMPLES, total, 100.0 * total.unresolved / total.cyclicSolves);
    for (Activation a : Activation.values()) {
      long u = byAct[2 * a.ordinal()];
      long n = byAct[2 * a.ordinal() + 1];
      System.out.printf(Locale.ROOT, "  %s: %d of %d cyclic solves unresolved (%.4f%%)%n", a, u, n,
          n == 0 ? 0.0 : 100.0 * u / n);
    }
    for (int i = 0; i < W_SCALES.length; i++) {
      System.out.printf(Locale.ROOT, "  weights ~ N(0, %.3g^2): %d of %d unresolved%n", W_SCALES[i], byScale[2 * i],
          byScale[2 * i + 1]);
    }
    // a max-norm contraction has exactly one solution, and the fallback iteration reaches it
    assertEquals(0, contractiveUnresolved, "unresolved solves of contracting systems");
    for (Activation a : Activation.values()) {
      long u = byAct[2 * a.ordinal()];
      long n = byAct[2 * a.ordinal() + 1];
      assertTrue(u <= maxUnresolvedRate(a) * n, String.format(Locale.ROOT,
          "%s: %d of %d cyclic solves unresolved (%.2f%%), bound %.1f%%", a, u, n, 100.0 * u / n,
          100 * maxUnresolvedRate(a)));
    }
  }

  /**
   * A bit above the measured unresolved rates (TANH 5.7%, SIGMOID 2.0%, RELU 30.6%). Without the
   * Armijo line search TANH rises to 9.9% and SIGMOID to 4.8%; without the restarts from saturated
   * states to 7.7% and 3.3% (RELU has neither restarts nor a bounded f to restart from).
   */
  private static double maxUnresolvedRate(Activation a) {
    return switch (a) {
      case TANH -> 0.065;
      case SIGMOID -> 0.025;
      case RELU -> 0.32;
    };
  }

  /** Magnitude of the sums in the residual (for the rounding part of the bound). */
  private static double rowSize(GraphPlan plan, double[] h) {
    double m = 0;
    for (int k = 0; k < plan.p; k++) {
      double s = 0;
      for (int e = plan.inStart[k]; e < plan.inStart[k + 1]; e++) {
        s += Math.abs(plan.inW[e] * h[plan.inSrc[e]]);
      }
      m = Math.max(m, s);
    }
    return m;
  }

  static TrainedModel model(NMConfig cfg, Network net, int classes, double mean, double scale) throws Exception {
    Constructor<TrainedModel> k = TrainedModel.class.getDeclaredConstructor(NMConfig.class, Network.class, int.class,
        double.class, double.class, TrainingReport.class);
    k.setAccessible(true);
    return k.newInstance(cfg, net, classes, mean, scale, new TrainingReport());
  }

  @Test
  void modelPredictionsAreAlwaysFiniteAndReplacedOutputsAreCounted() throws Exception {
    Random rnd = new Random(77);
    long predictions = 0;
    long replaced = 0;
    SolveStats all = new SolveStats();
    for (int c = 0; c < 120; c++) {
      int p = 2 + rnd.nextInt(30);
      int d = 1 + rnd.nextInt(4);
      int classes = c % 3 == 0 ? 0 : 2 + rnd.nextInt(3);
      Activation act = Activation.values()[rnd.nextInt(Activation.values().length)];
      double wScale = W_SCALES[rnd.nextInt(W_SCALES.length)];
      NMConfig cfg = NMConfig.defaults().withNodes(p).withActivation(act).withGamma(GAMMAS[rnd.nextInt(3)]);
      ParamLayout l = new ParamLayout(d, p, classes == 0 ? 1 : classes);
      double[] theta = TestSupport.randomTheta(l, Structure.GRAPH, rnd, wScale);
      for (int i = l.vOffset(); i < l.size(); i++) {
        theta[i] *= wScale; // large output weights: V h may overflow for unbounded RELU states
      }
      TrainedModel m = model(cfg, new Network(l, act, Structure.GRAPH, theta), classes, 5.0, 1e300);
      int n = 6;
      double[] rows = new double[n * d];
      for (int i = 0; i < rows.length; i++) {
        rows[i] = 1e6 * rnd.nextGaussian(); // the preprocessor's clip bound
      }
      double[] batch = m.predictBatch(rows, n, 4, 2);
      for (int r = 0; r < n; r++) {
        double[] one = m.predict(java.util.Arrays.copyOfRange(rows, r * d, (r + 1) * d));
        double[] fromBatch = java.util.Arrays.copyOfRange(batch, r * l.outputs(), (r + 1) * l.outputs());
        assertArrayEquals(one, fromBatch, 0.0, "case " + c + " row " + r + ": batch vs single");
        double sum = 0;
        for (double v : one) {
          assertTrue(Double.isFinite(v), "case " + c + ": non-finite prediction");
          sum += v;
        }
        if (classes > 0) {
          assertEquals(1.0, sum, 1e-9, "case " + c + ": not a distribution");
        }
      }
      predictions += 2L * n;
      replaced += m.predictionStats().nonFiniteOutputs;
      all.add(m.predictionStats());
    }
    System.out.printf(Locale.ROOT, "NumericStressTest model: %d predictions, %d non-finite outputs replaced "
        + "(%.2f%%); %s%n", predictions, replaced, 100.0 * replaced / predictions, all);
  }

  @Test
  void aNonFiniteOutputBecomesTheUninformedPredictionAndIsCounted() throws Exception {
    ParamLayout l = new ParamLayout(2, 3, 3);
    double[] theta = TestSupport.randomTheta(l, Structure.GRAPH, new Random(1), 0.5);
    theta[l.b(1)] = Double.POSITIVE_INFINITY;
    NMConfig cfg = NMConfig.defaults().withNodes(3);
    TrainedModel cls = model(cfg, new Network(l, Activation.TANH, Structure.GRAPH, theta), 3, 0, 1);
    assertArrayEquals(new double[] {1 / 3.0, 1 / 3.0, 1 / 3.0}, cls.predict(new double[] {0.1, 0.2}), 1e-15);
    assertArrayEquals(new double[] {1 / 3.0, 1 / 3.0, 1 / 3.0, 1 / 3.0, 1 / 3.0, 1 / 3.0},
        cls.predictBatch(new double[] {0.1, 0.2, 0.3, 0.4}, 2, 1, 1), 1e-15);
    assertEquals(3, cls.predictionStats().nonFiniteOutputs);
    assertTrue(cls.predictionStats().toString().contains("non-finite outputs replaced 3"));

    ParamLayout r = new ParamLayout(2, 3, 1);
    double[] t2 = TestSupport.randomTheta(r, Structure.GRAPH, new Random(2), 0.5);
    t2[r.b(0)] = Double.NaN;
    TrainedModel reg = model(cfg, new Network(r, Activation.TANH, Structure.GRAPH, t2), 0, 4.5, 2);
    assertArrayEquals(new double[] {4.5}, reg.predict(new double[] {1, 2}), 0.0);
    assertEquals(1, reg.predictionStats().nonFiniteOutputs);

    // a healthy model counts nothing
    TrainedModel ok = model(cfg, new Network(l, Activation.TANH, Structure.GRAPH,
        TestSupport.randomTheta(l, Structure.GRAPH, new Random(3), 0.5)), 3, 0, 1);
    ok.predict(new double[] {1, 2});
    assertEquals(0, ok.predictionStats().nonFiniteOutputs);
  }
}
