package org.neuralmodules.backend.opencl;

import com.aparapi.Kernel;

/**
 * The OpenCL kernel of {@link OpenClBackend}: one work-item per (device module, sample). In
 * {@link #FORWARD} mode it solves the module's strongly connected components in topological order
 * (acyclic ones directly, cyclic ones by Newton with LU and backtracking, exactly the first Newton
 * run of {@link org.neuralmodules.solve.NodeSolver}); in {@link #ADJOINT} mode it solves the adjoint
 * in reverse order, refactoring each cyclic block's Jacobian at the solution.
 *
 * <p>Aparapi translates {@link #run()} and the methods it calls to OpenCL C, so this class uses only
 * primitive fields and arrays, no {@code break}/{@code continue}/early returns (Aparapi 3.0.0
 * rejects some of them) and only the math methods {@link Kernel} maps. Work-items are numbered
 * module-major, so neighbouring work-items run the same module's control flow for different samples.
 *
 * <p>Each work-item records in {@link #info}: [0] 1 if Newton did not converge on the device (the
 * host then redoes the whole module with the full CPU solver, fallbacks included, and the adjoint
 * kernel skips it), [1] cyclic solves, [2] Newton iterations, [3] singular adjoint systems.
 */
final class ModuleSolveKernel extends Kernel {
  static final int FORWARD = 0;
  static final int ADJOINT = 1;
  static final int ACT_TANH = 0;
  static final int ACT_SIGMOID = 1;
  static final int ACT_RELU = 2;
  /** Work vectors per cyclic block: e, y, f(y), r, dx, y trial, r trial. */
  static final int VECS = 7;
  static final int INFO = 4;
  /** Same constants as NodeSolver / DenseLU, so both backends take the same steps. */
  private static final double ARMIJO = 1e-4;
  private static final int MAX_HALVINGS = 30;
  private static final double SINGULAR_RELATIVE = 1e-13;
  private static final double HUGE = 1.0e300;

  // ---- settings (scalars are passed on every execute)
  int mode;
  int activation;
  double tol;
  int maxIter;
  int nodes;
  /** Samples in this launch, work-items in use (the range is padded to the local size). */
  int samples;
  int items;
  /** Per-sample strides of the LU and pivot scratch. */
  int luStride;
  int pivStride;

  // ---- plan (uploaded when the plan changes)
  int[] sccStart = new int[1];
  int[] sccNodes = new int[1];
  int[] sccOf = new int[1];
  int[] blockOffset = new int[1];
  double[] blocks = new double[1];
  int[] inStart = new int[1];
  int[] inSrc = new int[1];
  double[] inW = new double[1];
  int[] outStart = new int[1];
  int[] outDst = new int[1];
  double[] outW = new double[1];
  int[] moduleSccStart = new int[1];
  /** Modules solved on the device, and each cyclic SCC's offset in the per-sample LU / pivot slice. */
  int[] devModules = new int[1];
  int[] devLuOffset = new int[1];
  int[] devPivOffset = new int[1];

  // ---- batch data (samples x nodes, row-major)
  double[] pre = new double[1];
  double[] xv = new double[1];
  double[] hv = new double[1];
  double[] gv = new double[1];
  double[] lam = new double[1];
  int[] info = new int[1];

  // ---- scratch, only meaningful within one execute
  double[] vec = new double[1];
  double[] lu = new double[1];
  int[] piv = new int[1];

  @Override
  public void run() {
    int gid = getGlobalId();
    if (gid < items) {
      if (mode == FORWARD) {
        forwardItem(gid);
      } else {
        adjointItem(gid);
      }
    }
  }

  private double act(double v) {
    double r = 0.0;
    if (activation == ACT_TANH) {
      r = tanh(v);
    } else if (activation == ACT_SIGMOID) {
      r = 1.0 / (1.0 + exp(-v));
    } else if (v > 0.0) {
      r = v;
    }
    return r;
  }

