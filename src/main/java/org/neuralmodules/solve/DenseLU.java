package org.neuralmodules.solve;

/**
 * LU factorisation with partial pivoting on a row-major n x n block inside a flat array, in place
 * and allocation-free. Contract (after EJML's LinearSolver): {@link #factor} overwrites the block
 * with L (unit lower, below the diagonal) and U, and the pivot slice; {@link #solve} and
 * {@link #solveTransposed} then overwrite only their right-hand side, any number of times.
 */
public final class DenseLU {
  /** A pivot this small relative to the largest entry of the matrix counts as singular. */
  public static final double SINGULAR_RELATIVE = 1e-13;

  private DenseLU() {}

  /** @return false if the matrix is numerically singular (the factors are then unusable) */
  public static boolean factor(double[] a, int off, int n, int[] piv, int pivOff) {
    double scale = 0;
    for (int i = 0; i < n * n; i++) {
      scale = Math.max(scale, Math.abs(a[off + i]));
    }
    if (!(scale > 0) || !Double.isFinite(scale)) {
      return false;
    }
    double tiny = SINGULAR_RELATIVE * scale;
    for (int col = 0; col < n; col++) {
      if ((col & 63) == 63 && Thread.currentThread().isInterrupted()) {
        // one factorisation of a 3000-node component takes ~20 s: the Stop button must not wait
        throw new java.util.concurrent.CancellationException("LU factorisation interrupted");
      }
      int best = col;
      double bestAbs = Math.abs(a[off + col * n + col]);
      for (int r = col + 1; r < n; r++) {
        double v = Math.abs(a[off + r * n + col]);
        if (v > bestAbs) {
          bestAbs = v;
          best = r;
        }
      }
      piv[pivOff + col] = best;
      if (!(bestAbs > tiny)) {
        return false;
      }
      if (best != col) {
        int ro = off + best * n;
        int co = off + col * n;
        for (int c = 0; c < n; c++) {
          double t = a[ro + c];
          a[ro + c] = a[co + c];
          a[co + c] = t;
        }
      }
      double inv = 1.0 / a[off + col * n + col];
      int co = off + col * n;
      for (int r = col + 1; r < n; r++) {
        int ro = off + r * n;
        double l = a[ro + col] * inv;
        a[ro + col] = l;
        if (l != 0.0) {
          for (int c = col + 1; c < n; c++) {
            a[ro + c] -= l * a[co + c];
          }
        }
      }
    }
    return true;
  }

  /** Solves A x = b in place of b, using factors from {@link #factor}. */
  public static void solve(double[] a, int off, int n, int[] piv, int pivOff, double[] b, int bOff) {
    for (int i = 0; i < n; i++) {
      int p = piv[pivOff + i];
      if (p != i) {
        double t = b[bOff + i];
        b[bOff + i] = b[bOff + p];
        b[bOff + p] = t;
      }
    }
    for (int i = 0; i < n; i++) {
      double s = b[bOff + i];
      int ro = off + i * n;
      for (int c = 0; c < i; c++) {
        s -= a[ro + c] * b[bOff + c];
      }
      b[bOff + i] = s;
    }
    for (int i = n - 1; i >= 0; i--) {
      double s = b[bOff + i];
      int ro = off + i * n;
      for (int c = i + 1; c < n; c++) {
        s -= a[ro + c] * b[bOff + c];
      }
      b[bOff + i] = s / a[ro + i];
    }
  }

  /** Solves A^T x = b in place of b, using the factors of A (P A = L U, so A^T = U^T L^T P). */
  public static void solveTransposed(double[] a, int off, int n, int[] piv, int pivOff, double[] b, int bOff) {
    // U^T y = b (forward, U^T is lower triangular)
    for (int i = 0; i < n; i++) {
      double s = b[bOff + i];
      for (int r = 0; r < i; r++) {
        s -= a[off + r * n + i] * b[bOff + r];
      }
      b[bOff + i] = s / a[off + i * n + i];
    }
    // L^T z = y (backward, unit diagonal)
    for (int i = n - 1; i >= 0; i--) {
      double s = b[bOff + i];
      for (int r = i + 1; r < n; r++) {
        s -= a[off + r * n + i] * b[bOff + r];
      }
      b[bOff + i] = s;
    }
    // x = P^T z: undo the row swaps in reverse order
    for (int i = n - 1; i >= 0; i--) {
      int p = piv[pivOff + i];
      if (p != i) {
        double t = b[bOff + i];
        b[bOff + i] = b[bOff + p];
        b[bOff + p] = t;
      }
    }
  }
}
