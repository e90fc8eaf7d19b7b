package weka.classifiers.functions.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import weka.classifiers.functions.NeuralModules;
import weka.core.Instances;
import weka.core.SerializationHelper;
import weka.core.Utils;

/**
 * Models that last: the model serialized by version 0.1.0 (committed fixture, see
 * {@link FixtureGenerator}) must keep loading and predicting as it did. Change a
 * serialVersionUID only with a migration that keeps this test green.
 */
class ModelFixtureTest {
  static final String VERSION = "0.1.0";
  /**
   * Math.exp/tanh may differ by an ulp between JVMs and CPUs (intrinsics), which Newton carries to
   * ~1e-16; anything visible at 1e-12 is a real change of the model or its maths.
   */
  static final double TOLERANCE = 1e-12;

  @Test
  void modelOfVersion010LoadsAndPredictsAsItDid() throws Exception {
    Object o = SerializationHelper.read(FixtureGenerator.modelPath(VERSION).toString());
    NeuralModules nm = (NeuralModules) o;
    Instances iris = Data.iris();
    List<String> lines = Files.readAllLines(FixtureGenerator.predictionsPath(VERSION), StandardCharsets.UTF_8)
        .stream().filter(l -> !l.startsWith("#")).collect(Collectors.toList());
    assertEquals(iris.numInstances(), lines.size());
    double[][] batch = nm.distributionsForInstances(iris);
    int agree = 0;
    for (int i = 0; i < lines.size(); i++) {
      String[] f = lines.get(i).split(",");
      double[] expected = new double[f.length];
      for (int k = 0; k < f.length; k++) {
        expected[k] = Double.parseDouble(f[k]);
      }
      double[] got = nm.distributionForInstance(iris.instance(i));
      assertEquals(expected.length, got.length);
      for (int k = 0; k < f.length; k++) {
        assertEquals(expected[k], got[k], TOLERANCE, "row " + i + ", class " + k);
        assertEquals(expected[k], batch[i][k], TOLERANCE, "batch row " + i + ", class " + k);
      }
      assertEquals(Utils.maxIndex(expected), Utils.maxIndex(got), "predicted class of row " + i);
      agree += Utils.maxIndex(got) == (int) iris.instance(i).classValue() ? 1 : 0;
    }
    assertTrue(agree > 0.8 * iris.numInstances(), "the fixture is a real model: " + agree + " correct");
    assertTrue(nm.toString().contains("Nodes: 10"), nm.toString());
    // and it can be trained further in this version (options survived)
    assertEquals(10, nm.getNodes());
    assertEquals(30, nm.getNumEpochs());
  }
}
