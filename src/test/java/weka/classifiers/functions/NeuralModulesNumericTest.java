package weka.classifiers.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import weka.core.Attribute;
import weka.core.DenseInstance;
import weka.core.Instances;
import weka.core.SerializationHelper;
import weka.core.Utils;

/**
 * Numeric targets far from 0 with a spread far from 1: y = 1000 + 10 x. The trainer standardises
 * them, so predictions are only right if they are mapped back with the training mean and standard
 * deviation, and only after a save/load if both travel with the model.
 */
class NeuralModulesNumericTest {

  static Instances data;
  static NeuralModules trained;

  /** x uniform in [0, 10], y = 1000 + 10 x exactly: target mean ~1050, standard deviation ~29. */
  static Instances line(int n, long seed) {
    Instances d = new Instances("line", new ArrayList<>(List.of(new Attribute("x"), new Attribute("y"))), n);
    d.setClassIndex(1);
    Random r = new Random(seed);
    for (int i = 0; i < n; i++) {
      double x = 10 * r.nextDouble();
      d.add(new DenseInstance(1.0, new double[] {x, 1000 + 10 * x}));
    }
    return d;
  }

  @BeforeAll
  static void train() throws Exception {
    data = line(100, 1);
    trained = new NeuralModules();
    trained.setOptions(new String[] {"-H", "10", "-N", "100", "-L", "0.01", "-threads", "1", "-device", "CPU"});
    trained.buildClassifier(data);
  }

  /**
   * Mean absolute error under 2 (a tenth of a standard deviation): de-standardising with the
   * variance (x 29^2) or without the mean (-1050) is off by hundreds.
   */
  @Test
  void predictsALinearTargetWithItsMeanAndScale() throws Exception {
    double[][] p = trained.distributionsForInstances(data);
    double mae = 0;
    for (int i = 0; i < p.length; i++) {
      mae += Math.abs(p[i][0] - data.instance(i).classValue());
    }
    mae /= p.length;
    assertTrue(mae < 2, "mean absolute error " + mae + " on y = 1000 + 10 x, x in [0, 10]");
    // and outside the training points, between them
    for (double x : new double[] {0.5, 5, 9.5}) {
      DenseInstance inst = new DenseInstance(1.0, new double[] {x, Utils.missingValue()});
      inst.setDataset(data);
      double y = trained.distributionForInstance(inst)[0];
      assertEquals(1000 + 10 * x, y, 4, "prediction at x = " + x);
    }
  }

  /** The target mean and scale are part of the saved model: a loaded copy predicts the same bits. */
  @Test
  void saveAndLoadKeepNumericPredictionsExactly() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    SerializationHelper.write(bytes, trained);
    NeuralModules back = (NeuralModules) SerializationHelper.read(new ByteArrayInputStream(bytes.toByteArray()));
    double[][] before = trained.distributionsForInstances(data);
    double[][] after = back.distributionsForInstances(data);
    for (int i = 0; i < before.length; i++) {
      assertEquals(before[i][0], after[i][0], 0.0, "row " + i + " after a save/load round trip");
      assertEquals(before[i][0], back.distributionForInstance(data.instance(i))[0], 0.0, "row " + i + ", one by one");
    }
    assertTrue(Math.abs(after[0][0] - 1000) < 150, "premise: predictions are near the targets: " + after[0][0]);
  }
}
