package weka.classifiers.functions.distributed;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neuralmodules.wekaio.ModelAggregation;
import weka.classifiers.Classifier;
import weka.classifiers.Evaluation;
import weka.classifiers.functions.NeuralModules;
import weka.classifiers.meta.Vote;
import weka.core.Aggregateable;
import weka.core.Instances;
import weka.core.SerializedObject;
import weka.core.converters.ConverterUtils.DataSource;
import weka.distributed.WekaClassifierMapTask;
import weka.distributed.WekaClassifierReduceTask;

/**
 * NeuralModules under distributedWekaBase's own classifier map and reduce tasks (what
 * distributedWekaSpark runs per partition and at the end), codon_usage_small in 4 partitions of
 * equal size (so every partition model starts from the same initial weights). Averaging the
 * partition models' parameters was measured against the Vote ensemble the reduce task builds:
 * averaging loses, so NeuralModules is not Aggregateable and the reduce task votes.
 */
class DistributedWekaAggregationTest {
  static final int PARTITIONS = 4;
  static Instances train;
  static Instances test;
  static List<Classifier> partitionModels;

  @BeforeAll
  static void trainPartitions() throws Exception {
    Instances all = DataSource.read("test-data/codon_usage_small.arff");
    all.setClassIndex(all.numAttributes() - 1);
    all.randomize(new Random(1));
    int nTrain = all.numInstances() * 2 / 3;
    train = new Instances(all, 0, nTrain);
    test = new Instances(all, nTrain, all.numInstances() - nTrain);
    partitionModels = new ArrayList<>();
    for (int p = 0; p < PARTITIONS; p++) {
      WekaClassifierMapTask task = new WekaClassifierMapTask();
      NeuralModules nm = new NeuralModules();
      nm.setOptions(new String[] {"-threads", "1"});
      task.setClassifier(nm);
      task.setup(new Instances(train, 0));
      for (int r = p; r < train.numInstances(); r += PARTITIONS) {
        task.processInstance(train.instance(r));
      }
      task.finalizeTask();
      partitionModels.add(task.getClassifier());
    }
  }

  static List<Classifier> copies() throws Exception {
    List<Classifier> out = new ArrayList<>();
    for (Classifier c : partitionModels) {
      out.add((Classifier) new SerializedObject(c).getObject());
    }
    return out;
  }

  static double accuracy(Classifier c) throws Exception {
    Evaluation e = new Evaluation(train);
    e.evaluateModel(c, test);
    return e.pctCorrect();
  }

  @Test
  void reduceTaskVotesThePartitionModelsAndTheVoteBeatsEachOfThem() throws Exception {
    assertFalse(new NeuralModules() instanceof Aggregateable, "averaging loses to Vote (see the next test)");
    Classifier combined = new WekaClassifierReduceTask().aggregate(copies());
    assertInstanceOf(Vote.class, combined);
    double vote = accuracy(combined);
    double best = 0;
    for (Classifier c : partitionModels) {
      assertInstanceOf(NeuralModules.class, c, "the map task trains the classifier itself (no wrapper)");
      best = Math.max(best, accuracy(c));
    }
    System.out.printf("codon, 4 partitions: Vote %.2f%%, best partition model %.2f%%%n", vote, best);
    assertTrue(vote > best, "vote " + vote + "% <= best partition model " + best + "%");
  }

  /**
   * The measurement behind not being Aggregateable: the averaged model, whichever partition's
   * preprocessing it keeps, is less accurate than the Vote of the same models.
   */
  @Test
  void averagingThePartitionModelsLosesToTheirVote() throws Exception {
    double vote = accuracy(new WekaClassifierReduceTask().aggregate(copies(), null, true));
    double bestAverage = 0;
    StringBuilder seen = new StringBuilder();
    for (int kept = 0; kept < PARTITIONS; kept++) {
      NeuralModules first = (NeuralModules) partitionModels.get(kept);
      ModelAggregation agg = new ModelAggregation(first.getPreprocessor(), first.getModel());
      for (int p = 0; p < PARTITIONS; p++) {
        if (p != kept) {
          NeuralModules other = (NeuralModules) partitionModels.get(p);
          agg.add(other.getPreprocessor(), other.getModel());
        }
      }
      NeuralModules averaged = new NeuralModules();
      averaged.useModel(agg.preprocessor(), agg.average());
      double acc = accuracy(averaged);
      seen.append(String.format("%.2f%% ", acc));
      bestAverage = Math.max(bestAverage, acc);
    }
    System.out.printf("codon, 4 partitions: averaged with the preprocessing of partition 1..4: %s; Vote %.2f%%%n",
        seen, vote);
    assertTrue(bestAverage < vote, "averaging (" + seen + ") now reaches the Vote (" + vote
        + "%): reconsider implementing Aggregateable");
  }
}
