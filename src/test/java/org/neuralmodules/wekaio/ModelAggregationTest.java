package org.neuralmodules.wekaio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neuralmodules.TestSupport;
import org.neuralmodules.train.TrainedModel;
import weka.classifiers.functions.NeuralModules;
import weka.core.Instances;
import weka.core.WekaException;
import weka.core.converters.ConverterUtils.DataSource;
import weka.filters.Filter;
import weka.filters.unsupervised.attribute.Remove;

class ModelAggregationTest {
  static Instances iris;

  @BeforeAll
  static void load() throws Exception {
    iris = DataSource.read("test-data/iris.arff");
    iris.setClassIndex(iris.numAttributes() - 1);
  }

  static NeuralModules train(Instances data, String... options) throws Exception {
    NeuralModules nm = new NeuralModules();
    nm.setOptions(options);
    nm.setNumEpochs(3);
    nm.buildClassifier(data);
    return nm;
  }

  @Test
  void modelsWithOtherOptionsAreRefusedNamingTheDifference() throws Exception {
    NeuralModules a = train(iris, "-H", "6");
    NeuralModules b = train(iris, "-H", "7");
    ModelAggregation agg = new ModelAggregation(a.getPreprocessor(), a.getModel());
    WekaException e = assertThrows(WekaException.class, () -> agg.add(b.getPreprocessor(), b.getModel()));
    assertTrue(e.getMessage().contains("different options") && e.getMessage().contains("Vote"), e.getMessage());
  }

  @Test
  void modelsOfAnotherHeaderAreRefused() throws Exception {
    Remove rm = new Remove();
    rm.setAttributeIndices("1");
    rm.setInputFormat(iris);
    Instances fewer = Filter.useFilter(iris, rm);
    NeuralModules a = train(iris, "-H", "6");
    NeuralModules b = train(fewer, "-H", "6");
    ModelAggregation agg = new ModelAggregation(a.getPreprocessor(), a.getModel());
    WekaException e = assertThrows(WekaException.class, () -> agg.add(b.getPreprocessor(), b.getModel()));
    assertTrue(e.getMessage().contains("different training headers"), e.getMessage());
  }

  @Test
  void aModelNeverTrainedOnRowsIsRefused() {
    assertThrows(WekaException.class, () -> new ModelAggregation(null, null));
  }

  @Test
  void averageOfAModelWithItselfIsThatModel() throws Exception {
    NeuralModules a = train(iris, "-H", "6", "-threads", "1");
    NeuralModules b = train(iris, "-H", "6", "-threads", "2");
    ModelAggregation agg = new ModelAggregation(a.getPreprocessor(), a.getModel());
    agg.add(b.getPreprocessor(), b.getModel());
    TrainedModel avg = agg.average();
    // (0.5 x + 0.5 x) == x exactly; threads do not change a model
    TestSupport.assertBitwiseEquals(a.getModel().network().theta(), avg.network().theta(), "averaged weights");
    assertEquals(2 * a.getModel().report().trainRows, avg.report().trainRows);
    assertEquals(a.getModel().plan().activeEdges, avg.plan().activeEdges);
    assertEquals(java.util.Arrays.toString(a.getModel().plan().moduleOf), java.util.Arrays.toString(avg.plan().moduleOf));
  }
}
