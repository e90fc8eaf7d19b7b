package org.neuralmodules.backend;

import org.neuralmodules.graph.GraphPlan;
import org.neuralmodules.model.Network;
import org.neuralmodules.model.ParamLayout;
import org.neuralmodules.solve.NodeSolver;
import org.neuralmodules.solve.SolveStats;
import org.neuralmodules.solve.Workspace;

/**
 * Solves the samples of a batch on CPU threads: each worker takes a contiguous range of samples
 * and, per sample, every module in turn, with its own {@link Workspace}. Forward and adjoint of a
 * sample run back to back so the adjoint reuses the forward's LU factors without storing them for
 * the whole batch.
 */
public final class CpuBackend implements SolverBackend {
  private final NodeSolver solver;
  private final Parallel parallel;
  private final Workspace[] workspaces;
  private final SolveStats[] partial;

  public CpuBackend(NodeSolver solver, int threads) {
    this.solver = solver;
    this.parallel = new Parallel(threads);
    this.workspaces = new Workspace[parallel.threads()];
    this.partial = new SolveStats[parallel.threads()];
    for (int t = 0; t < workspaces.length; t++) {
      workspaces[t] = new Workspace();
      partial[t] = new SolveStats();
    }
  }

  @Override
  public String describe() {
    return "CPU (" + parallel.threads() + (parallel.threads() == 1 ? " thread)" : " threads)");
  }

  @Override
  public Parallel parallel() {
    return parallel;
  }

  @Override
  public void forward(Network net, GraphPlan plan, BatchBuffers b, int n, SolveStats stats) {
    run(net, plan, null, b, n, stats);
  }

  @Override
  public void forwardAdjoint(Network net, GraphPlan plan, OutputHead head, BatchBuffers b, int n,
      SolveStats stats) {
    run(net, plan, head, b, n, stats);
  }

  private void run(Network net, GraphPlan plan, OutputHead head, BatchBuffers b, int n, SolveStats stats) {
    for (SolveStats s : partial) {
      s.clear();
    }
    double[] theta = net.theta();
    ParamLayout layout = net.layout();
    int p = layout.nodes();
    int c = layout.outputs();
    b.prepareInputs(theta, layout, parallel);
    parallel.forRange(n, (from, to, worker) -> {
      Workspace ws = workspaces[worker];
      SolveStats st = partial[worker];
      for (int s = from; s < to; s++) {
        Parallel.checkInterrupted(); // Stop within one sample's solve, in workers and the caller
        b.preActivation(theta, layout, s, b.x, s * p);
        solver.forward(plan, b.x, s * p, b.h, s * p, ws, st, head != null);
        if (head != null) {
          b.loss[s] = head.lossAndGradient(theta, layout, b.h, s * p, b.target[s], b.delta, s * c, b.g, s * p);
          scale(b, s, p, c);
          solver.adjoint(plan, b.x, s * p, b.g, s * p, b.lambda, s * p, ws, st);
        }
      }
    });
    for (SolveStats s : partial) {
      stats.add(s);
    }
  }

  /** Instance weight: the loss and every gradient of the sample scale with it. */
  public static void scale(BatchBuffers b, int s, int p, int c) {
    double w = b.weight[s];
    if (w == 1.0) {
      return;
    }
    b.loss[s] *= w;
    for (int o = 0; o < c; o++) {
      b.delta[s * c + o] *= w;
    }
    for (int k = 0; k < p; k++) {
      b.g[s * p + k] *= w;
    }
  }

  /** c_k = w_kk + sum_i U_ik x0_i. */
  public static void preActivation(double[] theta, ParamLayout layout, double[] x0, int xo, double[] out, int oo) {
    int p = layout.nodes();
    int d = layout.inputs();
    for (int k = 0; k < p; k++) {
      out[oo + k] = theta[layout.w(k, k)];
    }
    // Four inputs per pass over out (one load/store of out[k] instead of four); the additions
    // keep their order i = 0, 1, 2, ... for every k.
    int i = 0;
    for (; i + 3 < d; i += 4) {
      double v0 = x0[xo + i];
      double v1 = x0[xo + i + 1];
      double v2 = x0[xo + i + 2];
      double v3 = x0[xo + i + 3];
      int u0 = layout.u(i, 0);
      int u1 = u0 + p;
      int u2 = u1 + p;
      int u3 = u2 + p;
      for (int k = 0; k < p; k++) {
        double t = out[oo + k];
        t += v0 * theta[u0 + k];
        t += v1 * theta[u1 + k];
        t += v2 * theta[u2 + k];
        t += v3 * theta[u3 + k];
        out[oo + k] = t;
      }
    }
    for (; i < d; i++) {
      double v = x0[xo + i];
      int uo = layout.u(i, 0);
      for (int k = 0; k < p; k++) {
        out[oo + k] += v * theta[uo + k];
      }
    }
  }


  @Override
  public void close() {
    parallel.close();
  }
}
