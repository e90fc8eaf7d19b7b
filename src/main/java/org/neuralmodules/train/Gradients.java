package org.neuralmodules.train;

import org.neuralmodules.backend.BatchBuffers;
import org.neuralmodules.backend.Parallel;
import org.neuralmodules.config.Structure;
import org.neuralmodules.model.ParamLayout;

/**
 * Mean gradient of a batch from the per-sample adjoints, for every parameter including the
 * inactive edges: dU = X0^T Lambda, dW = H^T Lambda (diagonal: column sums of Lambda),
 * dV = Delta^T H, db = column sums of Delta, all divided by n. Rows are split over threads, but each
 * entry is summed over samples in sample order by one thread: bitwise the same for any thread count.
 */
public final class Gradients {
  private Gradients() {}

  public static void compute(BatchBuffers b, int n, ParamLayout layout, Structure structure,
      double[] grad, Parallel par) {
    int d = layout.inputs();
    int p = layout.nodes();
    int c = layout.outputs();
    double inv = 1.0 / n;
    java.util.Arrays.fill(grad, 0.0);
    // rows: d rows of U, p rows of W, c rows of V (+ b folded into V's row task)
    par.forRange(d + p + c, (from, to, worker) -> {
      for (int row = from; row < to; row++) {
        if (row < d) {
          outer(b.x0, d, row, b.lambda, p, n, grad, layout.u(row, 0), inv);
        } else if (row < d + p) {
          int j = row - d;
          int go = layout.w(j, 0);
          outer(b.h, p, j, b.lambda, p, n, grad, go, inv);
          // diagonal entry is the bias gradient: sum of lambda_j; forbidden edges get none
          double bias = 0;
          for (int s = 0; s < n; s++) {
            bias += b.lambda[s * p + j];
          }
          for (int k = 0; k < p; k++) {
            if (k == j) {
              grad[go + k] = bias * inv;
            } else if (!structure.allows(j, k)) {
              grad[go + k] = 0.0;
            }
          }
        } else {
          int o = row - d - p;
          outer(b.delta, c, o, b.h, p, n, grad, layout.v(o, 0), inv);
          double bo = 0;
          for (int s = 0; s < n; s++) {
            bo += b.delta[s * c + o];
          }
          grad[layout.b(o)] = bo * inv;
        }
      }
    });
  }

  /** out[oo + k] = inv * sum_s a[s*aw + col] * m[s*p + k]. */
  private static void outer(double[] a, int aw, int col, double[] m, int p, int n, double[] out, int oo,
      double inv) {
    for (int s = 0; s < n; s++) {
      double v = a[s * aw + col];
      if (v != 0.0) {
        int mo = s * p;
        for (int k = 0; k < p; k++) {
          out[oo + k] += v * m[mo + k];
        }
      }
    }
    for (int k = 0; k < p; k++) {
      out[oo + k] *= inv;
    }
  }
}
