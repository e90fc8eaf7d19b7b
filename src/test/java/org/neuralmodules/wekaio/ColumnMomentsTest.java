package org.neuralmodules.wekaio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import weka.core.Attribute;
import weka.core.Instances;
import weka.core.SparseInstance;
import weka.core.Utils;

/** One pass over the rows gives Weka's own meanOrMode and variance of every numeric column, bit for bit. */
class ColumnMomentsTest {

  /** Sparse weighted rows: mostly zeros, some missing values, a column missing everywhere but once. */
  private static Instances data(int n, long seed) {
    ArrayList<Attribute> atts = new ArrayList<>();
    for (int j = 0; j < 12; j++) {
      atts.add(new Attribute("x" + j));
    }
    atts.add(new Attribute("colour", List.of("red", "green")));
    atts.add(new Attribute("class", List.of("a", "b")));
    Instances d = new Instances("moments", atts, n);
    d.setClassIndex(13);
    Random r = new Random(seed);
    for (int i = 0; i < n; i++) {
      double[] v = new double[14];
      for (int j = 0; j < 12; j++) {
        double u = r.nextDouble();
        v[j] = u < 0.7 ? 0 : u < 0.8 ? Utils.missingValue() : 1e3 * r.nextGaussian() + 1e6 * (j % 3);
      }
      v[11] = i == 3 ? 2.5 : Utils.missingValue();
      v[12] = r.nextInt(2);
      v[13] = r.nextInt(2);
      d.add(new SparseInstance(0.1 + 3 * r.nextDouble(), v));
    }
    return d;
  }

  @Test
  void theMomentsAreWekasBits() {
    for (int n : new int[] {1, 2, 57}) {
      Instances d = data(n, n);
      ColumnMoments m = new ColumnMoments(d);
      for (int a = 0; a < 12; a++) {
        assertEquals(Double.doubleToLongBits(d.meanOrMode(a)), Double.doubleToLongBits(m.mean[a]), n + " rows, mean " + a);
        assertEquals(Double.doubleToLongBits(d.variance(a)), Double.doubleToLongBits(m.variance[a]),
            n + " rows, variance " + a);
      }
      assertEquals(0.0, m.mean[12], 0.0, "nominal: not computed");
      assertEquals(0.0, m.mean[13], 0.0, "class: not computed");
    }
  }
}
