package org.neuralmodules.spark;

import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.neuralmodules.config.NMConfig;
import org.neuralmodules.train.DataParallelEpochs;
import org.neuralmodules.train.Dataset;
import org.neuralmodules.train.TrainedModel;
import org.neuralmodules.train.Trainer;
import org.neuralmodules.wekaio.InstanceWeights;
import org.neuralmodules.wekaio.Preprocessor;
import weka.classifiers.functions.NeuralModules;
import weka.core.Instances;
import weka.core.Utils;
import weka.core.WekaException;

/**
 * Data-parallel training of a NeuralModules model on Spark. The driver fits the preprocessing and
 * draws the validation split as {@link NeuralModules#buildClassifier} does, cuts the training rows
 * into one slice per partition, then runs {@link DataParallelEpochs} with the slices as Spark
 * tasks; early stopping watches the validation rows at the driver. The result is an ordinary
 * NeuralModules classifier (one partition gives the single-machine model bit for bit).
 */
public final class SparkNeuralModules {
  /**
   * The trained classifier and where each epoch's time went.
   */
  public record Result(NeuralModules classifier, List<DataParallelEpochs.EpochTime> epochTimes) {
  }

  private SparkNeuralModules() {
  }

  /**
   * @param data       training data with the class index set
   * @param options    NeuralModules options (as on Weka's command line)
   * @param partitions training-row slices, one Spark task each per epoch
   * @throws WekaException if the data have no usable training rows or options are invalid
   */
  public static Result train(JavaSparkContext sc, Instances data, String[] options, int partitions) throws Exception {
    NeuralModules nm = new NeuralModules();
    nm.setOptions(options.clone());
    NMConfig cfg = nm.getConfig();
    nm.getCapabilities().testWithFail(data);
    Instances train = new Instances(data);
    train.deleteWithMissingClass();
    String weightProblem = InstanceWeights.check(train);
    if (weightProblem != null) {
      throw new WekaException(weightProblem);
    }
    Preprocessor preprocessor = new Preprocessor();
    Instances pre = preprocessor.fit(train);
    if (pre.numInstances() == 0 || pre.sumOfWeights() <= 0) {
      throw new WekaException("NeuralModules on Spark: no training rows with a class value and a positive weight");
    }
    Dataset ds = NeuralModules.toDataset(preprocessor, pre);
    Trainer trainer = new Trainer(cfg, ds);
    trainer.initialise();
    TrainedModel model;
    DataParallelEpochs epochs;
    try (SparkReplicaRunner runner = new SparkReplicaRunner(sc, trainer.replicas(partitions))) {
      epochs = new DataParallelEpochs(trainer, runner);
      model = epochs.trainToEnd();
    }
    nm.useModel(preprocessor, model);
    return new Result(nm, epochs.times());
  }

  /** Options without -partitions: Weka's Utils.getOption removes what it reads. */
  static int partitions(String[] options, int fallback) throws Exception {
    String p = Utils.getOption("partitions", options);
    return p.isEmpty() ? fallback : Integer.parseInt(p);
  }
}
