package org.neuralmodules.bench;

import java.util.Locale;
import java.util.Random;
import org.neuralmodules.backend.BatchBuffers;
import org.neuralmodules.backend.CpuBackend;
import org.neuralmodules.backend.Parallel;
import org.neuralmodules.config.Activation;
import org.neuralmodules.config.Structure;
import org.neuralmodules.graph.GraphPlan;
import org.neuralmodules.model.ParamLayout;
import org.neuralmodules.solve.NodeSolver;
import org.neuralmodules.solve.SolveStats;
import org.neuralmodules.solve.Workspace;
import org.neuralmodules.train.Gradients;

/**
 * Kernel micro-benchmarks (item 5), hand-rolled rather than JMH to keep the bench profile free of
 * annotation processing: each kernel is warmed up, then timed in several rounds of at least
 * {@link #ROUND_NANOS}; the median round is reported (min in brackets shows the noise).
 */
public final class Kernels {
  private Kernels() {}

  static final long ROUND_NANOS = 200_000_000L;
  static final int ROUNDS = 7;

  /** Median and minimum seconds per call. */
  record Timing(double median, double min) {}

  interface Body {
    void run(int rep);
  }

  static volatile double sink;

  static Timing time(Body body) {
    // warm-up: at least one round's worth of calls so C2 has compiled the kernel
    int calls = 1;
    long t;
    while (true) {
      long t0 = System.nanoTime();
      for (int i = 0; i < calls; i++) {
        body.run(i);
      }
      t = System.nanoTime() - t0;
      if (t >= ROUND_NANOS) {
        break;
      }
      calls = (int) Math.min(Integer.MAX_VALUE / 2, Math.max(calls * 2L, calls * (ROUND_NANOS * 11 / 10) / Math.max(1, t)));
    }
    double[] per = new double[ROUNDS];
    for (int r = 0; r < ROUNDS; r++) {
      long t0 = System.nanoTime();
      for (int i = 0; i < calls; i++) {
        body.run(i);
      }
      per[r] = (System.nanoTime() - t0) / 1e9 / calls;
    }
    java.util.Arrays.sort(per);
    return new Timing(per[ROUNDS / 2], per[0]);
  }

  /** All kernel tables as markdown. */
  public static String runAll(boolean quick) {
    StringBuilder md = new StringBuilder();
    md.append(solveTable(quick ? new int[] {5, 10, 20, 50, 100} : new int[] {5, 10, 20, 50, 100, 200, 300}));
    md.append('\n').append(planTable(quick ? new int[] {100, 300, 1000, 3000} : new int[] {100, 300, 1000, 3000, 10000}));
    md.append('\n').append(denseTable(new int[] {100, 300, 1000, 3000}));
    return md.toString();
  }

  /** Forward + adjoint of one sample through one dense cyclic module of m nodes. */
  static String solveTable(int[] sizes) {
    StringBuilder sb = new StringBuilder();
    sb.append("### Forward + adjoint solve per (sample, module)\n\n");
    sb.append("One cyclic module of m nodes with every edge active (worst case: one m x m LU per Newton "
        + "iteration plus one at the solution), W_jk ~ N(0, (0.5/sqrt m)^2), tanh, inputs c ~ N(0, 1), "
        + "256 different samples cycled, tolerance 1e-8. One thread.\n\n");
    sb.append("| module size m | us per (sample, module) | min | Newton iterations / solve | LU GFLOP/s (2/3 m^3 per factorisation) |\n");
    sb.append("|---:|---:|---:|---:|---:|\n");
    for (int m : sizes) {
      Random rnd = new Random(m);
      double[] w = new double[m * m];
      double sd = 0.5 / Math.sqrt(m);
      for (int j = 0; j < m; j++) {
        for (int k = 0; k < m; k++) {
          w[j * m + k] = j == k ? 0.1 * rnd.nextGaussian() : sd * rnd.nextGaussian();
        }
      }
      GraphPlan plan = GraphPlan.build(w, 0, m, Structure.GRAPH, 1.0, null);
      int samples = 256;
      double[] c = new double[samples * m];
      double[] g = new double[samples * m];
      for (int i = 0; i < c.length; i++) {
        c[i] = rnd.nextGaussian();
        g[i] = rnd.nextGaussian();
      }
      NodeSolver solver = new NodeSolver(Activation.TANH, 1e-8, 50);
      Workspace ws = new Workspace();
      double[] x = new double[m];
      double[] h = new double[m];
      double[] lambda = new double[m];
      SolveStats st = new SolveStats();
      Timing t = time(rep -> {
        int s = rep % samples;
        System.arraycopy(c, s * m, x, 0, m);
        solver.forward(plan, x, 0, h, 0, ws, st, true);
        solver.adjoint(plan, x, 0, g, s * m, lambda, 0, ws, st);
        sink += lambda[0];
      });
      double iters = st.cyclicSolves == 0 ? 0 : (double) st.newtonIterations / st.cyclicSolves;
      // factorisations per solve: one per Newton iteration plus one at the solution
      double flops = (iters + 1) * 2.0 / 3.0 * m * (double) m * m;
      sb.append(String.format(Locale.ROOT, "| %d | %.2f | %.2f | %.2f | %.2f |%n", m, t.median * 1e6, t.min * 1e6,
          iters, flops / t.median / 1e9));
    }
    return sb.toString();
  }

