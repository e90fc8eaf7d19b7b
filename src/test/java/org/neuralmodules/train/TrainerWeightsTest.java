package org.neuralmodules.train;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.neuralmodules.TestSupport;
import org.neuralmodules.config.NMConfig;

/** Instance weights in the engine: only relative weights matter, and bad ones are refused. */
class TrainerWeightsTest {
  private static final NMConfig CFG = NMConfig.defaults().withNodes(5).withThreads(1).withEpochs(3)
      .withMaxSteps(0).withValidationPercent(0);

  private static double[] train(double weight) {
    double[] w = new double[80];
    Arrays.fill(w, weight);
    Trainer t = new Trainer(CFG, TrainerRecipeTest.data(80, 3, 0.1, w));
    t.initialise();
    while (t.nextEpoch()) {
      // run to the cap
    }
    return t.finish().network().theta();
  }

  /** 80 weights of 1e308 sum to infinity; scaled by 2^-1023 they train exactly as 1e308 * 2^-1023. */
  @Test
  void weightsWhoseSumOverflowsTrainLikeTheirScaledCopies() {
    double[] huge = train(1e308);
    TestSupport.assertBitwiseEquals(train(Math.scalb(1e308, -1023)), huge, "1e308 vs its power-of-two scaling");
    Trainer untrained = new Trainer(CFG, TrainerRecipeTest.data(80, 3, 0.1, null));
    untrained.initialise();
    assertFalse(Arrays.equals(untrained.current().network().theta(), huge), "the weights moved");
    TestSupport.assertBitwiseEquals(train(1e-300), train(Math.scalb(1e-300, 997)), "tiny weights too");
  }

  @Test
  void aDatasetRefusesNaNInfiniteAndNegativeWeights() {
    for (double bad : new double[] {Double.NaN, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, -0.5}) {
      double[] w = new double[10];
      Arrays.fill(w, 1.0);
      w[4] = bad;
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> TrainerRecipeTest.data(10, 1, 0, w));
      assertTrue(e.getMessage().contains("row 4"), e.getMessage());
    }
  }
}
