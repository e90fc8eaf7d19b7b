package org.neuralmodules.bench;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.Random;
import org.neuralmodules.backend.BatchBuffers;
import org.neuralmodules.backend.CpuBackend;
import org.neuralmodules.backend.OutputHead;
import org.neuralmodules.backend.SolverBackend;
import org.neuralmodules.backend.opencl.OpenClBackend;
import org.neuralmodules.backend.opencl.OpenClDevices;
import org.neuralmodules.config.Activation;
import org.neuralmodules.config.Structure;
import org.neuralmodules.graph.GraphPlan;
import org.neuralmodules.model.Network;
import org.neuralmodules.model.ParamLayout;
import org.neuralmodules.solve.NodeSolver;
import org.neuralmodules.solve.SolveStats;

/**
 * Forward + adjoint solve throughput (samples/s) of the CPU backend and the OpenCL backend over
 * module sizes and batch sizes. A harness main, not a test (surefire only runs *Test classes, and
 * test classes are not shipped in the Weka package). Run (see docs/benchmarks.md):
 *
 * <pre>
 * mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * LD_PRELOAD=$JAVA_HOME/lib/libjsig.so java -Xmx6g -cp target/classes:target/test-classes:$(cat target/cp.txt) \
 *     org.neuralmodules.bench.SolveThroughputBenchmark [nodes] [seconds per point] [threads] [opencl device]
 * </pre>
 *
 * <p>Model: {@code nodes} nodes (default 64) split into dense strongly connected modules of m nodes
 * (one SCC each, contractive weights: column sums of |W| 0.9, so Newton converges in a few
 * iterations), tanh, 8 inputs, softmax over 3 classes. Timed: {@code backend.forwardAdjoint} only
 * (pre-activation, solves, head, adjoint), after two warm-up batches; three rounds alternating
 * between the backends, each at least {@code seconds} long, and the median of each is reported,
 * per wall-clock second and per second of process CPU time (all threads, PoCL's included: less
 * sensitive to other processes on a shared machine).
 */
public final class SolveThroughputBenchmark {
  private static final int[] MODULE_SIZES = {4, 8, 16, 32, 64};
  private static final int[] BATCHES = {256, 1024, 4096};
  private static final int D = 8;
  private static final int C = 3;
  private static final int ROUNDS = 3;

  private SolveThroughputBenchmark() {}

  public static void main(String[] args) throws Exception {
    int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 64;
    double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 1.0;
    int threads = args.length > 2 ? Integer.parseInt(args[2]) : Runtime.getRuntime().availableProcessors();
    String spec = args.length > 3 ? args[3] : "";
    com.aparapi.device.OpenCLDevice device = OpenClDevices.select(spec);
    System.out.printf(Locale.ROOT, "date: %s%nhost: %s%ncpu: %s (%d cores visible)%njava: %s %s%n"
        + "opencl device: %s%nnodes: %d, threads: %d, >= %.1f s per point%n%n", ZonedDateTime.now(),
        InetAddress.getLocalHost().getHostName(), cpuModel(), Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.vm.name"), System.getProperty("java.version"), OpenClDevices.name(device), nodes,
        threads, seconds);
    NodeSolver solver = new NodeSolver(Activation.TANH, 1e-8, 50);
    // JIT and OpenCL compilation before anything is timed
    Network warm = model(nodes, Math.min(16, nodes), 3);
    GraphPlan warmPlan = GraphPlan.build(warm.theta(), warm.layout().wOffset(), nodes, Structure.GRAPH, 1.0, null);
    try (SolverBackend cpuBe = new CpuBackend(solver, threads);
        SolverBackend oclBe = new OpenClBackend(solver, threads, device)) {
      throughput(cpuBe, warm, warmPlan, batch(warm.layout(), 1024, 1), 1024, 3.0, true);
      throughput(oclBe, warm, warmPlan, batch(warm.layout(), 1024, 1), 1024, 3.0, true);
    }
    System.out.println("| module size | modules | batch | CPU samples/s | OpenCL samples/s | OpenCL / CPU "
        + "| CPU samples/CPU-s | OpenCL samples/CPU-s | OpenCL / CPU (CPU time) |");
    System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (int m : MODULE_SIZES) {
      if (m > nodes) {
        continue;
      }
      Network net = model(nodes, m, 17 + m);
      GraphPlan plan = GraphPlan.build(net.theta(), net.layout().wOffset(), nodes, Structure.GRAPH, 1.0, null);
      for (int n : BATCHES) {
        BatchBuffers b = batch(net.layout(), n, 5 + n);
        // rounds alternate between the backends and the median is kept: the machine may be shared
        double[] cpuRuns = new double[ROUNDS];
        double[] oclRuns = new double[ROUNDS];
        double[] cpuPerCore = new double[ROUNDS];
        double[] oclPerCore = new double[ROUNDS];
        try (SolverBackend cpuBe = new CpuBackend(solver, threads);
            SolverBackend oclBe = new OpenClBackend(solver, threads, device, Math.max(64, m),
                OpenClBackend.DEFAULT_SCRATCH_BUDGET)) {
          for (int round = 0; round < ROUNDS; round++) {
            cpuRuns[round] = throughput(cpuBe, net, plan, b, n, seconds, round == 0);
            cpuPerCore[round] = lastCpuRate;
            oclRuns[round] = throughput(oclBe, net, plan, b, n, seconds, round == 0);
            oclPerCore[round] = lastCpuRate;
          }
        }
        double cpu = median(cpuRuns);
        double ocl = median(oclRuns);
        System.out.printf(Locale.ROOT, "| %d | %d | %d | %.0f | %.0f | %.2f | %.0f | %.0f | %.2f |%n", m,
            plan.moduleCount, n, cpu, ocl, ocl / cpu, median(cpuPerCore), median(oclPerCore),
            median(oclPerCore) / median(cpuPerCore));
      }
    }
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    java.util.Arrays.sort(s);
    return s[s.length / 2];
  }

