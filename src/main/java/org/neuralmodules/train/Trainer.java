package org.neuralmodules.train;

import java.io.Serializable;
import java.util.Random;
import org.neuralmodules.backend.Backends;
import org.neuralmodules.backend.BatchBuffers;
import org.neuralmodules.backend.OutputHead;
import org.neuralmodules.backend.Parallel;
import org.neuralmodules.backend.SolverBackend;
import org.neuralmodules.config.Monitor;
import org.neuralmodules.config.NMConfig;
import org.neuralmodules.config.OutputBias;
import org.neuralmodules.graph.GraphPlan;
import org.neuralmodules.model.Network;
import org.neuralmodules.model.ParamLayout;
import org.neuralmodules.solve.NodeSolver;
import org.neuralmodules.solve.SolveStats;

/**
 * Trains a Neural Modules network: seeded split and shuffling, mini-batch Adam with a proximal
 * regularization step, early stopping on a validation split, rollback with a halved learning rate
 * when an epoch diverges.
 *
 * <p>Call order: {@link #initialise()}, then {@link #nextEpoch()} until it returns false (or as
 * often as wanted), then {@link #finish()}. {@link #current()} gives a usable model between epochs.
 * One RNG, owned by this trainer, drives everything: the same config and data give the same bits,
 * whatever the thread count.
 *
 * <p>A finished trainer can {@link #resume} for another session of epochs on the same rows: the
 * weights, Adam moments, learning rate, RNG and early-stopping state carry on, so N epochs and then
 * M give the bits of N + M epochs in one session. The trainer is serializable for that (a model
 * saved with -resume can be trained further); the data and work buffers are not saved.
 */
public final class Trainer implements Serializable {
  private static final long serialVersionUID = 1L;
  /** How often one epoch may be rolled back with a halved learning rate before giving up. */
  static final int MAX_RESTARTS = 8;
  /**
   * Relative drop of the monitored loss that counts as progress for patience: smaller gains still
   * update the best weights, but do not keep training alive on a loss that only creeps.
   */
  static final double MIN_RELATIVE_IMPROVEMENT = 1e-4;
  /**
   * With -monitor ERROR the validation score is error + loss * this: the loss only breaks ties
   * between equal error rates (one validation row moves the error by 1/rows, more than the loss
   * term moves unless there are over 1000 / loss validation rows).
   */
  static final double LOSS_TIE_BREAK = 1e-3;

  private NMConfig cfg;
  private final ParamLayout layout;
  private transient Dataset data;
  private transient OutputHead head;
  private transient NodeSolver solver;
  /** Identifies the training rows, so a resumed session refuses different data. */
  private final long dataFingerprint;

  private Random rnd;
  private Network net;
  private Adam adam;
  private double lr;
  private int[] trainRows;
  private int[] validRows;
  private double targetMean;
  private double targetScale = 1.0;
  /** Weight of a row = its instance weight * weightPow2 (exact) * weightScale: mean weight 1. */
  private double weightScale = 1.0;
  private double weightPow2 = 1.0;
  private double[] bestTheta;
  /** Best monitored loss that counted as progress (patience and plateau counters reset on it). */
  private double progressLoss;
  /** Best validation score (loss, or error with the loss as tie-break) whose weights are kept. */
  private double bestScore;
  private int badEpochs;
  private int plateauEpochs;
  private boolean finished;
  /** Whether epochs run on {@link #replicas} (then {@link #nextEpoch} is refused). */
  private boolean dataParallel;
  /** Epochs run in this session (since {@link #initialise} or the last {@link #resume}). */
  private int sessionEpochs;
  private int sessionCap;
  /** The mini-batch Adam pass over the training rows, and the batch buffers validation reuses. */
  private transient MiniBatchPass pass;
  private TrainingReport report;

  public Trainer(NMConfig cfg, Dataset data) {
    this.cfg = cfg;
    this.layout = new ParamLayout(data.d(), cfg.nodes(), data.outputs());
    this.dataFingerprint = fingerprint(data);
    attach(data);
  }