  private double dact(double v) {
    double r = 0.0;
    if (activation == ACT_TANH) {
      double t = tanh(v);
      r = 1.0 - t * t;
    } else if (activation == ACT_SIGMOID) {
      double s = 1.0 / (1.0 + exp(-v));
      r = s * (1.0 - s);
    } else if (v > 0.0) {
      r = 1.0;
    }
    return r;
  }

  private void forwardItem(int gid) {
    int dm = gid / samples;
    int smp = gid - dm * samples;
    int mod = devModules[dm];
    int xo = smp * nodes;
    int sEnd = moduleSccStart[mod + 1];
    int s = moduleSccStart[mod];
    int failed = 0;
    int solves = 0;
    int iters = 0;
    while (s < sEnd && failed == 0) {
      int first = sccStart[s];
      if (blockOffset[s] < 0) {
        int k = sccNodes[first];
        double sum = pre[xo + k];
        for (int e = inStart[k]; e < inStart[k + 1]; e++) {
          sum += inW[e] * hv[xo + inSrc[e]];
        }
        xv[xo + k] = sum;
        hv[xo + k] = act(sum);
      } else {
        int it = newton(s, first, sccStart[s + 1] - first, xo, smp);
        if (it < 0) {
          failed = 1;
        } else {
          solves++;
          iters += it;
        }
      }
      s++;
    }
    info[gid * INFO] = failed;
    info[gid * INFO + 1] = solves;
    info[gid * INFO + 2] = iters;
    info[gid * INFO + 3] = 0;
  }

  /** Newton on cyclic SCC s; writes x and h and returns the iterations, or -1 if it failed. */
  private int newton(int s, int first, int m, int xo, int smp) {
    int eO = smp * VECS * nodes + first;
    int yO = eO + nodes;
    int fyO = yO + nodes;
    int rO = fyO + nodes;
    int dxO = rO + nodes;
    int ytO = dxO + nodes;
    int rtO = ytO + nodes;
    int bo = blockOffset[s];
    int luO = smp * luStride + devLuOffset[s];
    int pvO = smp * pivStride + devPivOffset[s];
    for (int a = 0; a < m; a++) {
      int k = sccNodes[first + a];
      double sum = pre[xo + k];
      for (int q = inStart[k]; q < inStart[k + 1]; q++) {
        int j = inSrc[q];
        if (sccOf[j] != s) {
          sum += inW[q] * hv[xo + j];
        }
      }
      vec[eO + a] = sum;
      vec[yO + a] = sum;
    }
    residual(bo, m, eO, yO, fyO, rO);
    double rn = maxAbs(rO, m);
    int it = 0;
    int state = 0; // 0 running, 1 converged, 2 failed
    // flat ifs instead of else-chains: Aparapi's code generator rejects some jumps javac emits for them
    while (state == 0) {
      if (rn <= tol * (1.0 + maxAbs(yO, m))) {
        state = 1;
      }
      if (state == 0 && it >= maxIter) {
        state = 2;
      }
      if (state == 0) {
        it++;
        jacobian(bo, m, yO, luO);
        state = 2 - 2 * factor(luO, m, pvO);
      }
      if (state == 0) {
        for (int a = 0; a < m; a++) {
          vec[dxO + a] = -vec[rO + a];
        }
        solve(luO, m, pvO, dxO);
        state = 2 - 2 * lineSearch(bo, m, eO, yO, fyO, rO, dxO, ytO, rtO);
        rn = maxAbs(rO, m);
      }
    }
    int result = -1;
    if (state == 1) {
      for (int a = 0; a < m; a++) {
        int k = sccNodes[first + a];
        double y = vec[yO + a];
        xv[xo + k] = y;
        hv[xo + k] = act(y);
      }
      result = it;
    }
    return result;
  }

