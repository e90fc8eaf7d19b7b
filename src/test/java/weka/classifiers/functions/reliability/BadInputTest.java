package weka.classifiers.functions.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static weka.classifiers.functions.reliability.Data.accuracy;
import static weka.classifiers.functions.reliability.Data.assertSoundPredictions;
import static weka.classifiers.functions.reliability.Data.empty;
import static weka.classifiers.functions.reliability.Data.iris;
import static weka.classifiers.functions.reliability.Data.nominalValues;
import static weka.classifiers.functions.reliability.Data.small;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import weka.classifiers.functions.NeuralModules;
import weka.core.Attribute;
import weka.core.DenseInstance;
import weka.core.Instance;
import weka.core.Instances;
import weka.core.Utils;

/**
 * Every kind of odd ARFF a Weka user may throw at the classifier: each gives a sound model (finite
 * predictions of the right shape, and where there is something to learn, it is learnt) or a
 * Weka-style error naming the problem.
 */
class BadInputTest {

  private static Exception buildFails(Instances data, String... fragments) throws Exception {
    NeuralModules nm = small();
    Exception e = assertThrows(Exception.class, () -> nm.buildClassifier(data));
    for (String f : fragments) {
      assertTrue(e.getMessage().toLowerCase().contains(f.toLowerCase()),
          "message should contain '" + f + "': " + e.getMessage());
    }
    return e;
  }

  // ------------------------------------------------------------ attribute and class types

  @Test
  void stringAttributeIsRejectedByCapabilities() throws Exception {
    Instances d = empty("s", new Attribute("text", (List<String>) null), new Attribute("c", List.of("a", "b")));
    d.add(new DenseInstance(1.0, new double[] {d.attribute(0).addStringValue("hello"), 0}));
    d.add(new DenseInstance(1.0, new double[] {d.attribute(0).addStringValue("world"), 1}));
    buildFails(d, "NeuralModules", "string attributes");
  }

  @Test
  void relationalAttributeIsRejectedByCapabilities() throws Exception {
    Instances inner = new Instances("bag", new ArrayList<>(List.of(new Attribute("v"))), 0);
    Instances d = empty("r", new Attribute("bag", inner), new Attribute("c", List.of("a", "b")));
    for (int i = 0; i < 4; i++) {
      Instances rel = new Instances(inner, 0);
      rel.add(new DenseInstance(1.0, new double[] {i}));
      double idx = d.attribute(0).addRelation(rel);
      d.add(new DenseInstance(1.0, new double[] {idx, i % 2}));
    }
    buildFails(d, "NeuralModules", "relational attributes");
  }

  @Test
  void stringClassIsRejected() throws Exception {
    Instances d = empty("s", new Attribute("x"), new Attribute("c", (List<String>) null));
    d.add(new DenseInstance(1.0, new double[] {1, d.attribute(1).addStringValue("a")}));
    buildFails(d, "NeuralModules", "string class");
  }

  @Test
  void dateAttributeAndDateClassGiveSoundModels() throws Exception {
    Instances d = empty("dates", new Attribute("when", "yyyy-MM-dd"), new Attribute("x"),
        new Attribute("c", List.of("old", "new")));
    Random r = new Random(3);
    long day = 86_400_000L;
    long base = (long) d.attribute(0).parseDate("2000-01-01");
    for (int i = 0; i < 120; i++) {
      long t = base + (long) r.nextInt(20 * 365) * day;
      d.add(new DenseInstance(1.0, new double[] {t, r.nextGaussian(), t > base + 10L * 365 * day ? 1 : 0}));
    }
    NeuralModules nm = small("-N", "30");
    nm.buildClassifier(d);
    assertTrue(accuracy(assertSoundPredictions(nm, d), d) > 0.85, "the date attribute decides the class");

    Instances dc = new Instances(d);
    dc.setClassIndex(0); // predict the date (numeric regression on milliseconds)
    NeuralModules reg = small();
    reg.buildClassifier(dc);
    double[][] p = assertSoundPredictions(reg, dc);
    // "old"/"new" tells the decade: at best a 0.87 correlation and 2.5 years (913 days) mean
    // error; the mean date alone is 5 years off (measured: 0.86, 961 days)
    assertTrue(Data.correlation(p, dc) > 0.8, "correlation " + Data.correlation(p, dc));
    double mae = 0;
    for (int i = 0; i < p.length; i++) {
      mae += Math.abs(p[i][0] - dc.instance(i).classValue()) / day;
    }
    mae /= p.length;
    assertTrue(mae < 1200, "mean absolute error " + mae + " days");
  }

