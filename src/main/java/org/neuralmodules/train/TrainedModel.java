package org.neuralmodules.train;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import org.neuralmodules.backend.Backends;
import org.neuralmodules.backend.BatchBuffers;
import org.neuralmodules.backend.CpuBackend;
import org.neuralmodules.backend.OutputHead;
import org.neuralmodules.backend.SolverBackend;
import org.neuralmodules.config.NMConfig;
import org.neuralmodules.graph.GraphPlan;
import org.neuralmodules.model.Network;
import org.neuralmodules.model.ParamLayout;
import org.neuralmodules.solve.NodeSolver;
import org.neuralmodules.solve.SolveStats;
import org.neuralmodules.solve.Workspace;

/**
 * An immutable trained network ready to predict: parameters, their thresholded graph plan and the
 * training report. The plan is derived data, rebuilt after deserialisation. Prediction is
 * thread-safe: every call uses its own workspace.
 */
public final class TrainedModel implements Serializable {
  private static final long serialVersionUID = 1L;

  private final NMConfig config;
  private final Network network;
  private final int classes;
  private final double targetMean;
  private final double targetScale;
  private final TrainingReport report;
  private transient GraphPlan plan;
  private transient SolveStats predictionStats;
  /** Backend of the last {@link #predictBatch} call (transient: kernels are never serialized). */
  private transient volatile String lastPredictionBackend;

  TrainedModel(NMConfig config, Network network, int classes, double targetMean, double targetScale,
      TrainingReport report) {
    this.config = config;
    this.network = network;
    this.classes = classes;
    this.targetMean = targetMean;
    this.targetScale = targetScale;
    this.report = report;
    init();
  }

  private void init() {
    ParamLayout l = network.layout();
    plan = GraphPlan.build(network.theta(), l.wOffset(), l.nodes(), network.structure(), config.activeFraction(), null);
    predictionStats = new SolveStats();
  }

  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    init();
  }

  public NMConfig config() { return config; }
  public Network network() { return network; }
  public GraphPlan plan() { return plan; }
  public TrainingReport report() { return report; }
  public int classes() { return classes; }
  /** Numeric class: predictions are network output * targetScale + targetMean. */
  public double targetMean() { return targetMean; }
  public double targetScale() { return targetScale; }

  /** Description of the backend the last batch prediction used, or null if none ran yet. */
  public String lastPredictionBackend() { return lastPredictionBackend; }

  /** Counters of all prediction solves so far (synchronised snapshot). */
  public SolveStats predictionStats() {
    synchronized (predictionStats) {
      SolveStats s = new SolveStats();
      s.add(predictionStats);
      return s;
    }
  }

  private OutputHead head() {
    return classes == 0 ? new OutputHead.Linear() : new OutputHead.Softmax();
  }

  /** Class distribution (or a one-element numeric prediction) of one preprocessed input row. */
  public double[] predict(double[] x0) {
    ParamLayout l = network.layout();
    int p = l.nodes();
    double[] x = new double[p];
    double[] h = new double[p];
    double[] out = new double[l.outputs()];
    SolveStats st = new SolveStats();
    double[] theta = network.theta();
    CpuBackend.preActivation(theta, l, x0, 0, x, 0);
    new NodeSolver(network.activation(), config.tolerance(), config.maxIterations())
        .forward(plan, x, 0, h, 0, new Workspace(), st, false);
    head().predict(theta, l, h, 0, out, 0);
    finish(out, 0, st);
    record(st);
    return out;
  }

  /** Writes preprocessed input row {@code row} into {@code dst} at {@code off}. */
  @FunctionalInterface
  public interface RowSource {
    void fill(int row, double[] dst, int off) throws Exception;
  }

  /** Receives the prediction of row {@code row}: {@code out[off .. off + outputs)}. */
  @FunctionalInterface
  public interface RowSink {
    void accept(int row, double[] out, int off);
  }

  /**
   * Predictions for n preprocessed rows (row-major n x d), solved in parallel in chunks of
   * {@code chunk} rows. Returns n x outputs values.
   */
  public double[] predictBatch(double[] rows, int n, int chunk, int threads) {
    int d = network.layout().inputs();
    int c = network.layout().outputs();
    double[] out = new double[Math.multiplyExact(n, c)];
    try {
      predictRows((r, dst, off) -> System.arraycopy(rows, r * d, dst, off, d), n, chunk, threads,
          (r, o, off) -> System.arraycopy(o, off, out, r * c, c));
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e); // the array source throws nothing checked
    }
    return out;
  }

  /**
   * Predictions for n rows pulled from {@code source} one chunk of {@code chunk} rows at a time
   * and handed to {@code sink}, so memory stays one chunk however many rows there are.
   */
  public void predictRows(RowSource source, int n, int chunk, int threads, RowSink sink) throws Exception {
    ParamLayout l = network.layout();
    int d = l.inputs();
    int c = l.outputs();
    int cap = Math.max(1, Math.min(chunk, n));
    BatchBuffers b = new BatchBuffers(cap, d, l.nodes(), c);
    double[] out = new double[cap * c];
    SolveStats st = new SolveStats();
    OutputHead head = head();
    NodeSolver solver = new NodeSolver(network.activation(), config.tolerance(), config.maxIterations());
    try (SolverBackend backend = Backends.forPrediction(config.withThreads(threads), solver)) {
      lastPredictionBackend = backend.describe();
      for (int start = 0; start < n; start += cap) {
        int nb = Math.min(cap, n - start);
        for (int s = 0; s < nb; s++) {
          source.fill(start + s, b.x0, s * d);
        }
        backend.forward(network, plan, b, nb, st);
        for (int s = 0; s < nb; s++) {
          head.predict(network.theta(), l, b.h, s * l.nodes(), out, s * c);
          finish(out, s * c, st);
          sink.accept(start + s, out, s * c);
        }
      }
    } finally {
      record(st);
    }
  }

  private void finish(double[] out, int oo, SolveStats st) {
    int c = network.layout().outputs();
    if (classes == 0) {
      out[oo] = out[oo] * targetScale + targetMean;
    }
    // Last line of defence (e.g. unbounded RELU states overflowing V h): a non-finite output
    // becomes the uninformed prediction, and is counted in the prediction stats.
    for (int o = 0; o < c; o++) {
      if (!Double.isFinite(out[oo + o])) {
        for (int q = 0; q < c; q++) {
          out[oo + q] = classes == 0 ? targetMean : 1.0 / c;
        }
        st.nonFiniteOutputs++;
        return;
      }
    }
  }

  private void record(SolveStats st) {
    synchronized (predictionStats) {
      predictionStats.add(st);
    }
  }
}