  /**
   * Backtracking from y along dx until 0.5 |r|^2 decreases enough (Armijo); on success y and r hold
   * the new iterate. Returns 1 on success, 0 if no step length of at most 30 halvings works.
   */
  private int lineSearch(int bo, int m, int eO, int yO, int fyO, int rO, int dxO, int ytO, int rtO) {
    double phi = sumSq(rO, m);
    double t = 1.0;
    int ls = 0;
    int accepted = 0;
    while (accepted == 0 && ls < MAX_HALVINGS) {
      for (int a = 0; a < m; a++) {
        vec[ytO + a] = vec[yO + a] + t * vec[dxO + a];
      }
      residual(bo, m, eO, ytO, fyO, rtO);
      if (sumSq(rtO, m) <= (1.0 - 2 * ARMIJO * t) * phi) {
        accepted = 1;
      }
      t *= 0.5;
      ls++;
    }
    if (accepted == 1) {
      for (int a = 0; a < m; a++) {
        vec[yO + a] = vec[ytO + a];
        vec[rO + a] = vec[rtO + a];
      }
    }
    return accepted;
  }

  private void adjointItem(int gid) {
    int dm = gid / samples;
    int smp = gid - dm * samples;
    if (info[gid * INFO] == 0) {
      int mod = devModules[dm];
      int xo = smp * nodes;
      int sStart = moduleSccStart[mod];
      int s = moduleSccStart[mod + 1] - 1;
      int singular = 0;
      while (s >= sStart) {
        int first = sccStart[s];
        if (blockOffset[s] < 0) {
          int k = sccNodes[first];
          double acc = gv[xo + k];
          for (int q = outStart[k]; q < outStart[k + 1]; q++) {
            acc += outW[q] * lam[xo + outDst[q]];
          }
          lam[xo + k] = dact(xv[xo + k]) * acc;
        } else {
          singular += adjointBlock(s, first, sccStart[s + 1] - first, xo, smp);
        }
        s--;
      }
      info[gid * INFO + 3] = singular;
    }
  }

  /** Adjoint of cyclic SCC s with J^T refactored at x; returns 1 if J was singular (rhs kept). */
  private int adjointBlock(int s, int first, int m, int xo, int smp) {
    int eO = smp * VECS * nodes + first;
    int yO = eO + nodes;
    int luO = smp * luStride + devLuOffset[s];
    int pvO = smp * pivStride + devPivOffset[s];
    for (int a = 0; a < m; a++) {
      int k = sccNodes[first + a];
      double acc = gv[xo + k];
      for (int q = outStart[k]; q < outStart[k + 1]; q++) {
        int l = outDst[q];
        if (sccOf[l] != s) {
          acc += outW[q] * lam[xo + l];
        }
      }
      vec[eO + a] = dact(xv[xo + k]) * acc;
      vec[yO + a] = xv[xo + k];
    }
    jacobian(blockOffset[s], m, yO, luO);
    int singular = 1;
    if (factor(luO, m, pvO) == 1) {
      solveTransposed(luO, m, pvO, eO);
      singular = 0;
    }
    for (int a = 0; a < m; a++) {
      lam[xo + sccNodes[first + a]] = vec[eO + a];
    }
    return singular;
  }

  /** r = y - e - M f(y) into vec[rO..). */
  private void residual(int bo, int m, int eO, int yO, int fyO, int rO) {
    for (int b = 0; b < m; b++) {
      vec[fyO + b] = act(vec[yO + b]);
    }
    for (int a = 0; a < m; a++) {
      double s = vec[yO + a] - vec[eO + a];
      int ro = bo + a * m;
      for (int b = 0; b < m; b++) {
        s -= blocks[ro + b] * vec[fyO + b];
      }
      vec[rO + a] = s;
    }
  }

  /** max |v|, or HUGE if anything is NaN or infinite. */
  private double maxAbs(int o, int m) {
    double n = 0.0;
    int bad = 0;
    for (int a = 0; a < m; a++) {
      double v = abs(vec[o + a]);
      if (v != v || v > HUGE) {
        bad = 1;
      } else if (v > n) {
        n = v;
      }
    }
    if (bad == 1) {
      n = HUGE;
    }
    return n;
  }

