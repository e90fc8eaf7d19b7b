package org.neuralmodules.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.neuralmodules.config.Activation;
import org.neuralmodules.config.Monitor;
import org.neuralmodules.config.NMConfig;
import org.neuralmodules.config.Norm;
import org.neuralmodules.config.Regularization;
import org.neuralmodules.config.Structure;

/**
 * What {@link Trainer#resume} refuses (issue 15: the resume code's mutants): every option that
 * defines the model or the split is named in the message, the rows of a first session with a
 * validation split are accepted again, and data that differ in a single value are refused.
 */
class TrainerResumeGuardsTest {
  private static final NMConfig CFG = NMConfig.defaults().withNodes(5).withThreads(1).withMiniBatch(16)
      .withValidationPercent(0).withMaxSteps(0).withPatience(100).withLrReductions(0).withEpochs(1);

  private static Trainer trained(NMConfig cfg, Dataset data) {
    Trainer t = new Trainer(cfg, data);
    t.initialise();
    while (t.nextEpoch()) {
      // one epoch
    }
    t.finish();
    return t;
  }

  /** Each model-defining option, changed alone, is refused with a message that names it. */
  @Test
  void everyModelDefiningOptionIsNamedWhenItChanges() {
    Dataset data = TrainerRecipeTest.data(60, 3, 0.0, null);
    Trainer t = trained(CFG, data);
    Map<String, NMConfig> changed = new LinkedHashMap<>();
    changed.put("-H (nodes)", CFG.withNodes(6));
    changed.put("-structure", CFG.withStructure(Structure.DAG));
    changed.put("-activation", CFG.withActivation(Activation.SIGMOID));
    changed.put("-S (seed)", CFG.withSeed(CFG.seed() + 1));
    changed.put("-V (validation percent)", CFG.withValidationPercent(20));
    changed.put("-min-validation", CFG.withMinValidationRows(CFG.minValidationRows() + 1));
    changed.put("-mini-batch", CFG.withMiniBatch(8));
    changed.put("-gamma or -edges-per-node", CFG.withGamma(0.5));
    changed.put("-gamma or -edges-per-node ", CFG.withEdgesPerNode(CFG.edgesPerNode() * 2));
    changed.put("regularization (-alpha, -norm, -regularization)", CFG.withAlpha(CFG.alpha() * 2));
    changed.put("regularization (-alpha, -norm, -regularization) ", CFG.withNorm(Norm.L2));
    changed.put("regularization (-alpha, -norm, -regularization)  ", CFG.withRegularization(Regularization.PLAIN));
    changed.put("-L (learning rate)", CFG.withLearningRate(CFG.learningRate() * 2));
    changed.put("-monitor", CFG.withMonitor(CFG.monitor() == Monitor.LOSS ? Monitor.ERROR : Monitor.LOSS));
    changed.put("solver (-tol, -max-iter)", CFG.withTolerance(CFG.tolerance() * 10));
    changed.put("solver (-tol, -max-iter) ", CFG.withMaxIterations(CFG.maxIterations() + 1));
    for (Map.Entry<String, NMConfig> c : changed.entrySet()) {
      String name = c.getKey().strip();
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.resume(c.getValue(), data),
          name);
      assertTrue(e.getMessage().startsWith("Cannot resume training with a different " + name + ":"),
          name + ": " + e.getMessage());
    }
  }

  /**
   * A first session with a validation split: resuming on the same rows is accepted (the row count
   * compared is training plus validation rows), one row fewer is refused naming the expected count.
   */
  @Test
  void theRowsOfASessionWithAValidationSplitAreAcceptedAgain() {
    NMConfig cfg = CFG.withValidationPercent(20).withMinValidationRows(5);
    Dataset data = TrainerRecipeTest.data(60, 3, 0.0, null);
    Trainer t = trained(cfg, data);
    assertEquals(12, t.report().validationRows, "premise: a validation split");
    t.resume(cfg.withEpochs(2), data);
    t.nextEpoch();
    assertEquals(2, t.report().epochsRun, "the resumed session trains");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> t.resume(cfg, TrainerRecipeTest.data(59, 3, 0.0, null)));
    assertTrue(e.getMessage().contains("(60 rows)"), e.getMessage());
  }

  /** Data equal to the first session's except in one input, target or weight value are refused. */
  @Test
  void oneChangedValueAnywhereIsDifferentData() {
    Dataset data = TrainerRecipeTest.data(40, 4, 0.0, weights(40));
    Trainer t = trained(CFG, data);
    int last = data.n() - 1;
    for (int which = 0; which < 6; which++) {
      double[] x = data.x().clone();
      double[] y = data.y().clone();
      double[] w = data.weight().clone();
      switch (which) {
        case 0 -> x[0] += 1;
        case 1 -> x[x.length - 1] += 1;
        case 2 -> y[0] = 1 - y[0];
        case 3 -> y[last] = 1 - y[last];
        case 4 -> w[0] *= 2;
        default -> w[last] *= 2;
      }
      Dataset other = new Dataset(x, y, w, data.n(), data.d(), data.classes());
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.resume(CFG, other),
          "change " + which);
      assertTrue(e.getMessage().contains("different data"), e.getMessage());
    }
    t.resume(CFG, new Dataset(data.x().clone(), data.y().clone(), data.weight().clone(), data.n(), data.d(),
        data.classes())); // equal copies are the same data
  }

  private static double[] weights(int n) {
    double[] w = new double[n];
    for (int i = 0; i < n; i++) {
      w[i] = 0.5 + (i % 4);
    }
    return w;
  }
}
