package org.neuralmodules.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Every option's range: the values at its documented bounds are accepted, the values just outside
 * are refused with a message naming the option; and the activations' limits and derivatives at 0.
 */
class NMConfigTest {

  private static final NMConfig D = NMConfig.defaults();

  private static void accepts(Function<NMConfig, NMConfig> set, String what) {
    set.apply(D); // must not throw
  }

  private static void refuses(Function<NMConfig, NMConfig> set, String option) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> set.apply(D), option);
    assertTrue(e.getMessage().contains(option), option + " not named in: " + e.getMessage());
  }

  @Test
  void nodesEpochsBatchPatienceAndIterations() {
    accepts(c -> c.withNodes(1), "nodes 1");
    accepts(c -> c.withNodes(NMConfig.MAX_NODES), "max nodes");
    refuses(c -> c.withNodes(0), "-H");
    refuses(c -> c.withNodes(NMConfig.MAX_NODES + 1), "-H");
    accepts(c -> c.withEpochs(1), "epochs 1");
    refuses(c -> c.withEpochs(0), "-N");
    accepts(c -> c.withMiniBatch(1), "batch 1");
    refuses(c -> c.withMiniBatch(0), "-mini-batch");
    accepts(c -> c.withPatience(1), "patience 1");
    refuses(c -> c.withPatience(0), "-E");
    accepts(c -> c.withMaxIterations(1), "1 iteration");
    accepts(c -> c.withMaxIterations(10_000), "10000 iterations");
    refuses(c -> c.withMaxIterations(0), "-max-iter");
    refuses(c -> c.withMaxIterations(10_001), "-max-iter");
    accepts(c -> c.withThreads(0), "threads 0");
    accepts(c -> c.withThreads(1024), "threads 1024");
    refuses(c -> c.withThreads(-1), "-threads");
    refuses(c -> c.withThreads(1025), "-threads");
    accepts(c -> c.withMaxSteps(0), "no step cap");
    refuses(c -> c.withMaxSteps(-1), "-steps");
    accepts(c -> c.withMinValidationRows(0), "min validation 0");
    refuses(c -> c.withMinValidationRows(-1), "-min-validation");
    accepts(c -> c.withLrReductions(0), "no reductions");
    accepts(c -> c.withLrReductions(30), "30 reductions");
    refuses(c -> c.withLrReductions(-1), "-lr-reductions");
    refuses(c -> c.withLrReductions(31), "-lr-reductions");
  }

  @Test
  void realValuedRanges() {
    accepts(c -> c.withGamma(1), "gamma 1");
    accepts(c -> c.withGamma(0), "gamma 0 with edges per node");
    refuses(c -> c.withGamma(-1e-9), "-gamma");
    refuses(c -> c.withGamma(1 + 1e-9), "-gamma");
    accepts(c -> c.withAlpha(0), "alpha 0");
    refuses(c -> c.withAlpha(-1e-300), "-alpha");
    refuses(c -> c.withAlpha(Double.POSITIVE_INFINITY), "-alpha");
    accepts(c -> c.withLearningRate(10), "rate 10");
    accepts(c -> c.withLearningRate(Double.MIN_VALUE), "smallest rate");
    refuses(c -> c.withLearningRate(0), "-L");
    refuses(c -> c.withLearningRate(10 + 1e-9), "-L");
    accepts(c -> c.withValidationPercent(0), "V 0");
    accepts(c -> c.withValidationPercent(90), "V 90");
    refuses(c -> c.withValidationPercent(-1e-9), "-V");
    refuses(c -> c.withValidationPercent(90 + 1e-9), "-V");
    accepts(c -> c.withTolerance(0.5), "tol 0.5");
    refuses(c -> c.withTolerance(0), "-tol");
    refuses(c -> c.withTolerance(1), "-tol");
  }

  /** -edges-per-node matters only with -gamma 0: there it must be finite and > 0. */
  @Test
  void edgesPerNodeIsRequiredOnlyForAutomaticGamma() {
    accepts(c -> c.withGamma(0.5).withEdgesPerNode(0), "unused edges per node 0");
    refuses(c -> c.withGamma(0).withEdgesPerNode(0), "-edges-per-node");
    refuses(c -> c.withGamma(0).withEdgesPerNode(Double.POSITIVE_INFINITY), "-edges-per-node");
    accepts(c -> c.withGamma(0).withEdgesPerNode(NMConfig.MAX_NODES), "max edges per node");
    refuses(c -> c.withGamma(0.5).withEdgesPerNode(NMConfig.MAX_NODES + 1), "-edges-per-node");
    refuses(c -> c.withGamma(0.5).withEdgesPerNode(-1), "-edges-per-node");
  }

  @Test
  void enumsMustBeGivenAndDeviceFieldsDefault() {
    refuses(c -> c.withNorm(null), "-norm");
    refuses(c -> c.withRegularization(null), "-regularization");
    refuses(c -> c.withStructure(null), "-structure");
    refuses(c -> c.withActivation(null), "-activation");
    refuses(c -> c.withOpenclDevice("-1"), "-opencl-device");
    assertEquals("2", D.withOpenclDevice(" 2 ").openclDevice(), "trimmed");
    assertEquals(NMConfig.DEFAULT_DEVICE, D.withDevice(null).device());
    assertEquals(Monitor.LOSS, D.withMonitor(null).monitor(), "old models monitored the loss");
    assertEquals(1e-6, D.withTolerance(1e-6).tolerance(), 0.0);
    assertEquals(7, D.withMaxIterations(7).maxIterations());
  }

  /**
   * Saturation points (the solver's restarts) are f's limits: at +-infinity, with sign 0 counted
   * as positive; RELU has none. RELU's generalised derivative is 0 at x <= 0.
   */
  @Test
  void activationLimitsAndRelusKink() {
    assertEquals(1.0, Activation.TANH.saturation(0.0), 0.0);
    assertEquals(-1.0, Activation.TANH.saturation(-1e-300), 0.0);
    assertEquals(1.0, Activation.SIGMOID.saturation(0.0), 0.0);
    assertEquals(0.0, Activation.SIGMOID.saturation(-2), 0.0);
    assertEquals(Activation.TANH.f(1e3), Activation.TANH.saturation(1), 0.0);
    assertEquals(Activation.SIGMOID.f(-1e3), Activation.SIGMOID.saturation(-1), 0.0);
    assertTrue(Double.isNaN(Activation.RELU.saturation(1)));
    assertTrue(Activation.TANH.bounded() && Activation.SIGMOID.bounded() && !Activation.RELU.bounded());
    assertEquals(0.0, Activation.RELU.df(0.0), 0.0);
    assertEquals(1.0, Activation.RELU.df(1e-300), 0.0);
    assertEquals(0.0, Activation.RELU.f(-2), 0.0);
    assertEquals(3.0, Activation.RELU.f(3), 0.0);
  }
}
