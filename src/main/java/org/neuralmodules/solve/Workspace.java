package org.neuralmodules.solve;

import org.neuralmodules.graph.GraphPlan;

/**
 * Scratch memory of one worker thread: the solver never allocates per sample. Grows to fit the
 * plan it is handed; {@code lu}/{@code luPivots} hold the factors of every cyclic SCC of the
 * current sample between its forward and adjoint solves.
 */
public final class Workspace {
  double[] e = new double[0];
  double[] y = new double[0];
  double[] fy = new double[0];
  double[] r = new double[0];
  double[] dx = new double[0];
  double[] yt = new double[0];
  double[] rt = new double[0];
  double[] best = new double[0];
  double[] jac = new double[0];
  int[] piv = new int[0];
  double[] lu = new double[0];
  int[] luPivots = new int[0];
  boolean[] factorOk = new boolean[0];
  /** Per SCC of the current sample: its forward solve was the matrix-free fixed point. */
  boolean[] iterative = new boolean[0];

  /** Makes room for the plan; {@code keepFactors} adds storage for all cyclic SCC factors. */
  public void ensure(GraphPlan plan, boolean keepFactors) {
    int m = plan.maxSccSize;
    if (e.length < m) {
      e = new double[m];
      y = new double[m];
      fy = new double[m];
      r = new double[m];
      dx = new double[m];
      yt = new double[m];
      rt = new double[m];
      best = new double[m];
      piv = new int[m];
    }
    if (jac.length < m * m) {
      jac = new double[m * m];
    }
    if (iterative.length < plan.sccCount) {
      iterative = new boolean[plan.sccCount];
    }
    if (keepFactors) {
      if (lu.length < plan.totalBlockSize) {
        lu = new double[plan.totalBlockSize];
      }
      if (luPivots.length < plan.totalPivotSize) {
        luPivots = new int[plan.totalPivotSize];
      }
      if (factorOk.length < plan.sccCount) {
        factorOk = new boolean[plan.sccCount];
      }
    }
  }

  /** Bytes a workspace needs for the worst plan of p nodes. */
  public static long worstCaseBytes(int p, boolean keepFactors) {
    long m = p;
    long b = 8L * (8 * m + m * m) + 4L * m;
    return keepFactors ? b + 8L * m * m + 4L * m + m : b;
  }
}
