package weka.classifiers.functions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neuralmodules.wekaio.Preprocessor;
import weka.classifiers.rules.ZeroR;
import weka.core.Instances;
import weka.core.converters.ConverterUtils.DataSource;

/** Instance weights that cannot train, and prediction in chunks of -batch-size rows. */
class NeuralModulesWeightsAndBatchesTest {
  static Instances iris;

  @BeforeAll
  static void load() throws Exception {
    iris = DataSource.read("test-data/iris.arff");
    iris.setClassIndex(iris.numAttributes() - 1);
  }

  private static NeuralModules small() throws Exception {
    return small(5);
  }

  private static NeuralModules small(int epochs) throws Exception {
    NeuralModules nm = new NeuralModules();
    nm.setOptions(new String[] {"-H", "6", "-N", Integer.toString(epochs), "-threads", "1", "-device", "CPU"});
    return nm;
  }

  private static Instances weighted(double... w) {
    Instances d = new Instances(iris);
    for (int r = 0; r < d.numInstances(); r++) {
      d.instance(r).setWeight(w[r % w.length]);
    }
    return d;
  }

  @Test
  void zeroTotalWeightFallsBackToZeroRAndSaysWhy() throws Exception {
    Instances zero = weighted(0.0);
    NeuralModules nm = small();
    nm.buildClassifier(zero);
    ZeroR z = new ZeroR();
    z.buildClassifier(zero);
    for (int r = 0; r < zero.numInstances(); r += 17) {
      assertArrayEquals(z.distributionForInstance(zero.instance(r)), nm.distributionForInstance(zero.instance(r)),
          0.0);
    }
    assertTrue(nm.toString().contains("instance weight 0"), nm.toString());
    Exception e = assertThrows(Exception.class, nm::graph);
    assertTrue(e.getMessage().contains("instance weight 0"), e.getMessage());
  }

  @Test
  void badWeightsAreRefusedNamingTheInstanceWeight() throws Exception {
    for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, -1.0}) {
      Instances d = new Instances(iris);
      d.instance(2).setWeight(bad);
      Exception e = assertThrows(Exception.class, () -> small().buildClassifier(d), "weight " + bad);
      assertTrue(e.getMessage().contains("instance weight of training row 3"), e.getMessage());
      assertTrue(e.getMessage().contains(String.valueOf(bad)), e.getMessage());
    }
  }

  /**
   * Weights whose sum overflows are scaled by one power of two: 1e308 on every row trains exactly
   * like 1e308 * 2^-1023 (in [1, 2)) on every row, and learns.
   */
  @Test
  void weightsSummingToInfinityAreScaledNotLost() throws Exception {
    Instances huge = weighted(1e308);
    assertTrue(Double.isInfinite(huge.sumOfWeights()));
    NeuralModules a = small(40);
    a.buildClassifier(huge);
    NeuralModules b = small(40);
    b.buildClassifier(weighted(Math.scalb(1e308, -1023)));
    int agree = 0;
    for (int r = 0; r < iris.numInstances(); r++) {
      double[] pa = a.distributionForInstance(iris.instance(r));
      double[] pb = b.distributionForInstance(iris.instance(r));
      assertArrayEquals(pb, pa, 0.0, "row " + r);
      agree += a.classifyInstance(iris.instance(r)) == iris.instance(r).classValue() ? 1 : 0;
    }
    assertTrue(agree > 100, "trained, not the initial weights: " + agree + " of 150 right");
  }

  @Test
  void chunkedPredictionEqualsOneChunkAndSingleRows() throws Exception {
    NeuralModules nm = small();
    nm.buildClassifier(iris);
    nm.setBatchSize("7");
    double[][] sevens = nm.distributionsForInstances(iris);
    nm.setBatchSize("1000");
    double[][] whole = nm.distributionsForInstances(iris);
    assertEquals(iris.numInstances(), sevens.length);
    for (int r = 0; r < whole.length; r++) {
      assertArrayEquals(whole[r], sevens[r], 0.0, "row " + r);
      assertArrayEquals(nm.distributionForInstance(iris.instance(r)), whole[r], 0.0, "row " + r);
    }
  }

  @Test
  void dataThatCannotFitAreRefusedBeforePreprocessing() {
    long need = Preprocessor.estimateBytes(iris);
    assertTrue(need >= 150L * 5 * 8, "at least the feature matrix: " + need);
    assertTrue(Preprocessor.estimateBytes(new Instances(iris, 0, 75)) < need, "grows with the rows");
    Preprocessor.checkMemory(iris, need); // exactly enough
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> Preprocessor.checkMemory(iris, need - 1));
    assertTrue(e.getMessage().contains("-Xmx") && e.getMessage().contains("150 rows"), e.getMessage());
    assertNotNull(e.getMessage());
  }
}
