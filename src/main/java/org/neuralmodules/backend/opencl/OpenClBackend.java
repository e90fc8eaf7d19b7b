package org.neuralmodules.backend.opencl;

import com.aparapi.Range;
import com.aparapi.device.OpenCLDevice;
import java.util.Arrays;
import org.neuralmodules.backend.BatchBuffers;
import org.neuralmodules.backend.CpuBackend;
import org.neuralmodules.backend.OutputHead;
import org.neuralmodules.backend.Parallel;
import org.neuralmodules.backend.SolverBackend;
import org.neuralmodules.config.Activation;
import org.neuralmodules.graph.GraphPlan;
import org.neuralmodules.model.Network;
import org.neuralmodules.model.ParamLayout;
import org.neuralmodules.solve.NodeSolver;
import org.neuralmodules.solve.SolveStats;
import org.neuralmodules.solve.Workspace;

/**
 * Runs the per-module node solves of a batch as OpenCL kernels through Aparapi: one work-item per
 * (module, sample) for the forward solve, and again for the adjoint (see {@link ModuleSolveKernel}).
 * The host side (CPU threads) computes the pre-activations and the output head, and solves the
 * modules the device should not: those with a strongly connected component larger than
 * {@code maxDeviceScc} nodes, and any (sample, module) whose Newton run did not converge on the
 * device (redone with the full {@link NodeSolver}, fallbacks included, so failures are handled and
 * counted exactly as on the CPU backend).
 *
 * <p>Buffers are reused across batches and transferred explicitly: the plan only when it changes,
 * per batch the pre-activations and output gradients in, node values, adjoints and status out.
 * Large batches run in chunks so the scratch (an LU block per cyclic SCC and sample) stays within
 * {@code scratchBudgetBytes}. Not thread-safe: one backend per training run, as for
 * {@link CpuBackend}.
 */
public final class OpenClBackend implements SolverBackend {
  /** Largest SCC the device solves by default: per-work-item LU gets slow beyond this on GPUs. */
  public static final int DEFAULT_MAX_DEVICE_SCC = 64;
  public static final long DEFAULT_SCRATCH_BUDGET = 256L << 20;
  private static final int LOCAL_SIZE = 64;

  private final NodeSolver solver;
  private final OpenCLDevice device;
  private final int maxDeviceScc;
  private final long scratchBudget;
  private final Parallel parallel;
  private final Workspace[] workspaces;
  private final SolveStats[] partial;
  private final int localSize;
  private ModuleSolveKernel kernel;
  private boolean executed;

  // what the device holds for the current plan
  private GraphPlan uploaded;
  private int[] deviceModules = new int[0];
  private int[] hostModules = new int[0];
  private int luStride;
  private int pivStride;
  /** (sample, module) solves moved to the host because Newton failed on the device. */
  private long hostRedos;
  private long deviceItems;

  public OpenClBackend(NodeSolver solver, int threads, OpenCLDevice device) {
    this(solver, threads, device, DEFAULT_MAX_DEVICE_SCC, DEFAULT_SCRATCH_BUDGET);
  }

  public OpenClBackend(NodeSolver solver, int threads, OpenCLDevice device, int maxDeviceScc, long scratchBudget) {
    this.solver = solver;
    this.device = device;
    this.maxDeviceScc = Math.max(1, maxDeviceScc);
    this.scratchBudget = Math.max(1 << 20, scratchBudget);
    this.parallel = new Parallel(threads);
    this.workspaces = new Workspace[parallel.threads()];
    this.partial = new SolveStats[parallel.threads()];
    for (int t = 0; t < workspaces.length; t++) {
      workspaces[t] = new Workspace();
      partial[t] = new SolveStats();
    }
    this.localSize = Math.max(1, Math.min(LOCAL_SIZE, device.getMaxWorkGroupSize()));
  }

  @Override
  public String describe() {
    return "OpenCL " + OpenClDevices.name(device) + ", modules with SCCs over " + maxDeviceScc
        + " nodes on " + parallel.threads() + " CPU thread" + (parallel.threads() == 1 ? "" : "s");
  }

  @Override
  public Parallel parallel() {
    return parallel;
  }

  /** (sample, module) solves done on the device so far, and those redone on the host. */
  public long deviceItems() {
    return deviceItems;
  }

