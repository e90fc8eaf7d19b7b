package org.neuralmodules.solve;

import java.util.concurrent.CancellationException;
import org.neuralmodules.config.Activation;
import org.neuralmodules.graph.GraphPlan;

/**
 * Solves the node system x = c + A^T f(x) of one sample (A = active edges of a {@link GraphPlan})
 * and its adjoint (I - diag(f'(x)) A) lambda = diag(f'(x)) g.
 *
 * <p>SCCs are visited in topological order: an acyclic SCC (one node) is evaluated exactly, a cyclic
 * one is solved by damped Newton with dense LU, starting from its input-only value. If Newton
 * stalls, a damped fixed-point iteration takes over from the best iterate; if that fails too, the
 * lowest-residual iterate is kept. Every outcome is counted in {@link SolveStats}.
 *
 * <p>Stateless apart from its settings: safe to share between threads, each with its own
 * {@link Workspace}.
 */
public final class NodeSolver {
  private static final double ARMIJO = 1e-4;
  private static final int MAX_HALVINGS = 30;
  private static final double FALLBACK_DAMPING = 0.5;
  private static final int PICARD_BURST = 20;
  /** Newton runs per system at most: the first plus two restarts from saturated states. */
  public static final int NEWTON_RUNS = 3;

  /**
   * Cyclic SCCs larger than this, and sparse (fewer than m^2/4 internal edges), are first solved
   * matrix-free by fixed-point iteration, O(edges) per step instead of Newton's O(m^3) LU: at
   * -H 3000 one dense LU takes seconds per sample. Newton remains the fallback. 64 matches the
   * largest SCC the OpenCL kernel solves with Newton, so both backends agree on smaller ones.
   */
  public static final int ITERATIVE_MIN_SIZE = 64;

  private final Activation act;
  private final double tol;
  private final int maxIter;
  private final int iterativeMinSize;

  public NodeSolver(Activation act, double tolerance, int maxIterations) {
    this(act, tolerance, maxIterations, ITERATIVE_MIN_SIZE);
  }

  /** @param iterativeMinSize SCCs above this size try the matrix-free path first (tests lower it) */
  public NodeSolver(Activation act, double tolerance, int maxIterations, int iterativeMinSize) {
    this.act = act;
    this.tol = tolerance;
    this.maxIter = maxIterations;
    this.iterativeMinSize = iterativeMinSize;
  }

  public Activation activation() { return act; }
  public double tolerance() { return tol; }
  public int maxIterations() { return maxIter; }

  /**
   * Forward solve. On entry {@code x[xo..xo+p)} holds the pre-activation c (bias + input part);
   * on exit it holds the node values and {@code h[ho..ho+p)} holds f(x).
   *
   * @param keepFactors factor the Jacobian of every cyclic SCC at the solution into the workspace,
   *                    for a following {@link #adjoint} call on the same sample
   */
  public void forward(GraphPlan plan, double[] x, int xo, double[] h, int ho, Workspace ws,
      SolveStats stats, boolean keepFactors) {
    forwardSccs(plan, 0, plan.sccCount, x, xo, h, ho, ws, stats, keepFactors);
  }

  /**
   * {@link #forward} restricted to SCCs [from, to), e.g. one module
   * ({@code plan.moduleSccStart[m] .. plan.moduleSccStart[m + 1]}): only their nodes are read as
   * pre-activations and written; their inputs from earlier SCCs must already be in {@code h}.
   */
  public void forwardSccs(GraphPlan plan, int from, int to, double[] x, int xo, double[] h, int ho,
      Workspace ws, SolveStats stats, boolean keepFactors) {
    ws.ensure(plan, keepFactors);
    for (int s = from; s < to; s++) {
      if (!plan.isCyclic(s)) {
        int k = plan.sccNodes[plan.sccStart[s]];
        double sum = x[xo + k];
        for (int e = plan.inStart[k]; e < plan.inStart[k + 1]; e++) {
          sum += plan.inW[e] * h[ho + plan.inSrc[e]];
        }
        x[xo + k] = sum;
        h[ho + k] = act.f(sum);
      } else {
        solveCyclic(plan, s, x, xo, h, ho, ws, stats, keepFactors);
      }
    }
  }

