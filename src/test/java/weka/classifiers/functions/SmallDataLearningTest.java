package weka.classifiers.functions;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import weka.classifiers.Evaluation;
import weka.core.Instances;
import weka.core.converters.ConverterUtils.DataSource;

/**
 * The training recipe on small data (issue 9): 106 rows, 57 nominal attributes. The old recipe
 * (a 50-epoch cap and early stopping on a 10% validation split of ~10 rows) stopped long before
 * the network had learnt; the current one trains on every row to its step and epoch budget.
 */
class SmallDataLearningTest {
  /**
   * 10-fold CV (seed 1) measured: current defaults 85.85%, the old recipe 81.13%
   * ({@link #OLD_RECIPE}), Weka's MultilayerPerceptron -H 100 see docs/design-notes.md.
   */
  static final double FLOOR = 0.84;
  static final String[] OLD_RECIPE = {"-gamma", "0.005", "-N", "50", "-steps", "0", "-min-validation", "0",
      "-lr-reductions", "0", "-monitor", "LOSS", "-E", "10"};

  @Test
  void defaultsBeatTheFloorOnASmallDataset() throws Exception {
    Instances data = DataSource.read("test-data/promotergene.arff");
    data.setClassIndex(data.numAttributes() - 1);
    Evaluation ev = new Evaluation(data);
    ev.crossValidateModel(new NeuralModules(), data, 10, new Random(1));
    double acc = 1 - ev.errorRate();
    assertTrue(acc >= FLOOR, "10-fold CV accuracy " + acc + " below the small-data floor " + FLOOR
        + " (the old recipe, -N 50 with a 10-row validation split, reaches 0.811)");
  }

  /** The floor means something only if the recipe it guards against stays below it. */
  @Test
  void theOldRecipeStaysBelowTheFloor() throws Exception {
    Instances data = DataSource.read("test-data/promotergene.arff");
    data.setClassIndex(data.numAttributes() - 1);
    NeuralModules old = new NeuralModules();
    old.setOptions(OLD_RECIPE.clone());
    Evaluation ev = new Evaluation(data);
    ev.crossValidateModel(old, data, 10, new Random(1));
    assertTrue(1 - ev.errorRate() < FLOOR, "old recipe reached " + (1 - ev.errorRate()));
  }
}