  @Test
  void noClassSetIsAWekaError() throws Exception {
    Instances d = iris();
    d.setClassIndex(-1);
    buildFails(d, "class attribute not set");
  }

  // ------------------------------------------------------------ degenerate data

  @Test
  void zeroRowsGiveAZeroRModel() throws Exception {
    Instances d = new Instances(iris(), 0);
    NeuralModules nm = small();
    nm.buildClassifier(d);
    double[] p = nm.distributionForInstance(iris().instance(0));
    assertArrayEquals(new double[] {1 / 3.0, 1 / 3.0, 1 / 3.0}, p, 1e-12);
    assertTrue(nm.toString().contains("ZeroR"), nm.toString());

    Instances num = new Instances(iris(), 0);
    num.setClassIndex(0);
    NeuralModules reg = small();
    reg.buildClassifier(num);
    Data.assertSound(num, reg.distributionForInstance(iris().instance(0)), "numeric class, 0 rows");
  }

  @Test
  void allMissingClassGivesAZeroRModel() throws Exception {
    for (int classIndex : new int[] {4, 0}) { // nominal, numeric
      Instances d = iris();
      d.setClassIndex(classIndex);
      for (int i = 0; i < d.numInstances(); i++) {
        d.instance(i).setClassMissing();
      }
      NeuralModules nm = small();
      nm.buildClassifier(d);
      assertSoundPredictions(nm, d);
      assertTrue(nm.toString().contains("ZeroR"), nm.toString());
    }
  }

  @Test
  void everyAttributeMissingPredictsTheClassPrior() throws Exception {
    Instances d = iris();
    for (int i = 0; i < d.numInstances(); i++) {
      for (int a = 0; a < 4; a++) {
        d.instance(i).setMissing(a);
      }
    }
    // unbalanced classes, so the prior is visible
    for (int i = d.numInstances() - 1; i >= 0; i--) {
      if (d.instance(i).classValue() == 2 && i % 5 != 0) {
        d.delete(i);
      }
    }
    NeuralModules nm = small("-N", "30");
    nm.buildClassifier(d);
    double[][] p = assertSoundPredictions(nm, d);
    for (double[] row : p) {
      assertArrayEquals(p[0], row, 0.0, "nothing to tell rows apart");
    }
    assertTrue(p[0][2] < p[0][0] && p[0][2] < p[0][1], "the rare class must be least likely: "
        + java.util.Arrays.toString(p[0]));
  }

  @Test
  void singleInstanceIsLearnt() throws Exception {
    Instances d = new Instances(iris(), 0);
    d.add(iris().instance(60)); // versicolor
    NeuralModules nm = small("-N", "30");
    nm.buildClassifier(d);
    double[][] p = assertSoundPredictions(nm, d);
    assertEquals(1, Utils.maxIndex(p[0]));
    assertSoundPredictions(nm, iris());
  }

  @Test
  void singleClassValueIsLearnt() throws Exception {
    Instances d = iris();
    for (int i = d.numInstances() - 1; i >= 0; i--) {
      if (d.instance(i).classValue() != 2) {
        d.delete(i);
      }
    }
    NeuralModules nm = small("-N", "30");
    nm.buildClassifier(d);
    assertSoundPredictions(nm, iris());
    for (double[] p : assertSoundPredictions(nm, d)) {
      assertEquals(2, Utils.maxIndex(p));
    }
  }

  @Test
  void unaryClassAttributeIsRejectedByCapabilities() throws Exception {
    Instances d = empty("unary", new Attribute("x"), new Attribute("c", List.of("only")));
    for (int i = 0; i < 20; i++) {
      d.add(new DenseInstance(1.0, new double[] {i, 0}));
    }
    buildFails(d, "NeuralModules", "unary class");
  }

  @Test
  void constantAndDuplicateAttributesAreHarmless() throws Exception {
    Instances d = iris();
    d.insertAttributeAt(new Attribute("constant"), 0);
    d.insertAttributeAt(new Attribute("petal length copy"), 0);
    d.insertAttributeAt(new Attribute("constant nominal", List.of("x", "y")), 0);
    for (int i = 0; i < d.numInstances(); i++) {
      Instance inst = d.instance(i);
      inst.setValue(0, 0);
      inst.setValue(1, inst.value(d.attribute("petallength")));
      inst.setValue(2, 42.0);
    }
    NeuralModules nm = small("-N", "30");
    nm.buildClassifier(d);
    assertTrue(accuracy(assertSoundPredictions(nm, d), d) > 0.9);
  }

