package org.neuralmodules.train;

import java.util.ArrayList;
import java.util.List;
import org.neuralmodules.solve.SolveStats;

/**
 * The driver's loop of data-parallel training: each epoch every {@link Replica} runs one pass on
 * its slice from the same weights and optimizer state (where that happens is the
 * {@link ReplicaRunner}'s business: a loop, or Spark tasks), then the weights and the Adam moments
 * are averaged, weighted by slice rows, and the {@link Trainer} validates and decides on early
 * stopping. A diverged replica makes the whole epoch run again with half the learning rate, as on
 * one machine. With one replica this is {@link Trainer#nextEpoch} bit for bit.
 */
public final class DataParallelEpochs {
  /** Runs one epoch of every replica and returns their results in replica order. */
  @FunctionalInterface
  public interface ReplicaRunner {
    List<Replica.Result> run(double[] theta, Adam adam, double lr, int epoch) throws Exception;
  }

  /**
   * Where one epoch's time went (nanoseconds).
   *
   * @param wall      the whole epoch at the driver
   * @param compute   the slowest replica's pass (measured on its executor)
   * @param averaging averaging weights and optimizer state at the driver
   * @param validation validation and early-stopping bookkeeping at the driver
   */
  public record EpochTime(long wall, long compute, long averaging, long validation) {
    /** Everything else: scheduling, shipping parameters out and results back. */
    public long overhead() {
      return Math.max(0, wall - compute - averaging - validation);
    }
  }

  private final Trainer trainer;
  private final ReplicaRunner runner;
  private final List<EpochTime> times = new ArrayList<>();

  /** @param trainer initialised, with {@link Trainer#replicas} cut for the runner */
  public DataParallelEpochs(Trainer trainer, ReplicaRunner runner) {
    this.trainer = trainer;
    this.runner = runner;
  }

  /**
   * One epoch (run again with a halved learning rate while a replica diverges).
   *
   * @return whether another epoch may follow
   * @throws IllegalStateException if training keeps diverging
   */
  public boolean next() throws Exception {
    if (trainer.isFinished()) {
      return false;
    }
    long start = System.nanoTime();
    while (true) {
      List<Replica.Result> results = runner.run(trainer.weights(), trainer.optimizerState(), trainer.learningRate(),
          trainer.nextEpochNumber());
      long compute = 0;
      boolean finite = true;
      for (Replica.Result r : results) {
        compute = Math.max(compute, r.nanos());
        finite &= Double.isFinite(r.meanLoss());
      }
      if (!finite) {
        trainer.retryAfterDivergence();
        continue;
      }
      long t0 = System.nanoTime();
      double[] rows = new double[results.size()];
      List<double[]> thetas = new ArrayList<>(results.size());
      List<Adam> states = new ArrayList<>(results.size());
      List<double[]> losses = new ArrayList<>(results.size());
      SolveStats stats = new SolveStats();
      for (int i = 0; i < rows.length; i++) {
        Replica.Result r = results.get(i);
        rows[i] = r.rows();
        thetas.add(r.theta());
        states.add(r.adam());
        losses.add(new double[] {r.meanLoss()});
        stats.add(r.stats());
      }
      double[] f = ParameterAverage.fractions(rows);
      double[] theta = ParameterAverage.mean(thetas, f);
      Adam adam = Adam.average(states, f);
      double loss = ParameterAverage.mean(losses, f)[0];
      long t1 = System.nanoTime();
      boolean more = trainer.acceptEpoch(theta, adam, loss, stats, start);
      long end = System.nanoTime();
      times.add(new EpochTime(end - start, compute, t1 - t0, end - t1));
      return more;
    }
  }

  /** Epochs until a cap or early stopping, then the model of the best validation weights. */
  public TrainedModel trainToEnd() throws Exception {
    while (next()) {
      // one epoch per call
    }
    return trainer.finish();
  }

  /** Time of every epoch so far (epochs run again after divergence count once, with all tries). */
  public List<EpochTime> times() {
    return List.copyOf(times);
  }

  /** Runs the replicas one after another in this JVM (tests, and the reference for a cluster run). */
  public static ReplicaRunner sequential(List<Replica> replicas) {
    return (theta, adam, lr, epoch) -> {
      List<Replica.Result> out = new ArrayList<>(replicas.size());
      for (Replica r : replicas) {
        out.add(r.run(theta, adam, lr, epoch));
      }
      return out;
    };
  }
}