  public long hostRedos() {
    return hostRedos;
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
    if (kernel == null) {
      kernel = new ModuleSolveKernel();
      kernel.setExplicit(true);
      preferDevice();
    }
    for (SolveStats s : partial) {
      s.clear();
    }
    ParamLayout layout = net.layout();
    int p = layout.nodes();
    prepare(plan, net.activation(), p);
    b.prepareInputs(net.theta(), layout, parallel);
    int chunk = chunkSize(p, n);
    ensureBatch(p, chunk);
    long[] device = new long[3];
    for (int s0 = 0; s0 < n; s0 += chunk) {
      runChunk(net, plan, head, b, s0, Math.min(chunk, n - s0), device);
    }
    for (SolveStats s : partial) {
      stats.add(s);
    }
    stats.cyclicSolves += device[0];
    stats.newtonIterations += device[1];
    stats.adjointFailures += device[2];
  }

  private void runChunk(Network net, GraphPlan plan, OutputHead head, BatchBuffers b, int s0, int cn,
      long[] deviceCounts) {
    ParamLayout layout = net.layout();
    int p = layout.nodes();
    int c = layout.outputs();
    double[] theta = net.theta();
    ModuleSolveKernel k = kernel;
    parallel.forRange(cn, (from, to, w) -> {
      for (int s = from; s < to; s++) {
        b.preActivation(theta, layout, s0 + s, k.pre, s * p);
      }
    });
    int items = deviceModules.length * cn;
    k.samples = cn;
    if (items > 0) {
      k.put(k.pre);
      launch(ModuleSolveKernel.FORWARD, items);
      k.get(k.xv).get(k.hv).get(k.info);
    }
    parallel.forRange(cn, (from, to, w) -> {
      Workspace ws = workspaces[w];
      SolveStats st = partial[w];
      for (int s = from; s < to; s++) {
        int xo = (s0 + s) * p;
        System.arraycopy(k.xv, s * p, b.x, xo, p);
        System.arraycopy(k.hv, s * p, b.h, xo, p);
        for (int m : hostModules) {
          hostForward(plan, m, s, xo, b, ws, st);
        }
        for (int dm = 0; dm < deviceModules.length; dm++) {
          if (k.info[(dm * cn + s) * ModuleSolveKernel.INFO] != 0) {
            hostForward(plan, deviceModules[dm], s, xo, b, ws, st);
          }
        }
      }
    });
    if (head != null) {
      parallel.forRange(cn, (from, to, w) -> {
        for (int s = from; s < to; s++) {
          int g = s0 + s;
          b.loss[g] = head.lossAndGradient(theta, layout, b.h, g * p, b.target[g], b.delta, g * c, b.g, g * p);
          CpuBackend.scale(b, g, p, c);
          System.arraycopy(b.g, g * p, k.gv, s * p, p);
        }
      });
      if (items > 0) {
        k.put(k.gv);
        launch(ModuleSolveKernel.ADJOINT, items);
        k.get(k.lam).get(k.info);
      }
      parallel.forRange(cn, (from, to, w) -> {
        Workspace ws = workspaces[w];
        SolveStats st = partial[w];
        for (int s = from; s < to; s++) {
          int xo = (s0 + s) * p;
          System.arraycopy(k.lam, s * p, b.lambda, xo, p);
          for (int m : hostModules) {
            hostAdjoint(plan, m, xo, b, ws, st);
          }
          for (int dm = 0; dm < deviceModules.length; dm++) {
            if (k.info[(dm * cn + s) * ModuleSolveKernel.INFO] != 0) {
              hostAdjoint(plan, deviceModules[dm], xo, b, ws, st);
            }
          }
        }
      });
    }
    for (int i = 0; i < items; i++) {
      int o = i * ModuleSolveKernel.INFO;
      if (k.info[o] == 0) {
        deviceCounts[0] += k.info[o + 1];
        deviceCounts[1] += k.info[o + 2];
        if (head != null) {
          deviceCounts[2] += k.info[o + 3];
        }
      } else {
        hostRedos++;
      }
    }
    deviceItems += items;
  }

