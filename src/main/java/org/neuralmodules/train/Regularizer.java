package org.neuralmodules.train;

import org.neuralmodules.config.Norm;
import org.neuralmodules.config.Regularization;
import org.neuralmodules.config.Structure;
import org.neuralmodules.graph.GraphPlan;
import org.neuralmodules.model.ParamLayout;

/**
 * Proximal step for the penalty alpha * z_k * sum_{j != k} norm(w_jk), with norm = |w| (L1) or
 * w^2 / 2 (L2, so that its prox is the paper's division), applied after each
 * optimiser step to every allowed incoming off-diagonal edge of node k (active or not; biases
 * w_kk are never penalised). With tau = step * alpha * z_k:
 * L1: w = sgn(w) (|w| - tau)_+ ; L2: w = w / (1 + tau).
 */
public final class Regularizer {
  private final Regularization kind;
  private final Norm norm;
  private final double alpha;

  public Regularizer(Regularization kind, Norm norm, double alpha) {
    this.kind = kind;
    this.norm = norm;
    this.alpha = alpha;
  }

  /** z_k for node k under this plan. */
  public double weight(GraphPlan plan, int k) {
    return switch (kind) {
      case NONE -> 0.0;
      case PLAIN -> 1.0;
      // At least 1: a node alone in its module would otherwise go unpenalised, making NM weaker
      // than plain L1 exactly where edges regrow (see docs/design-notes.md).
      case NM -> Math.max(1, plan.moduleEdges[plan.moduleOf[k]]);
    };
  }

  public void apply(double[] theta, ParamLayout layout, Structure structure, GraphPlan plan, double step) {
    if (kind == Regularization.NONE || alpha == 0.0) {
      return;
    }
    int p = layout.nodes();
    double[] tau = new double[p];
    for (int k = 0; k < p; k++) {
      tau[k] = step * alpha * weight(plan, k);
    }
    // row by row (j -> all k), the order W is stored in; each edge is touched once
    for (int j = 0; j < p; j++) {
      int row = layout.w(j, 0);
      int first = structure.firstTarget(j, p);
      for (int k = first; k < p; k++) {
        if (k != j && tau[k] != 0.0) {
          theta[row + k] = prox(theta[row + k], tau[k]);
        }
      }
    }
  }


  /** The proximal map of tau * norm(.) at w. */
  public double prox(double w, double tau) {
    if (norm == Norm.L1) {
      double a = Math.abs(w) - tau;
      return a > 0 ? Math.copySign(a, w) : 0.0;
    }
    return w / (1.0 + tau);
  }
}
