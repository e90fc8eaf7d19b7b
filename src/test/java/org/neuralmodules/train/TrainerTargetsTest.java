package org.neuralmodules.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.neuralmodules.TestSupport;
import org.neuralmodules.config.Device;
import org.neuralmodules.config.NMConfig;

/**
 * Numeric targets and instance weights as the trainer prepares them: targets are standardised for
 * training and de-standardised (times the standard deviation, plus the mean) for prediction, also
 * after a save/load round trip; instance weights are normalised to mean 1 over the training rows.
 */
class TrainerTargetsTest {

  private static NMConfig base() {
    return NMConfig.defaults().withNodes(6).withThreads(1).withDevice(Device.CPU).withMaxSteps(0)
        .withValidationPercent(0).withPatience(1000);
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

  /** One feature x ~ U(-1, 1), target a + b x. */
  private static Dataset line(int n, double a, double b, long seed) {
    Random r = new Random(seed);
    double[] x = new double[n];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = 2 * r.nextDouble() - 1;
      y[i] = a + b * x[i];
    }
    return new Dataset(x, y, null, n, 1, 0);
  }

  /**
   * y = 1000 + 10 x: an offset 100 times the spread. Predictions must be within 0.5 (5% of the
   * spread) everywhere in the range: a lost mean is off by 1000, a scale by the variance (100
   * instead of 10) or none at all misses the slope by far more than 0.5.
   */
  @Test
  void numericTargetWithLargeOffsetIsPredictedOnTheOriginalScale() {
    NMConfig cfg = base().withEpochs(60).withLearningRate(0.02).withMiniBatch(16).withAlpha(0);
    TrainedModel m = run(cfg, line(200, 1000, 10, 1)).finish();
    for (double x = -0.9; x <= 0.9; x += 0.3) {
      double p = m.predict(new double[] {x})[0];
      assertEquals(1000 + 10 * x, p, 0.5, "prediction at x = " + x);
    }
  }

  /**
   * A constant target has no spread: it is not divided by ~0 (which would blow the standardised
   * targets up), and every prediction is the constant, up to what the untrained output adds.
   */
  @Test
  void constantTargetIsPredictedAsTheConstant() {
    NMConfig cfg = base().withEpochs(30).withLearningRate(0.02).withMiniBatch(16);
    Trainer t = run(cfg, line(100, -42.5, 0, 2));
    assertTrue(Double.isFinite(t.report().trainLoss) && t.report().trainLoss < 1e-3,
        "standardised loss of a constant target: " + t.report().trainLoss);
    TrainedModel m = t.finish();
    for (double x : new double[] {-1, 0, 1}) {
      assertEquals(-42.5, m.predict(new double[] {x})[0], 0.05, "x = " + x);
    }
  }

