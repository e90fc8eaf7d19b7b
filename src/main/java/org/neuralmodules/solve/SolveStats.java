package org.neuralmodules.solve;

import java.io.Serializable;

/**
 * Counters of solver work and failures. Integer sums, so merging per-thread copies gives the same
 * totals in any order.
 */
public final class SolveStats implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Cyclic SCC systems solved (one per sample and cyclic SCC). */
  public long cyclicSolves;
  /** Of those, solved matrix-free by fixed-point iteration (large sparse SCCs; no Newton). */
  public long iterativeSolves;
  public long newtonIterations;
  /** Newton did not converge (fallback was tried). */
  public long newtonFailures;
  /** Neither Newton nor the fallback converged. */
  public long unresolved;
  /** The adjoint system was singular at the returned point; its SCC used a first-order adjoint. */
  public long adjointFailures;
  public double worstResidual;
  /**
   * Predictions whose output was not finite and was replaced (uniform distribution or the training
   * target mean): the last line of defence of {@code TrainedModel}, counted so it is never silent.
   */
  public long nonFiniteOutputs;

  public void record(SolveStatus status, int iterations, double residual) {
    cyclicSolves++;
    newtonIterations += iterations;
    if (status == SolveStatus.FALLBACK_CONVERGED || status == SolveStatus.FAILED) {
      newtonFailures++;
    }
    if (status == SolveStatus.FAILED) {
      unresolved++;
      worstResidual = Math.max(worstResidual, residual);
    }
  }

  public void add(SolveStats o) {
    cyclicSolves += o.cyclicSolves;
    iterativeSolves += o.iterativeSolves;
    newtonIterations += o.newtonIterations;
    newtonFailures += o.newtonFailures;
    unresolved += o.unresolved;
    adjointFailures += o.adjointFailures;
    nonFiniteOutputs += o.nonFiniteOutputs;
    worstResidual = Math.max(worstResidual, o.worstResidual);
  }

  public void clear() {
    cyclicSolves = iterativeSolves = newtonIterations = newtonFailures = unresolved = adjointFailures = nonFiniteOutputs = 0;
    worstResidual = 0;
  }

  public double meanIterations() {
    long newton = cyclicSolves - iterativeSolves;
    return newton == 0 ? 0 : (double) newtonIterations / newton;
  }

  @Override
  public String toString() {
    return String.format(java.util.Locale.ROOT, "cyclic solves %d, mean Newton iterations %.2f, "
        + "Newton stalls rescued by fixed point %d, failures (not converged) %d, singular adjoints %d",
        cyclicSolves, meanIterations(), newtonFailures - unresolved, unresolved, adjointFailures)
        + (iterativeSolves > 0 ? ", matrix-free fixed-point solves " + iterativeSolves : "")
        + (nonFiniteOutputs > 0 ? ", non-finite outputs replaced " + nonFiniteOutputs : "");
  }
}