  private void solveCyclic(GraphPlan plan, int s, double[] x, int xo, double[] h, int ho,
      Workspace ws, SolveStats stats, boolean keepFactors) {
    int m = plan.sccSize(s);
    int first = plan.sccStart[s];
    int bo = plan.blockOffset[s];
    double[] blk = plan.blocks;
    double[] e = ws.e;
    double[] y = ws.y;
    for (int a = 0; a < m; a++) {
      int k = plan.sccNodes[first + a];
      double sum = x[xo + k];
      for (int q = plan.inStart[k]; q < plan.inStart[k + 1]; q++) {
        int j = plan.inSrc[q];
        if (plan.sccOf[j] != s) {
          sum += plan.inW[q] * h[ho + j];
        }
      }
      e[a] = sum;
      y[a] = sum;
    }
    ws.iterative[s] = false;
    if (m > iterativeMinSize && internalEdges(plan, s) < (long) m * m / 4
        && fixedPoint(plan, s, ws, stats)) {
      for (int a = 0; a < m; a++) {
        int k = plan.sccNodes[first + a];
        x[xo + k] = y[a];
        h[ho + k] = act.f(y[a]);
      }
      ws.iterative[s] = true;
      if (keepFactors) {
        ws.factorOk[s] = false; // the adjoint iterates too; no O(m^3) factorisation
      }
      return;
    }
    System.arraycopy(e, 0, y, 0, m);
    System.arraycopy(y, 0, ws.best, 0, m);
    double[] bestRn = {residual(blk, bo, m, e, y, ws.fy, ws.r)};
    int[] iterations = {0};
    boolean converged = newtonWithFallback(blk, bo, m, e, ws, bestRn, iterations);
    boolean usedFallback = !converged || iterations[0] < 0;
    // Stiff systems (large weights) can trap Newton away from every solution while a solution
    // exists near a saturated state: restart from y = e + M f(+-inf) with the signs of the best
    // iterate, then of e (bounded activations only).
    for (int restart = 0; !converged && restart < NEWTON_RUNS - 1 && act.bounded(); restart++) {
      double[] signs = restart == 0 ? ws.best : e;
      for (int b = 0; b < m; b++) {
        ws.fy[b] = act.saturation(signs[b]);
      }
      for (int a = 0; a < m; a++) {
        double v = e[a];
        for (int b = 0; b < m; b++) {
          v += blk[bo + a * m + b] * ws.fy[b];
        }
        y[a] = v;
      }
      double startRn = residual(blk, bo, m, e, y, ws.fy, ws.r);
      double[] restartBest = {startRn};
      double[] keep = ws.best.clone();
      System.arraycopy(y, 0, ws.best, 0, m);
      converged = newtonWithFallback(blk, bo, m, e, ws, restartBest, iterations);
      if (converged || restartBest[0] < bestRn[0]) {
        bestRn[0] = restartBest[0];
      } else {
        System.arraycopy(keep, 0, ws.best, 0, m);
      }
    }
    if (!converged) {
      // Last resort: a long damped fixed-point run from the best iterate.
      System.arraycopy(ws.best, 0, y, 0, m);
      picard(blk, bo, m, e, ws, fallbackBudget(), 0.0);
      bestRn[0] = residual(blk, bo, m, e, ws.best, ws.fy, ws.r);
      converged = bestRn[0] <= tol * (1.0 + maxAbs(ws.best, m));
    }
    System.arraycopy(ws.best, 0, y, 0, m);
    int it = Math.abs(iterations[0]);
    SolveStatus status = !converged ? SolveStatus.FAILED
        : usedFallback ? SolveStatus.FALLBACK_CONVERGED : SolveStatus.CONVERGED;
    stats.record(status, it, bestRn[0]);
    for (int a = 0; a < m; a++) {
      int k = plan.sccNodes[first + a];
      x[xo + k] = y[a];
      h[ho + k] = act.f(y[a]);
    }
    if (keepFactors) {
      jacobian(blk, bo, m, y, ws.lu, bo);
      ws.factorOk[s] = DenseLU.factor(ws.lu, bo, m, ws.luPivots, plan.pivotOffset[s]);
    }
  }