  private static double throughput(SolverBackend be, Network net, GraphPlan plan, BatchBuffers b, int n,
      double seconds, boolean warmUp) {
    OutputHead head = new OutputHead.Softmax();
    SolveStats stats = new SolveStats();
    for (int w = 0; w < (warmUp ? 2 : 0); w++) {
      be.forwardAdjoint(net, plan, head, b, n, stats);
    }
    if (stats.unresolved > 0) {
      throw new IllegalStateException("benchmark model has unresolved solves: " + stats);
    }
    long start = System.nanoTime();
    long cpuStart = processCpuNanos();
    long samples = 0;
    int reps = 0;
    while (reps < 3 || System.nanoTime() - start < seconds * 1e9) {
      be.forwardAdjoint(net, plan, head, b, n, stats);
      samples += n;
      reps++;
    }
    lastCpuRate = samples / ((processCpuNanos() - cpuStart) / 1e9);
    return samples / ((System.nanoTime() - start) / 1e9);
  }

  /** Samples per second of process CPU time (all threads, PoCL's included) of the last measurement. */
  private static double lastCpuRate;

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /** Dense modules of m nodes (the last one smaller if m does not divide p), contractive weights. */
  static Network model(int p, int m, long seed) {
    ParamLayout l = new ParamLayout(D, p, C);
    Random r = new Random(seed);
    double[] t = new double[l.size()];
    for (int i = 0; i < l.size(); i++) {
      t[i] = 0.5 * r.nextGaussian();
    }
    for (int j = 0; j < p; j++) {
      for (int k = 0; k < p; k++) {
        if (j != k && j / m != k / m) {
          t[l.w(j, k)] = 0.0;
        }
      }
    }
    for (int k = 0; k < p; k++) {
      double s = 0;
      for (int j = 0; j < p; j++) {
        s += j == k ? 0 : Math.abs(t[l.w(j, k)]);
      }
      for (int j = 0; j < p; j++) {
        if (j != k && s > 0.9) {
          t[l.w(j, k)] *= 0.9 / s;
        }
      }
    }
    return new Network(l, Activation.TANH, Structure.GRAPH, t);
  }

  private static BatchBuffers batch(ParamLayout l, int n, long seed) {
    Random r = new Random(seed);
    BatchBuffers b = new BatchBuffers(n, l.inputs(), l.nodes(), l.outputs());
    for (int i = 0; i < n * l.inputs(); i++) {
      b.x0[i] = r.nextGaussian();
    }
    for (int s = 0; s < n; s++) {
      b.target[s] = r.nextInt(l.outputs());
    }
    return b;
  }

  private static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (Exception e) {
      // not Linux: the JVM's view is enough
    }
    return System.getProperty("os.arch");
  }
}
