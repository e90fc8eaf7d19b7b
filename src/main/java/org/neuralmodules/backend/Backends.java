package org.neuralmodules.backend;

import org.neuralmodules.backend.opencl.OpenClBackend;
import org.neuralmodules.backend.opencl.OpenClDevices;
import org.neuralmodules.backend.opencl.OpenClInstall;
import org.neuralmodules.config.NMConfig;
import org.neuralmodules.solve.NodeSolver;

/**
 * The one place that turns -device / -opencl-device into a {@link SolverBackend}. The OpenCL
 * classes are only touched when OpenCL is asked for, or when AUTO looks for a GPU on a system whose
 * OpenCL vendor files say one may exist ({@link OpenClInstall}), so the CPU path works without the
 * Aparapi jars and a CPU run prints nothing from Aparapi.
 */
public final class Backends {
  private Backends() {}

  /**
   * The backend for training.
   *
   * @throws IllegalStateException for -device OPENCL without a usable OpenCL device, with what to install
   */
  public static SolverBackend create(NMConfig cfg, NodeSolver solver) {
    int threads = cfg.effectiveThreads();
    switch (cfg.device()) {
      case CPU:
        return new CpuBackend(solver, threads);
      case OPENCL:
        return new OpenClBackend(solver, threads, OpenClDevices.select(cfg.openclDevice()));
      case AUTO:
      default:
        if (!OpenClInstall.mayHaveGpu()) {
          // no OpenCL or PoCL only: Aparapi is not even loaded, so nothing logs about OpenCL
          return new Noted(new CpuBackend(solver, threads), "AUTO: no OpenCL GPU found, "
              + (OpenClInstall.system() == OpenClInstall.Kind.NONE ? "no OpenCL installed" : "PoCL only"));
        }
        com.aparapi.device.OpenCLDevice gpu = OpenClDevices.autoGpu(cfg.openclDevice());
        if (gpu != null) {
          return new OpenClBackend(solver, threads, gpu);
        }
        return new Noted(new CpuBackend(solver, threads), "AUTO: no OpenCL GPU found");
    }
  }

  /**
   * The backend for predictions of a trained (possibly deserialized) model: like {@link #create},
   * but a model trained with -device OPENCL and loaded where OpenCL is missing predicts on the CPU,
   * and says so in {@link SolverBackend#describe()}.
   */
  public static SolverBackend forPrediction(NMConfig cfg, NodeSolver solver) {
    try {
      return create(cfg, solver);
    } catch (IllegalStateException e) {
      return new Noted(new CpuBackend(solver, cfg.effectiveThreads()), "OpenCL unavailable here: " + e.getMessage());
    }
  }

  /** A backend whose description carries why it was chosen. */
  static final class Noted implements SolverBackend {
    private final SolverBackend inner;
    private final String note;

    Noted(SolverBackend inner, String note) {
      this.inner = inner;
      this.note = note;
    }

    @Override
    public String describe() {
      return inner.describe() + " [" + note + "]";
    }

    @Override
    public void forward(org.neuralmodules.model.Network net, org.neuralmodules.graph.GraphPlan plan, BatchBuffers b,
        int n, org.neuralmodules.solve.SolveStats stats) {
      inner.forward(net, plan, b, n, stats);
    }

    @Override
    public void forwardAdjoint(org.neuralmodules.model.Network net, org.neuralmodules.graph.GraphPlan plan,
        OutputHead head, BatchBuffers b, int n, org.neuralmodules.solve.SolveStats stats) {
      inner.forwardAdjoint(net, plan, head, b, n, stats);
    }

    @Override
    public Parallel parallel() {
      return inner.parallel();
    }

    @Override
    public void close() {
      inner.close();
    }
  }
}
