package weka.classifiers.functions;

import junit.framework.Test;
import junit.framework.TestSuite;
import weka.classifiers.AbstractClassifierTest;
import weka.classifiers.Classifier;

/**
 * Weka's own conformance and regression tests (JUnit 3, run by the vintage engine). The regression
 * reference lives in src/test/resources/wekarefs (the pom points weka.test.Regression.root there);
 * it is committed, so a change of predictions fails this test.
 */
public class NeuralModulesTest extends AbstractClassifierTest {

  public NeuralModulesTest(String name) {
    super(name);
  }

  /** Small and quick but otherwise default: regularization on, cyclic graph, validation split. */
  @Override
  public Classifier getClassifier() {
    NeuralModules nm = new NeuralModules();
    nm.setNodes(12);
    nm.setNumEpochs(10);
    nm.setGamma(0.2);
    return nm;
  }

  public static Test suite() {
    return new TestSuite(NeuralModulesTest.class);
  }
}
