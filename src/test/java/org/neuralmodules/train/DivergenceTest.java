package org.neuralmodules.train;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.neuralmodules.config.NMConfig;

/** Training that produces non-finite values must never hand back a model that predicts NaN. */
class DivergenceTest {

  /** Random labels, or (learnable) the sign of x0 + x1. */
  private static Dataset data(double scale, boolean learnable) {
    Random r = new Random(3);
    int n = 40;
    int d = 3;
    double[] x = new double[n * d];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        x[i * d + j] = scale * r.nextGaussian();
      }
      y[i] = learnable ? (x[i * d] + x[i * d + 1] > 0 ? 1 : 0) : r.nextInt(2);
    }
    return new Dataset(x, y, null, n, d, 2);
  }

  @Test
  void hopelessDataFailsWithAMessageNamingTheLearningRate() {
    NMConfig cfg = NMConfig.defaults().withNodes(8).withEpochs(3).withThreads(1);
    Trainer t = new Trainer(cfg, data(Double.MAX_VALUE, false));
    t.initialise();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> {
      while (t.nextEpoch()) {
        // keeps rolling back until it gives up
      }
    });
    assertTrue(e.getMessage().contains("-L"), e.getMessage());
    assertTrue(t.report().divergenceRestarts > Trainer.MAX_RESTARTS, "restarts " + t.report().divergenceRestarts);
  }

  @Test
  void aHugeLearningRateStillGivesFinitePredictions() {
    NMConfig cfg = NMConfig.defaults().withNodes(10).withEpochs(5).withLearningRate(10).withThreads(1);
    Dataset ds = data(1.0, true);
    Trainer t = new Trainer(cfg, ds);
    t.initialise();
    while (t.nextEpoch()) {
      // train
    }
    TrainedModel m = t.finish();
    double[] row = new double[3];
    int right = 0;
    for (int i = 0; i < ds.n(); i++) {
      System.arraycopy(ds.x(), i * 3, row, 0, 3);
      double[] p = m.predict(row);
      for (double v : p) {
        assertTrue(Double.isFinite(v), "prediction " + v);
      }
      right += (p[1] > p[0] ? 1 : 0) == ds.y()[i] ? 1 : 0;
    }
    // finite is not enough: the rule is still learnt, if roughly (measured 31 of 40; chance 20)
    assertTrue(right >= 28, right + " of 40 training rows right");
  }
}
