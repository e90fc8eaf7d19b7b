package weka.classifiers.functions.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import weka.classifiers.functions.NeuralModules;
import weka.core.Instances;

/**
 * One trained model used for prediction from many threads at once (single and batch predictions
 * mixed, the batch ones running their own worker pools) gives exactly the answers of one thread.
 */
class ConcurrentPredictionTest {

  @Test
  void predictionsFromManyThreadsEqualThoseFromOne() throws Exception {
    Instances codon = Data.codonSmall();
    NeuralModules nm = new NeuralModules();
    nm.setOptions(new String[] {"-H", "40", "-N", "5", "-gamma", "0.1", "-threads", "2", "-batch-size", "16"});
    nm.buildClassifier(codon);
    int n = codon.numInstances();
    double[][] reference = new double[n][];
    for (int i = 0; i < n; i++) {
      reference[i] = nm.distributionForInstance(codon.instance(i));
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int task = 0; task < 64; task++) {
        Random r = new Random(task);
        boolean batch = task % 2 == 0;
        futures.add(pool.submit(() -> {
          if (batch) {
            int from = r.nextInt(n);
            int count = 1 + r.nextInt(Math.min(120, n - from));
            Instances part = new Instances(codon, from, count);
            double[][] got = nm.distributionsForInstances(part);
            for (int i = 0; i < count; i++) {
              assertArrayEquals(reference[from + i], got[i], 0.0, "batch row " + (from + i));
            }
          } else {
            for (int k = 0; k < 40; k++) {
              int i = r.nextInt(n);
              assertArrayEquals(reference[i], nm.distributionForInstance(codon.instance(i)), 0.0, "row " + i);
            }
          }
          return null;
        }));
      }
      for (Future<?> f : futures) {
        f.get(); // rethrows any assertion failure of a task
      }
    } finally {
      pool.shutdownNow();
      pool.awaitTermination(10, TimeUnit.SECONDS);
    }
  }
}