  private double sumSq(int o, int m) {
    double s = 0.0;
    for (int a = 0; a < m; a++) {
      s += vec[o + a] * vec[o + a];
    }
    return s;
  }

  /** J = I - M diag(f'(y)) into lu[luO..). */
  private void jacobian(int bo, int m, int yO, int luO) {
    for (int b = 0; b < m; b++) {
      double d = dact(vec[yO + b]);
      for (int a = 0; a < m; a++) {
        double id = 0.0;
        if (a == b) {
          id = 1.0;
        }
        lu[luO + a * m + b] = id - blocks[bo + a * m + b] * d;
      }
    }
  }

  /** In-place LU with partial pivoting, as DenseLU.factor; returns 0 if numerically singular. */
  private int factor(int off, int n, int pOff) {
    double scale = 0.0;
    for (int i = 0; i < n * n; i++) {
      scale = max(scale, abs(lu[off + i]));
    }
    int ok = 0;
    if (scale > 0.0 && scale <= HUGE) {
      ok = 1;
    }
    double tiny = SINGULAR_RELATIVE * scale;
    int col = 0;
    while (ok == 1 && col < n) {
      int best = col;
      double bestAbs = abs(lu[off + col * n + col]);
      for (int r = col + 1; r < n; r++) {
        double v = abs(lu[off + r * n + col]);
        if (v > bestAbs) {
          bestAbs = v;
          best = r;
        }
      }
      piv[pOff + col] = best;
      if (bestAbs > tiny) {
        int co = off + col * n;
        if (best != col) {
          int ro = off + best * n;
          for (int c = 0; c < n; c++) {
            double t = lu[ro + c];
            lu[ro + c] = lu[co + c];
            lu[co + c] = t;
          }
        }
        double inv = 1.0 / lu[co + col];
        for (int r = col + 1; r < n; r++) {
          int ro = off + r * n;
          double l = lu[ro + col] * inv;
          lu[ro + col] = l;
          if (l != 0.0) {
            for (int c = col + 1; c < n; c++) {
              lu[ro + c] -= l * lu[co + c];
            }
          }
        }
        col++;
      } else {
        ok = 0;
      }
    }
    return ok;
  }

  /** Solves A z = b in place of vec[bO..). */
  private void solve(int off, int n, int pOff, int bO) {
    for (int i = 0; i < n; i++) {
      int p = piv[pOff + i];
      if (p != i) {
        double t = vec[bO + i];
        vec[bO + i] = vec[bO + p];
        vec[bO + p] = t;
      }
    }
    for (int i = 0; i < n; i++) {
      double s = vec[bO + i];
      int ro = off + i * n;
      for (int c = 0; c < i; c++) {
        s -= lu[ro + c] * vec[bO + c];
      }
      vec[bO + i] = s;
    }
    for (int i = n - 1; i >= 0; i--) {
      double s = vec[bO + i];
      int ro = off + i * n;
      for (int c = i + 1; c < n; c++) {
        s -= lu[ro + c] * vec[bO + c];
      }
      vec[bO + i] = s / lu[ro + i];
    }
  }

  /** Solves A^T z = b in place of vec[bO..). */
  private void solveTransposed(int off, int n, int pOff, int bO) {
    for (int i = 0; i < n; i++) {
      double s = vec[bO + i];
      for (int r = 0; r < i; r++) {
        s -= lu[off + r * n + i] * vec[bO + r];
      }
      vec[bO + i] = s / lu[off + i * n + i];
    }
    for (int i = n - 1; i >= 0; i--) {
      double s = vec[bO + i];
      for (int r = i + 1; r < n; r++) {
        s -= lu[off + r * n + i] * vec[bO + r];
      }
      vec[bO + i] = s;
    }
    for (int i = n - 1; i >= 0; i--) {
      int p = piv[pOff + i];
      if (p != i) {
        double t = vec[bO + i];
        vec[bO + i] = vec[bO + p];
        vec[bO + p] = t;
      }
    }
  }
}
