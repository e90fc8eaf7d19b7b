package org.neuralmodules;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import org.neuralmodules.config.Activation;
import org.neuralmodules.config.Structure;
import org.neuralmodules.graph.GraphPlan;
import org.neuralmodules.model.ParamLayout;

/** Shared helpers of the engine tests: random parameters, plans, independent reference maths. */
public final class TestSupport {
  private TestSupport() {}

  /**
   * Random parameters: U ~ N(0, 0.7^2), allowed off-diagonal W ~ N(0, wScale^2), forbidden W = 0,
   * biases w_kk ~ N(0, 0.3^2), V ~ N(0, 0.6^2), b ~ N(0, 0.2^2).
   */
  public static double[] randomTheta(ParamLayout l, Structure s, Random r, double wScale) {
    double[] t = new double[l.size()];
    int d = l.inputs();
    int p = l.nodes();
    int c = l.outputs();
    for (int i = 0; i < d; i++) {
      for (int k = 0; k < p; k++) {
        t[l.u(i, k)] = 0.7 * r.nextGaussian();
      }
    }
    for (int j = 0; j < p; j++) {
      for (int k = 0; k < p; k++) {
        if (j == k) {
          t[l.w(j, k)] = 0.3 * r.nextGaussian();
        } else if (s.allows(j, k)) {
          t[l.w(j, k)] = wScale * r.nextGaussian();
        }
      }
    }
    for (int o = 0; o < c; o++) {
      for (int k = 0; k < p; k++) {
        t[l.v(o, k)] = 0.6 * r.nextGaussian();
      }
      t[l.b(o)] = 0.2 * r.nextGaussian();
    }
    return t;
  }

  /**
   * Rescales the incoming off-diagonal weights of every node so that sum_j |w_jk| <= maxColumnSum.
   * With |f'| <= 1 the node map x -> c + W^T f(x) is then a max-norm contraction whatever the
   * active set, so the node system has exactly one solution.
   */
  public static void makeContractive(double[] t, ParamLayout l, double maxColumnSum) {
    int p = l.nodes();
    for (int k = 0; k < p; k++) {
      double s = 0;
      for (int j = 0; j < p; j++) {
        if (j != k) {
          s += Math.abs(t[l.w(j, k)]);
        }
      }
      if (s > maxColumnSum) {
        double f = maxColumnSum / s;
        for (int j = 0; j < p; j++) {
          if (j != k) {
            t[l.w(j, k)] *= f;
          }
        }
      }
    }
  }

  public static GraphPlan plan(double[] theta, ParamLayout l, Structure s, double fraction) {
    return GraphPlan.build(theta, l.wOffset(), l.nodes(), s, fraction, null);
  }

  /** Whether edge j -> k is active in the plan (looked up in the in-CSR). */
  public static boolean isActive(GraphPlan plan, int j, int k) {
    for (int e = plan.inStart[k]; e < plan.inStart[k + 1]; e++) {
      if (plan.inSrc[e] == j) {
        return true;
      }
    }
    return false;
  }

  /** Dense active-edge matrix A[j][k] = w(j -> k) of the plan, 0 where inactive. */
  public static double[][] activeMatrix(GraphPlan plan) {
    double[][] a = new double[plan.p][plan.p];
    for (int k = 0; k < plan.p; k++) {
      for (int e = plan.inStart[k]; e < plan.inStart[k + 1]; e++) {
        a[plan.inSrc[e]][k] = plan.inW[e];
      }
    }
    return a;
  }

  /**
   * Independent monolithic solve of x = c + A^T f(x) over all p nodes: damped Newton on the whole
   * system with its own Gaussian elimination, to a max-norm residual of ~1e-15.
   */
  public static double[] monolithicSolve(double[][] a, double[] c, Activation act) {
    int p = c.length;
    double[] x = c.clone();
    double[] r = residual(a, c, x, act);
    double rn = maxAbs(r);
    for (int it = 0; it < 200; it++) {
      if (rn <= 1e-15 * (1 + maxAbs(x))) {
        return x;
      }
      double[][] j = new double[p][p];
      for (int k = 0; k < p; k++) {
        for (int q = 0; q < p; q++) {
          j[k][q] = (k == q ? 1.0 : 0.0) - a[q][k] * act.df(x[q]);
        }
      }
      double[] dx = new double[p];
      for (int k = 0; k < p; k++) {
        dx[k] = -r[k];
      }
      gaussSolve(j, dx);
      double t = 1;
      boolean accepted = false;
      for (int ls = 0; ls < 40; ls++) {
        double[] xt = new double[p];
        for (int k = 0; k < p; k++) {
          xt[k] = x[k] + t * dx[k];
        }
        double[] rt = residual(a, c, xt, act);
        double rnt = maxAbs(rt);
        if (rnt < rn || rnt == 0) {
          x = xt;
          r = rt;
          rn = rnt;
          accepted = true;
          break;
        }
        t *= 0.5;
      }
      if (!accepted) {
        break; // cannot improve further: at machine precision
      }
    }
    if (rn > 1e-12) {
      fail("reference monolithic Newton did not converge, residual " + rn);
    }
    return x;
  }

  /** r_k = x_k - c_k - sum_j a[j][k] f(x_j). */
  public static double[] residual(double[][] a, double[] c, double[] x, Activation act) {
    int p = c.length;
    double[] r = new double[p];
    for (int k = 0; k < p; k++) {
      double s = x[k] - c[k];
      for (int j = 0; j < p; j++) {
        if (a[j][k] != 0) {
          s -= a[j][k] * act.f(x[j]);
        }
      }
      r[k] = s;
    }
    return r;
  }

  /** Solves m y = b in place of b by Gaussian elimination with partial pivoting (m is destroyed). */
  public static void gaussSolve(double[][] m, double[] b) {
    int n = b.length;
    for (int col = 0; col < n; col++) {
      int best = col;
      for (int r = col + 1; r < n; r++) {
        if (Math.abs(m[r][col]) > Math.abs(m[best][col])) {
          best = r;
        }
      }
      double[] tr = m[col];
      m[col] = m[best];
      m[best] = tr;
      double tb = b[col];
      b[col] = b[best];
      b[best] = tb;
      for (int r = col + 1; r < n; r++) {
        double f = m[r][col] / m[col][col];
        for (int q = col; q < n; q++) {
          m[r][q] -= f * m[col][q];
        }
        b[r] -= f * b[col];
      }
    }
    for (int r = n - 1; r >= 0; r--) {
      double s = b[r];
      for (int q = r + 1; q < n; q++) {
        s -= m[r][q] * b[q];
      }
      b[r] = s / m[r][r];
    }
  }

  public static double maxAbs(double[] v) {
    double m = 0;
    for (double x : v) {
      m = Math.max(m, Math.abs(x));
    }
    return m;
  }

  /** Fails unless the two arrays hold exactly the same bits (so -0.0 != 0.0 and NaN == NaN). */
  public static void assertBitwiseEquals(double[] expected, double[] actual, String what) {
    if (expected.length != actual.length) {
      fail(what + ": lengths differ " + expected.length + " vs " + actual.length);
    }
    for (int i = 0; i < expected.length; i++) {
      if (Double.doubleToRawLongBits(expected[i]) != Double.doubleToRawLongBits(actual[i])) {
        fail(what + ": differs at index " + i + ": " + expected[i] + " vs " + actual[i]);
      }
    }
  }
}
