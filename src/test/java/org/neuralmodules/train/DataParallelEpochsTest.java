package org.neuralmodules.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.neuralmodules.TestSupport;
import org.neuralmodules.config.NMConfig;

/** Data-parallel epochs on replicas (run one after another here; Spark runs them as tasks). */
class DataParallelEpochsTest {

  static Dataset randomData(long seed, int n, int d, int classes, boolean weighted) {
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
      y[i] = classes == 0 ? 3 + 2 * Math.sin(s) + 0.1 * r.nextGaussian() : Math.floorMod((int) Math.floor(s), classes);
      if (weighted) {
        w[i] = 0.2 + 2 * r.nextDouble();
      }
    }
    return new Dataset(x, y, w, n, d, classes);
  }

  static NMConfig config() {
    return NMConfig.defaults().withNodes(10).withEpochs(12).withMiniBatch(8).withLearningRate(0.02)
        .withValidationPercent(20).withMinValidationRows(5).withPatience(4).withSeed(5).withThreads(1);
  }

  static TrainedModel singleMachine(NMConfig cfg, Dataset data) {
    Trainer t = new Trainer(cfg, data);
    t.initialise();
    while (t.nextEpoch()) {
      // epochs
    }
    return t.finish();
  }

  static DataParallelEpochs dataParallel(NMConfig cfg, Dataset data, int parts, Trainer[] out) {
    Trainer t = new Trainer(cfg, data);
    t.initialise();
    out[0] = t;
    return new DataParallelEpochs(t, DataParallelEpochs.sequential(t.replicas(parts)));
  }

  /** The data with about two thirds of the inputs zeroed, stored sparse, centred by mean 0.3. */
  static Dataset sparseCopy(Dataset dense) {
    int n = dense.n();
    int d = dense.d();
    int[] start = new int[n + 1];
    java.util.List<Integer> cols = new java.util.ArrayList<>();
    java.util.List<Double> vals = new java.util.ArrayList<>();
    for (int r = 0; r < n; r++) {
      for (int j = 0; j < d; j++) {
        if ((r + j) % 3 == 0) {
          cols.add(j);
          vals.add(dense.x()[r * d + j]);
        }
      }
      start[r + 1] = cols.size();
    }
    double[] mean = new double[d];
    double[] sd = new double[d];
    java.util.Arrays.fill(mean, 0.3);
    java.util.Arrays.fill(sd, 1.5);
    SparseRows rows = new SparseRows(start, cols.stream().mapToInt(Integer::intValue).toArray(),
        vals.stream().mapToDouble(Double::doubleValue).toArray(), mean, sd, 1e6);
    return new Dataset(null, dense.y(), dense.weight(), n, d, dense.classes(), rows);
  }

  @ParameterizedTest(name = "classes={0}, weighted={1}, sparse={2}")
  @CsvSource({"3, false, false", "0, true, false", "3, true, true"})
  void oneReplicaIsTheSingleMachineTrainerBitForBit(int classes, boolean weighted, boolean sparse) throws Exception {
    Dataset data = randomData(40 + classes, 90, 4, classes, weighted);
    if (sparse) {
      data = sparseCopy(data);
    }
    NMConfig cfg = config();
    TrainedModel single = singleMachine(cfg, data);
    TrainedModel one = dataParallel(cfg, data, 1, new Trainer[1]).trainToEnd();
    assertTrue(single.report().epochsRun > 3, "premise: several epochs ran");
    TestSupport.assertBitwiseEquals(single.network().theta(), one.network().theta(), "kept weights");
    assertEquals(single.report().epochsRun, one.report().epochsRun);
    assertEquals(single.report().bestEpoch, one.report().bestEpoch);
    assertEquals(Double.doubleToRawLongBits(single.report().trainLoss), Double.doubleToRawLongBits(one.report().trainLoss));
    assertEquals(Double.doubleToRawLongBits(single.report().bestValidationLoss),
        Double.doubleToRawLongBits(one.report().bestValidationLoss));
    assertEquals(single.report().stopReason, one.report().stopReason);
    assertEquals(Double.doubleToRawLongBits(single.targetMean()), Double.doubleToRawLongBits(one.targetMean()));
  }

  @Test
  void fourReplicasLearnAndRecordWhereTheTimeWent() throws Exception {
    Dataset data = bands(400);
    NMConfig cfg = config().withEpochs(30).withPatience(30);
    TrainedModel single = singleMachine(cfg, data);
    DataParallelEpochs four = dataParallel(cfg, data, 4, new Trainer[1]);
    TrainedModel model = four.trainToEnd();
    assertFalse(Arrays.equals(single.network().theta(), model.network().theta()), "averaging changes the path");
    // 4 averaged replicas make about a quarter of the progress per epoch; with 30 epochs they get
    // within a few points of one machine's validation error
    System.out.printf("bands: one machine %.3f, 4 replicas %.3f validation error%n",
        single.report().bestValidationError, model.report().bestValidationError);
    assertTrue(model.report().bestValidationError <= single.report().bestValidationError + 0.05,
        "4 replicas " + model.report().bestValidationError + " vs one machine " + single.report().bestValidationError);
    assertTrue(model.report().bestValidationError < 0.25, "learnt something: " + model.report().bestValidationError);
    List<DataParallelEpochs.EpochTime> times = four.times();
    assertEquals(model.report().epochsRun, times.size());
    for (DataParallelEpochs.EpochTime t : times) {
      assertTrue(t.compute() > 0 && t.averaging() > 0 && t.validation() > 0, t.toString());
      assertTrue(t.wall() >= t.averaging() + t.validation(), t.toString());
    }
  }

  /** Three classes in bands of x0 + x1 (learnable), two noise features. */
  static Dataset bands(int n) {
    Random r = new Random(11);
    double[] x = new double[n * 4];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < 4; j++) {
        x[i * 4 + j] = r.nextGaussian();
      }
      double s = x[i * 4] + x[i * 4 + 1];
      y[i] = s < -0.7 ? 0 : s < 0.7 ? 1 : 2;
    }
    return new Dataset(x, y, null, n, 4, 3);
  }

  @Test
  void slicesAreContiguousAndNearlyEqual() {
    Dataset data = randomData(3, 50, 3, 2, false);
    Trainer t = new Trainer(config(), data);
    t.initialise();
    List<Replica> parts = t.replicas(3);
    assertEquals(List.of(14, 13, 13), parts.stream().map(Replica::rows).toList(), "40 training rows in 3 slices");
  }

  @Test
  void replicasAreCutBeforeTheFirstEpochAndReplaceNextEpoch() {
    Dataset data = randomData(3, 50, 3, 2, false);
    Trainer t = new Trainer(config(), data);
    t.initialise();
    assertThrows(IllegalArgumentException.class, () -> t.replicas(41), "more slices than training rows");
    t.replicas(2);
    IllegalStateException e = assertThrows(IllegalStateException.class, t::nextEpoch);
    assertTrue(e.getMessage().contains("acceptEpoch"), e.getMessage());
    Trainer u = new Trainer(config(), data);
    u.initialise();
    u.nextEpoch();
    assertThrows(IllegalStateException.class, () -> u.replicas(2));
  }
}
