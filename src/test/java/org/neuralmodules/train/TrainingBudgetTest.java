package org.neuralmodules.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.neuralmodules.config.NMConfig;
import org.neuralmodules.config.Structure;
import org.neuralmodules.graph.GraphPlan;

/** The budget and stopping rules of the training recipe, and the automatic active-edge count. */
class TrainingBudgetTest {

  /** Three gaussian features, two classes from a linear rule (shared with TrainerRecipeTest). */
  private static Dataset data(int n, long seed) {
    return TrainerRecipeTest.data(n, seed, 0.0, null);
  }

  private static Trainer run(NMConfig cfg, Dataset data) {
    Trainer t = new Trainer(cfg, data);
    t.initialise();
    int guard = 0;
    while (t.nextEpoch()) {
      assertTrue(++guard < 10_000, "training must end");
    }
    return t;
  }

  @Test
  void epochCapFollowsTheStepCapAndTheEpochCap() {
    NMConfig c = NMConfig.defaults().withMiniBatch(32).withEpochs(500).withMaxSteps(20_000);
    assertEquals(500, Trainer.epochCap(c, 300), "10 steps/epoch: the epoch cap binds");
    assertEquals(64, Trainer.epochCap(c, 10_000), "313 steps/epoch: ceil(20000 / 313) epochs");
    assertEquals(1, Trainer.epochCap(c, 10_000_000), "at least one epoch");
    assertEquals(500, Trainer.epochCap(c.withMaxSteps(0), 10_000), "-steps 0: no step cap");
  }

  @Test
  void stepCapEndsTrainingAndSaysSo() {
    // 40 rows, mini-batch 8: 5 steps per epoch, 12 steps -> 3 epochs; constant loss never stalls
    NMConfig cfg = NMConfig.defaults().withNodes(4).withThreads(1).withMiniBatch(8).withMaxSteps(12)
        .withValidationPercent(0).withPatience(50);
    Trainer t = run(cfg, data(40, 1));
    assertEquals(3, t.report().epochsRun);
    assertEquals("step cap (-steps)", t.report().stopReason);
  }

  @Test
  void tooFewValidationRowsMeansNoneAreHeldOut() {
    NMConfig cfg = NMConfig.defaults().withNodes(4).withThreads(1).withEpochs(2).withValidationPercent(10)
        .withMinValidationRows(25);
    Trainer small = run(cfg, data(200, 2)); // 10% = 20 rows < 25
    assertEquals(0, small.report().validationRows);
    assertEquals(200, small.report().trainRows);
    assertTrue(small.report().validationSkipped);
    Trainer large = run(cfg, data(300, 2)); // 10% = 30 rows
    assertEquals(30, large.report().validationRows);
    assertEquals(270, large.report().trainRows);
    assertTrue(!large.report().validationSkipped);
  }

  @Test
  void plateauHalvesTheRateThenPatienceStops() {
    // a learning rate this small makes no measurable progress after the first epoch: every later
    // epoch is "bad"; with patience 6 the rate halves after 3 bad epochs, and training stops at 6
    NMConfig cfg = NMConfig.defaults().withNodes(4).withThreads(1).withLearningRate(1e-12).withPatience(6)
        .withLrReductions(3).withValidationPercent(0).withEpochs(100).withMaxSteps(0);
    Trainer t = run(cfg, data(64, 3));
    assertEquals(7, t.report().epochsRun, "1 epoch of progress + 6 without");
    assertEquals(1, t.report().lrReductions, "halved once after 3 bad epochs; stopped before the next 3");
    assertEquals(0.5e-12, t.report().finalLearningRate, 0.0);
    assertEquals("training loss stalled (-E)", t.report().stopReason);
  }

  @Test
  void automaticGammaKeepsEdgesPerNodeFixedAsNodesGrow() {
    for (int p : new int[] {10, 100, 300, 1000, 3000}) {
      NMConfig c = NMConfig.defaults().withNodes(p).withGamma(0).withEdgesPerNode(0.5);
      long allowed = (long) p * (p - 1);
      long kept = org.neuralmodules.graph.Threshold.keptCount(c.activeFraction(), allowed);
      assertEquals(Math.ceil(0.5 * p), kept, 1.0, "p=" + p);
      assertEquals(0.3, c.withGamma(0.3).activeFraction(), 0.0, "an explicit gamma wins");
    }
    NMConfig dag = NMConfig.defaults().withNodes(100).withStructure(Structure.DAG);
    assertEquals(50.0 / 4950, dag.activeFraction(), 1e-15, "DAG: half as many allowed edges");
  }

  @Test
  void structureNoneTrainsAOneHiddenLayerNetwork() {
    NMConfig cfg = NMConfig.defaults().withNodes(6).withThreads(1).withEpochs(3).withStructure(Structure.NONE);
    Trainer t = run(cfg, data(80, 4));
    TrainedModel m = t.finish();
    GraphPlan plan = m.plan();
    assertEquals(0, plan.allowedEdges);
    assertEquals(0, plan.activeEdges);
    assertEquals(6, plan.moduleCount, "every node its own module");
    var l = m.network().layout();
    for (int j = 0; j < 6; j++) {
      for (int k = 0; k < 6; k++) {
        if (j != k) {
          assertEquals(0.0, m.network().theta()[l.w(j, k)], 0.0, "edge " + j + "->" + k + " must stay 0");
        }
      }
    }
  }
}
