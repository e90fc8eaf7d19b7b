package org.neuralmodules.train;

import org.neuralmodules.backend.BatchBuffers;
import org.neuralmodules.backend.OutputHead;
import org.neuralmodules.backend.Parallel;
import org.neuralmodules.backend.SolverBackend;
import org.neuralmodules.config.NMConfig;
import org.neuralmodules.graph.GraphPlan;
import org.neuralmodules.model.Network;
import org.neuralmodules.model.ParamLayout;
import org.neuralmodules.solve.SolveStats;

/**
 * One pass of mini-batch Adam steps (each followed by the proximal regularization step) over given
 * rows of a dataset, and the loading of rows into the batch buffers. The single-machine
 * {@link Trainer} and a data-parallel {@link Replica} run the same code, so one replica over all
 * training rows gives the single-machine bits.
 */
final class MiniBatchPass {
  final BatchBuffers buf;
  private final NMConfig cfg;
  private final ParamLayout layout;
  private final Dataset data;
  private final OutputHead head;
  private final Regularizer regularizer;
  private final double[] grad;
  private final double[] scratch;
  private final double targetMean;
  private final double targetScale;
  private final double weightPow2;
  private final double weightScale;

  /**
   * @param capacity rows per batch buffer (a mini-batch is at most this many rows)
   * @param targetMean numeric targets are standardised with this mean ...
   * @param targetScale ... and this scale
   * @param weightPow2 power-of-two factor applied to instance weights (exact) ...
   * @param weightScale ... then this factor, so the mean training weight is 1
   */
  MiniBatchPass(NMConfig cfg, ParamLayout layout, Dataset data, int capacity, double targetMean,
      double targetScale, double weightPow2, double weightScale) {
    this.cfg = cfg;
    this.layout = layout;
    this.data = data;
    this.head = data.numeric() ? new OutputHead.Linear() : new OutputHead.Softmax();
    this.regularizer = new Regularizer(cfg.regularization(), cfg.norm(), cfg.alpha());
    this.grad = new double[layout.size()];
    this.scratch = new double[Math.max(1, cfg.nodes() * (cfg.nodes() - 1))];
    this.buf = new BatchBuffers(capacity, layout.inputs(), layout.nodes(), layout.outputs(),
        data.sparse() == null ? null : data.sparse().zeroRow());
    this.targetMean = targetMean;
    this.targetScale = targetScale;
    this.weightPow2 = weightPow2;
    this.weightScale = weightScale;
  }

  /** Work array for {@link GraphPlan#build} (nodes x (nodes - 1) values). */
  double[] scratch() {
    return scratch;
  }

  /**
   * Adam steps over {@code rows} in mini-batches of at most the buffer capacity, in that order.
   *
   * @return mean training loss of the pass, or NaN if it diverged (then net and adam are spoilt)
   * @throws Parallel.CancellationRuntimeException if the thread is interrupted
   */
  double train(SolverBackend backend, int[] rows, Network net, Adam adam, double lr, SolveStats stats) {
    int n = rows.length;
    int mb = buf.capacity;
    double lossSum = 0;
    for (int startRow = 0; startRow < n; startRow += mb) {
      if (Thread.currentThread().isInterrupted()) {
        throw new Parallel.CancellationRuntimeException("training interrupted");
      }
      int nb = Math.min(mb, n - startRow);
      GraphPlan plan = GraphPlan.build(net.theta(), layout.wOffset(), layout.nodes(), cfg.structure(),
          cfg.activeFraction(), scratch);
      load(rows, startRow, nb);
      backend.forwardAdjoint(net, plan, head, buf, nb, stats);
      double batchLoss = 0;
      for (int s = 0; s < nb; s++) {
        batchLoss += buf.loss[s];
      }
      if (!Double.isFinite(batchLoss)) {
        return Double.NaN;
      }
      lossSum += batchLoss;
      Gradients.compute(buf, nb, layout, cfg.structure(), grad, backend.parallel());
      adam.step(net.theta(), grad, lr);
      regularizer.apply(net.theta(), layout, cfg.structure(), plan, lr);
      if (!net.isFinite()) {
        return Double.NaN;
      }
    }
    return lossSum / n;
  }

  /** Loads inputs, standardised targets and scaled weights of rows[from .. from + nb) into the buffers. */
  void load(int[] rows, int from, int nb) {
    int d = layout.inputs();
    if (buf.sparse != null) {
      buf.sparse.clear();
    }
    for (int s = 0; s < nb; s++) {
      int r = rows[from + s];
      if (buf.sparse != null) {
        data.sparse().deviations(r, buf.sparse);
      } else {
        data.fillRow(r, buf.x0, s * d);
      }
      double y = data.y()[r];
      buf.target[s] = data.numeric() ? (y - targetMean) / targetScale : y;
      buf.weight[s] = rowWeight(data, r, weightPow2, weightScale);
    }
  }

  /** Training weight of row r: instance weight x pow2 (exact) x scale, or 1 for unweighted data. */
  static double rowWeight(Dataset data, int r, double pow2, double scale) {
    return data.weight() == null ? 1.0 : data.weight()[r] * pow2 * scale;
  }
}