  private static long internalEdges(GraphPlan plan, int s) {
    long n = 0;
    for (int i = plan.sccStart[s]; i < plan.sccStart[s + 1]; i++) {
      int k = plan.sccNodes[i];
      for (int q = plan.inStart[k]; q < plan.inStart[k + 1]; q++) {
        if (plan.sccOf[plan.inSrc[q]] == s) {
          n++;
        }
      }
    }
    return n;
  }

  /**
   * Matrix-free fixed point y <- e + A_SS^T f(y) on the SCC's sparse edges, from y = e (ws.e,
   * ws.y). Converges when the SCC's map is a contraction, as it is at initialisation and for
   * regularised weights. Records a converged solve; returns false (nothing recorded) when it does
   * not converge, and the caller falls back to Newton.
   */
  private boolean fixedPoint(GraphPlan plan, int s, Workspace ws, SolveStats stats) {
    int m = plan.sccSize(s);
    int first = plan.sccStart[s];
    double[] y = ws.y;
    double[] next = ws.yt;
    System.arraycopy(ws.e, 0, y, 0, m);
    double bestRn = Double.POSITIVE_INFINITY;
    int sinceBest = 0;
    int cap = fallbackBudget();
    for (int it = 1; it <= cap; it++) {
      for (int b = 0; b < m; b++) {
        ws.fy[b] = act.f(y[b]);
      }
      double rn = 0;
      double yn = 0;
      for (int a = 0; a < m; a++) {
        int k = plan.sccNodes[first + a];
        double v = ws.e[a];
        for (int q = plan.inStart[k]; q < plan.inStart[k + 1]; q++) {
          int j = plan.inSrc[q];
          if (plan.sccOf[j] == s) {
            v += plan.inW[q] * ws.fy[plan.localIndex[j]];
          }
        }
        next[a] = v;
        rn = Math.max(rn, Math.abs(y[a] - v)); // |R(y)|_inf of the current iterate
        yn = Math.max(yn, Math.abs(y[a]));
      }
      if (!(rn < Double.POSITIVE_INFINITY)) {
        return false;
      }
      if (rn <= tol * (1.0 + yn)) {
        stats.record(SolveStatus.CONVERGED, 0, rn);
        stats.iterativeSolves++;
        return true;
      }
      if (rn < 0.999 * bestRn) {
        bestRn = rn;
        sinceBest = 0;
      } else if (++sinceBest > 20) {
        return false; // not contracting: let Newton try
      }
      System.arraycopy(next, 0, y, 0, m);
      if ((it & 63) == 0 && Thread.currentThread().isInterrupted()) {
        throw new CancellationException("solve interrupted");
      }
    }
    return false;
  }

