package org.neuralmodules.solve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link DenseLU} against known solutions, inside offset blocks of larger arrays. */
class DenseLUTest {

  /** b = A x (transposed: A^T x) for row-major A. */
  private static double[] multiply(double[] a, int n, double[] x, boolean transposed) {
    double[] b = new double[n];
    for (int i = 0; i < n; i++) {
      double s = 0;
      for (int j = 0; j < n; j++) {
        s += (transposed ? a[j * n + i] : a[i * n + j]) * x[j];
      }
      b[i] = s;
    }
    return b;
  }

  /** Factors a copy of A placed at offset off (pivots at pivOff) and solves both systems. */
  private static void checkSolves(double[] a, int n, double[] x, double tol, String msg) {
    int off = 7;
    int pivOff = 3;
    double[] store = new double[off + n * n + 5];
    java.util.Arrays.fill(store, 123.0);
    System.arraycopy(a, 0, store, off, n * n);
    int[] piv = new int[pivOff + n + 2];
    java.util.Arrays.fill(piv, -7);
    assertTrue(DenseLU.factor(store, off, n, piv, pivOff), msg + ": factor");
    for (int i = 0; i < off; i++) {
      assertEquals(123.0, store[i], 0.0, msg + ": wrote before the block");
    }
    for (int i = off + n * n; i < store.length; i++) {
      assertEquals(123.0, store[i], 0.0, msg + ": wrote after the block");
    }
    for (int i = 0; i < pivOff; i++) {
      assertEquals(-7, piv[i]);
    }
    for (int i = 0; i < n; i++) {
      assertTrue(piv[pivOff + i] >= i && piv[pivOff + i] < n, msg + ": pivot row in [col, n)");
    }
    double[] factors = store.clone();
    // the same factors serve any number of right-hand sides, in both directions
    for (int rep = 0; rep < 2; rep++) {
      int bOff = 2;
      double[] b = new double[bOff + n + 1];
      System.arraycopy(multiply(a, n, x, false), 0, b, bOff, n);
      DenseLU.solve(store, off, n, piv, pivOff, b, bOff);
      for (int i = 0; i < n; i++) {
        assertEquals(x[i], b[bOff + i], tol, msg + ": solve x[" + i + "]");
      }
      double[] bt = new double[bOff + n + 1];
      System.arraycopy(multiply(a, n, x, true), 0, bt, bOff, n);
      DenseLU.solveTransposed(store, off, n, piv, pivOff, bt, bOff);
      for (int i = 0; i < n; i++) {
        assertEquals(x[i], bt[bOff + i], tol, msg + ": solveTransposed x[" + i + "]");
      }
      assertEquals(0.0, b[0], 0.0);
      assertEquals(0.0, b[bOff + n], 0.0);
      assertArrayEquals(factors, store, 0.0, msg + ": solves leave the factors alone");
    }
  }

  @Test
  void handWorkedTwoByTwoNeedsAPivot() {
    // A = [[0, 2], [3, 1]]: the first pivot must swap rows
    double[] a = {0, 2, 3, 1};
    int[] piv = new int[2];
    double[] lu = a.clone();
    assertTrue(DenseLU.factor(lu, 0, 2, piv, 0));
    assertArrayEquals(new int[] {1, 1}, piv);
    assertArrayEquals(new double[] {3, 1, 0, 2}, lu, 0.0, "P A = L U with L = I, U = [[3,1],[0,2]]");
    // A x = (4, 5) has x = (1, 2); A^T = [[0, 3], [2, 1]], so A^T x = (0, 4) has x = (2, 0)
    double[] b = {4, 5};
    DenseLU.solve(lu, 0, 2, piv, 0, b, 0);
    assertArrayEquals(new double[] {1, 2}, b, 1e-15);
    double[] bt = {0, 4};
    DenseLU.solveTransposed(lu, 0, 2, piv, 0, bt, 0);
    assertArrayEquals(new double[] {2, 0}, bt, 1e-15);
  }

  @Test
  void handWorkedThreeByThree() {
    // A = [[2, 1, 1], [4, -6, 0], [-2, 7, 2]], x = (1, 1, 2): A x = (5, -2, 9)
    double[] a = {2, 1, 1, 4, -6, 0, -2, 7, 2};
    double[] x = {1, 1, 2};
    assertArrayEquals(new double[] {5, -2, 9}, multiply(a, 3, x, false), 0.0);
    assertArrayEquals(new double[] {2, 9, 5}, multiply(a, 3, x, true), 0.0);
    checkSolves(a, 3, x, 1e-14, "3x3");
  }

