package org.neuralmodules.train;

import java.util.ArrayList;
import java.util.List;
import org.neuralmodules.config.Device;
import org.neuralmodules.config.NMConfig;
import org.neuralmodules.model.Network;
import org.neuralmodules.model.ParamLayout;

/**
 * One model from several trained with the same options on parts of the data: their parameters
 * averaged, weighted by training rows ({@link ParameterAverage}); the thresholded plan is rebuilt
 * from the averaged weights when the model is made.
 */
public final class ModelAverage {
  private ModelAverage() {
  }

  /**
   * Why two models cannot be averaged (options, shape or class count differ), or null. Threads and
   * device may differ: they do not change a model.
   */
  public static String difference(TrainedModel a, TrainedModel b) {
    if (!comparable(a.config()).equals(comparable(b.config()))) {
      return "different options (" + a.config() + " versus " + b.config() + ")";
    }
    ParamLayout la = a.network().layout();
    ParamLayout lb = b.network().layout();
    if (la.inputs() != lb.inputs() || la.nodes() != lb.nodes() || la.outputs() != lb.outputs()) {
      return "different network shapes (" + la.inputs() + " features, " + la.nodes() + " nodes, " + la.outputs()
          + " outputs versus " + lb.inputs() + ", " + lb.nodes() + ", " + lb.outputs() + ")";
    }
    if (a.classes() != b.classes()) {
      return "different class counts (" + a.classes() + " versus " + b.classes() + ")";
    }
    return null;
  }

  private static NMConfig comparable(NMConfig c) {
    return c.withThreads(0).withDevice(Device.AUTO).withOpenclDevice("");
  }

  /**
   * The weighted mean of the models' parameters (and, for a numeric class, of their target
   * standardisation), weighted by each model's training rows; options of the first model.
   *
   * @throws IllegalArgumentException naming the difference if two models cannot be averaged
   */
  public static TrainedModel average(List<TrainedModel> models) {
    TrainedModel first = models.get(0);
    double[] rows = new double[models.size()];
    List<double[]> thetas = new ArrayList<>(models.size());
    List<double[]> targets = new ArrayList<>(models.size());
    for (int i = 0; i < models.size(); i++) {
      TrainedModel m = models.get(i);
      String diff = difference(first, m);
      if (diff != null) {
        throw new IllegalArgumentException("Cannot average model " + (i + 1) + " with model 1: " + diff);
      }
      rows[i] = Math.max(1, m.report().trainRows);
      thetas.add(m.network().theta());
      targets.add(new double[] {m.targetMean(), m.targetScale()});
    }
    double[] f = ParameterAverage.fractions(rows);
    double[] theta = ParameterAverage.mean(thetas, f);
    double[] target = ParameterAverage.mean(targets, f);
    Network net = new Network(first.network().layout(), first.network().activation(), first.network().structure(),
        theta);
    return new TrainedModel(first.config(), net, first.classes(), target[0], target[1], report(models));
  }

  /** Rows summed, epochs the most any model ran, the reason naming the averaging. */
  private static TrainingReport report(List<TrainedModel> models) {
    TrainingReport r = new TrainingReport();
    TrainingReport f = models.get(0).report();
    r.backend = f.backend;
    r.bestValidationLoss = Double.NaN;
    for (TrainedModel m : models) {
      TrainingReport s = m.report();
      r.trainRows += s.trainRows;
      r.validationRows += s.validationRows;
      r.epochsRun = Math.max(r.epochsRun, s.epochsRun);
      r.bestEpoch = Math.max(r.bestEpoch, s.bestEpoch);
      r.epochCap = Math.max(r.epochCap, s.epochCap);
      r.trainNanos += s.trainNanos;
      r.trainingSolves.add(s.trainingSolves);
    }
    r.stopReason = "parameters averaged over " + models.size() + " models trained on parts of the data";
    return r;
  }
}
