package org.neuralmodules.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;
import org.neuralmodules.TestSupport;
import org.neuralmodules.config.NMConfig;

/** A second session of epochs continues the first: weights, Adam state, RNG and schedule carry on. */
class TrainerResumeTest {
  private static final NMConfig CFG = NMConfig.defaults().withNodes(6).withThreads(1).withMiniBatch(16)
      .withValidationPercent(0).withMaxSteps(0).withPatience(100).withLrReductions(0);

  private static Dataset data() {
    return TrainerRecipeTest.data(120, 5, 0.0, null);
  }

  private static TrainedModel runToEnd(Trainer t) {
    int guard = 0;
    while (t.nextEpoch()) {
      assertTrue(++guard < 1000, "a session must end");
    }
    return t.finish();
  }

  @Test
  void threeThenFourEpochsEqualSevenBitForBit() {
    Trainer once = new Trainer(CFG.withEpochs(7), data());
    once.initialise();
    TrainedModel seven = runToEnd(once);

    Trainer twice = new Trainer(CFG.withEpochs(3), data());
    twice.initialise();
    TrainedModel three = runToEnd(twice);
    assertEquals(3, three.report().epochsRun);
    twice.resume(CFG.withEpochs(4), data());
    TrainedModel resumed = runToEnd(twice);

    assertEquals(7, resumed.report().epochsRun, "epoch counts add up");
    assertEquals(7, resumed.report().epochCap, "the cap counts from the first epoch");
    TestSupport.assertBitwiseEquals(seven.network().theta(), resumed.network().theta(), "3 + 4 vs 7 epochs");
  }

  @Test
  void aSerializedTrainerResumesLikeTheOriginal() throws Exception {
    Trainer once = new Trainer(CFG.withEpochs(5), data());
    once.initialise();
    TrainedModel five = runToEnd(once);

    Trainer first = new Trainer(CFG.withEpochs(2), data());
    first.initialise();
    runToEnd(first);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(first);
    }
    Trainer loaded;
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      loaded = (Trainer) in.readObject();
    }
    loaded.resume(CFG.withEpochs(3), data());
    TestSupport.assertBitwiseEquals(five.network().theta(), runToEnd(loaded).network().theta(),
        "2 epochs, saved, loaded, 3 more vs 5 epochs");
  }

  @Test
  void finishDoesNotRollBackTheTrainersOwnWeights() {
    // with validation, finish() hands out the best epoch's weights but training goes on from the last
    NMConfig cfg = CFG.withValidationPercent(30).withMinValidationRows(1).withEpochs(6).withLearningRate(0.05);
    Trainer t = new Trainer(cfg, data());
    t.initialise();
    while (t.nextEpoch()) {
      // run the session
    }
    double[] last = t.current().network().theta().clone();
    TrainedModel best = t.finish();
    TestSupport.assertBitwiseEquals(last, t.current().network().theta(), "trainer weights after finish()");
    if (best.report().bestEpoch < best.report().epochsRun) {
      assertFalse(java.util.Arrays.equals(last, best.network().theta()), "finish() returns the best epoch");
    }
  }

  @Test
  void aSessionThatStoppedOnPatienceGetsFreshPatience() {
    // a learning rate this small never improves the loss by 0.01%: patience 2 stops after 2 epochs
    NMConfig cfg = CFG.withLearningRate(1e-9).withPatience(2).withEpochs(50);
    Trainer t = new Trainer(cfg, data());
    t.initialise();
    runToEnd(t);
    int first = t.report().epochsRun;
    assertTrue(t.report().earlyStopped);
    t.resume(cfg, data());
    runToEnd(t);
    assertEquals(first + 2, t.report().epochsRun, "two more epochs before patience ends the new session");
  }

  @Test
  void resumeRefusesOtherDataAndAnotherModel() {
    Trainer t = new Trainer(CFG.withEpochs(1), data());
    t.initialise();
    runToEnd(t);
    IllegalArgumentException rows = assertThrows(IllegalArgumentException.class,
        () -> t.resume(CFG, TrainerRecipeTest.data(120, 6, 0.0, null)));
    assertTrue(rows.getMessage().contains("different data"), rows.getMessage());
    IllegalArgumentException nodes = assertThrows(IllegalArgumentException.class,
        () -> t.resume(CFG.withNodes(7), data()));
    assertTrue(nodes.getMessage().contains("-H"), nodes.getMessage());
    t.resume(CFG.withEpochs(2).withThreads(2).withPatience(3), data()); // budget options may change
    assertEquals(3, runToEnd(t).report().epochsRun);
  }

  @Test
  void stopEndsTheSessionAndSaysWhy() {
    Trainer t = new Trainer(CFG.withEpochs(10), data());
    t.initialise();
    assertTrue(t.nextEpoch());
    t.stop("stopped in the progress window");
    assertFalse(t.nextEpoch(), "no epoch after stop");
    assertEquals(1, t.report().epochsRun);
    assertEquals("stopped in the progress window", t.finish().report().stopReason);
  }
}
