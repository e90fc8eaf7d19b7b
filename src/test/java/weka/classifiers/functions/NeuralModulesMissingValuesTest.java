package weka.classifiers.functions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import weka.core.Attribute;
import weka.core.DenseInstance;
import weka.core.Instance;
import weka.core.Instances;
import weka.core.Utils;

/**
 * A value missing at prediction time is filled as in training: a nominal one with the training
 * mode, a numeric one with the training mean. The prediction is then exactly the one for that
 * value, while other values predict differently (so the comparison is not vacuous).
 */
class NeuralModulesMissingValuesTest {

  static final double GREEN = 1;
  /** x takes 0..8 ten times each: the mean is exactly 4. */
  static final double MEAN_X = 4;

  static Instances data;
  static NeuralModules nm;

  @BeforeAll
  static void train() throws Exception {
    data = new Instances("missing", new ArrayList<>(List.of(new Attribute("colour", List.of("red", "green", "blue")),
        new Attribute("x"), new Attribute("c", List.of("a", "b")))), 90);
    data.setClassIndex(2);
    Random r = new Random(4);
    for (int i = 0; i < 90; i++) {
      int colour = i % 10 < 5 ? 1 : i % 10 < 8 ? 0 : 2; // green 50%, red 30%, blue 20%
      int x = i / 10;
      boolean b = (colour == 0) ^ (x + r.nextGaussian() > MEAN_X); // both attributes matter
      data.add(new DenseInstance(1.0, new double[] {colour, x, b ? 1 : 0}));
    }
    nm = new NeuralModules();
    nm.setOptions(new String[] {"-H", "8", "-N", "30", "-L", "0.02", "-threads", "1", "-device", "CPU"});
    nm.buildClassifier(data);
  }

  private static double[] predict(double colour, double x) throws Exception {
    Instance inst = new DenseInstance(1.0, new double[] {colour, x, Utils.missingValue()});
    inst.setDataset(data);
    return nm.distributionForInstance(inst);
  }

  @Test
  void missingNominalValuePredictsExactlyLikeTheTrainingMode() throws Exception {
    for (double x : new double[] {0, 3.5, MEAN_X, 7}) {
      double[] missing = predict(Utils.missingValue(), x);
      assertArrayEquals(predict(GREEN, x), missing, 0.0, "colour missing vs green (the mode), x = " + x);
      assertFalse(Arrays.equals(predict(0, x), missing), "premise: red predicts otherwise, x = " + x);
    }
  }

  @Test
  void missingNumericValuePredictsExactlyLikeTheTrainingMean() throws Exception {
    for (double colour : new double[] {0, GREEN, 2}) {
      double[] missing = predict(colour, Utils.missingValue());
      assertArrayEquals(predict(colour, MEAN_X), missing, 0.0, "x missing vs x = mean, colour " + colour);
      assertFalse(Arrays.equals(predict(colour, 0), missing), "premise: x = 0 predicts otherwise, colour " + colour);
    }
  }
}