  /** Sets the data and everything derived from the config that is not saved with the trainer. */
  private void attach(Dataset d) {
    this.data = d;
    this.head = d.numeric() ? new OutputHead.Linear() : new OutputHead.Softmax();
    this.solver = new NodeSolver(cfg.activation(), cfg.tolerance(), cfg.maxIterations());
  }

  private void allocateBuffers() {
    pass = new MiniBatchPass(cfg, layout, data,
        Math.max(1, Math.min(cfg.miniBatch(), Math.max(trainRows.length, validRows.length))),
        targetMean, targetScale, weightPow2, weightScale);
  }

  /** Hash of every input, target and weight bit (order matters: the saved split holds row indices). */
  static long fingerprint(Dataset d) {
    long h = 1125899906842597L;
    h = 31 * h + d.n();
    h = 31 * h + d.d();
    h = 31 * h + d.classes();
    if (d.sparse() != null) {
      h = 31 * h + d.sparse().fingerprint();
    } else {
      for (double v : d.x()) {
        h = 31 * h + Double.doubleToLongBits(v);
      }
    }
    for (double v : d.y()) {
      h = 31 * h + Double.doubleToLongBits(v);
    }
    if (d.weight() != null) {
      for (double v : d.weight()) {
        h = 31 * h + Double.doubleToLongBits(v);
      }
    }
    return h;
  }

  /**
   * Starts another session of epochs on a trainer that has been initialised (and possibly
   * finished, saved and loaded): training continues from the current weights and optimizer state.
   * The new config may change the budget and stopping options (-N, -steps, -E, -lr-reductions,
   * -threads, -device); options that define the model or the data split must stay. A session that
   * ended on patience starts with fresh patience.
   *
   * @throws IllegalArgumentException naming what differs, if the config changes the model or the
   *     data are not the rows of the first session
   */
  public void resume(NMConfig next, Dataset rows) {
    String diff = modelDifference(cfg, next);
    if (diff != null) {
      throw new IllegalArgumentException("Cannot resume training with a different " + diff
          + ": only -N, -steps, -E, -lr-reductions, -threads and -device may change between sessions. "
          + "Set resume to false to train a new model.");
    }
    if (rows.n() != data0Rows() || rows.d() != layout.inputs() || rows.outputs() != layout.outputs()
        || fingerprint(rows) != dataFingerprint) {
      throw new IllegalArgumentException("Cannot resume training on different data: resuming needs the "
          + "training rows of the first session, in the same order (" + data0Rows() + " rows). Set resume to "
          + "false to train a new model on these data.");
    }
    cfg = next;
    attach(rows);
    allocateBuffers();
    sessionEpochs = 0;
    sessionCap = epochCap(cfg, trainRows.length);
    report.epochCap = report.epochsRun + sessionCap;
    if (report.earlyStopped) {
      badEpochs = 0;
      plateauEpochs = 0;
      report.earlyStopped = false;
    }
    report.stopReason = null;
    finished = false;
  }

  private int data0Rows() {
    return trainRows.length + validRows.length;
  }

  /** The first option that changes the model or the split between two configs, or null. */
  private static String modelDifference(NMConfig a, NMConfig b) {
    if (a.nodes() != b.nodes()) return "-H (nodes)";
    if (a.structure() != b.structure()) return "-structure";
    if (a.activation() != b.activation()) return "-activation";
    if (a.seed() != b.seed()) return "-S (seed)";
    if (a.validationPercent() != b.validationPercent()) return "-V (validation percent)";
    if (a.minValidationRows() != b.minValidationRows()) return "-min-validation";
    if (a.miniBatch() != b.miniBatch()) return "-mini-batch";
    if (a.gamma() != b.gamma() || a.edgesPerNode() != b.edgesPerNode()) return "-gamma or -edges-per-node";
    if (a.alpha() != b.alpha() || a.norm() != b.norm() || a.regularization() != b.regularization()) {
      return "regularization (-alpha, -norm, -regularization)";
    }
    if (a.learningRate() != b.learningRate()) return "-L (learning rate)";
    if (a.monitor() != b.monitor()) return "-monitor";
    if (a.tolerance() != b.tolerance() || a.maxIterations() != b.maxIterations()) return "solver (-tol, -max-iter)";
    return null;
  }

