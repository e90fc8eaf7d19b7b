package org.neuralmodules.bench;

import java.util.function.Consumer;
import org.neuralmodules.graph.GraphPlan;
import org.neuralmodules.train.TrainedModel;
import weka.classifiers.Classifier;
import weka.classifiers.Evaluation;
import weka.classifiers.IterativeClassifier;
import weka.classifiers.functions.NeuralModules;
import weka.core.Instances;

/**
 * Trains one classifier through the IterativeClassifier API (one epoch per next()), so that every
 * run can be stopped at a wall-clock cap, then evaluates it on the test rows. A capped run keeps
 * its best-validation weights (done()) and is flagged as such in the result.
 */
public final class Runner {
  private Runner() {}

  /** One measured training run. */
  public record Result(String protocol, String method, int nodes, int threads, double error, double trainSeconds,
      int epochs, double secondsPerEpoch, boolean capped, int modules, int largestModule, int maxScc,
      int activeEdges, long peakHeapBytes, int[] moduleSizes, String options) {}

  public static Result run(Protocols.Split split, Method method, String options, int nodes, int threads,
      double capSeconds) throws Exception {
    return run(split, method.make(options), method.label, options, nodes, threads, capSeconds, null);
  }

  /** Trains {@code c} (an IterativeClassifier) on split.train() and tests it on split.test(). */
  public static Result run(Protocols.Split split, Classifier c, String label, String options, int nodes, int threads,
      double capSeconds, Consumer<NeuralModules> afterFirstEpoch) throws Exception {
    System.gc();
    HeapWatch heap = HeapWatch.start();
    IterativeClassifier it = (IterativeClassifier) c;
    long t0 = System.nanoTime();
    it.initializeClassifier(split.train());
    int epochs = 0;
    long epochNanos = 0;
    boolean capped = false;
    while (true) {
      long e0 = System.nanoTime();
      boolean more = it.next();
      epochNanos += System.nanoTime() - e0;
      epochs++;
      if (epochs == 1 && afterFirstEpoch != null && c instanceof NeuralModules nm) {
        afterFirstEpoch.accept(nm);
      }
      if (!more) {
        break;
      }
      if ((System.nanoTime() - t0) / 1e9 > capSeconds) {
        capped = true;
        break;
      }
    }
    it.done();
    double secs = (System.nanoTime() - t0) / 1e9;
    long peak = heap.stop();
    // time inside next() only, the same measure for Weka's MLP and NeuralModules
    double perEpoch = epochNanos / 1e9 / epochs;
    int modules = 0;
    int largest = 0;
    int maxScc = 0;
    int active = 0;
    int[] sizes = new int[0];
    if (c instanceof NeuralModules nm) {
      TrainedModel m = nm.getModel();
      GraphPlan plan = m.plan();
      modules = plan.moduleCount;
      largest = plan.largestModule();
      maxScc = plan.maxSccSize;
      active = plan.activeEdges;
      sizes = plan.moduleSize.clone();
    }
    Evaluation ev = new Evaluation(split.train());
    ev.evaluateModel(c, split.test());
    return new Result(split.name(), label, nodes, threads, ev.errorRate(), secs, epochs, perEpoch, capped,
        modules, largest, maxScc, active, peak, sizes, options);
  }

  /** Error on a test set of an already trained classifier. */
  public static double error(Classifier c, Instances train, Instances test) throws Exception {
    Evaluation ev = new Evaluation(train);
    ev.evaluateModel(c, test);
    return ev.errorRate();
  }
}
