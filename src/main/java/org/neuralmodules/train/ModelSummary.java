package org.neuralmodules.train;

import java.util.Locale;
import java.util.TreeMap;
import org.neuralmodules.config.NMConfig;
import org.neuralmodules.graph.GraphPlan;
import org.neuralmodules.solve.SolveStats;

/** The human-readable description of a trained model that Weka prints as the classifier output. */
public final class ModelSummary {
  private ModelSummary() {}

  /** Modules described in the output at most (largest first). */
  public static final int MAX_DESCRIBED_MODULES = 10;

  public static String format(TrainedModel model) {
    return format(model, null, null);
  }

  /**
   * The summary with module roles named by the preprocessed feature names and the output names
   * (class values, or the numeric target's name); null names give "x3", "out 1".
   */
  public static String format(TrainedModel model, String[] inputNames, String[] outputNames) {
    NMConfig c = model.config();
    GraphPlan plan = model.plan();
    TrainingReport r = model.report();
    StringBuilder sb = new StringBuilder();
    sb.append("Neural Modules\n==============\n\n");
    sb.append(String.format(Locale.ROOT, "Nodes: %d   inputs: %d   outputs: %d   activation: %s   structure: %s%n",
        plan.p, model.network().layout().inputs(), model.network().layout().outputs(), c.activation(),
        c.structure()));
    sb.append(String.format(Locale.ROOT, "Active edges: %d of %d allowed (%s), threshold |w| >= %.6g%n",
        plan.activeEdges, plan.allowedEdges, c.gamma() > 0 ? String.format(Locale.ROOT, "-gamma fraction %.4g", c.gamma())
            : String.format(Locale.ROOT, "-gamma 0: %.3g edges per node", c.edgesPerNode()), plan.gamma));
    sb.append(String.format(Locale.ROOT, "Regularization: %s %s, alpha = %.4g%n", c.regularization(), c.norm(),
        c.alpha()));
    sb.append(String.format(Locale.ROOT, "%nModules: %d   largest: %d nodes   singletons: %d%n", plan.moduleCount,
        plan.largestModule(), countSize(plan.moduleSize, 1)));
    sb.append("Module sizes (nodes: count): ").append(histogram(plan.moduleSize)).append('\n');
    sb.append(String.format(Locale.ROOT, "Strongly connected components: %d (%d cyclic, largest %d nodes)%n",
        plan.sccCount, plan.cyclicSccCount, plan.maxSccSize));
    appendRoles(sb, ModuleRoles.of(model.network(), plan, inputNames, outputNames, 3, 2));
    sb.append(String.format(Locale.ROOT, "%nTraining: %d epochs run (best %d%s), %d training rows, %d validation rows%s%n",
        r.epochsRun, r.bestEpoch, r.earlyStopped ? ", stopped early" : "", r.trainRows, r.validationRows,
        r.validationSkipped ? " (too few for early stopping: -min-validation " + c.minValidationRows() + ")" : ""));
    if (r.stopReason != null) {
      sb.append(String.format(Locale.ROOT, "Stopped by: %s; epoch cap %d; learning rate halved %d times%n",
          r.stopReason, r.epochCap, r.lrReductions));
    }
    if (r.sparseInputs) {
      sb.append(String.format(Locale.ROOT, "Inputs kept sparse: %.3g%% of the input values are non-zero%n",
          100 * r.sparseInputDensity));
    }
    sb.append(String.format(Locale.ROOT, "Final training loss: %.6g%n", r.trainLoss));
    if (r.validationRows > 0) {
      sb.append(String.format(Locale.ROOT, "Final validation loss: %.6g   best: %.6g%n", r.validationLoss,
          r.bestValidationLoss));
      if (!Double.isNaN(r.validationError)) {
        sb.append(String.format(Locale.ROOT, "Final validation error: %.4f   at the kept epoch: %.4f   (-monitor %s)%n",
            r.validationError, r.bestValidationError, c.monitor()));
      }
    }
    sb.append(String.format(Locale.ROOT, "Time per epoch: %.3f s   backend: %s%n", r.secondsPerEpoch(), r.backend));
    if (r.divergenceRestarts > 0) {
      sb.append(String.format(Locale.ROOT, "Divergence restarts: %d (learning rate lowered to %.3g)%n",
          r.divergenceRestarts, r.finalLearningRate));
    }
    sb.append("Solver, all training: ").append(r.trainingSolves).append('\n');
    sb.append("Solver, last epoch:   ").append(r.lastEpochSolves).append('\n');
    SolveStats pred = model.predictionStats();
    if (pred.cyclicSolves > 0) {
      sb.append("Solver, predictions:  ").append(pred).append('\n');
    }
    if (model.lastPredictionBackend() != null) {
      sb.append("Batch predictions backend: ").append(model.lastPredictionBackend()).append('\n');
    }
    return sb.toString();
  }

  /** The largest modules with more than one node, each with its strongest inputs and outputs. */
  static void appendRoles(StringBuilder sb, ModuleRoles roles) {
    int multi = 0;
    for (int r = 1; r <= roles.modules(); r++) {
      multi += roles.ofRank(r).size() > 1 ? 1 : 0;
    }
    if (multi == 0) {
      sb.append("Module roles: no module has more than one node.\n");
      return;
    }
    int shown = Math.min(multi, MAX_DESCRIBED_MODULES);
    sb.append(String.format(Locale.ROOT, "Module roles (%s; inputs by sum |U|, outputs by sum |V|):%n",
        shown == multi ? "all " + multi + " modules with edges"
            : "largest " + shown + " of " + multi + " modules with edges"));
    for (int r = 1; r <= shown; r++) {
      sb.append("  ").append(roles.describe(roles.ofRank(r))).append('\n');
    }
  }

  private static int countSize(int[] sizes, int size) {
    int n = 0;
    for (int s : sizes) {
      if (s == size) {
        n++;
      }
    }
    return n;
  }

  /** "1: 40, 2: 3, 17: 1" - module size and how many modules have it. */
  static String histogram(int[] sizes) {
    TreeMap<Integer, Integer> h = new TreeMap<>();
    for (int s : sizes) {
      h.merge(s, 1, Integer::sum);
    }
    StringBuilder sb = new StringBuilder();
    h.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append(": ").append(v));
    return sb.toString();
  }
}