  /**
   * Matrix-free adjoint lambda <- rhs + D A_SS lambda for an SCC whose forward solve iterated
   * (ws.e holds rhs on entry and lambda on exit). Its rate is the forward map's contraction rate.
   *
   * @return whether it met a tight tolerance (1e-3 of the forward tolerance, relative)
   */
  private boolean iterativeAdjoint(GraphPlan plan, int s, double[] x, int xo, double[] lambda, int lo,
      Workspace ws) {
    int m = plan.sccSize(s);
    int first = plan.sccStart[s];
    double[] rhs = ws.e;
    double[] cur = ws.y;
    double[] next = ws.yt;
    for (int a = 0; a < m; a++) {
      ws.fy[a] = act.df(x[xo + plan.sccNodes[first + a]]);
      ws.r[a] = rhs[a];
      cur[a] = rhs[a];
    }
    double target = 1e-3 * tol;
    int cap = fallbackBudget();
    for (int it = 0; it < cap; it++) {
      double change = 0;
      double norm = 0;
      for (int a = 0; a < m; a++) {
        int k = plan.sccNodes[first + a];
        double acc = 0;
        for (int q = plan.outStart[k]; q < plan.outStart[k + 1]; q++) {
          int l = plan.outDst[q];
          if (plan.sccOf[l] == s) {
            acc += plan.outW[q] * cur[plan.localIndex[l]];
          }
        }
        double v = ws.r[a] + ws.fy[a] * acc;
        next[a] = v;
        change = Math.max(change, Math.abs(v - cur[a]));
        norm = Math.max(norm, Math.abs(v));
      }
      System.arraycopy(next, 0, cur, 0, m);
      if (!(change < Double.POSITIVE_INFINITY)) {
        break;
      }
      if (change <= target * (1.0 + norm)) {
        System.arraycopy(cur, 0, rhs, 0, m);
        return true;
      }
    }
    System.arraycopy(ws.r, 0, rhs, 0, m); // restore rhs for the dense fallback
    return false;
  }

  /**
   * Newton from ws.y (whose residual is in ws.r) with fixed-point bursts when it stalls. Keeps the
   * lowest-residual iterate in ws.best and its residual in bestRn[0]; adds the Newton iterations
   * to iterations[0] and makes it negative once a fallback burst was needed.
   *
   * @return whether the tolerance was met (ws.best is then the solution)
   */
  private boolean newtonWithFallback(double[] blk, int bo, int m, double[] e, Workspace ws, double[] bestRn,
      int[] iterations) {
    double[] y = ws.y;
    double rn = maxAbs(ws.r, m);
    int it = 0;
    boolean stalled = false;
    int picardLeft = fallbackBudget();
    boolean converged = false;
    while (true) {
      if (rn <= tol * (1.0 + maxAbs(y, m))) {
        converged = true;
        break;
      }
      if (it >= maxIter) {
        break;
      }
      if (Thread.currentThread().isInterrupted()) {
        // one LU of a large component can take long: react to a Stop between iterations
        throw new CancellationException("solve interrupted");
      }
      it++;
      if (newtonStep(blk, bo, m, e, ws, rn)) {
        rn = maxAbs(ws.r, m);
      } else {
        // Newton stalled (singular Jacobian or a local minimum of the merit function, typically
        // near a fold): damped fixed-point steps from the best iterate, then Newton again.
        stalled = true;
        if (picardLeft <= 0) {
          break;
        }
        int steps = Math.min(picardLeft, PICARD_BURST);
        picardLeft -= steps;
        System.arraycopy(ws.best, 0, y, 0, m);
        double before = bestRn[0];
        rn = picard(blk, bo, m, e, ws, steps, 0.5 * before);
        // the burst may have stored a better point than its last one
        bestRn[0] = Math.min(bestRn[0], residual(blk, bo, m, e, ws.best, ws.fy, ws.rt));
        if (!(bestRn[0] < before)) {
          break;
        }
      }
      if (rn < bestRn[0]) {
        bestRn[0] = rn;
        System.arraycopy(y, 0, ws.best, 0, m);
      }
    }
    if (converged) {
      bestRn[0] = rn;
      System.arraycopy(y, 0, ws.best, 0, m);
    }
    int total = Math.abs(iterations[0]) + it;
    iterations[0] = stalled || iterations[0] < 0 ? -total : total;
    return converged;
  }

