package weka.classifiers.functions.reliability;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import weka.classifiers.functions.NeuralModules;
import weka.core.Instances;

/**
 * The Explorer's Stop button interrupts the training thread: training must end within one second
 * with an InterruptedException and leave no worker thread running, whatever the thread count. The
 * configurations are dense cyclic graphs (one strongly connected component of all nodes), so one
 * epoch takes many seconds.
 */
class InterruptionTest {

  static List<Thread> workers() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("neural-modules-") && t.isAlive()).collect(Collectors.toList());
  }

  /** 300 nodes: several Newton iterations per sample; 1500 nodes: one LU alone takes seconds. */
  @ParameterizedTest
  @CsvSource({"1, 300", "2, 300", "2, 1500"})
  void interruptedTrainingStopsWithinOneSecondAndLeavesNoThreads(int threads, int nodes) throws Exception {
    Instances codon = Data.codonSmall();
    NeuralModules nm = new NeuralModules();
    nm.setOptions(new String[] {"-H", "" + nodes, "-gamma", "1", "-regularization", "NONE", "-N", "1000", "-V", "0",
        "-threads", "" + threads});
    Set<Thread> before = Set.copyOf(workers());
    AtomicReference<Throwable> outcome = new AtomicReference<>();
    Thread trainer = new Thread(() -> {
      try {
        nm.buildClassifier(codon);
        outcome.set(new AssertionError("training finished before the interrupt: make the test configuration larger"));
      } catch (Throwable e) {
        outcome.set(e);
      }
    }, "interruption-test-trainer");
    trainer.start();
    Thread.sleep(1500); // well inside the first epoch
    assertTrue(trainer.isAlive(), "training should still be running");
    long start = System.nanoTime();
    trainer.interrupt();
    trainer.join(10_000);
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(java.util.Locale.ROOT, "InterruptionTest: -H %d, %d thread(s), stopped %.3f s after the interrupt%n",
        nodes, threads, seconds);
    assertFalse(trainer.isAlive(), "training did not stop after 10 s");
    assertTrue(seconds < 1.0, "training took " + seconds + " s to stop after the interrupt");
    assertInstanceOf(InterruptedException.class, outcome.get(), "outcome: " + outcome.get());
    // A worker may still be unwinding its last uninterruptible block; give it a bounded moment.
    List<Thread> left = workers().stream().filter(t -> !before.contains(t)).collect(Collectors.toList());
    for (int i = 0; i < 40 && !left.isEmpty(); i++) {
      Thread.sleep(50);
      left = workers().stream().filter(t -> !before.contains(t)).collect(Collectors.toList());
    }
    assertTrue(left.isEmpty(), "worker threads still running: " + left);

    // the classifier is usable again afterwards
    nm.setOptions(new String[] {"-H", "5", "-N", "2", "-threads", "" + threads});
    nm.buildClassifier(Data.iris());
    Data.assertSoundPredictions(nm, Data.iris());
  }
}