  /** The module's nodes start again from their pre-activations, then the CPU solver runs. */
  private void hostForward(GraphPlan plan, int m, int s, int xo, BatchBuffers b, Workspace ws, SolveStats st) {
    int p = plan.p;
    int from = plan.moduleSccStart[m];
    int to = plan.moduleSccStart[m + 1];
    for (int q = plan.sccStart[from]; q < plan.sccStart[to]; q++) {
      int node = plan.sccNodes[q];
      b.x[xo + node] = kernel.pre[s * p + node];
    }
    solver.forwardSccs(plan, from, to, b.x, xo, b.h, xo, ws, st, false);
  }

  private void hostAdjoint(GraphPlan plan, int m, int xo, BatchBuffers b, Workspace ws, SolveStats st) {
    int from = plan.moduleSccStart[m];
    int to = plan.moduleSccStart[m + 1];
    solver.factorAt(plan, from, to, b.x, xo, ws);
    solver.adjointSccs(plan, from, to, b.x, xo, b.g, xo, b.lambda, xo, ws, st);
  }

  private void launch(int mode, int items) {
    kernel.mode = mode;
    kernel.items = items;
    int global = (int) (((long) items + localSize - 1) / localSize * localSize);
    preferDevice();
    kernel.execute(Range.create(global, localSize));
    executed = true;
    if (!kernel.isRunningCL()) {
      throw new IllegalStateException("The OpenCL kernel did not run on " + OpenClDevices.name(device)
          + ": Aparapi fell back to Java (its log above says why; a device without double precision, "
          + "cl_khr_fp64, or a driver error are typical). Use -device CPU, or another -opencl-device ("
          + OpenClDevices.listing() + ").");
    }
  }

  /**
   * Aparapi picks the device from per-kernel-class preferences; naming the device only in the
   * Range would make its fallback retry that same device. With this device as the only
   * preference, a failure falls back to Java, which {@link #launch} detects through isRunningCL.
   * Set before every launch because another backend may have chosen another device since.
   */
  private void preferDevice() {
    com.aparapi.internal.kernel.KernelManager.instance().setPreferredDevices(kernel,
        new java.util.LinkedHashSet<>(java.util.List.of(device)));
  }

  /** Splits modules between device and host and uploads the plan arrays, once per plan. */
  private void prepare(GraphPlan plan, Activation act, int p) {
    if (plan == uploaded) {
      return;
    }
    if (plan.p != p) {
      throw new IllegalArgumentException("plan has " + plan.p + " nodes, network " + p);
    }
    ModuleSolveKernel k = kernel;
    int[] dev = new int[plan.moduleCount];
    int[] host = new int[plan.moduleCount];
    int nd = 0;
    int nh = 0;
    int[] luOff = new int[Math.max(1, plan.sccCount)];
    int[] pivOff = new int[Math.max(1, plan.sccCount)];
    Arrays.fill(luOff, -1);
    Arrays.fill(pivOff, -1);
    long lu = 0;
    int piv = 0;
    for (int m = 0; m < plan.moduleCount; m++) {
      int largest = 0;
      for (int s = plan.moduleSccStart[m]; s < plan.moduleSccStart[m + 1]; s++) {
        largest = Math.max(largest, plan.sccSize(s));
      }
      if (largest > maxDeviceScc) {
        host[nh++] = m;
        continue;
      }
      dev[nd++] = m;
      for (int s = plan.moduleSccStart[m]; s < plan.moduleSccStart[m + 1]; s++) {
        if (plan.isCyclic(s)) {
          int size = plan.sccSize(s);
          luOff[s] = (int) lu;
          pivOff[s] = piv;
          lu += (long) size * size;
          piv += size;
        }
      }
    }
    if (lu > Integer.MAX_VALUE / 4) {
      throw new IllegalStateException("OpenCL backend: cyclic blocks too large (" + lu + " entries); "
          + "lower -H or -gamma, or use -device CPU");
    }
    deviceModules = Arrays.copyOf(dev, nd);
    hostModules = Arrays.copyOf(host, nh);
    luStride = (int) Math.max(1, lu);
    pivStride = Math.max(1, piv);
    k.sccStart = fit(k.sccStart, plan.sccStart);
    k.sccNodes = fit(k.sccNodes, plan.sccNodes);
    k.sccOf = fit(k.sccOf, plan.sccOf);
    k.blockOffset = fit(k.blockOffset, plan.blockOffset);
    k.blocks = fit(k.blocks, plan.blocks);
    k.inStart = fit(k.inStart, plan.inStart);
    k.inSrc = fit(k.inSrc, plan.inSrc);
    k.inW = fit(k.inW, plan.inW);
    k.outStart = fit(k.outStart, plan.outStart);
    k.outDst = fit(k.outDst, plan.outDst);
    k.outW = fit(k.outW, plan.outW);
    k.moduleSccStart = fit(k.moduleSccStart, plan.moduleSccStart);
    k.devModules = fit(k.devModules, deviceModules);
    k.devLuOffset = fit(k.devLuOffset, luOff);
    k.devPivOffset = fit(k.devPivOffset, pivOff);
    k.put(k.sccStart).put(k.sccNodes).put(k.sccOf).put(k.blockOffset).put(k.blocks).put(k.inStart)
        .put(k.inSrc).put(k.inW).put(k.outStart).put(k.outDst).put(k.outW).put(k.moduleSccStart)
        .put(k.devModules).put(k.devLuOffset).put(k.devPivOffset);
    k.nodes = p;
    k.luStride = luStride;
    k.pivStride = pivStride;
    k.activation = switch (act) {
      case TANH -> ModuleSolveKernel.ACT_TANH;
      case SIGMOID -> ModuleSolveKernel.ACT_SIGMOID;
      case RELU -> ModuleSolveKernel.ACT_RELU;
    };
    k.tol = solver.tolerance();
    k.maxIter = solver.maxIterations();
    uploaded = plan;
  }