  /**
   * One Newton step with backtracking from ws.y (residual ws.r, max-norm rn). On success ws.y and
   * ws.r hold the new iterate; returns false if the Jacobian is singular or no step decreases the
   * merit 0.5 |R|_2^2 (for which the Newton direction is always a descent direction).
   */
  private boolean newtonStep(double[] blk, int bo, int m, double[] e, Workspace ws, double rn) {
    double[] y = ws.y;
    jacobian(blk, bo, m, y, ws.jac, 0);
    if (!DenseLU.factor(ws.jac, 0, m, ws.piv, 0)) {
      return false;
    }
    for (int a = 0; a < m; a++) {
      ws.dx[a] = -ws.r[a];
    }
    DenseLU.solve(ws.jac, 0, m, ws.piv, 0, ws.dx, 0);
    double phi = sumSq(ws.r, m);
    double t = 1.0;
    for (int ls = 0; ls < MAX_HALVINGS; ls++) {
      for (int a = 0; a < m; a++) {
        ws.yt[a] = y[a] + t * ws.dx[a];
      }
      residual(blk, bo, m, e, ws.yt, ws.fy, ws.rt);
      if (sumSq(ws.rt, m) <= (1.0 - 2 * ARMIJO * t) * phi) {
        System.arraycopy(ws.yt, 0, y, 0, m);
        System.arraycopy(ws.rt, 0, ws.r, 0, m);
        return true;
      }
      t *= 0.5;
    }
    return false;
  }

  /**
   * Damped fixed point y <- y - beta R(y) from ws.y, at most {@code steps} steps or until the
   * residual drops below {@code target} or the tolerance; keeps ws.best / returns the residual of
   * the last iterate (ws.y, ws.r).
   */
  private double picard(double[] blk, int bo, int m, double[] e, Workspace ws, int steps, double target) {
    double[] y = ws.y;
    double rn = residual(blk, bo, m, e, y, ws.fy, ws.r);
    double bestRn = residual(blk, bo, m, e, ws.best, ws.fy, ws.rt);
    for (int it = 0; it < steps; it++) {
      if (rn <= target || rn <= tol * (1.0 + maxAbs(y, m))) {
        break;
      }
      for (int a = 0; a < m; a++) {
        y[a] -= FALLBACK_DAMPING * ws.r[a];
      }
      rn = residual(blk, bo, m, e, y, ws.fy, ws.r);
      if (!Double.isFinite(rn)) {
        break;
      }
      if (rn < bestRn) {
        bestRn = rn;
        System.arraycopy(y, 0, ws.best, 0, m);
      }
    }
    if (!Double.isFinite(rn)) {
      System.arraycopy(ws.best, 0, y, 0, m);
      rn = residual(blk, bo, m, e, y, ws.fy, ws.r);
    }
    return rn;
  }

  private int fallbackBudget() {
    return Math.max(200, 10 * maxIter);
  }

  /** r = y - e - M f(y); returns max |r| (infinite if anything is not finite). */
  private double residual(double[] blk, int bo, int m, double[] e, double[] y, double[] fy, double[] r) {
    for (int b = 0; b < m; b++) {
      fy[b] = act.f(y[b]);
    }
    double n = 0;
    for (int a = 0; a < m; a++) {
      double s = y[a] - e[a];
      int ro = bo + a * m;
      for (int b = 0; b < m; b++) {
        s -= blk[ro + b] * fy[b];
      }
      r[a] = s;
      double abs = Math.abs(s);
      n = abs > n || Double.isNaN(abs) ? abs : n;
    }
    return Double.isNaN(n) ? Double.POSITIVE_INFINITY : n;
  }

  /** J = I - M diag(f'(y)) into out[oo..). */
  private void jacobian(double[] blk, int bo, int m, double[] y, double[] out, int oo) {
    for (int b = 0; b < m; b++) {
      double d = act.df(y[b]);
      for (int a = 0; a < m; a++) {
        out[oo + a * m + b] = (a == b ? 1.0 : 0.0) - blk[bo + a * m + b] * d;
      }
    }
  }

  private static double sumSq(double[] v, int m) {
    double s = 0;
    for (int i = 0; i < m; i++) {
      s += v[i] * v[i];
    }
    return s;
  }

  private static double maxAbs(double[] v, int m) {
    double n = 0;
    for (int i = 0; i < m; i++) {
      n = Math.max(n, Math.abs(v[i]));
    }
    return n;
  }

