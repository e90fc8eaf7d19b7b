package org.neuralmodules.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuralmodules.TestSupport;
import weka.classifiers.Classifier;
import weka.classifiers.Evaluation;
import weka.classifiers.functions.NeuralModules;
import weka.core.Instances;
import weka.core.SerializationHelper;
import weka.core.converters.ArffSaver;
import weka.core.converters.CSVSaver;
import weka.core.converters.ConverterUtils.DataSource;

/** Data-parallel training on Spark in local mode (local[2]) on codon_usage_small. */
class SparkNeuralModulesTest {
  static final String[] OPTIONS = {"-threads", "1"};
  static JavaSparkContext sc;
  static Instances train;
  static Instances test;
  static NeuralModules single;
  static double singleAccuracy;

  @BeforeAll
  static void start() throws Exception {
    sc = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("NeuralModulesTest")
        .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1"));
    sc.setLogLevel("WARN");
    Instances all = DataSource.read("test-data/codon_usage_small.arff");
    all.setClassIndex(all.numAttributes() - 1);
    all.randomize(new Random(1));
    int nTrain = all.numInstances() * 2 / 3;
    train = new Instances(all, 0, nTrain);
    test = new Instances(all, nTrain, all.numInstances() - nTrain);
    single = new NeuralModules();
    single.setOptions(OPTIONS.clone());
    single.buildClassifier(train);
    singleAccuracy = accuracy(single);
  }

  @AfterAll
  static void stop() {
    sc.close();
  }

  static double accuracy(Classifier c) throws Exception {
    Evaluation e = new Evaluation(train);
    e.evaluateModel(c, test);
    return e.pctCorrect();
  }

  @Test
  void onePartitionGivesTheSingleMachineModelBitForBit() throws Exception {
    assertSameModel(single, SparkNeuralModules.train(sc, train, OPTIONS, 1).classifier());
  }

  /** With validation rows: validation and early stopping run at the driver. */
  @Test
  void onePartitionWithEarlyStoppingGivesTheSingleMachineModelBitForBit() throws Exception {
    String[] options = {"-threads", "1", "-min-validation", "20", "-N", "60", "-E", "6", "-H", "30"};
    NeuralModules alone = new NeuralModules();
    alone.setOptions(options.clone());
    alone.buildClassifier(train);
    assertTrue(alone.getModel().report().validationRows > 0, "premise: validation rows held out");
    assertSameModel(alone, SparkNeuralModules.train(sc, train, options, 1).classifier());
  }

  static void assertSameModel(NeuralModules expected, NeuralModules actual) throws Exception {
    TestSupport.assertBitwiseEquals(expected.getModel().network().theta(), actual.getModel().network().theta(),
        "weights of 1 partition vs one machine");
    assertEquals(expected.getModel().report().epochsRun, actual.getModel().report().epochsRun);
    assertEquals(expected.getModel().report().bestEpoch, actual.getModel().report().bestEpoch);
    assertEquals(expected.getModel().report().stopReason, actual.getModel().report().stopReason);
    for (int i = 0; i < test.numInstances(); i++) {
      TestSupport.assertBitwiseEquals(expected.distributionForInstance(test.instance(i)),
          actual.distributionForInstance(test.instance(i)), "prediction of test row " + i);
    }
  }

  @Test
  void fourPartitionsStayWithinOnePointOfTheSingleMachineAccuracy() throws Exception {
    SparkNeuralModules.Result r = SparkNeuralModules.train(sc, train, OPTIONS, 4);
    double acc = accuracy(r.classifier());
    System.out.printf("codon: one machine %.2f%%, 4 partitions %.2f%% (%d epochs)%n", singleAccuracy, acc,
        r.classifier().getModel().report().epochsRun);
    assertTrue(acc >= singleAccuracy - 1.0, "4 partitions " + acc + "% vs one machine " + singleAccuracy + "%");
    assertEquals(r.classifier().getModel().report().epochsRun, r.epochTimes().size());
  }

  @Test
  void theModelFileLoadsInWekaAndPredicts(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("train.arff");
    ArffSaver saver = new ArffSaver();
    saver.setInstances(train);
    saver.setFile(data.toFile());
    saver.writeBatch();
    Path model = dir.resolve("codon.model");
    SparkTrain.run(sc, new String[] {data.toString(), model.toString(), "-partitions", "2", "-N", "5", "-threads", "1"});
    Object[] saved = SerializationHelper.readAll(model.toString());
    NeuralModules loaded = assertInstanceOf(NeuralModules.class, saved[0]);
    assertTrue(((Instances) saved[1]).equalHeaders(train), "the header is saved for the Explorer");
    assertEquals(5, loaded.getModel().report().epochsRun);
    double[] p = loaded.distributionForInstance(test.instance(0));
    assertEquals(1.0, java.util.Arrays.stream(p).sum(), 1e-9);
    // Weka's command line: -l model -T test data
    Path testFile = dir.resolve("test.arff");
    saver = new ArffSaver();
    saver.setInstances(test);
    saver.setFile(testFile.toFile());
    saver.writeBatch();
    String out = Evaluation.evaluateModel(new NeuralModules(), new String[] {"-l", model.toString(), "-T",
        testFile.toString(), "-o"});
    assertTrue(out.contains("Correctly Classified Instances"), out);
    assertTrue(Files.size(model) > 1000);
  }

  @Test
  void aCsvFileTrainsWithTheClassChosenByIndex(@TempDir Path dir) throws Exception {
    Instances classFirst = new Instances(train);
    classFirst.setClassIndex(-1);
    weka.filters.unsupervised.attribute.Reorder reorder = new weka.filters.unsupervised.attribute.Reorder();
    reorder.setAttributeIndices("last,first-64");
    reorder.setInputFormat(classFirst);
    classFirst = weka.filters.Filter.useFilter(classFirst, reorder);
    Path csv = dir.resolve("train.csv");
    CSVSaver saver = new CSVSaver();
    saver.setInstances(classFirst);
    saver.setFile(csv.toFile());
    saver.writeBatch();
    Path model = dir.resolve("csv.model");
    SparkTrain.run(sc, new String[] {csv.toString(), model.toString(), "-c", "first", "-partitions", "2", "-N", "3"});
    Object[] saved = SerializationHelper.readAll(model.toString());
    Instances header = (Instances) saved[1];
    assertEquals(0, header.classIndex(), "-c first");
    assertEquals("Kingdom", header.classAttribute().name());
    NeuralModules loaded = (NeuralModules) saved[0];
    assertEquals(train.numInstances(), loaded.getModel().report().trainRows);
  }
}
