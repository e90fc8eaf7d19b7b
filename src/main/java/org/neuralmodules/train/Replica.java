package org.neuralmodules.train;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.Random;
import org.neuralmodules.backend.Backends;
import org.neuralmodules.backend.SolverBackend;
import org.neuralmodules.config.NMConfig;
import org.neuralmodules.model.Network;
import org.neuralmodules.model.ParamLayout;
import org.neuralmodules.solve.NodeSolver;
import org.neuralmodules.solve.SolveStats;

/**
 * One slice of the training rows in data-parallel training ({@link Trainer#replicas}): it runs one
 * epoch of mini-batch Adam steps on its own rows from given weights and optimizer state, as the
 * single-machine trainer does on all rows. It keeps no state between epochs (a Spark task may run
 * anywhere): epoch e replays the e shuffles of its row order from its random stream's start, which
 * costs e * rows random draws, nothing next to one pass.
 */
public final class Replica implements Serializable {
  private static final long serialVersionUID = 1L;

  private final NMConfig cfg;
  private final ParamLayout layout;
  private final Dataset rows;
  private final double targetMean;
  private final double targetScale;
  private final double weightPow2;
  private final double weightScale;
  private final byte[] randomStart;

  Replica(NMConfig cfg, ParamLayout layout, Dataset rows, double targetMean, double targetScale,
      double weightPow2, double weightScale, Random start) {
    this.cfg = cfg;
    this.layout = layout;
    this.rows = rows;
    this.targetMean = targetMean;
    this.targetScale = targetScale;
    this.weightPow2 = weightPow2;
    this.weightScale = weightScale;
    this.randomStart = save(start);
  }

  /** Training rows of this slice. */
  public int rows() {
    return rows.n();
  }

  /**
   * What one replica epoch produced.
   *
   * @param theta     weights after the pass
   * @param adam      optimizer state after the pass
   * @param meanLoss  mean training loss of the pass, NaN if it diverged
   * @param rows      rows of the slice (the averaging weight)
   * @param stats     solver counters of the pass
   * @param nanos     time the pass took on its executor
   */
  public record Result(double[] theta, Adam adam, double meanLoss, int rows, SolveStats stats, long nanos)
      implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /**
   * Runs epoch {@code epoch} (1 = the first) on this slice from the given weights and optimizer
   * state with learning rate {@code lr}; the arguments are not changed.
   */
  public Result run(double[] theta, Adam adam, double lr, int epoch) {
    long start = System.nanoTime();
    int[] order = new int[rows.n()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Random rnd = load(randomStart);
    for (int e = 0; e < epoch; e++) {
      Trainer.shuffle(order, rnd);
    }
    Network net = new Network(layout, cfg.activation(), cfg.structure(), theta.clone());
    Adam local = adam.copy();
    MiniBatchPass pass = new MiniBatchPass(cfg, layout, rows, Math.max(1, Math.min(cfg.miniBatch(), rows.n())),
        targetMean, targetScale, weightPow2, weightScale);
    SolveStats stats = new SolveStats();
    double loss;
    try (SolverBackend backend = Backends.create(cfg, new NodeSolver(cfg.activation(), cfg.tolerance(),
        cfg.maxIterations()))) {
      loss = rows.n() == 0 ? 0.0 : pass.train(backend, order, net, local, lr, stats);
    }
    return new Result(net.theta(), local, loss, rows.n(), stats, System.nanoTime() - start);
  }

  private static byte[] save(Random r) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(r);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static Random load(byte[] state) {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(state))) {
      return (Random) in.readObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }
}