  /**
   * Adjoint solve for the sample last solved by {@link #forward} with {@code keepFactors} in the
   * same workspace: given g = dL/df(x) in {@code g[go..)}, writes lambda = dL/dc into
   * {@code lambda[lo..)}, so that dL/dw_jk = lambda_k f(x_j), dL/dw_kk = lambda_k and
   * dL/dU_ik = lambda_k x0_i.
   */
  public void adjoint(GraphPlan plan, double[] x, int xo, double[] g, int go, double[] lambda, int lo,
      Workspace ws, SolveStats stats) {
    adjointSccs(plan, 0, plan.sccCount, x, xo, g, go, lambda, lo, ws, stats);
  }

  /**
   * Factors the Jacobian of every cyclic SCC in [from, to) at the node values {@code x[xo..)} into
   * the workspace, as a forward solve with {@code keepFactors} does at its solution: lets a caller
   * run {@link #adjointSccs} later without keeping factors for a whole batch.
   */
  public void factorAt(GraphPlan plan, int from, int to, double[] x, int xo, Workspace ws) {
    ws.ensure(plan, true);
    for (int s = from; s < to; s++) {
      if (plan.isCyclic(s)) {
        int m = plan.sccSize(s);
        int first = plan.sccStart[s];
        for (int a = 0; a < m; a++) {
          ws.y[a] = x[xo + plan.sccNodes[first + a]];
        }
        int bo = plan.blockOffset[s];
        jacobian(plan.blocks, bo, m, ws.y, ws.lu, bo);
        ws.factorOk[s] = DenseLU.factor(ws.lu, bo, m, ws.luPivots, plan.pivotOffset[s]);
      }
    }
  }

  /** {@link #adjoint} restricted to SCCs [from, to) (a module: no edges leave it). */
  public void adjointSccs(GraphPlan plan, int from, int to, double[] x, int xo, double[] g, int go,
      double[] lambda, int lo, Workspace ws, SolveStats stats) {
    for (int s = to - 1; s >= from; s--) {
      if (!plan.isCyclic(s)) {
        int k = plan.sccNodes[plan.sccStart[s]];
        double acc = g[go + k];
        for (int q = plan.outStart[k]; q < plan.outStart[k + 1]; q++) {
          acc += plan.outW[q] * lambda[lo + plan.outDst[q]];
        }
        lambda[lo + k] = act.df(x[xo + k]) * acc;
        continue;
      }
      int m = plan.sccSize(s);
      int first = plan.sccStart[s];
      double[] rhs = ws.e;
      for (int a = 0; a < m; a++) {
        int k = plan.sccNodes[first + a];
        double acc = g[go + k];
        for (int q = plan.outStart[k]; q < plan.outStart[k + 1]; q++) {
          int l = plan.outDst[q];
          if (plan.sccOf[l] != s) {
            acc += plan.outW[q] * lambda[lo + l];
          }
        }
        rhs[a] = act.df(x[xo + k]) * acc;
      }
      if (ws.factorOk[s]) {
        DenseLU.solveTransposed(ws.lu, plan.blockOffset[s], m, ws.luPivots, plan.pivotOffset[s], rhs, 0);
      } else if (ws.iterative[s] && !iterativeAdjoint(plan, s, x, xo, lambda, lo, ws)) {
        // did not contract: factor at the solution after all (rare; costs O(m^3) once)
        factorAt(plan, s, s + 1, x, xo, ws);
        if (ws.factorOk[s]) {
          DenseLU.solveTransposed(ws.lu, plan.blockOffset[s], m, ws.luPivots, plan.pivotOffset[s], rhs, 0);
        } else {
          stats.adjointFailures++;
        }
      } else if (!ws.iterative[s]) {
        stats.adjointFailures++;
      }
      for (int a = 0; a < m; a++) {
        lambda[lo + plan.sccNodes[first + a]] = rhs[a];
      }
    }
  }
}
