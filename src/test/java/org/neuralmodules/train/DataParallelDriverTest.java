package org.neuralmodules.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.neuralmodules.config.NMConfig;
import org.neuralmodules.solve.SolveStats;

/**
 * The driver side of data-parallel training with hand-made replica results (issue 15: the new
 * code's mutants): a diverged replica reruns the epoch at half the learning rate, the replicas'
 * solver counters reach the report, the epoch cap follows the largest slice, a finished trainer
 * runs no more epochs, and the recorded times are consistent.
 */
class DataParallelDriverTest {
  private static final NMConfig CFG = NMConfig.defaults().withNodes(5).withThreads(1).withMiniBatch(8)
      .withValidationPercent(0).withMaxSteps(0).withPatience(100).withLrReductions(0).withEpochs(3);

  private static Trainer trainer(NMConfig cfg, int n) {
    Trainer t = new Trainer(cfg, TrainerRecipeTest.data(n, 7, 0.0, null));
    t.initialise();
    return t;
  }

  private static Replica.Result with(Replica.Result r, double loss, SolveStats stats, long nanos) {
    return new Replica.Result(r.theta(), r.adam(), loss, r.rows(), stats, nanos);
  }

  /** The first draw of slice i's own random stream (the state a replica starts each session from). */
  private static long firstDraw(Replica r) throws Exception {
    java.lang.reflect.Field f = Replica.class.getDeclaredField("randomStart");
    f.setAccessible(true);
    try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(
        new java.io.ByteArrayInputStream((byte[]) f.get(r)))) {
      return ((java.util.Random) in.readObject()).nextLong();
    }
  }

  /**
   * Slices 1 and up shuffle from streams seeded with the seed and the slice index: another seed
   * gives them other streams, and two slices of one seed never share one.
   */
  @Test
  void everySliceDrawsFromItsOwnSeededStream() throws Exception {
    List<Replica> one = trainer(CFG.withSeed(1), 40).replicas(3);
    List<Replica> two = trainer(CFG.withSeed(2), 40).replicas(3);
    for (int i = 1; i < 3; i++) {
      assertTrue(firstDraw(one.get(i)) != firstDraw(two.get(i)), "slice " + i + " ignores the seed");
    }
    assertTrue(firstDraw(one.get(1)) != firstDraw(one.get(2)), "slices 1 and 2 share a stream");
    assertEquals(firstDraw(one.get(1)), firstDraw(trainer(CFG.withSeed(1), 40).replicas(3).get(1)),
        "the same seed gives the same stream");
  }

  /**
   * Replica 2 of the first try diverges (NaN loss): the epoch runs again, all replicas, with half
   * the learning rate, and the trainer counts one divergence restart.
   */
  @Test
  void aDivergedReplicaRerunsTheEpochAtHalfTheLearningRate() throws Exception {
    Trainer t = trainer(CFG, 40);
    DataParallelEpochs.ReplicaRunner real = DataParallelEpochs.sequential(t.replicas(2));
    double lr0 = t.learningRate();
    List<Double> rates = new ArrayList<>();
    DataParallelEpochs driver = new DataParallelEpochs(t, (theta, adam, lr, epoch) -> {
      rates.add(lr);
      List<Replica.Result> out = new ArrayList<>(real.run(theta, adam, lr, epoch));
      if (rates.size() == 1) {
        out.set(1, with(out.get(1), Double.NaN, out.get(1).stats(), out.get(1).nanos()));
      }
      return out;
    });
    assertTrue(driver.next());
    assertEquals(List.of(lr0, lr0 / 2), rates, "the epoch ran twice, the second time at half the rate");
    assertEquals(1, t.report().divergenceRestarts);
    assertEquals(1, t.report().epochsRun);
    assertEquals(lr0 / 2, t.learningRate());
  }

  /** The replicas' solver counters are summed into the epoch's and the session's counters. */
  @Test
  void theReplicasSolverCountersReachTheReport() throws Exception {
    Trainer t = trainer(CFG, 40);
    DataParallelEpochs.ReplicaRunner real = DataParallelEpochs.sequential(t.replicas(2));
    DataParallelEpochs driver = new DataParallelEpochs(t, (theta, adam, lr, epoch) -> {
      List<Replica.Result> out = new ArrayList<>();
      long solves = 3;
      for (Replica.Result r : real.run(theta, adam, lr, epoch)) {
        SolveStats s = new SolveStats();
        s.cyclicSolves = solves;
        s.unresolved = 1;
        out.add(with(r, r.meanLoss(), s, r.nanos()));
        solves++;
      }
      return out;
    });
    driver.next();
    assertEquals(7, t.report().lastEpochSolves.cyclicSolves, "3 + 4");
    assertEquals(2, t.report().lastEpochSolves.unresolved);
    driver.next();
    assertEquals(14, t.report().trainingSolves.cyclicSolves, "two epochs of 3 + 4");
  }

  /**
   * The epoch's compute time is the slowest replica's; wall, averaging and validation times lie
   * within the time the call took, and the overhead is what is left of the wall time.
   */
  @Test
  void epochTimesAreConsistent() throws Exception {
    Trainer t = trainer(CFG, 40);
    DataParallelEpochs.ReplicaRunner real = DataParallelEpochs.sequential(t.replicas(2));
    long[] nanos = {5, 9};
    DataParallelEpochs driver = new DataParallelEpochs(t, (theta, adam, lr, epoch) -> {
      List<Replica.Result> out = new ArrayList<>();
      List<Replica.Result> rs = real.run(theta, adam, lr, epoch);
      for (int i = 0; i < rs.size(); i++) {
        out.add(with(rs.get(i), rs.get(i).meanLoss(), rs.get(i).stats(), nanos[i]));
      }
      return out;
    });
    long before = System.nanoTime();
    driver.next();
    long took = System.nanoTime() - before;
    DataParallelEpochs.EpochTime e = driver.times().get(0);
    assertEquals(9, e.compute(), "the slowest replica");
    assertTrue(e.wall() >= 0 && e.wall() <= took, "wall " + e.wall() + " within the call's " + took);
    assertTrue(e.averaging() >= 0 && e.validation() >= 0, e.toString());
    assertTrue(e.averaging() + e.validation() <= e.wall(), e.toString());
    assertEquals(Math.max(0, e.wall() - 9 - e.averaging() - e.validation()), e.overhead());
  }

  @Test
  void overheadIsTheWallTimeNotSpentComputingAveragingOrValidating() {
    assertEquals(40, new DataParallelEpochs.EpochTime(100, 30, 20, 10).overhead());
    assertEquals(0, new DataParallelEpochs.EpochTime(50, 30, 20, 10).overhead(), "never negative");
  }

  /** A replica's pass time lies within the time its run call took. */
  @Test
  void aReplicaTimesItsOwnPass() {
    Trainer t = trainer(CFG, 40);
    Replica r = t.replicas(1).get(0);
    long before = System.nanoTime();
    Replica.Result res = r.run(t.weights(), t.optimizerState(), t.learningRate(), 1);
    long took = System.nanoTime() - before;
    assertTrue(res.nanos() >= 0 && res.nanos() <= took, res.nanos() + " within " + took);
  }

  /**
   * With one epoch allowed, the first epoch ends training: next() says so, and later calls run no
   * replica at all.
   */
  @Test
  void aFinishedTrainerRunsNoMoreEpochs() throws Exception {
    Trainer t = trainer(CFG.withEpochs(1), 40);
    DataParallelEpochs.ReplicaRunner real = DataParallelEpochs.sequential(t.replicas(2));
    int[] calls = {0};
    DataParallelEpochs driver = new DataParallelEpochs(t, (theta, adam, lr, epoch) -> {
      calls[0]++;
      return real.run(theta, adam, lr, epoch);
    });
    assertFalse(driver.next(), "the epoch cap is reached");
    assertTrue(t.isFinished());
    assertFalse(driver.next());
    assertEquals(1, calls[0], "no replica ran after the end");
    assertEquals(1, driver.trainToEnd().report().epochsRun);
  }

  @Test
  void acceptEpochNeedsReplicasAndAnUnfinishedTrainer() {
    Trainer plain = trainer(CFG, 40);
    IllegalStateException noReplicas = assertThrows(IllegalStateException.class,
        () -> plain.acceptEpoch(plain.weights(), plain.optimizerState(), 0.5, new SolveStats(), System.nanoTime()));
    assertTrue(noReplicas.getMessage().contains("replicas() first"), noReplicas.getMessage());
    Trainer t = trainer(CFG, 40);
    t.replicas(2);
    t.stop("test");
    IllegalStateException done = assertThrows(IllegalStateException.class,
        () -> t.acceptEpoch(t.weights(), t.optimizerState(), 0.5, new SolveStats(), System.nanoTime()));
    assertTrue(done.getMessage().contains("finished"), done.getMessage());
  }

  /**
   * One slice per training row is allowed; the epoch cap under -steps is that of the largest
   * slice: 10 rows in 3 slices (4, 3, 3) with 1-row batches and 8 steps give ceil(8 / 4) = 2
   * epochs, 9 rows in 3 slices of 3 give ceil(8 / 3) = 3.
   */
  @Test
  void theEpochCapFollowsTheLargestSlice() {
    NMConfig cfg = CFG.withMiniBatch(1).withMaxSteps(8).withEpochs(100);
    Trainer ten = trainer(cfg, 10);
    List<Replica> slices = ten.replicas(3);
    assertEquals(List.of(4, 3, 3), slices.stream().map(Replica::rows).toList());
    assertEquals(2, ten.report().epochCap);
    Trainer nine = trainer(cfg, 9);
    nine.replicas(3);
    assertEquals(3, nine.report().epochCap);
    Trainer rowEach = trainer(cfg, 9);
    assertEquals(9, rowEach.replicas(9).size(), "as many slices as training rows");
  }
}
