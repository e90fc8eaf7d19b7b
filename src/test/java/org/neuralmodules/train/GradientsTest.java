package org.neuralmodules.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.neuralmodules.backend.BatchBuffers;
import org.neuralmodules.backend.Parallel;
import org.neuralmodules.config.Structure;
import org.neuralmodules.model.ParamLayout;

/**
 * Gradients.compute against the plain sums it documents (dU = X0^T Lambda / n, dW = H^T Lambda / n
 * with the bias on the diagonal and 0 on forbidden edges, dV = Delta^T H / n, db = mean Delta),
 * starting from a gradient array full of stale values.
 */
class GradientsTest {

  private static void fill(double[] a, Random r) {
    for (int i = 0; i < a.length; i++) {
      a[i] = r.nextGaussian();
    }
  }

  @Test
  void gradientIsTheDocumentedMeanOfOuterProductsWhateverWasInTheArray() {
    // d = 5 and p = 6 use both the four-row blocks and the remainder rows
    int n = 3;
    int d = 5;
    int p = 6;
    int c = 2;
    for (Structure st : Structure.values()) {
      for (int threads : new int[] {1, 3}) {
        ParamLayout l = new ParamLayout(d, p, c);
        BatchBuffers b = new BatchBuffers(4, d, p, c);
        Random r = new Random(5);
        fill(b.x0, r);
        fill(b.h, r);
        fill(b.lambda, r);
        fill(b.delta, r);
        double[] grad = new double[l.size()];
        Arrays.fill(grad, 123.0); // stale values from an earlier batch
        try (Parallel par = new Parallel(threads)) {
          Gradients.compute(b, n, l, st, grad, par);
        }
        String where = st + ", " + threads + " threads: ";
        for (int i = 0; i < d; i++) {
          for (int k = 0; k < p; k++) {
            double s = 0;
            for (int q = 0; q < n; q++) {
              s += b.x0[q * d + i] * b.lambda[q * p + k];
            }
            assertEquals(s / n, grad[l.u(i, k)], 1e-14, where + "dU " + i + "," + k);
          }
        }
        for (int j = 0; j < p; j++) {
          for (int k = 0; k < p; k++) {
            double s = 0;
            for (int q = 0; q < n; q++) {
              s += (j == k ? 1.0 : b.h[q * p + j]) * b.lambda[q * p + k];
            }
            double expected = j == k || st.allows(j, k) ? s / n : 0.0;
            assertEquals(expected, grad[l.w(j, k)], 1e-14, where + "dW " + j + "->" + k);
          }
        }
        for (int o = 0; o < c; o++) {
          double sb = 0;
          for (int k = 0; k < p; k++) {
            double s = 0;
            for (int q = 0; q < n; q++) {
              s += b.delta[q * c + o] * b.h[q * p + k];
            }
            assertEquals(s / n, grad[l.v(o, k)], 1e-14, where + "dV " + o + "," + k);
          }
          for (int q = 0; q < n; q++) {
            sb += b.delta[q * c + o];
          }
          assertEquals(sb / n, grad[l.b(o)], 1e-14, where + "db " + o);
        }
      }
    }
  }
}