  /** Estimated bytes training needs (parameters and optimiser state, plans, workspaces, buffers). */
  public static long estimateBytes(NMConfig cfg, int n, int d, int outputs) {
    ParamLayout l = new ParamLayout(d, cfg.nodes(), outputs);
    long params = 9L * l.bytes(); // theta, grad, Adam m/v, their epoch snapshots, best
    long plan = GraphPlan.worstCaseBytes(cfg.nodes());
    long ws = (long) cfg.effectiveThreads() * org.neuralmodules.solve.Workspace.worstCaseBytes(cfg.nodes(), true);
    long batch = BatchBuffers.bytes(Math.min(cfg.miniBatch(), Math.max(1, n)), d, cfg.nodes(), outputs);
    return params + 2 * plan + ws + batch;
  }

  /** Heap that can still be allocated: the maximum heap minus what is in use now. */
  public static long freeHeapBytes() {
    Runtime rt = Runtime.getRuntime();
    return rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
  }

  /**
   * Refuses, before anything large is allocated, a configuration that needs more than the free
   * heap (instead of an OutOfMemoryError midway).
   *
   * @throws IllegalStateException naming -H and -Xmx when {@code need > free}
   */
  public static void checkMemory(int nodes, long need, long free) {
    if (need > free) {
      throw new IllegalStateException(String.format("Not enough memory for %d nodes: training needs about "
          + "%d MB but only %d MB of heap are free. Lower -H (nodes) or -gamma, or start Java with a larger "
          + "-Xmx.", nodes, need >> 20, free >> 20));
    }
  }

  public void initialise() {
    checkMemory(cfg.nodes(), estimateBytes(cfg, data.n(), data.d(), data.outputs()), freeHeapBytes());
    rnd = new Random(cfg.seed());
    int n = data.n();
    int[] order = permutation(n);
    int nValid = 0;
    if (cfg.validationPercent() > 0 && n >= 10) {
      nValid = (int) Math.max(1, Math.round(n * cfg.validationPercent() / 100.0));
    }
    // A handful of validation rows picks the stopping epoch by noise, and costs training rows
    // that small data cannot spare: below the minimum, train on everything, stop on the budget or
    // a training-loss plateau (docs/design-notes.md, "Training recipe").
    boolean validationTooSmall = nValid > 0 && nValid < cfg.minValidationRows();
    if (validationTooSmall) {
      nValid = 0;
    }
    validRows = java.util.Arrays.copyOfRange(order, 0, nValid);
    trainRows = java.util.Arrays.copyOfRange(order, nValid, n);
    if (data.numeric()) {
      // Sums run on values scaled by a power of two s (exact: the same bits as without scaling), so
      // targets near +-1e300 neither overflow nor, near 1e-300, underflow. Scaled, max |y| is in [1, 2).
      double max = 0;
      for (int r : trainRows) {
        max = Math.max(max, Math.abs(data.y()[r]));
      }
      double s = max > 0 && Double.isFinite(max) ? Math.scalb(1.0, Math.getExponent(max)) : 1.0;
      double sum = 0;
      for (int r : trainRows) {
        sum += data.y()[r] / s;
      }
      double mean = sum / trainRows.length;
      double ss = 0;
      for (int r : trainRows) {
        ss += (data.y()[r] / s - mean) * (data.y()[r] / s - mean);
      }
      double sd = Math.sqrt(ss / trainRows.length);
      targetMean = mean * s;
      // a spread at rounding level of the magnitude is a constant target
      targetScale = sd > 1e-12 && Double.isFinite(sd) ? sd * s : 1.0;
    }
    if (data.weight() != null) {
      // summed after scaling by a power of two (exact, the same bits), so huge weights cannot overflow
      double max = 0;
      for (int r : trainRows) {
        max = Math.max(max, data.weight()[r]);
      }
      double s = max > 0 ? Math.scalb(1.0, -Math.getExponent(max)) : 1.0;
      double sw = 0;
      for (int r : trainRows) {
        sw += data.weight()[r] * s;
      }
      weightPow2 = s;
      weightScale = sw > 0 ? trainRows.length / sw : 1.0;
    }
    net = Network.initialise(layout, cfg.activation(), cfg.structure(), rnd);
    if (cfg.outputBias() == OutputBias.PRIOR && !data.numeric()) {
      setPriorBias();
    }
    adam = new Adam(layout.size());
    lr = cfg.learningRate();
    allocateBuffers();
    bestTheta = net.theta().clone();
    report = new TrainingReport();
    report.trainRows = trainRows.length;
    report.validationRows = validRows.length;
    report.validationSkipped = validationTooSmall;
    if (data.sparse() != null) {
      report.sparseInputs = true;
      report.sparseInputDensity = data.sparse().nonZeros() / ((double) data.n() * Math.max(1, data.d()));
    }
    report.bestValidationLoss = Double.POSITIVE_INFINITY;
    sessionEpochs = 0;
    sessionCap = epochCap(cfg, trainRows.length);
    report.epochCap = sessionCap;
    progressLoss = Double.POSITIVE_INFINITY;
    bestScore = Double.POSITIVE_INFINITY;
    badEpochs = 0;
    plateauEpochs = 0;
    finished = false;
  }