  @Test
  void permutationMatrices() {
    Random r = new Random(3);
    for (int n = 1; n <= 9; n++) {
      int[] perm = new int[n];
      for (int i = 0; i < n; i++) {
        perm[i] = i;
      }
      for (int i = n - 1; i > 0; i--) {
        int j = r.nextInt(i + 1);
        int t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
      }
      if (n > 1 && perm[0] == 0) { // make sure at least one swap is needed
        int t = perm[0];
        perm[0] = perm[1];
        perm[1] = t;
      }
      double[] a = new double[n * n];
      for (int i = 0; i < n; i++) {
        a[i * n + perm[i]] = 1.0;
      }
      double[] x = new double[n];
      for (int i = 0; i < n; i++) {
        x[i] = r.nextGaussian();
      }
      checkSolves(a, n, x, 0.0, "permutation n=" + n); // exact: only swaps
    }
  }

  @Test
  void randomMatricesIncludingZeroDiagonals() {
    Random r = new Random(11);
    for (int trial = 0; trial < 300; trial++) {
      int n = 1 + r.nextInt(12);
      double[] a = new double[n * n];
      for (int i = 0; i < n * n; i++) {
        a[i] = r.nextGaussian();
      }
      if (trial % 3 == 0) {
        for (int i = 0; i < n; i++) {
          a[i * n + i] = 0.0; // forces pivoting
        }
        if (n == 1) {
          a[0] = 0.5;
        }
      }
      if (trial % 5 == 0) {
        for (int i = 0; i < n * n; i++) {
          a[i] *= 1e-6; // scale must not matter
        }
      }
      double[] x = new double[n];
      for (int i = 0; i < n; i++) {
        x[i] = r.nextGaussian();
      }
      checkSolves(a, n, x, 1e-8, "trial " + trial);
    }
  }

  @Test
  void newtonLikeJacobians() {
    // I - M diag(d) with small M: the matrices the node solver factors
    Random r = new Random(19);
    for (int trial = 0; trial < 100; trial++) {
      int n = 2 + r.nextInt(15);
      double[] a = new double[n * n];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          a[i * n + j] = (i == j ? 1.0 : 0.0) - 0.3 * r.nextGaussian() * r.nextDouble();
        }
      }
      double[] x = new double[n];
      for (int i = 0; i < n; i++) {
        x[i] = r.nextGaussian();
      }
      checkSolves(a, n, x, 1e-11, "jacobian " + trial);
    }
  }

  @Test
  void singularMatricesAreRejected() {
    int[] piv = new int[4];
    assertFalse(DenseLU.factor(new double[9], 0, 3, piv, 0), "zero matrix");
    assertFalse(DenseLU.factor(new double[] {1, 2, 2, 4}, 0, 2, piv, 0), "rank 1");
    assertFalse(DenseLU.factor(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 0, 3, piv, 0), "rank 2");
    assertFalse(DenseLU.factor(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 0}, 0, 3, piv, 0), "zero last pivot");
    assertFalse(DenseLU.factor(new double[] {1, 0, 0, 1e-14}, 0, 2, piv, 0), "pivot below 1e-13 relative");
    assertTrue(DenseLU.factor(new double[] {1, 0, 0, 1e-12}, 0, 2, piv, 0), "pivot above 1e-13 relative");
    assertFalse(DenseLU.factor(new double[] {1, Double.NaN, 0, 1}, 0, 2, piv, 0), "NaN entry");
    assertFalse(DenseLU.factor(new double[] {1, Double.POSITIVE_INFINITY, 0, 1}, 0, 2, piv, 0), "infinite entry");
    // random rank-deficient: last row = sum of two others
    Random r = new Random(8);
    for (int trial = 0; trial < 50; trial++) {
      int n = 3 + r.nextInt(8);
      double[] a = new double[n * n];
      for (int i = 0; i < (n - 1) * n; i++) {
        a[i] = r.nextInt(7) - 3; // small integers: the dependency is exact in floating point
      }
      for (int j = 0; j < n; j++) {
        a[(n - 1) * n + j] = a[j] + a[n + j];
      }
      assertFalse(DenseLU.factor(a, 0, n, new int[n], 0), "rank-deficient trial " + trial);
    }
  }
}
