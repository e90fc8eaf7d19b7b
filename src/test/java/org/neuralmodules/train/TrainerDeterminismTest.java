package org.neuralmodules.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.neuralmodules.TestSupport;
import org.neuralmodules.config.NMConfig;
import org.neuralmodules.config.Norm;
import org.neuralmodules.config.Regularization;

/** Training gives the same bits whatever the thread count. */
class TrainerDeterminismTest {

  private static Dataset randomData(long seed, int n, int d, int classes, boolean weighted) {
    Random r = new Random(seed);
    double[] x = new double[n * d];
    double[] y = new double[n];
    double[] w = weighted ? new double[n] : null;
    for (int i = 0; i < n; i++) {
      double s = 0;
      for (int j = 0; j < d; j++) {
        x[i * d + j] = r.nextGaussian();
        s += (j + 1) * x[i * d + j];
      }
      y[i] = classes == 0 ? 3 + 2 * Math.sin(s) + 0.1 * r.nextGaussian()
          : Math.floorMod((int) Math.floor(s), classes);
      if (weighted) {
        w[i] = 0.2 + 2 * r.nextDouble();
      }
    }
    return new Dataset(x, y, w, n, d, classes);
  }

  private static final class Run {
    double[] theta;
    TrainingReport report;
  }

  private static Run train(NMConfig cfg, Dataset data) {
    Trainer t = new Trainer(cfg, data);
    t.initialise();
    int guard = 0;
    while (t.nextEpoch()) {
      assertTrue(++guard < 100);
    }
    TrainedModel m = t.finish();
    Run r = new Run();
    r.theta = m.network().theta().clone();
    r.report = m.report();
    return r;
  }

  @ParameterizedTest(name = "classes={0}, weighted={1}, {2} {3}")
  @CsvSource({
      "3, false, NM, L1, 0.3",
      "0, true, PLAIN, L2, 0.25",
      "2, true, NM, L2, 0.5",
  })
  void oneThreadEqualsSeveralThreads(int classes, boolean weighted, Regularization reg, Norm norm,
      double gamma) {
    Dataset data = randomData(100 + classes, 70, 4, classes, weighted);
    NMConfig cfg = NMConfig.defaults().withNodes(10).withGamma(gamma).withEpochs(4).withMiniBatch(8)
        .withLearningRate(0.02).withAlpha(1e-3).withRegularization(reg).withNorm(norm)
        .withValidationPercent(20).withPatience(10).withSeed(5).withThreads(1);
    Run one = train(cfg, data);
    assertEquals(4, one.report.epochsRun);
    assertTrue(Arrays.stream(one.theta).allMatch(Double::isFinite));
    assertTrue(one.report.trainingSolves.cyclicSolves > 0, "premise: training solved cyclic systems");
    assertTrue(Double.isFinite(one.report.trainLoss));
    for (int threads : new int[] {2, 3}) {
      Run many = train(cfg.withThreads(threads), data);
      TestSupport.assertBitwiseEquals(one.theta, many.theta, threads + " threads: final theta");
      assertEquals(Double.doubleToRawLongBits(one.report.trainLoss),
          Double.doubleToRawLongBits(many.report.trainLoss), "train loss");
      assertEquals(Double.doubleToRawLongBits(one.report.bestValidationLoss),
          Double.doubleToRawLongBits(many.report.bestValidationLoss), "validation loss");
      assertEquals(one.report.bestEpoch, many.report.bestEpoch);
      assertEquals(one.report.trainingSolves.cyclicSolves, many.report.trainingSolves.cyclicSolves);
      assertEquals(one.report.trainingSolves.newtonIterations, many.report.trainingSolves.newtonIterations);
    }
    // the comparison is not vacuous: another seed trains to other weights
    Run other = train(cfg.withSeed(6).withThreads(2), data);
    assertFalse(Arrays.equals(one.theta, other.theta), "a different seed gives different weights");
  }
}
