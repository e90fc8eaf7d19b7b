package org.neuralmodules.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.neuralmodules.model.ParamLayout;

/**
 * The sparse input layer against the dense one on the same rows: pre-activations and dU agree to
 * rounding (the sums are regrouped), any thread count gives the same bits, and rows read back as
 * reference + deviations.
 */
class SparseInputsTest {
  private static final int D = 70;
  private static final int P = 9;
  private static final int N = 6;

  /** A batch of N rows, ~10% of D stored each (row 2 has none), and the same rows densely. */
  private static BatchBuffers[] batches(Random r) {
    double[] ref = new double[D];
    for (int i = 0; i < D; i++) {
      ref[i] = i % 7 == 0 ? 0.0 : r.nextGaussian(); // some features centre to exactly 0
    }
    BatchBuffers sparse = new BatchBuffers(N, D, P, 2, ref);
    BatchBuffers dense = new BatchBuffers(N, D, P, 2);
    sparse.sparse.clear();
    for (int s = 0; s < N; s++) {
      System.arraycopy(ref, 0, dense.x0, s * D, D);
      for (int i = 0; i < D; i++) {
        if (s != 2 && r.nextDouble() < 0.1) {
          double v = 3 * r.nextGaussian();
          sparse.sparse.add(i, v - ref[i]);
          dense.x0[s * D + i] = v;
        }
      }
      sparse.sparse.endRow();
    }
    return new BatchBuffers[] {sparse, dense};
  }

  private static double[] theta(ParamLayout l, Random r) {
    double[] t = new double[l.size()];
    for (int i = 0; i < t.length; i++) {
      t[i] = r.nextGaussian();
    }
    return t;
  }

  @Test
  void rowsReadAsReferencePlusDeviations() {
    BatchBuffers[] b = batches(new Random(1));
    assertEquals(N, b[0].sparse.rows());
    assertEquals(0, b[0].x0.length, "sparse buffers hold no dense inputs");
    double[] row = new double[D + 1];
    for (int s = 0; s < N; s++) {
      b[0].sparse.fill(s, row, 1);
      for (int i = 0; i < D; i++) {
        assertEquals(b[1].x0[s * D + i], row[1 + i], 1e-15, "row " + s + " feature " + i);
      }
    }
  }

  @Test
  void preActivationsAgreeWithTheDensePath() {
    Random r = new Random(2);
    BatchBuffers[] b = batches(r);
    ParamLayout l = new ParamLayout(D, P, 2);
    double[] theta = theta(l, r);
    double[] viaSparse = new double[N * P];
    double[] viaDense = new double[N * P];
    try (Parallel par = new Parallel(2)) {
      b[0].prepareInputs(theta, l, par);
      b[1].prepareInputs(theta, l, par);
    }
    for (int s = 0; s < N; s++) {
      b[0].preActivation(theta, l, s, viaSparse, s * P);
      b[1].preActivation(theta, l, s, viaDense, s * P);
    }
    for (int i = 0; i < N * P; i++) {
      assertEquals(viaDense[i], viaSparse[i], 1e-12 * (1 + Math.abs(viaDense[i])), "entry " + i);
    }
  }

  @Test
  void inputGradientAgreesWithTheDenseOuterProductAndIgnoresThreads() {
    Random r = new Random(3);
    BatchBuffers[] b = batches(r);
    ParamLayout l = new ParamLayout(D, P, 2);
    double[] lambda = new double[N * P];
    for (int i = 0; i < lambda.length; i++) {
      lambda[i] = r.nextGaussian();
    }
    int n = N - 1; // the last row is in the batch but not in the gradient
    double[][] grads = new double[3][];
    int t = 0;
    for (int threads : new int[] {1, 2, 4}) {
      grads[t] = new double[l.size()];
      java.util.Arrays.fill(grads[t], 99.0); // stale values are overwritten
      try (Parallel par = new Parallel(threads)) {
        b[0].sparse.inputGradient(lambda, n, l, grads[t], 1.0 / n, par);
      }
      t++;
    }
    for (int i = 0; i < D; i++) {
      for (int k = 0; k < P; k++) {
        double s = 0;
        for (int q = 0; q < n; q++) {
          s += b[1].x0[q * D + i] * lambda[q * P + k];
        }
        int at = l.u(i, k);
        assertEquals(s / n, grads[0][at], 1e-12 * (1 + Math.abs(s)), "dU " + i + "," + k);
        assertEquals(Double.doubleToLongBits(grads[0][at]), Double.doubleToLongBits(grads[1][at]));
        assertEquals(Double.doubleToLongBits(grads[0][at]), Double.doubleToLongBits(grads[2][at]));
      }
    }
    assertEquals(99.0, grads[0][l.w(0, 0)], 0.0, "only the U block is written");
  }

  @Test
  void storageGrowsAndClearStartsOver() {
    SparseInputs in = new SparseInputs(2, new double[500], 3);
    for (int i = 0; i < 500; i++) {
      in.add(i, i);
    }
    in.endRow();
    double[] row = new double[500];
    in.fill(0, row, 0);
    assertEquals(499.0, row[499], 0.0);
    in.clear();
    in.add(4, 1.5);
    in.endRow();
    in.fill(0, row, 0);
    assertEquals(1.5, row[4], 0.0);
    assertEquals(0.0, row[499], 0.0, "the earlier row is gone");
    assertEquals(1, in.rows());
  }

  @Test
  void aReferenceRowOfTheWrongWidthIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new BatchBuffers(2, 5, 3, 2, new double[4]));
  }
}