  /** Output biases = log of the weighted, add-one smoothed class frequencies of the training rows. */
  private void setPriorBias() {
    double[] count = new double[layout.outputs()];
    double total = 0;
    for (int r : trainRows) {
      double w = MiniBatchPass.rowWeight(data, r, weightPow2, weightScale);
      count[(int) data.y()[r]] += w;
      total += w;
    }
    for (int o = 0; o < count.length; o++) {
      net.theta()[layout.b(o)] = Math.log((count[o] + 1) / (total + count.length));
    }
  }

  /**
   * Epochs allowed: -N, or fewer where the step cap is reached first. With 32-row mini-batches and
   * the default 20,000 steps, 300 training rows get the full -N and 10,000 rows about 64 epochs.
   */
  static int epochCap(NMConfig cfg, int trainRows) {
    if (cfg.maxSteps() == 0 || trainRows == 0) {
      return cfg.epochs();
    }
    long stepsPerEpoch = (trainRows + (long) cfg.miniBatch() - 1) / cfg.miniBatch();
    long byBudget = (cfg.maxSteps() + stepsPerEpoch - 1) / stepsPerEpoch;
    return (int) Math.max(1, Math.min(cfg.epochs(), byBudget));
  }

  private int[] permutation(int n) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
    }
    shuffle(a);
    return a;
  }

  private void shuffle(int[] a) {
    shuffle(a, rnd);
  }

  /** Fisher-Yates shuffle driven by {@code rnd} (replicas replay the trainer's shuffles with it). */
  static void shuffle(int[] a, Random rnd) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  /**
   * One pass over the training rows, then validation and the early-stopping decision.
   *
   * @return whether another epoch may follow
   * @throws IllegalStateException if training keeps diverging
   * @throws Parallel.CancellationRuntimeException if the thread is interrupted
   */
  public boolean nextEpoch() {
    if (finished) {
      return false;
    }
    if (dataParallel) {
      throw new IllegalStateException("this trainer runs data-parallel epochs: use acceptEpoch");
    }
    long start = System.nanoTime();
    shuffle(trainRows);
    double[] thetaStart = net.theta().clone();
    Adam adamStart = adam.copy();
    SolveStats epochStats = new SolveStats();
    try (SolverBackend backend = Backends.create(cfg, solver)) {
      report.backend = backend.describe();
      double trainLoss;
      while (true) {
        trainLoss = pass.train(backend, trainRows, net, adam, lr, epochStats);
        if (Double.isFinite(trainLoss)) {
          break;
        }
        halveAfterDivergence();
        System.arraycopy(thetaStart, 0, net.theta(), 0, thetaStart.length);
        adam = adamStart.copy();
        epochStats.clear();
      }
      afterPass(backend, trainLoss, epochStats);
    }
    closeEpoch(epochStats, start);
    return !finished;
  }

  /**
   * Counts a diverged pass and halves the learning rate for its retry.
   *
   * @throws IllegalStateException after {@link #MAX_RESTARTS} retries
   */
  private void halveAfterDivergence() {
    report.divergenceRestarts++;
    if (report.divergenceRestarts > MAX_RESTARTS) {
      throw new IllegalStateException(String.format("Training diverged (non-finite loss) %d times; "
          + "the learning rate was halved down to %.3g. Lower -L (learning rate), or -alpha, or use "
          + "-activation TANH.", report.divergenceRestarts, lr));
    }
    lr *= 0.5;
  }

  /** After a finite pass: counts the epoch, validates, keeps the best weights, patience and plateau. */
  private void afterPass(SolverBackend backend, double trainLoss, SolveStats epochStats) {
    report.epochsRun++;
    sessionEpochs++;
    report.trainLoss = trainLoss;
    double monitored = trainLoss;
    if (validRows.length > 0) {
      validate(backend, epochStats);
      monitored = watchesError()
          ? report.validationError + LOSS_TIE_BREAK * report.validationLoss
          : report.validationLoss;
      if (monitored < bestScore) {
        bestScore = monitored;
        report.bestValidationLoss = report.validationLoss;
        report.bestValidationError = report.validationError;
        report.bestEpoch = report.epochsRun;
        bestTheta = net.theta().clone();
      }
    } else {
      report.bestEpoch = report.epochsRun;
    }
    track(monitored);
    report.finalLearningRate = lr;
  }

  /** Solver counters, time and the epoch cap, once the epoch's backend is closed. */
  private void closeEpoch(SolveStats epochStats, long startNanos) {
    report.lastEpochSolves.clear();
    report.lastEpochSolves.add(epochStats);
    report.trainingSolves.add(epochStats);
    report.trainNanos += System.nanoTime() - startNanos;
    if (!finished && sessionEpochs >= sessionCap) {
      report.stopReason = sessionCap < cfg.epochs() ? "step cap (-steps)" : "epoch cap (-N)";
      finished = true;
    }
  }

  /**
   * Patience and plateau bookkeeping on the monitored loss (validation, else training): half the
   * patience without progress halves the learning rate (at most -lr-reductions times), the full
   * patience stops training.
   */
  private void track(double monitored) {
    boolean progress = progressLoss == Double.POSITIVE_INFINITY
        ? monitored < progressLoss
        : monitored < progressLoss - MIN_RELATIVE_IMPROVEMENT * Math.abs(progressLoss);
    if (progress) {
      progressLoss = monitored;
      badEpochs = 0;
      plateauEpochs = 0;
      return;
    }
    badEpochs++;
    plateauEpochs++;
    if (badEpochs >= cfg.patience()) {
      report.earlyStopped = true;
      report.stopReason = validRows.length == 0 ? "training loss stalled (-E)"
          : watchesError() ? "validation error stalled (-E)"
          : "validation loss stalled (-E)";
      finished = true;
    } else if (plateauEpochs >= Math.max(1, cfg.patience() / 2) && report.lrReductions < cfg.lrReductions()) {
      lr *= 0.5;
      report.lrReductions++;
      plateauEpochs = 0;
    }
  }

  /** Whether early stopping watches the validation error (-monitor ERROR; a numeric class has none). */
  private boolean watchesError() {
    return cfg.monitor() == Monitor.ERROR && !data.numeric();
  }

  /**
   * Weighted mean loss and weighted error rate of the validation rows, into the report (a
   * non-finite loss counts as infinitely bad).
   */
  private void validate(SolverBackend backend, SolveStats stats) {
    GraphPlan plan = GraphPlan.build(net.theta(), layout.wOffset(), layout.nodes(), cfg.structure(),
        cfg.activeFraction(), pass.scratch());
    BatchBuffers buf = pass.buf;
    double sum = 0;
    double wrong = 0;
    double weights = 0;
    int cap = buf.capacity;
    int c = layout.outputs();
    for (int startRow = 0; startRow < validRows.length; startRow += cap) {
      int nb = Math.min(cap, validRows.length - startRow);
      pass.load(validRows, startRow, nb);
      backend.forward(net, plan, buf, nb, stats);
      for (int s = 0; s < nb; s++) {
        sum += buf.weight[s] * head.lossAndGradient(net.theta(), layout, buf.h, s * layout.nodes(),
            buf.target[s], buf.delta, s * c, buf.g, s * layout.nodes());
        weights += buf.weight[s];
        if (!data.numeric() && predictedClass(buf.delta, s * c, c, (int) buf.target[s]) != (int) buf.target[s]) {
          wrong += buf.weight[s];
        }
      }
    }
    double v = weights > 0 ? sum / weights : sum;
    report.validationLoss = Double.isFinite(v) ? v : Double.POSITIVE_INFINITY;
    report.validationError = data.numeric() ? Double.NaN : weights > 0 ? wrong / weights : 0;
  }

  /** Argmax of the softmax probabilities, recovered from the head's gradient p - onehot(target). */
  private static int predictedClass(double[] delta, int off, int c, int target) {
    int best = 0;
    double bestP = Double.NEGATIVE_INFINITY;
    for (int k = 0; k < c; k++) {
      double prob = delta[off + k] + (k == target ? 1.0 : 0.0);
      if (prob > bestP) {
        bestP = prob;
        best = k;
      }
    }
    return best;
  }

  // ---------------------------------------------------------------- data-parallel training

  /**
   * Cuts the training rows, in their order after {@link #initialise}, into {@code parts} contiguous
   * slices of nearly equal size (the first slices one row larger), for data-parallel training:
   * the driver runs each slice's epoch with {@link Replica#run} from {@link #weights()},
   * {@link #optimizerState()} and {@link #learningRate()}, averages the results with
   * {@link ParameterAverage} and hands them to {@link #acceptEpoch}. Slice 0 continues this
   * trainer's random stream, so one slice replays {@link #nextEpoch} bit for bit; slice i draws
   * from a stream seeded with the seed and i. The epoch cap becomes that of the largest slice:
   * -steps counts the optimizer steps of one replica. The rows are copied (dense).
   *
   * @throws IllegalStateException if an epoch has run already
   * @throws IllegalArgumentException if parts is not in [1, training rows]
   */
  public java.util.List<Replica> replicas(int parts) {
    if (report.epochsRun > 0 || sessionEpochs > 0) {
      throw new IllegalStateException("replicas are cut before the first epoch");
    }
    if (parts < 1 || parts > Math.max(1, trainRows.length)) {
      throw new IllegalArgumentException("cannot cut " + trainRows.length + " training rows into " + parts
          + " slices: use between 1 and " + Math.max(1, trainRows.length) + " partitions");
    }
    dataParallel = true;
    java.util.List<Replica> out = new java.util.ArrayList<>(parts);
    int n = trainRows.length;
    int from = 0;
    for (int part = 0; part < parts; part++) {
      int size = n / parts + (part < n % parts ? 1 : 0);
      Random start = part == 0 ? rnd : new Random(cfg.seed() * 0x9E3779B97F4A7C15L + part);
      out.add(new Replica(cfg, layout, slice(from, size), targetMean, targetScale, weightPow2, weightScale, start));
      from += size;
    }
    sessionCap = epochCap(cfg, n / parts + (n % parts > 0 ? 1 : 0));
    report.epochCap = report.epochsRun + sessionCap;
    return out;
  }

  /** Training rows trainRows[from .. from + size) as a dataset (sparse if the data are), in that order. */
  private Dataset slice(int from, int size) {
    int d = data.d();
    boolean sparse = data.sparse() != null;
    double[] x = sparse ? null : new double[Math.multiplyExact(size, d)];
    double[] y = new double[size];
    double[] w = data.weight() == null ? null : new double[size];
    for (int i = 0; i < size; i++) {
      int r = trainRows[from + i];
      if (!sparse) {
        data.fillRow(r, x, i * d);
      }
      y[i] = data.y()[r];
      if (w != null) {
        w[i] = data.weight()[r];
      }
    }
    return new Dataset(x, y, w, size, d, data.classes(), sparse ? data.sparse().select(trainRows, from, size) : null);
  }

  /** The epoch a replica runs next (1 = the first): how many shuffles it replays. */
  public int nextEpochNumber() {
    return report.epochsRun + 1;
  }

  /** The learning rate of the next epoch. */
  public double learningRate() {
    return lr;
  }

  /** A copy of the current weights. */
  public double[] weights() {
    return net.theta().clone();
  }

  /** A copy of the optimizer state. */
  public Adam optimizerState() {
    return adam.copy();
  }

  /** Whether the session has ended (a cap, patience, or {@link #stop}). */
  public boolean isFinished() {
    return finished;
  }

  /**
   * A data-parallel epoch diverged (a replica's loss was not finite): counts it and halves the
   * learning rate, as {@link #nextEpoch} does before running the epoch again.
   *
   * @throws IllegalStateException after too many retries
   */
  public void retryAfterDivergence() {
    halveAfterDivergence();
  }

  /**
   * Ends a data-parallel epoch with the averaged weights and optimizer state: validation on this
   * trainer's validation rows, best weights, patience and plateau, caps, as {@link #nextEpoch}.
   *
   * @param trainLoss  mean training loss over all replicas
   * @param stats      the replicas' solver counters, summed
   * @param startNanos {@link System#nanoTime()} when the epoch started
   * @return whether another epoch may follow
   */
  public boolean acceptEpoch(double[] theta, Adam state, double trainLoss, SolveStats stats, long startNanos) {
    if (!dataParallel || finished) {
      throw new IllegalStateException(finished ? "training has finished" : "acceptEpoch needs replicas() first");
    }
    System.arraycopy(theta, 0, net.theta(), 0, theta.length);
    adam = state.copy();
    try (SolverBackend backend = Backends.create(cfg, solver)) {
      report.backend = backend.describe();
      afterPass(backend, trainLoss, stats);
    }
    closeEpoch(stats, startNanos);
    return !finished;
  }

  /** Ends the session after the current epoch (e.g. the user pressed Stop), recording why. */
  public void stop(String reason) {
    if (!finished) {
      finished = true;
      report.stopReason = reason;
    }
  }

  /** A model of the current weights (between epochs, e.g. for IterativeClassifierOptimizer). */
  public TrainedModel current() {
    return model(net.copy());
  }

  private TrainedModel model(Network weights) {
    return new TrainedModel(cfg, weights, data.classes(), targetMean, targetScale, copyReport());
  }

  /**
   * Ends the session: a model of the best validation weights (or the last ones without
   * validation). The trainer keeps its last weights and optimizer state for {@link #resume}.
   */
  public TrainedModel finish() {
    finished = true;
    Network out = net.copy();
    if (validRows.length > 0 && report.bestEpoch > 0) {
      System.arraycopy(bestTheta, 0, out.theta(), 0, bestTheta.length);
    }
    return model(out);
  }

  public TrainingReport report() {
    return report;
  }

  private TrainingReport copyReport() {
    TrainingReport r = new TrainingReport();
    r.epochsRun = report.epochsRun;
    r.bestEpoch = report.bestEpoch;
    r.earlyStopped = report.earlyStopped;
    r.trainLoss = report.trainLoss;
    r.validationLoss = report.validationLoss;
    r.bestValidationLoss = report.bestValidationLoss;
    r.trainRows = report.trainRows;
    r.validationRows = report.validationRows;
    r.trainNanos = report.trainNanos;
    r.divergenceRestarts = report.divergenceRestarts;
    r.finalLearningRate = report.finalLearningRate;
    r.validationSkipped = report.validationSkipped;
    r.epochCap = report.epochCap;
    r.lrReductions = report.lrReductions;
    r.stopReason = report.stopReason;
    r.validationError = report.validationError;
    r.bestValidationError = report.bestValidationError;
    r.backend = report.backend;
    r.sparseInputs = report.sparseInputs;
    r.sparseInputDensity = report.sparseInputDensity;
    r.trainingSolves.add(report.trainingSolves);
    r.lastEpochSolves.add(report.lastEpochSolves);
    return r;
  }
}
