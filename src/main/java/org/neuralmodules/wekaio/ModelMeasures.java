package org.neuralmodules.wekaio;

import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import org.neuralmodules.graph.GraphPlan;
import org.neuralmodules.train.TrainedModel;
import org.neuralmodules.train.TrainingReport;

/**
 * Module and solver statistics of a trained model as Weka "additional measures", so the
 * Experimenter records them as result columns (measureNumModules, ...). Names follow Weka's
 * AdditionalMeasureProducer convention: they start with "measure".
 */
public final class ModelMeasures {
  private ModelMeasures() {}

  /** Every measure, in the order the Experimenter lists them. */
  public static final List<String> NAMES = List.of(
      "measureNumModules",
      "measureLargestModule",
      "measureSingletonModules",
      "measureActiveEdges",
      "measureCyclicSccs",
      "measureLargestScc",
      "measureEpochsRun",
      "measureSolverFailures",
      "measureSolverFallbacks",
      "measurePredictionSolverFailures");

  public static Enumeration<String> names() {
    return Collections.enumeration(NAMES);
  }

  /**
   * The value of one measure. A classifier that fell back to ZeroR (no usable training rows) has
   * no network: every measure is 0.
   *
   * @param model the trained model, or null for the ZeroR fallback
   * @throws IllegalArgumentException for a name not in {@link #NAMES}
   */
  public static double value(TrainedModel model, String name) {
    if (!NAMES.contains(name)) {
      throw new IllegalArgumentException("NeuralModules has no measure '" + name + "'; available: " + NAMES);
    }
    if (model == null) {
      return 0;
    }
    GraphPlan plan = model.plan();
    TrainingReport r = model.report();
    return switch (name) {
      case "measureNumModules" -> plan.moduleCount;
      case "measureLargestModule" -> plan.largestModule();
      case "measureSingletonModules" -> singletons(plan);
      case "measureActiveEdges" -> plan.activeEdges;
      case "measureCyclicSccs" -> plan.cyclicSccCount;
      case "measureLargestScc" -> plan.maxSccSize;
      case "measureEpochsRun" -> r.epochsRun;
      // systems that met no tolerance, during all of training
      case "measureSolverFailures" -> r.trainingSolves.unresolved;
      // Newton stalled but the fixed-point fallback converged, during all of training
      case "measureSolverFallbacks" -> r.trainingSolves.newtonFailures - r.trainingSolves.unresolved;
      // failures in the predictions made so far (the Experimenter asks after testing)
      case "measurePredictionSolverFailures" -> model.predictionStats().unresolved;
      default -> throw new IllegalStateException("measure listed but not computed: " + name);
    };
  }

  private static int singletons(GraphPlan plan) {
    int n = 0;
    for (int s : plan.moduleSize) {
      if (s == 1) {
        n++;
      }
    }
    return n;
  }
}
