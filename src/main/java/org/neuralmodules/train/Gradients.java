package org.neuralmodules.train;

import org.neuralmodules.backend.BatchBuffers;
import org.neuralmodules.backend.Parallel;
import org.neuralmodules.config.Structure;
import org.neuralmodules.model.ParamLayout;

/**
 * Mean gradient of a batch from the per-sample adjoints, for every parameter including the
 * inactive edges: dU = X0^T Lambda, dW = H^T Lambda (diagonal: column sums of Lambda),
 * dV = Delta^T H, db = column sums of Delta, all divided by n (dU of sparse inputs: {@link
 * org.neuralmodules.backend.SparseInputs#inputGradient}). Rows are split over threads, but each
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
    // sparse inputs: U from the stored values (SparseInputs writes all of U), the rest as for dense
    int skip = b.sparse != null ? d : 0;
    if (b.sparse != null) {
      b.sparse.inputGradient(b.lambda, n, layout, grad, inv, par);
    }
    java.util.Arrays.fill(grad, layout.u(skip, 0), grad.length, 0.0);
    // rows: d rows of U, p rows of W, c rows of V (+ b folded into V's row task). Rows of one
    // group are done up to four at a time (each m row is loaded once for all four); every entry
    // is still summed over samples in sample order, so the blocking never changes a bit.
    par.forRange(d + p + c - skip, (lo, hi, worker) -> {
      int row = lo + skip;
      int to = hi + skip;
      while (row < to) {
        if (row < d) {
          int rows = Math.min(BLOCK, Math.min(to, d) - row);
          outer(b.x0, d, row, rows, b.lambda, p, n, grad, layout.u(row, 0), inv);
          row += rows;
        } else if (row < d + p) {
          int j0 = row - d;
          int rows = Math.min(BLOCK, Math.min(to, d + p) - row);
          outer(b.h, p, j0, rows, b.lambda, p, n, grad, layout.w(j0, 0), inv);
          for (int j = j0; j < j0 + rows; j++) {
            int go = layout.w(j, 0);
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
          }
          row += rows;
        } else {
          int o = row - d - p;
          outer(b.delta, c, o, 1, b.h, p, n, grad, layout.v(o, 0), inv);
          double bo = 0;
          for (int s = 0; s < n; s++) {
            bo += b.delta[s * c + o];
          }
          grad[layout.b(o)] = bo * inv;
          row++;
        }
      }
    });
  }

  private static final int BLOCK = 4;

  /**
   * For r in [0, rows): out[oo + r*p + k] = inv * sum_s a[s*aw + col + r] * m[s*p + k]. Rows of
   * out are p apart (as U, W and V rows are in the parameter layout).
   */
  private static void outer(double[] a, int aw, int col, int rows, double[] m, int p, int n, double[] out,
      int oo, double inv) {
    if (rows == BLOCK) {
      int o1 = oo + p;
      int o2 = oo + 2 * p;
      int o3 = oo + 3 * p;
      for (int s = 0; s < n; s++) {
        int ao = s * aw + col;
        double v0 = a[ao];
        double v1 = a[ao + 1];
        double v2 = a[ao + 2];
        double v3 = a[ao + 3];
        int mo = s * p;
        for (int k = 0; k < p; k++) {
          double mk = m[mo + k];
          out[oo + k] += v0 * mk;
          out[o1 + k] += v1 * mk;
          out[o2 + k] += v2 * mk;
          out[o3 + k] += v3 * mk;
        }
      }
    } else {
      for (int r = 0; r < rows; r++) {
        int orow = oo + r * p;
        for (int s = 0; s < n; s++) {
          double v = a[s * aw + col + r];
          int mo = s * p;
          for (int k = 0; k < p; k++) {
            out[orow + k] += v * m[mo + k];
          }
        }
      }
    }
    for (int i = oo; i < oo + rows * p; i++) {
      out[i] *= inv;
    }
  }
}
