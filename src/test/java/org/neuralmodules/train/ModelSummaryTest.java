package org.neuralmodules.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.neuralmodules.config.Device;
import org.neuralmodules.config.Monitor;
import org.neuralmodules.config.NMConfig;
import org.neuralmodules.graph.GraphPlan;

/** The printed model description states the model's actual numbers, and only lines that apply. */
class ModelSummaryTest {

  private static TrainedModel train(NMConfig cfg, Dataset ds) {
    Trainer t = new Trainer(cfg, ds);
    t.initialise();
    while (t.nextEpoch()) {
      // to the end
    }
    return t.finish();
  }

  private static NMConfig base() {
    return NMConfig.defaults().withNodes(8).withThreads(1).withDevice(Device.CPU).withMaxSteps(0).withEpochs(3)
        .withMiniBatch(16).withLearningRate(0.01);
  }

  @Test
  void histogramCountsModulesPerSizeInSizeOrder() {
    assertEquals("1: 2, 3: 1, 5: 1", ModelSummary.histogram(new int[] {3, 1, 5, 1}));
    assertEquals("", ModelSummary.histogram(new int[0]));
  }

  /** Nominal class, validation rows, -gamma fraction: the plan's numbers and the validation lines. */
  @Test
  void nominalModelWithValidationStatesItsPlanAndValidation() {
    NMConfig cfg = base().withGamma(0.05).withValidationPercent(25).withMinValidationRows(10)
        .withMonitor(Monitor.ERROR);
    TrainedModel m = train(cfg, TrainerRecipeTest.data(80, 1, 0.1, null));
    GraphPlan plan = m.plan();
    String s = ModelSummary.format(m);
    assertTrue(s.contains("Nodes: 8   inputs: 3   outputs: 2"), s);
    assertTrue(s.contains("Active edges: " + plan.activeEdges + " of 56 allowed (-gamma fraction 0.05000)"), s);
    long singletons = Arrays.stream(plan.moduleSize).filter(v -> v == 1).count();
    assertTrue(singletons > 0 && singletons < plan.moduleCount, "premise: singletons and larger modules");
    assertTrue(s.contains("Modules: " + plan.moduleCount + "   largest: " + plan.largestModule() + " nodes   singletons: "
        + singletons), s);
    assertTrue(s.contains("Module sizes (nodes: count): " + ModelSummary.histogram(plan.moduleSize)), s);
    assertTrue(s.contains("3 epochs run (best " + m.report().bestEpoch + ")"), s);
    assertTrue(s.contains("60 training rows, 20 validation rows\n"), s);
    assertTrue(s.contains("Stopped by: epoch cap (-N); epoch cap 3"), s);
    assertTrue(s.contains("Final validation loss"), s);
    assertTrue(s.contains("Final validation error"), s);
    assertTrue(s.contains("(-monitor ERROR)"), s);
    assertFalse(s.contains("stopped early"), s);
    assertFalse(s.contains("Divergence restarts"), s);
    assertFalse(s.contains("Solver, predictions"), s);
    assertFalse(s.contains("Batch predictions backend"), s);
  }

  /**
   * Numeric class, no validation, -gamma 0: no validation lines, the edges-per-node rule; after
   * predictions the prediction lines appear, and restarts are reported when there were any.
   */
  @Test
  void numericModelWithoutValidationAndAfterPredictions() {
    double[] x = new double[40];
    double[] y = new double[40];
    for (int i = 0; i < 40; i++) {
      x[i] = i / 40.0;
      y[i] = 3 * x[i];
    }
    NMConfig cfg = base().withGamma(0).withEdgesPerNode(2).withValidationPercent(0).withPatience(1)
        .withLearningRate(1e-300).withEpochs(10);
    TrainedModel m = train(cfg, new Dataset(x, y, null, 40, 1, 0));
    String before = ModelSummary.format(m);
    assertTrue(before.contains("(-gamma 0: 2.00 edges per node)"), before);
    assertFalse(before.contains("validation loss"), before);
    assertFalse(before.contains("validation error"), before);
    assertTrue(before.contains(", stopped early)"), before);
    assertTrue(before.contains("0 validation rows\n"), before);
    assertTrue(before.contains("Stopped by: training loss stalled (-E)"), before);
    assertTrue(m.plan().cyclicSccCount > 0, "premise: predictions solve cycles");
    m.predict(new double[] {0.5});
    m.predictBatch(new double[] {0.1, 0.2}, 2, 2, 1);
    m.report().divergenceRestarts = 2;
    m.report().finalLearningRate = 0.25;
    String after = ModelSummary.format(m);
    assertTrue(after.contains("Solver, predictions:  " + m.predictionStats()), after);
    assertTrue(after.contains("Batch predictions backend: CPU (1 thread)"), after);
    assertTrue(after.contains("Divergence restarts: 2 (learning rate lowered to 0.250)"), after);
  }

  /** The validation note when too few rows were held out. */
  @Test
  void skippedValidationIsExplained() {
    NMConfig cfg = base().withValidationPercent(10).withMinValidationRows(50);
    TrainedModel m = train(cfg, TrainerRecipeTest.data(100, 2, 0.1, null));
    assertTrue(ModelSummary.format(m).contains("(too few for early stopping: -min-validation 50)"));
    assertEquals(2, m.classes());
    assertEquals(cfg, m.config());
  }
}