  /** Threshold (quickselect) + CSR + union-find modules + Tarjan SCCs over p. */
  static String planTable(int[] ps) {
    StringBuilder sb = new StringBuilder();
    sb.append("### Graph plan build (threshold + union-find + SCC) over p\n\n");
    sb.append("GraphPlan.build on random W (N(0, 1/p)) with the fraction 0.005 of the p(p-1) edges active "
        + "(the default -gamma) and with 2/(p-1) (two active in-edges per node on average); this runs once "
        + "per mini-batch. One thread.\n\n");
    sb.append("| p | gamma (fraction) | allowed edges | active edges | ms per build | min | ns per allowed edge | modules | largest SCC |\n");
    sb.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (int p : ps) {
     for (double fraction : new double[] {0.005, 2.0 / (p - 1)}) {
      Random rnd = new Random(p);
      double[] w = new double[p * p];
      for (int i = 0; i < w.length; i++) {
        w[i] = rnd.nextGaussian() / Math.sqrt(p);
      }
      double[] scratch = new double[p * (p - 1)];
      GraphPlan[] last = new GraphPlan[1];
      Timing t = time(rep -> last[0] = GraphPlan.build(w, 0, p, Structure.GRAPH, fraction, scratch));
      GraphPlan plan = last[0];
      sb.append(String.format(Locale.ROOT, "| %d | %.3g | %d | %d | %.3f | %.3f | %.2f | %d | %d |%n", p, fraction,
          plan.allowedEdges, plan.activeEdges, t.median * 1e3, t.min * 1e3, t.median * 1e9 / plan.allowedEdges,
          plan.moduleCount, plan.maxSccSize));
     }
    }
    return sb.toString();
  }

  /** Dense parts: input layer (pre-activation), all-edge gradient, against measured peaks. */
  static String denseTable(int[] ps) {
    int n = 32;
    int d = 64;
    int c = 11;
    StringBuilder sb = new StringBuilder();
    double axpy1 = axpyPeak(1);
    double axpy2 = axpyPeak(2);
    double blocked = blockedPeak(128, n);
    sb.append("### Dense kernels: achieved GFLOP/s against measured peaks\n\n");
    sb.append(String.format(Locale.ROOT, "Shapes of a codon mini-batch: n = %d samples, d = %d inputs, c = %d "
        + "outputs, p nodes. Peaks measured in the same JVM: **L1-resident AXPY** (the inner loop both kernels "
        + "use, `y[k] += a * x[k]` on 512 doubles that stay in L1) = **%.1f GFLOP/s on 1 thread, %.1f on 2**; "
        + "**register-blocked outer product** (4 output rows x 4 samples per pass over 128-wide rows, "
        + "all operands L1-resident: the loop a blocked GEMM micro-kernel would use) = **%.1f GFLOP/s on 1 thread**. Hardware: 2 cores with AVX-512 FMA "
        + "(%s).%n%n", n, d, c, axpy1, axpy2, blocked, BenchMain.cpuModel()));
    sb.append("| p | kernel | flops / call | 1 thread GFLOP/s | 2 threads GFLOP/s | % of AXPY peak (1 t) | % of blocked peak (1 t) |\n");
    sb.append("|---:|---|---:|---:|---:|---:|---:|\n");
    for (int p : ps) {
      ParamLayout l = new ParamLayout(d, p, c);
      Random rnd = new Random(p);
      double[] theta = new double[l.size()];
      for (int i = 0; i < theta.length; i++) {
        theta[i] = rnd.nextGaussian() * 0.1;
      }
      BatchBuffers b = new BatchBuffers(n, d, p, c);
      fill(b.x0, rnd);
      fill(b.h, rnd);
      fill(b.lambda, rnd);
      fill(b.delta, rnd);
      double[] grad = new double[l.size()];
      double gradFlops = 2.0 * n * ((double) d * p + (double) p * p + (double) c * p);
      double preFlops = 2.0 * n * d * p;
      double[] g1 = new double[2];
      double[] pre = new double[2];
      for (int th = 1; th <= 2; th++) {
        try (Parallel par = new Parallel(th)) {
          Timing t = time(rep -> Gradients.compute(b, n, l, Structure.GRAPH, grad, par));
          g1[th - 1] = gradFlops / t.median / 1e9;
          Timing tp = time(rep -> par.forRange(n, (from, to, worker) -> {
            for (int s = from; s < to; s++) {
              CpuBackend.preActivation(theta, l, b.x0, s * d, b.x, s * p);
            }
          }));
          pre[th - 1] = preFlops / tp.median / 1e9;
        }
      }
      sb.append(String.format(Locale.ROOT, "| %d | all-edge gradient (U, W, V: X0'L, H'L, D'H) | %.3g | %.2f | %.2f | %.0f%% | %.0f%% |%n",
          p, gradFlops, g1[0], g1[1], 100 * g1[0] / axpy1, 100 * g1[0] / blocked));
      sb.append(String.format(Locale.ROOT, "| %d | input layer c = b + U'x0 (per batch) | %.3g | %.2f | %.2f | %.0f%% | %.0f%% |%n",
          p, preFlops, pre[0], pre[1], 100 * pre[0] / axpy1, 100 * pre[0] / blocked));
    }
    return sb.toString();
  }

