package org.neuralmodules.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.neuralmodules.config.NMConfig;
import org.neuralmodules.model.Network;
import org.neuralmodules.model.ParamLayout;

/**
 * Smaller parts of the training code that the engine tests did not reach or could not tell from a
 * mutant (issue 15): dataset shape checks, sparse features of zero spread, row weights, numeric
 * target standardisation, averaging reports, the summary's role and sparse lines, the progress
 * line's time left, and non-finite predictions replaced row by row.
 */
class TrainingPartsTest {

  private static SparseRows sparse(int rows, int features) {
    int[] start = new int[rows + 1];
    int[] col = new int[rows];
    double[] val = new double[rows];
    for (int r = 0; r < rows; r++) {
      start[r + 1] = r + 1;
      col[r] = r % features;
      val[r] = r + 1;
    }
    return new SparseRows(start, col, val, new double[features], filled(features, 1.0), 10);
  }

  private static double[] filled(int n, double v) {
    double[] a = new double[n];
    java.util.Arrays.fill(a, v);
    return a;
  }

  @Test
  void datasetArraysMustMatchTheShape() {
    double[] y2 = {0, 1};
    new Dataset(new double[6], y2, null, 2, 3, 2); // dense, consistent
    new Dataset(null, y2, null, 2, 3, 2, sparse(2, 3)); // sparse, consistent
    List<Runnable> bad = List.of(
        () -> new Dataset(new double[5], y2, null, 2, 3, 2), // x too short
        () -> new Dataset(new double[6], y2, null, 2, 3, 2, sparse(2, 3)), // both x and sparse
        () -> new Dataset(null, y2, null, 2, 3, 2), // neither
        () -> new Dataset(null, y2, null, 2, 3, 2, sparse(3, 3)), // sparse rows != n
        () -> new Dataset(null, y2, null, 2, 3, 2, sparse(2, 4)), // sparse features != d
        () -> new Dataset(new double[6], new double[3], null, 2, 3, 2), // y length
        () -> new Dataset(new double[6], y2, new double[3], 2, 3, 2)); // weight length
    for (int i = 0; i < bad.size(); i++) {
      Runnable r = bad.get(i);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run, "case " + i);
      assertTrue(e.getMessage().contains("do not match"), e.getMessage());
    }
  }

  /** A sparse dataset's rows read through its standardisation: feature (v - mean) / sd, else -mean / sd. */
  @Test
  void aSparseDatasetFillsStandardizedRows() {
    SparseRows s = new SparseRows(new int[] {0, 1, 1}, new int[] {1}, new double[] {7}, new double[] {1, 3},
        new double[] {2, 4}, 10);
    Dataset ds = new Dataset(null, new double[] {0, 1}, null, 2, 2, 2, s);
    double[] dst = new double[5];
    ds.fillRow(0, dst, 1);
    assertArrayEquals(new double[] {0, -0.5, 1.0, 0, 0}, dst, 0.0);
    ds.fillRow(1, dst, 3);
    assertArrayEquals(new double[] {-0.5, -0.75}, java.util.Arrays.copyOfRange(dst, 3, 5), 0.0);
  }

  /**
   * A feature whose spread is 0 is only centred (as Weka's Standardize leaves it): stored value 5
   * with mean 2 reads 3, an absent (zero) value reads -2; nothing is divided by 0.
   */
  @Test
  void aFeatureOfZeroSpreadIsOnlyCentred() {
    SparseRows s = new SparseRows(new int[] {0, 1, 1}, new int[] {0}, new double[] {5}, new double[] {2},
        new double[] {0}, 10);
    double[] row = new double[1];
    s.fill(0, row, 0);
    assertEquals(3.0, row[0], 0.0);
    s.fill(1, row, 0);
    assertEquals(-2.0, row[0], 0.0);
  }

  /** Rows load with weight = instance weight x power of two x scale. */
  @Test
  void rowWeightsLoadAsInstanceWeightTimesPowerOfTwoTimesScale() {
    Dataset ds = new Dataset(new double[] {1, 2}, new double[] {0, 1}, new double[] {3, 6}, 2, 1, 2);
    NMConfig cfg = NMConfig.defaults().withNodes(3);
    MiniBatchPass pass = new MiniBatchPass(cfg, new ParamLayout(1, 3, 2), ds, 2, 0, 1, 0.125, 1.0 / 3);
    pass.load(new int[] {1, 0}, 0, 2);
    assertEquals(6 * 0.125 / 3, pass.buf.weight[0], 1e-15);
    assertEquals(3 * 0.125 / 3, pass.buf.weight[1], 1e-15);
    assertEquals(1.0, MiniBatchPass.rowWeight(ds, 0, 0.125, 1.0 / 3) * 8, 1e-15);
  }

  /**
   * Weights are rescaled to mean 1 over the training rows, so uniform weights of 3 (not a power of
   * two: the rescaling is not exact) give the training loss of no weights, to rounding.
   */
  @Test
  void uniformWeightsOfThreeGiveTheUnweightedTrainingLoss() {
    Dataset plain = TrainerRecipeTest.data(64, 5, 0.1, null);
    Dataset weighted = new Dataset(plain.x(), plain.y(), filled(64, 3.0), 64, plain.d(), 2);
    NMConfig cfg = NMConfig.defaults().withNodes(5).withThreads(1).withEpochs(1).withMiniBatch(16)
        .withValidationPercent(0);
    double a = trainedReport(cfg, plain).trainLoss;
    double b = trainedReport(cfg, weighted).trainLoss;
    assertEquals(a, b, 1e-12 * a);
  }

  private static TrainingReport trainedReport(NMConfig cfg, Dataset ds) {
    Trainer t = new Trainer(cfg, ds);
    t.initialise();
    while (t.nextEpoch()) {
      // train
    }
    return t.report();
  }

  /** A numeric model predicts network output * targetScale + targetMean: the training targets' mean and spread. */
  @Test
  void aNumericModelKeepsTheTrainingTargetsMeanAndSpread() {
    Dataset ds = DataParallelEpochsTest.randomData(11, 50, 3, 0, false);
    NMConfig cfg = NMConfig.defaults().withNodes(4).withThreads(1).withEpochs(1).withValidationPercent(0);
    Trainer t = new Trainer(cfg, ds);
    t.initialise();
    t.nextEpoch();
    TrainedModel m = t.finish();
    double mean = 0;
    for (double v : ds.y()) {
      mean += v / ds.n();
    }
    double ss = 0;
    for (double v : ds.y()) {
      ss += (v - mean) * (v - mean);
    }
    assertEquals(mean, m.targetMean(), 1e-12 * Math.abs(mean));
    assertEquals(Math.sqrt(ss / ds.n()), m.targetScale(), 1e-12);
  }

  /** Sparse training rows are reported with their density: non-zeros / (rows x features). */
  @Test
  void sparseTrainingReportsItsDensity() {
    int n = 30;
    int d = 4;
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      y[i] = i % 2;
    }
    Dataset ds = new Dataset(null, y, null, n, d, 2, sparse(n, d));
    Trainer t = new Trainer(NMConfig.defaults().withNodes(3).withThreads(1).withEpochs(1), ds);
    t.initialise();
    assertTrue(t.report().sparseInputs);
    assertEquals(n / (double) (n * d), t.report().sparseInputDensity, 1e-15);
  }

  @Test
  void averagingWeightsMayBeZeroButNotNegative() {
    assertArrayEquals(new double[] {0, 1}, ParameterAverage.fractions(new double[] {0, 2}), 0.0);
    assertThrows(IllegalArgumentException.class, () -> ParameterAverage.fractions(new double[] {-1e-300, 2}));
  }

  @Test
  void moduleRolesNameInputsAndOutputs() {
    Network net = ModuleRolesTest.network();
    ModuleRoles named = ModuleRoles.of(net, ModuleRolesTest.plan(net), ModuleRolesTest.INPUTS,
        ModuleRolesTest.CLASSES, 2, 1);
    assertEquals("colour=blue", named.inputName(2));
    assertEquals("fox", named.outputName(2));
    ModuleRoles plain = ModuleRoles.of(net, ModuleRolesTest.plan(net), null, null, 2, 1);
    assertEquals("x3", plain.inputName(3));
    assertEquals("out 1", plain.outputName(1));
  }

  private static TrainedModel model(NMConfig cfg, Network net, int classes, TrainingReport r) {
    return new TrainedModel(cfg, net, classes, 0.0, 1.0, r);
  }

  private static NMConfig sixNodes() {
    return NMConfig.defaults().withNodes(6).withThreads(1);
  }

  /** 30 s per epoch, 2 of at most 10 epochs run: at most 8 x 30 s = 4 min left. */
  @Test
  void theProgressLineEstimatesTheTimeLeftFromTheEpochsLeft() {
    TrainingReport r = new TrainingReport();
    r.epochsRun = 2;
    r.epochCap = 10;
    r.trainNanos = 60_000_000_000L;
    String line = TrainingProgress.line(model(sixNodes(), ModuleRolesTest.network(), 3, r));
    assertTrue(line.endsWith("30.00 s/epoch, at most 4 min left"), line);
  }

  /**
   * The summary lists the roles of the modules with edges, and says when inputs were kept sparse
   * (with their density); a dense model has no such line.
   */
  @Test
  void theSummaryListsModuleRolesAndSparseInputs() {
    TrainingReport r = new TrainingReport();
    r.sparseInputs = true;
    r.sparseInputDensity = 0.25;
    String s = ModelSummary.format(model(sixNodes(), ModuleRolesTest.network(), 3, r));
    assertTrue(s.contains("Module roles (all 2 modules with edges"), s);
    assertTrue(s.contains("Inputs kept sparse: 25.0% of the input values are non-zero"), s);
    String dense = ModelSummary.format(model(sixNodes(), ModuleRolesTest.network(), 3, new TrainingReport()));
    assertFalse(dense.contains("kept sparse"), dense);
  }

  /** Averaged models: rows, validation rows, time and solver counters add up; refusals name the model. */
  @Test
  void averagedReportsAddUpAndRefusalsNameTheModel() {
    Network net = ModuleRolesTest.network();
    TrainingReport ra = new TrainingReport();
    ra.trainRows = 10;
    ra.validationRows = 5;
    ra.trainNanos = 100;
    ra.trainingSolves.cyclicSolves = 3;
    TrainingReport rb = new TrainingReport();
    rb.trainRows = 30;
    rb.validationRows = 7;
    rb.trainNanos = 200;
    rb.trainingSolves.cyclicSolves = 4;
    TrainedModel avg = ModelAverage.average(List.of(model(sixNodes(), net, 3, ra), model(sixNodes(), net, 3, rb)));
    assertEquals(40, avg.report().trainRows);
    assertEquals(12, avg.report().validationRows);
    assertEquals(300, avg.report().trainNanos);
    assertEquals(7, avg.report().trainingSolves.cyclicSolves);

    ParamLayout five = new ParamLayout(5, 6, 3);
    Network wider = new Network(five, net.activation(), net.structure(), new double[five.size()]);
    TrainedModel other = model(sixNodes(), wider, 3, new TrainingReport());
    String diff = ModelAverage.difference(model(sixNodes(), net, 3, ra), other);
    assertTrue(diff != null && diff.startsWith("different network shapes (4 features"), diff);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ModelAverage.average(List.of(model(sixNodes(), net, 3, ra), model(sixNodes(), net, 3, rb), other)));
    assertTrue(e.getMessage().startsWith("Cannot average model 3 with model 1: different network shapes"),
        e.getMessage());
  }

  /** A network whose output is NaN predicts the uniform distribution for every row of a batch, counted. */
  @Test
  void nonFiniteOutputsAreReplacedRowByRow() {
    Network net = ModuleRolesTest.network();
    net.theta()[net.layout().b(1)] = Double.NaN;
    TrainedModel m = model(sixNodes(), net, 3, new TrainingReport());
    double[] out = m.predictBatch(new double[4 * 3], 3, 3, 1);
    for (int i = 0; i < out.length; i++) {
      assertEquals(1.0 / 3, out[i], 0.0, "output " + i);
    }
    assertEquals(3, m.predictionStats().nonFiniteOutputs);
  }

  /** Rows split at other places are other data: the fingerprint sees the row boundaries, not only the values. */
  @Test
  void theSparseFingerprintSeesRowBoundaries() {
    double[] mean = {0, 0};
    double[] sd = {1, 1};
    SparseRows oneEach = new SparseRows(new int[] {0, 1, 2}, new int[] {0, 1}, new double[] {3, 4}, mean, sd, 10);
    SparseRows bothFirst = new SparseRows(new int[] {0, 2, 2}, new int[] {0, 1}, new double[] {3, 4}, mean, sd, 10);
    assertTrue(oneEach.fingerprint() != bothFirst.fingerprint());
  }

  /**
   * A short label names the strongest input and output, each cut to the given length with "~"
   * only when longer; a role listing no inputs or outputs (top 0) leaves that side empty.
   */
  @Test
  void shortLabelsCutOnlyLongerNamesAndAllowEmptySides() {
    assertEquals("abc", ModuleRoles.cut("abc", 3));
    assertEquals("ab~", ModuleRoles.cut("abcd", 3));
    Network net = ModuleRolesTest.network();
    ModuleRoles none = ModuleRoles.of(net, ModuleRolesTest.plan(net), ModuleRolesTest.INPUTS,
        ModuleRolesTest.CLASSES, 0, 0);
    assertEquals("M1 >", none.shortLabel(none.ofRank(1), 5));
    ModuleRoles one = ModuleRoles.of(net, ModuleRolesTest.plan(net), ModuleRolesTest.INPUTS,
        ModuleRolesTest.CLASSES, 1, 1);
    assertEquals("M1 colour=blue>dog", one.shortLabel(one.ofRank(1), 11));
  }

  /**
   * Inputs near 1e154 with ReLU nodes and a numeric target: the squared error overflows once the
   * weights have grown by about 0.05 within an epoch, so an epoch at learning rate 0.1 diverges, is
   * rolled back and diverges again at 0.05, and succeeds at 0.025. The rollback restores the
   * weights, the Adam state and the solver counters of the epoch's start: the epoch then equals, bit
   * for bit, the epoch a trainer started at 0.025 runs without any divergence.
   */
  @Test
  void aDivergedEpochIsRolledBackAndRerunAtHalfTheRate() {
    java.util.Random r = new java.util.Random(97);
    int n = 30;
    double[] x = new double[n * 3];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < 3; j++) {
        x[i * 3 + j] = 1e154 * r.nextGaussian();
      }
      y[i] = 1000 * r.nextGaussian();
    }
    Dataset ds = new Dataset(x, y, null, n, 3, 0);
    NMConfig cfg = NMConfig.defaults().withNodes(4).withEpochs(1).withThreads(1)
        .withActivation(org.neuralmodules.config.Activation.RELU).withMiniBatch(2).withGamma(1.0)
        .withValidationPercent(0).withMaxSteps(0);
    Trainer rolledBack = new Trainer(cfg.withLearningRate(0.1), ds);
    rolledBack.initialise();
    rolledBack.nextEpoch();
    Trainer direct = new Trainer(cfg.withLearningRate(0.025), ds);
    direct.initialise();
    direct.nextEpoch();
    assertEquals(2, rolledBack.report().divergenceRestarts, "premise: two halvings");
    assertEquals(0, direct.report().divergenceRestarts, "premise: 0.025 does not diverge");
    assertEquals(0.025, rolledBack.learningRate(), 0.0);
    assertArrayEquals(direct.weights(), rolledBack.weights(), 0.0);
    assertEquals(direct.report().trainLoss, rolledBack.report().trainLoss, 0.0);
    assertTrue(direct.report().lastEpochSolves.cyclicSolves > 0, "premise: cyclic solves");
    assertEquals(direct.report().lastEpochSolves.cyclicSolves, rolledBack.report().lastEpochSolves.cyclicSolves,
        "the diverged tries' solves are not counted");
    assertEquals(direct.report().trainingSolves.newtonIterations, rolledBack.report().trainingSolves.newtonIterations);
  }
}