  /**
   * A numeric model keeps its target mean and scale through serialisation: the loaded model
   * predicts exactly the same bits.
   */
  @Test
  void numericModelPredictsTheSameAfterASaveLoadRoundTrip() throws Exception {
    NMConfig cfg = base().withEpochs(5).withLearningRate(0.02).withMiniBatch(16);
    TrainedModel m = run(cfg, line(100, 250, -30, 3)).finish();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(m);
    }
    TrainedModel loaded;
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      loaded = (TrainedModel) in.readObject();
    }
    for (double x : new double[] {-0.8, 0.1, 0.7}) {
      double[] before = m.predict(new double[] {x});
      assertTrue(Math.abs(before[0] - 250) < 100, "premise: on the target's scale, got " + before[0]);
      TestSupport.assertBitwiseEquals(before, loaded.predict(new double[] {x}), "x = " + x);
    }
    TestSupport.assertBitwiseEquals(m.predictBatch(new double[] {-0.8, 0.1, 0.7}, 3, 2, 1),
        loaded.predictBatch(new double[] {-0.8, 0.1, 0.7}, 3, 2, 1), "batch");
  }

  /**
   * Batch prediction de-standardises like single prediction: the same values for every chunk
   * size, also for a numeric target.
   */
  @Test
  void batchAndSinglePredictionsAgreeForANumericTarget() {
    NMConfig cfg = base().withEpochs(3).withLearningRate(0.02).withMiniBatch(16);
    TrainedModel m = run(cfg, line(60, 5, 2, 4)).finish();
    double[] rows = {-1, -0.5, 0, 0.5, 1};
    for (int chunk : new int[] {1, 2, 5, 10}) {
      double[] batch = m.predictBatch(rows, rows.length, chunk, 1);
      for (int i = 0; i < rows.length; i++) {
        assertEquals(m.predict(new double[] {rows[i]})[0], batch[i], 1e-12, "chunk " + chunk + " row " + i);
      }
    }
  }

  /**
   * Weights are rescaled to mean 1 over the training rows, so multiplying every weight by the
   * same factor changes nothing: weights of 4 everywhere (a power of two, exact) train to the same
   * bits as no weights.
   */
  @Test
  void uniformWeightsTrainExactlyLikeNoWeights() {
    Dataset plain = TrainerRecipeTest.data(96, 5, 0.1, null);
    double[] w = new double[96];
    java.util.Arrays.fill(w, 4.0);
    Dataset weighted = new Dataset(plain.x(), plain.y(), w, 96, plain.d(), 2);
    NMConfig cfg = base().withEpochs(3).withLearningRate(0.05).withMiniBatch(16).withValidationPercent(25)
        .withMinValidationRows(10);
    Trainer a = run(cfg, plain);
    Trainer b = run(cfg, weighted);
    TestSupport.assertBitwiseEquals(a.finish().network().theta(), b.finish().network().theta(), "weights");
    assertEquals(a.report().validationLoss, b.report().validationLoss, 0.0);
    assertEquals(a.report().trainLoss, b.report().trainLoss, 0.0);
  }

  /**
   * Targets near 1e300 and near 1e-300: their spread is computed on power-of-two-scaled values, so
   * the sum of squares neither overflows (which would leave the targets unscaled, and training
   * diverging) nor underflows (which would make them look constant). Predictions follow the slope
   * to 5% of the spread.
   */
  @Test
  void extremeTargetMagnitudesAreStandardisedLikeOrdinaryOnes() {
    NMConfig cfg = base().withEpochs(60).withLearningRate(0.02).withMiniBatch(16).withAlpha(0);
    for (double a : new double[] {1e300, 1e-300}) {
      TrainedModel m = run(cfg, line(200, a, 0.5 * a, 6)).finish();
      for (double x = -0.9; x <= 0.9; x += 0.6) {
        double p = m.predict(new double[] {x})[0];
        assertEquals(a * (1 + 0.5 * x), p, 0.05 * a, "scale " + a + ", x = " + x);
      }
    }
  }

  /**
   * A spread of millions is learnt on standardised targets: the trained slope is right to 5%
   * (unstandardised, Adam's bounded steps could not reach outputs of that size).
   */
  @Test
  void wideTargetsAreLearntThroughTheirStandardDeviation() {
    NMConfig cfg = base().withEpochs(60).withLearningRate(0.02).withMiniBatch(16).withAlpha(0);
    TrainedModel m = run(cfg, line(200, 0, 1e6, 7)).finish();
    double slope = (m.predict(new double[] {0.5})[0] - m.predict(new double[] {-0.5})[0]);
    assertEquals(1e6, slope, 5e4);
  }

  /** Rows that all weigh 0 teach nothing: a finite zero loss and (without alpha) unchanged weights. */
  @Test
  void zeroWeightRowsTeachNothing() {
    Dataset plain = TrainerRecipeTest.data(48, 8, 0.1, null);
    Dataset zero = new Dataset(plain.x(), plain.y(), new double[48], 48, plain.d(), 2);
    NMConfig cfg = base().withEpochs(2).withLearningRate(0.05).withMiniBatch(16).withAlpha(0);
    Trainer t = new Trainer(cfg, zero);
    t.initialise();
    double[] before = t.current().network().theta().clone();
    while (t.nextEpoch()) {
      // two epochs
    }
    assertEquals(0.0, t.report().trainLoss, 0.0);
    TestSupport.assertBitwiseEquals(before, t.finish().network().theta(), "weights");
  }
}