  // ------------------------------------------------------------ extreme values

  /** Iris with one attribute multiplied by {@code factor}. */
  private static Instances scaled(int attribute, double factor) throws Exception {
    Instances d = iris();
    for (int i = 0; i < d.numInstances(); i++) {
      d.instance(i).setValue(attribute, d.instance(i).value(attribute) * factor);
    }
    return d;
  }

  @Test
  void hugeAndTinyAttributeValuesAreStillUsed() throws Exception {
    // petal width alone separates iris well: scaled to 1e300, -1e300 or 1e-300 it must still be used
    for (double factor : new double[] {1e299, -1e299, 1e-300}) {
      Instances d = iris();
      for (int i = 0; i < d.numInstances(); i++) {
        d.instance(i).setValue(0, d.instance(i).value(3) * factor);
      }
      d.deleteAttributeAt(3);
      d.deleteAttributeAt(2);
      d.deleteAttributeAt(1);
      NeuralModules nm = small("-N", "40");
      nm.buildClassifier(d);
      double acc = accuracy(assertSoundPredictions(nm, d), d);
      assertTrue(acc > 0.9, "factor " + factor + ": accuracy " + acc);
    }
  }

  @Test
  void oneExtremeOutlierDoesNotBreakTraining() throws Exception {
    Instances d = iris();
    d.instance(0).setValue(0, 1e300);
    d.instance(1).setValue(0, -1e300);
    d.instance(2).setValue(1, 1e-300);
    d.instance(3).setValue(2, Double.POSITIVE_INFINITY);
    NeuralModules nm = small("-N", "30");
    nm.buildClassifier(d);
    assertTrue(accuracy(assertSoundPredictions(nm, d), d) > 0.85);
  }

  @Test
  void extremeValuesAtPredictionTimeGiveFinitePredictions() throws Exception {
    NeuralModules nm = small("-activation", "RELU");
    Instances d = iris();
    nm.buildClassifier(d);
    Instances test = new Instances(d, 0);
    double[] extremes = {1e300, -1e300, 1e-300, Double.MAX_VALUE, -Double.MAX_VALUE, Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY};
    for (double v : extremes) {
      Instance inst = new DenseInstance(1.0, new double[] {v, v, v, v, 0});
      test.add(inst);
    }
    test.add(new DenseInstance(1.0, new double[] {Utils.missingValue(), Utils.missingValue(), Utils.missingValue(),
        Utils.missingValue(), 0}));
    double[][] p = assertSoundPredictions(nm, test);
    // standardised features are clipped to +-1e6 deviations: 1e300 and MAX_VALUE are the same input
    assertArrayEquals(p[0], p[3], 0.0, "1e300 vs MAX_VALUE");
    assertArrayEquals(p[1], p[4], 0.0, "-1e300 vs -MAX_VALUE");
    // infinite values count as missing: filled with the training means
    assertArrayEquals(p[7], p[5], 0.0, "+infinity vs all missing");
    assertArrayEquals(p[7], p[6], 0.0, "-infinity vs all missing");
    assertTrue(!java.util.Arrays.equals(p[0], p[5]), "premise: 1e300 is not treated as missing");
  }

  @Test
  void hugeNumericTargetsAreRegressed() throws Exception {
    for (double factor : new double[] {1e299, 1e-300}) {
      Instances d = scaled(2, factor);
      d.setClassIndex(2); // petal length, from the rest
      NeuralModules nm = small("-N", "30");
      nm.buildClassifier(d);
      double[][] p = assertSoundPredictions(nm, d);
      double[][] back = new double[p.length][1];
      Instances unscaled = iris();
      unscaled.setClassIndex(2);
      for (int i = 0; i < p.length; i++) {
        back[i][0] = p[i][0] / factor;
      }
      double r = Data.correlation(back, unscaled);
      assertTrue(r > 0.9, "factor " + factor + ": correlation " + r);
    }
  }

  // ------------------------------------------------------------ wide nominal

