package weka.classifiers.functions;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.neuralmodules.graph.GraphPlan;
import weka.core.Instances;

/** NM regularization does what it is for: it breaks the active graph into smaller modules. */
class NeuralModulesRegularizationTest {

  private static GraphPlan trainedPlan(Instances data, String regularization) throws Exception {
    NeuralModules nm = new NeuralModules();
    nm.setOptions(new String[] {"-N", "100", "-regularization", regularization, "-S", "1", "-threads", "1", "-device",
        "CPU"});
    nm.buildClassifier(data);
    return nm.getModel().plan();
  }

  /**
   * Defaults (100 nodes, 50 active edges) but 100 epochs, on codon_usage_small. Measured largest
   * modules, seeds 1 to 5: NM 9, 10, 11, 10, 11; NONE 21, 13, 25, 21, 18. Without the prox step NM
   * trains exactly like NONE.
   */
  @Test
  void nmRegularizationGivesASmallerLargestModuleThanNone() throws Exception {
    Instances codon = NeuralModulesBehaviourTest.read("test-data/codon_usage_small.arff");
    GraphPlan nm = trainedPlan(codon, "NM");
    GraphPlan none = trainedPlan(codon, "NONE");
    assertTrue(nm.largestModule() < none.largestModule(), "largest module with NM " + nm.largestModule()
        + " (of " + nm.moduleCount + " modules), without regularization " + none.largestModule() + " (of "
        + none.moduleCount + ")");
  }
}
