package org.neuralmodules.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.neuralmodules.config.NMConfig;

/** The per-epoch progress line: epochs, losses, modules and a time-left bound that counts down. */
class TrainingProgressTest {

  @Test
  void durationsSwitchUnitsAtNinetySecondsAndNinetyMinutes() {
    assertEquals("89 s", TrainingProgress.duration(89));
    assertEquals("2 min", TrainingProgress.duration(90));
    assertEquals("89 min", TrainingProgress.duration(5340));
    assertEquals("1.5 h", TrainingProgress.duration(5400));
  }

  @Test
  void theLineNamesEpochCapLossesAndModules() {
    NMConfig cfg = NMConfig.defaults().withNodes(5).withThreads(1).withEpochs(6).withMaxSteps(0)
        .withValidationPercent(30).withMinValidationRows(1);
    Trainer t = new Trainer(cfg, TrainerRecipeTest.data(60, 2, 0.1, null));
    t.initialise();
    t.nextEpoch();
    t.nextEpoch();
    TrainedModel m = t.current();
    String line = TrainingProgress.line(m);
    assertTrue(line.startsWith("epoch 2 of at most 6: train loss "), line);
    assertTrue(line.contains("validation error ") && line.contains("(kept ") && line.contains(", epoch "), line);
    assertTrue(line.contains(m.plan().moduleCount + " modules (largest " + m.plan().largestModule() + ")"), line);
    assertTrue(line.endsWith(" left"), line);

    NMConfig noValidation = cfg.withValidationPercent(0);
    Trainer u = new Trainer(noValidation, TrainerRecipeTest.data(60, 2, 0.1, null));
    u.initialise();
    u.nextEpoch();
    String plain = TrainingProgress.line(u.current());
    assertTrue(!plain.contains("validation"), "no validation rows, no validation figures: " + plain);
  }
}
