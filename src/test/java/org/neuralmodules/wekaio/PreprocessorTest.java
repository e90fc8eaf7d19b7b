package org.neuralmodules.wekaio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import weka.core.Attribute;
import weka.core.DenseInstance;
import weka.core.Instance;
import weka.core.Instances;
import weka.core.Utils;
import weka.core.WekaException;

/**
 * The preprocessing replayed at prediction: what training rows are kept, how many features come
 * out, missing / infinite / unseen values, extreme magnitudes, clipping, and the header check.
 */
class PreprocessorTest {

  /** x numeric, colour nominal {red, green, blue} (blue never used in training), k constant, class numeric. */
  private static Instances header() {
    ArrayList<Attribute> atts = new ArrayList<>();
    atts.add(new Attribute("x"));
    atts.add(new Attribute("colour", List.of("red", "green", "blue")));
    atts.add(new Attribute("k"));
    atts.add(new Attribute("y"));
    Instances h = new Instances("t", atts, 0);
    h.setClassIndex(3);
    return h;
  }

  private static Instance row(Instances ds, double x, double colour, double k, double y) {
    Instance i = new DenseInstance(1.0, new double[] {x, colour, k, y});
    i.setDataset(ds);
    return i;
  }

  /** 30 rows: x ~ scale * N(0, 1), colour red 20 times and green 10 times, k = 5. */
  private static Instances train(double scale) {
    Instances ds = header();
    Random r = new Random(1);
    for (int i = 0; i < 30; i++) {
      ds.add(row(ds, scale * r.nextGaussian(), i % 3 == 2 ? 1 : 0, 5, r.nextGaussian()));
    }
    return ds;
  }

  @Test
  void rowsWithMissingOrInfiniteClassAreDroppedAndFeaturesCounted() throws Exception {
    Instances ds = train(1);
    ds.add(row(ds, 0.1, 0, 5, Utils.missingValue()));
    ds.add(row(ds, 0.2, 1, 5, Double.POSITIVE_INFINITY));
    Preprocessor p = new Preprocessor();
    Instances out = p.fit(ds);
    assertEquals(30, out.numInstances(), "missing and infinite class rows dropped");
    // x, and colour as three indicators; the constant k is removed
    assertEquals(4, p.featureCount());
    double[] f = p.features(out);
    assertEquals(30 * 4, f.length);
    for (int r = 0; r < 30; r++) {
      assertArrayEquals(java.util.Arrays.copyOfRange(f, r * 4, r * 4 + 4), p.transform(ds.instance(r)), 0.0,
          "row " + r + ": prediction replays training exactly");
    }
  }

  /**
   * Missing and infinite x become the training mean (feature 0); a missing colour, and blue (never
   * seen in training), predict like the most common colour, red.
   */
  @Test
  void missingInfiniteAndUnseenValuesAreReplacedAsInTraining() throws Exception {
    Instances ds = train(1);
    Preprocessor p = new Preprocessor();
    p.fit(ds);
    double[] red = p.transform(row(ds, 0.3, 0, 5, 0));
    double[] green = p.transform(row(ds, 0.3, 1, 5, 0));
    assertTrue(!java.util.Arrays.equals(red, green), "premise: colours differ");
    assertArrayEquals(red, p.transform(row(ds, 0.3, Utils.missingValue(), 5, 0)), 0.0, "missing colour");
    assertArrayEquals(red, p.transform(row(ds, 0.3, 2, 5, 0)), 0.0, "unseen colour");
    assertEquals(0.0, p.transform(row(ds, Utils.missingValue(), 0, 5, 0))[0], 1e-12, "missing x");
    assertEquals(0.0, p.transform(row(ds, Double.NEGATIVE_INFINITY, 0, 5, 0))[0], 1e-12, "infinite x");
    assertEquals(red[1], p.transform(row(ds, Double.POSITIVE_INFINITY, 0, 5, 0))[1], 0.0, "other features kept");
  }

  /**
   * Magnitudes of 1e200 or 1e-200 are rescaled by a power of two before standardising: the
   * features are finite and the same as for the same data at scale 1 (up to rounding).
   */
  @Test
  void extremeMagnitudesStandardiseLikeOrdinaryOnes() throws Exception {
    Preprocessor ref = new Preprocessor();
    double[] a = ref.features(ref.fit(train(1)));
    for (double scale : new double[] {1e200, 1e-200, -1e250}) {
      Preprocessor p = new Preprocessor();
      Instances ds = train(scale);
      double[] b = p.features(p.fit(ds));
      for (int i = 0; i < a.length; i++) {
        assertEquals(Math.signum(scale) * a[i] * (i % 4 == 0 ? 1 : Math.signum(scale)), b[i], 1e-9,
            "scale " + scale + " feature " + i);
      }
      double[] t = p.transform(ds.instance(3));
      assertArrayEquals(java.util.Arrays.copyOfRange(b, 12, 16), t, 1e-12, "scale " + scale + " replayed");
    }
  }

  /** Features are clipped to +-CLIP standard deviations. */
  @Test
  void outliersAreClipped() throws Exception {
    Instances ds = train(1);
    Preprocessor p = new Preprocessor();
    p.fit(ds);
    assertEquals(Preprocessor.CLIP, p.transform(row(ds, 1e15, 0, 5, 0))[0], 0.0);
    assertEquals(-Preprocessor.CLIP, p.transform(row(ds, -1e15, 0, 5, 0))[0], 0.0);
    double ordinary = p.transform(row(ds, 2, 0, 5, 0))[0];
    assertTrue(ordinary > 0.5 && ordinary < 10, "not clipped: " + ordinary);
  }

  @Test
  void dataWithAnotherHeaderIsRefusedWithTheReason() throws Exception {
    Preprocessor p = new Preprocessor();
    p.fit(train(1));
    Instance three = new DenseInstance(1.0, new double[] {1, 0, 5});
    WekaException e = assertThrows(WekaException.class, () -> p.transform(three));
    assertTrue(e.getMessage().contains("it has 3 attributes, the training data had 4"), e.getMessage());

    ArrayList<Attribute> atts = new ArrayList<>();
    atts.add(new Attribute("x"));
    atts.add(new Attribute("colour", List.of("red", "green")));
    atts.add(new Attribute("k"));
    atts.add(new Attribute("y"));
    Instances other = new Instances("o", atts, 0);
    Instance wrong = new DenseInstance(1.0, new double[] {1, 0, 5, 0});
    wrong.setDataset(other);
    e = assertThrows(WekaException.class, () -> p.transform(wrong));
    assertTrue(e.getMessage().contains("attribute 2 (colour) differs"), e.getMessage());

    for (double bad : new double[] {3, -1, 0.5}) {
      Instance loose = new DenseInstance(1.0, new double[] {1, bad, 5, 0}); // no dataset
      e = assertThrows(WekaException.class, () -> p.transform(loose), "colour index " + bad);
      assertTrue(e.getMessage().contains("attribute 2 (colour) has value index " + bad + ", the training header has 3"),
          e.getMessage());
    }
    Instance ok = new DenseInstance(1.0, new double[] {1, 2, 5, 0});
    assertEquals(4, p.transform(ok).length, "a valid loose instance passes");
    Instance missing = new DenseInstance(1.0, new double[] {1, Utils.missingValue(), 5, 0});
    assertEquals(4, p.transform(missing).length, "a missing nominal index passes");
  }
}