  private static void fill(double[] a, Random rnd) {
    for (int i = 0; i < a.length; i++) {
      a[i] = rnd.nextGaussian();
    }
  }

  /** y[k] += a * x[k] on 512 L1-resident doubles per thread. */
  static double axpyPeak(int threads) {
    int len = 512;
    double[][] xs = new double[threads][len];
    double[][] ys = new double[threads][len];
    int inner = 4096; // long enough per task that the fork/join cost of Parallel is negligible
    try (Parallel par = new Parallel(threads)) {
      Timing t = time(rep -> par.forRange(threads, (from, to, worker) -> {
        for (int q = from; q < to; q++) {
          double[] x = xs[q];
          double[] y = ys[q];
          for (int r = 0; r < inner; r++) {
            double a = 1e-9 * (r + 1);
            for (int k = 0; k < len; k++) {
              y[k] += a * x[k];
            }
          }
        }
      }));
      return 2.0 * len * inner * threads / t.median / 1e9;
    }
  }

  /** out[j][k] += sum_s a[s][j] * m[s][k] with 4 x 4 register blocking (rows j, samples s). */
  static double blockedPeak(int p, int n) {
    int rows = 8; // 8 x 128 outputs and 32 x 128 inputs: everything stays in L1
    double[] a = new double[n * rows];
    double[] m = new double[n * p];
    double[] out = new double[rows * p];
    Random rnd = new Random(3);
    fill(a, rnd);
    fill(m, rnd);
    Timing t = time(rep -> {
      for (int j = 0; j < rows; j += 4) {
        for (int s = 0; s < n; s += 4) {
          double a00 = a[s * rows + j], a01 = a[s * rows + j + 1], a02 = a[s * rows + j + 2], a03 = a[s * rows + j + 3];
          double a10 = a[(s + 1) * rows + j], a11 = a[(s + 1) * rows + j + 1], a12 = a[(s + 1) * rows + j + 2], a13 = a[(s + 1) * rows + j + 3];
          double a20 = a[(s + 2) * rows + j], a21 = a[(s + 2) * rows + j + 1], a22 = a[(s + 2) * rows + j + 2], a23 = a[(s + 2) * rows + j + 3];
          double a30 = a[(s + 3) * rows + j], a31 = a[(s + 3) * rows + j + 1], a32 = a[(s + 3) * rows + j + 2], a33 = a[(s + 3) * rows + j + 3];
          int m0 = s * p;
          int m1 = m0 + p;
          int m2 = m1 + p;
          int m3 = m2 + p;
          int o0 = j * p;
          int o1 = o0 + p;
          int o2 = o1 + p;
          int o3 = o2 + p;
          for (int k = 0; k < p; k++) {
            double v0 = m[m0 + k];
            double v1 = m[m1 + k];
            double v2 = m[m2 + k];
            double v3 = m[m3 + k];
            out[o0 + k] += a00 * v0 + a10 * v1 + a20 * v2 + a30 * v3;
            out[o1 + k] += a01 * v0 + a11 * v1 + a21 * v2 + a31 * v3;
            out[o2 + k] += a02 * v0 + a12 * v1 + a22 * v2 + a32 * v3;
            out[o3 + k] += a03 * v0 + a13 * v1 + a23 * v2 + a33 * v3;
          }
        }
      }
      sink += out[rep % out.length];
    });
    return 2.0 * rows * n * p / t.median / 1e9;
  }
}
