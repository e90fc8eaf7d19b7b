package weka.classifiers.functions.reliability;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.neuralmodules.config.NMConfig;
import org.neuralmodules.train.Trainer;
import weka.classifiers.functions.NeuralModules;

/**
 * Resources: a configuration that cannot fit is refused before anything large is allocated, with
 * a message naming -H and -Xmx, instead of an OutOfMemoryError midway.
 */
class MemoryLimitTest {

  @Test
  void theCheckRefusesWhatDoesNotFitAndNamesHAndXmx() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Trainer.checkMemory(5000, 3L << 30, 1L << 30));
    assertTrue(e.getMessage().contains("-H") && e.getMessage().contains("-Xmx") && e.getMessage().contains("5000"),
        e.getMessage());
    assertTrue(e.getMessage().contains("3072 MB") && e.getMessage().contains("1024 MB"), e.getMessage());
    assertDoesNotThrow(() -> Trainer.checkMemory(5000, 1L << 30, 3L << 30));
  }

  @Test
  void theEstimateGrowsWithNodesAndCoversTheParameterCopies() {
    NMConfig c = NMConfig.defaults().withThreads(2);
    long previous = 0;
    for (int p : new int[] {10, 100, 1000, 3000, 20000}) {
      long est = Trainer.estimateBytes(c.withNodes(p), 13_000, 64, 11);
      assertTrue(est > previous, "estimate must grow with -H");
      assertTrue(est >= 9L * 8 * p * (long) p, "at least the 9 p x p parameter-sized arrays, p = " + p);
      previous = est;
    }
    // codon (64 features, 11 classes) with -H 3000 fits the default heap of a 24 GB machine (6 GB)
    long codon3000 = Trainer.estimateBytes(c.withNodes(3000), 13_000, 64, 11);
    assertTrue(codon3000 < 6L << 30, "-H 3000 on codon needs " + (codon3000 >> 20) + " MB by the estimate");
  }

  @Test
  void hugeHOnTheTestHeapIsAClearErrorNotAnOutOfMemoryError() throws Exception {
    NeuralModules nm = new NeuralModules();
    nm.setOptions(new String[] {"-H", "20000", "-N", "1"});
    long need = Trainer.estimateBytes(nm.getConfig(), 150, 4, 3);
    assertTrue(need > Runtime.getRuntime().maxMemory(),
        "this test needs a heap below " + (need >> 20) + " MB (surefire runs with -Xmx4g)");
    Exception e = assertThrows(Exception.class, () -> nm.buildClassifier(Data.iris()));
    assertTrue(e instanceof IllegalStateException, "not an OutOfMemoryError: " + e);
    assertTrue(e.getMessage().contains("-H") && e.getMessage().contains("-Xmx"), e.getMessage());
  }
}