  /** Samples per launch so that the device buffers stay within the scratch budget. */
  private int chunkSize(int p, int n) {
    long perSample = 8L * (5L * p + (long) ModuleSolveKernel.VECS * p + luStride)
        + 4L * (pivStride + (long) ModuleSolveKernel.INFO * deviceModules.length);
    long byBudget = scratchBudget / perSample;
    long byIndex = (Integer.MAX_VALUE - 64L) / Math.max((long) ModuleSolveKernel.VECS * p,
        Math.max(luStride, (long) ModuleSolveKernel.INFO * Math.max(1, deviceModules.length)));
    return (int) Math.max(1, Math.min(n, Math.min(byBudget, byIndex)));
  }

  /** Grows the per-batch and scratch arrays (never shrinks: the device buffers stay allocated). */
  private void ensureBatch(int p, int chunk) {
    ModuleSolveKernel k = kernel;
    k.pre = grow(k.pre, (long) chunk * p);
    k.xv = grow(k.xv, (long) chunk * p);
    k.hv = grow(k.hv, (long) chunk * p);
    k.gv = grow(k.gv, (long) chunk * p);
    k.lam = grow(k.lam, (long) chunk * p);
    k.vec = grow(k.vec, (long) chunk * ModuleSolveKernel.VECS * p);
    k.lu = grow(k.lu, (long) chunk * luStride);
    k.piv = grow(k.piv, (long) chunk * pivStride);
    k.info = grow(k.info, (long) chunk * ModuleSolveKernel.INFO * Math.max(1, deviceModules.length));
  }

  private static double[] grow(double[] a, long need) {
    return a.length >= need ? a : new double[(int) Math.min(Integer.MAX_VALUE - 8L, need + need / 4)];
  }

  private static int[] grow(int[] a, long need) {
    return a.length >= need ? a : new int[(int) Math.min(Integer.MAX_VALUE - 8L, need + need / 4)];
  }

  /** Copies src into dst, reusing dst (and its device buffer) when it is large enough. */
  private static int[] fit(int[] dst, int[] src) {
    int[] out = dst.length >= src.length ? dst : new int[Math.max(1, src.length + src.length / 4)];
    System.arraycopy(src, 0, out, 0, src.length);
    return out;
  }

  private static double[] fit(double[] dst, double[] src) {
    double[] out = dst.length >= src.length ? dst : new double[Math.max(1, src.length + src.length / 4)];
    System.arraycopy(src, 0, out, 0, src.length);
    return out;
  }

  @Override
  public void close() {
    try {
      // Aparapi crashes when disposing a kernel that never ran
      if (kernel != null && executed) {
        kernel.dispose();
      }
    } finally {
      kernel = null;
      parallel.close();
    }
  }
}
