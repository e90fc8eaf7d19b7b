package org.neuralmodules.backend;

import org.neuralmodules.graph.GraphPlan;
import org.neuralmodules.model.Network;
import org.neuralmodules.solve.SolveStats;

/**
 * Runs the per-sample node systems of a batch. Implementations must give results that do not
 * depend on how they split the work. Call order: any number of {@link #forward} /
 * {@link #forwardAdjoint}, then {@link #close()}.
 */
public interface SolverBackend extends AutoCloseable {

  /** Human-readable name for toString and debug output, e.g. "CPU (2 threads)". */
  String describe();

  /** Node values and activations of samples [0, n) of {@code b} into {@code b.x}, {@code b.h}. */
  void forward(Network net, GraphPlan plan, BatchBuffers b, int n, SolveStats stats);

  /**
   * Forward solve, loss and output gradient through {@code head}, then the adjoint: fills
   * {@code b.x, b.h, b.delta, b.loss, b.lambda} for samples [0, n).
   */
  void forwardAdjoint(Network net, GraphPlan plan, OutputHead head, BatchBuffers b, int n, SolveStats stats);

  /** The worker pool, for dense batch algebra that belongs next to the solves. */
  Parallel parallel();

  @Override
  void close();
}
