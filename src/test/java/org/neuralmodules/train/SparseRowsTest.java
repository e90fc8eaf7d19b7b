package org.neuralmodules.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Compressed rows read as standardized dense features: (v - mean) / sd, v - mean where sd is 0, clipped. */
class SparseRowsTest {
  // 3 rows x 4 features: row 0 = {1: 2.0}, row 1 = {}, row 2 = {0: 5.0, 3: -1.0}
  private static SparseRows rows(double clip) {
    return new SparseRows(new int[] {0, 1, 1, 3}, new int[] {1, 0, 3}, new double[] {2.0, 5.0, -1.0},
        new double[] {1.0, 0.5, 0.0, -2.0}, new double[] {2.0, 0.25, 0.0, 4.0}, clip);
  }

  @Test
  void rowsReadAsHandStandardizedFeatures() {
    SparseRows r = rows(1e6);
    assertEquals(3, r.rows());
    assertEquals(4, r.features());
    assertEquals(3, r.nonZeros());
    double[] dst = new double[2 + 4];
    r.fill(0, dst, 2);
    // zeros read as -mean/sd (sd 0: -mean); the offset leaves dst[0..1] alone
    assertArrayEquals(new double[] {0, 0, (0 - 1.0) / 2.0, (2.0 - 0.5) / 0.25, 0.0 - 0.0, (0 + 2.0) / 4.0}, dst, 0.0);
    double[] empty = new double[4];
    r.fill(1, empty, 0);
    assertArrayEquals(new double[] {-0.5, -2.0, 0.0, 0.5}, empty, 0.0);
    double[] two = new double[4];
    r.fill(2, two, 0);
    assertArrayEquals(new double[] {(5.0 - 1.0) / 2.0, -2.0, 0.0, (-1.0 + 2.0) / 4.0}, two, 0.0);
  }

  @Test
  void valuesAreClipped() {
    double[] dst = new double[4];
    rows(1.5).fill(2, dst, 0);
    assertEquals(1.5, dst[0], 0.0, "(5 - 1) / 2 = 2 clipped to 1.5");
    assertEquals(-1.5, dst[1], 0.0, "-0.5 / 0.25 = -2 clipped to -1.5");
  }

  @Test
  void inconsistentArraysAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new SparseRows(new int[] {0, 2}, new int[] {1},
        new double[] {1}, new double[2], new double[2], 1));
    assertThrows(IllegalArgumentException.class, () -> new SparseRows(new int[] {0, 1}, new int[] {2},
        new double[] {1}, new double[2], new double[2], 1));
    assertThrows(IllegalArgumentException.class, () -> new SparseRows(new int[] {1, 1}, new int[] {0},
        new double[] {1}, new double[2], new double[2], 1));
  }

  @Test
  void theFingerprintSeesEveryStoredValue() {
    long base = rows(1e6).fingerprint();
    assertEquals(base, rows(1e6).fingerprint());
    SparseRows otherValue = new SparseRows(new int[] {0, 1, 1, 3}, new int[] {1, 0, 3}, new double[] {2.0, 5.0, -1.5},
        new double[] {1.0, 0.5, 0.0, -2.0}, new double[] {2.0, 0.25, 0.0, 4.0}, 1e6);
    SparseRows otherColumn = new SparseRows(new int[] {0, 1, 1, 3}, new int[] {2, 0, 3}, new double[] {2.0, 5.0, -1.0},
        new double[] {1.0, 0.5, 0.0, -2.0}, new double[] {2.0, 0.25, 0.0, 4.0}, 1e6);
    assertNotEquals(base, otherValue.fingerprint());
    assertNotEquals(base, otherColumn.fingerprint());
  }

  @Test
  void deviationsFromTheZeroRowReadAsTheFilledRows() {
    SparseRows r = rows(1.5); // clipped values too
    org.neuralmodules.backend.SparseInputs in = new org.neuralmodules.backend.SparseInputs(3, r.zeroRow(), 2);
    for (int row = 0; row < 3; row++) {
      r.deviations(row, in);
    }
    assertEquals(3, in.rows());
    for (int row = 0; row < 3; row++) {
      double[] filled = new double[4];
      double[] viaDeviations = new double[4];
      r.fill(row, filled, 0);
      in.fill(row, viaDeviations, 0);
      assertArrayEquals(filled, viaDeviations, 1e-15, "row " + row);
    }
  }

  @Test
  void selectedRowsKeepTheirValuesAndStandardization() {
    SparseRows r = rows(1e6);
    SparseRows picked = r.select(new int[] {9, 2, 1, 2}, 1, 3); // rows 2, 1, 2
    assertEquals(3, picked.rows());
    assertEquals(4, picked.nonZeros());
    int[] from = {2, 1, 2};
    for (int i = 0; i < 3; i++) {
      double[] a = new double[4];
      double[] b = new double[4];
      r.fill(from[i], a, 0);
      picked.fill(i, b, 0);
      assertArrayEquals(a, b, 0.0, "row " + i);
    }
  }
}