  @Test
  void tenThousandValuedNominalAttribute() throws Exception {
    Instances d = empty("wide", new Attribute("id", nominalValues("v", 10_000)), new Attribute("x"),
        new Attribute("c", List.of("even", "odd")));
    Random r = new Random(5);
    for (int i = 0; i < 600; i++) {
      int v = r.nextInt(300); // a few hundred of the 10,000 values occur: the attribute is kept
      d.add(new DenseInstance(1.0, new double[] {v, r.nextGaussian(), v % 2}));
    }
    NeuralModules nm = small("-N", "20", "-L", "0.05");
    nm.buildClassifier(d);
    assertTrue(nm.getModel().network().layout().inputs() >= 10_000, "one indicator per value");
    double acc = accuracy(assertSoundPredictions(nm, d), d);
    assertTrue(acc > 0.9, "the nominal value decides the class: training accuracy " + acc);
  }

  // ------------------------------------------------------------ prediction-time surprises

  @Test
  void unseenNominalValueCountsAsMissing() throws Exception {
    Instances d = empty("unseen", new Attribute("colour", List.of("red", "green", "blue")), new Attribute("x"),
        new Attribute("c", List.of("a", "b")));
    Random r = new Random(9);
    for (int i = 0; i < 80; i++) {
      int colour = r.nextInt(2); // blue never occurs
      d.add(new DenseInstance(1.0, new double[] {colour, r.nextGaussian(), colour}));
    }
    NeuralModules nm = small("-N", "20");
    nm.buildClassifier(d);
    Instance blue = new DenseInstance(1.0, new double[] {2, 0.3, Utils.missingValue()});
    blue.setDataset(d);
    Instance missing = new DenseInstance(1.0, new double[] {Utils.missingValue(), 0.3, Utils.missingValue()});
    missing.setDataset(d);
    double[] pBlue = nm.distributionForInstance(blue);
    Data.assertSound(d, pBlue, "unseen value");
    assertArrayEquals(nm.distributionForInstance(missing), pBlue, 0.0);
  }

  @Test
  void missingValuesAtPredictionTime() throws Exception {
    NeuralModules nm = small("-N", "30");
    Instances d = iris();
    nm.buildClassifier(d);
    Instances test = new Instances(d);
    Random r = new Random(2);
    int[] missing = new int[test.numInstances()];
    for (int i = 0; i < test.numInstances(); i++) {
      for (int a = 0; a < 5; a++) {
        if (r.nextDouble() < 0.4 || i % 10 == 0) {
          test.instance(i).setMissing(a);
          missing[i] += a < 4 ? 1 : 0;
        }
      }
    }
    double[][] p = assertSoundPredictions(nm, test);
    // one of four measurements missing (filled with its mean) still leaves iris easy: measured
    // 47 of 52 such rows right (96% on complete rows)
    int rows = 0;
    int right = 0;
    for (int i = 0; i < p.length; i++) {
      if (missing[i] <= 1) {
        rows++;
        right += Utils.maxIndex(p[i]) == (int) d.instance(i).classValue() ? 1 : 0;
      }
    }
    assertTrue(right >= 0.8 * rows, right + " of " + rows + " rows with at most one missing value right");
  }

  @Test
  void testHeaderThatDiffersIsAClearError() throws Exception {
    NeuralModules nm = small();
    Instances train = iris();
    nm.buildClassifier(train);

    Instances fewer = iris();
    fewer.deleteAttributeAt(0);
    assertHeaderError(nm, fewer.instance(0), "4 attributes");

    Instances renamed = iris();
    renamed.renameAttribute(1, "width");
    assertHeaderError(nm, renamed.instance(0), "sepalwidth");

    Instances retyped = iris();
    retyped.deleteAttributeAt(1);
    retyped.insertAttributeAt(new Attribute("sepalwidth", List.of("narrow", "wide")), 1);
    assertHeaderError(nm, retyped.instance(0), "sepalwidth");

    Instances moreLabels = iris();
    moreLabels.renameAttributeValue(moreLabels.classAttribute(), "Iris-setosa", "Iris-other");
    assertHeaderError(nm, moreLabels.instance(0), "class");

    Instance detached = new DenseInstance(1.0, new double[] {1, 2, 3});
    assertHeaderError(nm, detached, "3 attributes");

    // batch prediction checks too, and the same data keeps working afterwards
    assertThrows(Exception.class, () -> nm.distributionsForInstances(fewer));
    assertSoundPredictions(nm, train);
    // an equal header in another object is fine
    assertSoundPredictions(nm, new Instances(train));
  }

  private static void assertHeaderError(NeuralModules nm, Instance inst, String fragment) {
    Exception e = assertThrows(Exception.class, () -> nm.distributionForInstance(inst));
    assertTrue(e.getMessage().contains("training header") && e.getMessage().contains(fragment),
        "message should name the header problem and '" + fragment + "': " + e.getMessage());
  }
}
