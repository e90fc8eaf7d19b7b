package org.neuralmodules.config;

import java.io.Serializable;

/**
 * All hyper-parameters of a Neural Modules network and its training, validated in one place.
 * The compact constructor is the only home of range checks; {@link #defaults()} the only home of
 * default values (see docs/design-notes.md for how they were chosen).
 *
 * @param nodes           p, number of graph nodes (>= 1)
 * @param gamma           fraction of allowed off-diagonal edges kept active, in [0, 1]; 0 = automatic:
 *                        {@code edgesPerNode * nodes} edges, so the mean active degree does not grow with p
 * @param alpha           regularization strength (>= 0)
 * @param norm            L1 or L2 penalty
 * @param regularization  NONE, PLAIN (z_k = 1) or NM (z_k = active edges in k's module)
 * @param structure       GRAPH (any edge) or DAG (j -> k only for j < k)
 * @param activation      node activation f
 * @param epochs          maximum number of passes over the training data (>= 1)
 * @param learningRate    Adam step size (> 0)
 * @param miniBatch       samples per optimizer step (>= 1)
 * @param validationPercent percent of training data held out for early stopping, in [0, 90]
 * @param patience        epochs without validation improvement before stopping (>= 1)
 * @param seed            random seed for initialisation, shuffling and the validation split
 * @param threads         worker threads, 0 = all available cores (>= 0)
 * @param tolerance       Newton residual tolerance, max-norm, absolute + relative (> 0, < 1)
 * @param maxIterations   Newton iteration cap per strongly connected component (>= 1)
 * @param device          where the module solves run: AUTO (an OpenCL GPU if present), CPU or OPENCL
 * @param openclDevice    OpenCL device by index or (part of its) name; "" = the first (GPUs first)
 * @param edgesPerNode    mean active in-degree when gamma is 0 (automatic), > 0 then
 * @param maxSteps        cap on optimizer steps (mini-batches) over all epochs, 0 = none; with -N it
 *                        sets the budget: small data gets many epochs, large data few
 * @param minValidationRows smallest validation part worth early stopping on: below it no rows are held
 *                        out and training runs to the budget or to a training-loss plateau
 * @param lrReductions    how often the learning rate is halved when the monitored loss stalls for
 *                        half the patience (0 = constant rate)
 * @param monitor         what early stopping watches on the validation rows: LOSS or ERROR
 * @param outputBias      initial output biases: ZERO, or PRIOR (log of the training class frequencies)
 */
public record NMConfig(
    int nodes,
    double gamma,
    double alpha,
    Norm norm,
    Regularization regularization,
    Structure structure,
    Activation activation,
    int epochs,
    double learningRate,
    int miniBatch,
    double validationPercent,
    int patience,
    long seed,
    int threads,
    double tolerance,
    int maxIterations,
    Device device,
    String openclDevice,
    double edgesPerNode,
    int maxSteps,
    int minValidationRows,
    int lrReductions,
    Monitor monitor,
    OutputBias outputBias) implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final int DEFAULT_NODES = 100;
  /** 0 = automatic ({@link #DEFAULT_EDGES_PER_NODE} active edges per node). */
  // Enum and decimal defaults are defined by their text, so option descriptions (annotations) can
  // quote them; decimals are written without a '.', because Weka's option dialog cuts a tooltip at
  // the first '.' (PropertySheetPanel), which would turn "0.01" into "0".
  public static final String DEFAULT_GAMMA_TEXT = "0";
  public static final double DEFAULT_GAMMA = Double.parseDouble(DEFAULT_GAMMA_TEXT);
  public static final String DEFAULT_ALPHA_TEXT = "1e-2";
  public static final double DEFAULT_ALPHA = Double.parseDouble(DEFAULT_ALPHA_TEXT);
  public static final String DEFAULT_NORM_NAME = "L1";
  public static final Norm DEFAULT_NORM = Norm.valueOf(DEFAULT_NORM_NAME);
  public static final String DEFAULT_REGULARIZATION_NAME = "NM";
  public static final Regularization DEFAULT_REGULARIZATION = Regularization.valueOf(DEFAULT_REGULARIZATION_NAME);
  public static final String DEFAULT_STRUCTURE_NAME = "GRAPH";
  public static final Structure DEFAULT_STRUCTURE = Structure.valueOf(DEFAULT_STRUCTURE_NAME);
  public static final String DEFAULT_ACTIVATION_NAME = "TANH";
  public static final Activation DEFAULT_ACTIVATION = Activation.valueOf(DEFAULT_ACTIVATION_NAME);
  public static final int DEFAULT_EPOCHS = 500;
  public static final String DEFAULT_LEARNING_RATE_TEXT = "2e-3";
  public static final double DEFAULT_LEARNING_RATE = Double.parseDouble(DEFAULT_LEARNING_RATE_TEXT);
  public static final int DEFAULT_MINI_BATCH = 32;
  public static final String DEFAULT_VALIDATION_PERCENT_TEXT = "10";
  public static final double DEFAULT_VALIDATION_PERCENT = Double.parseDouble(DEFAULT_VALIDATION_PERCENT_TEXT);
  public static final int DEFAULT_PATIENCE = 20;
  public static final long DEFAULT_SEED = 1;
  public static final int DEFAULT_THREADS = 0;
  public static final String DEFAULT_TOLERANCE_TEXT = "1e-8";
  public static final double DEFAULT_TOLERANCE = Double.parseDouble(DEFAULT_TOLERANCE_TEXT);
  public static final int DEFAULT_MAX_ITERATIONS = 50;
  public static final String DEFAULT_DEVICE_NAME = "AUTO";
  public static final Device DEFAULT_DEVICE = Device.valueOf(DEFAULT_DEVICE_NAME);
  public static final String DEFAULT_OPENCL_DEVICE = "";
  public static final String DEFAULT_EDGES_PER_NODE_TEXT = "5e-1";
  public static final double DEFAULT_EDGES_PER_NODE = Double.parseDouble(DEFAULT_EDGES_PER_NODE_TEXT);
  public static final int DEFAULT_MAX_STEPS = 20_000;
  public static final int DEFAULT_MIN_VALIDATION_ROWS = 100;
  public static final int DEFAULT_LR_REDUCTIONS = 3;
  public static final String DEFAULT_MONITOR_NAME = "ERROR";
  public static final Monitor DEFAULT_MONITOR = Monitor.valueOf(DEFAULT_MONITOR_NAME);
  public static final String DEFAULT_OUTPUT_BIAS_NAME = "PRIOR";
  public static final OutputBias DEFAULT_OUTPUT_BIAS = OutputBias.valueOf(DEFAULT_OUTPUT_BIAS_NAME);

  /** Largest node count we accept at all; memory is checked separately against the heap. */
  public static final int MAX_NODES = 20_000;
  // Upper bounds of the other ranges (checked in the constructor, quoted in option descriptions).
  public static final int MAX_LEARNING_RATE = 10;
  public static final int MAX_VALIDATION_PERCENT = 90;
  public static final int MAX_THREADS = 1024;
  public static final int MAX_MAX_ITERATIONS = 10_000;
  public static final int MAX_LR_REDUCTIONS = 30;

  public NMConfig {
    require(nodes >= 1 && nodes <= MAX_NODES, "-H (nodes)", nodes, "an integer in [1, " + MAX_NODES + "]");
    require(gamma >= 0 && gamma <= 1, "-gamma (active edge fraction)", gamma,
        "a number in [0, 1] (0 = automatic, -edges-per-node edges per node)");
    // models saved before edgesPerNode existed carry 0 here and a gamma > 0, which never reads it
    require(gamma > 0 || (edgesPerNode > 0 && Double.isFinite(edgesPerNode)), "-edges-per-node", edgesPerNode,
        "a finite number > 0 (used when -gamma is 0)");
    require(edgesPerNode >= 0 && edgesPerNode <= MAX_NODES, "-edges-per-node", edgesPerNode,
        "a number in [0, " + MAX_NODES + "] (0 only with -gamma > 0)");
    require(maxSteps >= 0, "-steps (optimizer step cap)", maxSteps, "an integer >= 0 (0 = no cap)");
    require(minValidationRows >= 0, "-min-validation (rows)", minValidationRows, "an integer >= 0");
    require(lrReductions >= 0 && lrReductions <= MAX_LR_REDUCTIONS, "-lr-reductions", lrReductions,
        "an integer in [0, " + MAX_LR_REDUCTIONS + "]");
    require(alpha >= 0 && Double.isFinite(alpha), "-alpha (regularization strength)", alpha, "a finite number >= 0");
    requireNonNull(norm, "-norm", "L1 or L2");
    requireNonNull(regularization, "-regularization", "NM, PLAIN or NONE");
    requireNonNull(structure, "-structure", "GRAPH or DAG");
    requireNonNull(activation, "-activation", "TANH, SIGMOID or RELU");
    require(epochs >= 1, "-N (epochs)", epochs, "an integer >= 1");
    require(learningRate > 0 && learningRate <= MAX_LEARNING_RATE, "-L (learning rate)", learningRate,
        "a number in (0, " + MAX_LEARNING_RATE + "]");
    require(miniBatch >= 1, "-mini-batch", miniBatch, "an integer >= 1");
    require(validationPercent >= 0 && validationPercent <= MAX_VALIDATION_PERCENT, "-V (validation percent)",
        validationPercent, "a number in [0, " + MAX_VALIDATION_PERCENT + "]");
    require(patience >= 1, "-E (patience)", patience, "an integer >= 1");
    require(threads >= 0 && threads <= MAX_THREADS, "-threads", threads,
        "an integer in [0, " + MAX_THREADS + "] (0 = all cores)");
    require(tolerance > 0 && tolerance < 1, "-tol", tolerance, "a number in (0, 1)");
    require(maxIterations >= 1 && maxIterations <= MAX_MAX_ITERATIONS, "-max-iter", maxIterations,
        "an integer in [1, " + MAX_MAX_ITERATIONS + "]");
    // null only in models serialized before these fields existed: they get the defaults
    device = device == null ? DEFAULT_DEVICE : device;
    openclDevice = openclDevice == null ? DEFAULT_OPENCL_DEVICE : openclDevice.trim();
    monitor = monitor == null ? Monitor.LOSS : monitor;
    outputBias = outputBias == null ? OutputBias.ZERO : outputBias;
    require(!openclDevice.startsWith("-"), "-opencl-device", openclDevice,
        "a device index >= 0 or part of a device name (see clinfo -l), or empty for the first device");
  }

  /** The configuration without the device fields (AUTO, first OpenCL device). */
  public NMConfig(int nodes, double gamma, double alpha, Norm norm, Regularization regularization,
      Structure structure, Activation activation, int epochs, double learningRate, int miniBatch,
      double validationPercent, int patience, long seed, int threads, double tolerance, int maxIterations) {
    this(nodes, gamma, alpha, norm, regularization, structure, activation, epochs, learningRate, miniBatch,
        validationPercent, patience, seed, threads, tolerance, maxIterations, DEFAULT_DEVICE, DEFAULT_OPENCL_DEVICE,
        DEFAULT_EDGES_PER_NODE, DEFAULT_MAX_STEPS, DEFAULT_MIN_VALIDATION_ROWS, DEFAULT_LR_REDUCTIONS, DEFAULT_MONITOR, DEFAULT_OUTPUT_BIAS);
  }

  /** The defaults used by the Weka classifier and the command line. */
  public static NMConfig defaults() {
    return new NMConfig(DEFAULT_NODES, DEFAULT_GAMMA, DEFAULT_ALPHA, DEFAULT_NORM, DEFAULT_REGULARIZATION,
        DEFAULT_STRUCTURE, DEFAULT_ACTIVATION, DEFAULT_EPOCHS, DEFAULT_LEARNING_RATE, DEFAULT_MINI_BATCH,
        DEFAULT_VALIDATION_PERCENT, DEFAULT_PATIENCE, DEFAULT_SEED, DEFAULT_THREADS, DEFAULT_TOLERANCE,
        DEFAULT_MAX_ITERATIONS, DEFAULT_DEVICE, DEFAULT_OPENCL_DEVICE, DEFAULT_EDGES_PER_NODE, DEFAULT_MAX_STEPS,
        DEFAULT_MIN_VALIDATION_ROWS, DEFAULT_LR_REDUCTIONS, DEFAULT_MONITOR, DEFAULT_OUTPUT_BIAS);
  }

  /**
   * The fraction of allowed edges kept active: gamma itself, or for gamma 0 the fraction that gives
   * {@code edgesPerNode * nodes} edges (at most all of them).
   */
  public double activeFraction() {
    if (gamma > 0) {
      return gamma;
    }
    long allowed = structure.allowedEdges(nodes);
    return allowed == 0 ? 1.0 : Math.min(1.0, edgesPerNode * nodes / allowed);
  }

  /** Number of worker threads actually used. */
  public int effectiveThreads() {
    return threads == 0 ? Math.max(1, Runtime.getRuntime().availableProcessors()) : threads;
  }

  private static void require(boolean ok, String option, Object value, String allowed) {
    if (!ok) {
      throw new IllegalArgumentException("Invalid value " + value + " for " + option + ": must be " + allowed + ".");
    }
  }

  private static void requireNonNull(Object value, String option, String allowed) {
    if (value == null) {
      throw new IllegalArgumentException("Missing value for " + option + ": must be " + allowed + ".");
    }
  }

  // Withers used by the Weka adapter and tests: one field changes, validation runs again.
  public NMConfig withNodes(int v) { return new NMConfig(v, gamma, alpha, norm, regularization, structure, activation, epochs, learningRate, miniBatch, validationPercent, patience, seed, threads, tolerance, maxIterations, device, openclDevice, edgesPerNode, maxSteps, minValidationRows, lrReductions, monitor, outputBias); }
  public NMConfig withGamma(double v) { return new NMConfig(nodes, v, alpha, norm, regularization, structure, activation, epochs, learningRate, miniBatch, validationPercent, patience, seed, threads, tolerance, maxIterations, device, openclDevice, edgesPerNode, maxSteps, minValidationRows, lrReductions, monitor, outputBias); }
  public NMConfig withAlpha(double v) { return new NMConfig(nodes, gamma, v, norm, regularization, structure, activation, epochs, learningRate, miniBatch, validationPercent, patience, seed, threads, tolerance, maxIterations, device, openclDevice, edgesPerNode, maxSteps, minValidationRows, lrReductions, monitor, outputBias); }
  public NMConfig withNorm(Norm v) { return new NMConfig(nodes, gamma, alpha, v, regularization, structure, activation, epochs, learningRate, miniBatch, validationPercent, patience, seed, threads, tolerance, maxIterations, device, openclDevice, edgesPerNode, maxSteps, minValidationRows, lrReductions, monitor, outputBias); }
  public NMConfig withRegularization(Regularization v) { return new NMConfig(nodes, gamma, alpha, norm, v, structure, activation, epochs, learningRate, miniBatch, validationPercent, patience, seed, threads, tolerance, maxIterations, device, openclDevice, edgesPerNode, maxSteps, minValidationRows, lrReductions, monitor, outputBias); }
  public NMConfig withStructure(Structure v) { return new NMConfig(nodes, gamma, alpha, norm, regularization, v, activation, epochs, learningRate, miniBatch, validationPercent, patience, seed, threads, tolerance, maxIterations, device, openclDevice, edgesPerNode, maxSteps, minValidationRows, lrReductions, monitor, outputBias); }
  public NMConfig withActivation(Activation v) { return new NMConfig(nodes, gamma, alpha, norm, regularization, structure, v, epochs, learningRate, miniBatch, validationPercent, patience, seed, threads, tolerance, maxIterations, device, openclDevice, edgesPerNode, maxSteps, minValidationRows, lrReductions, monitor, outputBias); }
  public NMConfig withEpochs(int v) { return new NMConfig(nodes, gamma, alpha, norm, regularization, structure, activation, v, learningRate, miniBatch, validationPercent, patience, seed, threads, tolerance, maxIterations, device, openclDevice, edgesPerNode, maxSteps, minValidationRows, lrReductions, monitor, outputBias); }
  public NMConfig withLearningRate(double v) { return new NMConfig(nodes, gamma, alpha, norm, regularization, structure, activation, epochs, v, miniBatch, validationPercent, patience, seed, threads, tolerance, maxIterations, device, openclDevice, edgesPerNode, maxSteps, minValidationRows, lrReductions, monitor, outputBias); }
  public NMConfig withMiniBatch(int v) { return new NMConfig(nodes, gamma, alpha, norm, regularization, structure, activation, epochs, learningRate, v, validationPercent, patience, seed, threads, tolerance, maxIterations, device, openclDevice, edgesPerNode, maxSteps, minValidationRows, lrReductions, monitor, outputBias); }
  public NMConfig withValidationPercent(double v) { return new NMConfig(nodes, gamma, alpha, norm, regularization, structure, activation, epochs, learningRate, miniBatch, v, patience, seed, threads, tolerance, maxIterations, device, openclDevice, edgesPerNode, maxSteps, minValidationRows, lrReductions, monitor, outputBias); }
  public NMConfig withPatience(int v) { return new NMConfig(nodes, gamma, alpha, norm, regularization, structure, activation, epochs, learningRate, miniBatch, validationPercent, v, seed, threads, tolerance, maxIterations, device, openclDevice, edgesPerNode, maxSteps, minValidationRows, lrReductions, monitor, outputBias); }
  public NMConfig withSeed(long v) { return new NMConfig(nodes, gamma, alpha, norm, regularization, structure, activation, epochs, learningRate, miniBatch, validationPercent, patience, v, threads, tolerance, maxIterations, device, openclDevice, edgesPerNode, maxSteps, minValidationRows, lrReductions, monitor, outputBias); }
  public NMConfig withThreads(int v) { return new NMConfig(nodes, gamma, alpha, norm, regularization, structure, activation, epochs, learningRate, miniBatch, validationPercent, patience, seed, v, tolerance, maxIterations, device, openclDevice, edgesPerNode, maxSteps, minValidationRows, lrReductions, monitor, outputBias); }
  public NMConfig withTolerance(double v) { return new NMConfig(nodes, gamma, alpha, norm, regularization, structure, activation, epochs, learningRate, miniBatch, validationPercent, patience, seed, threads, v, maxIterations, device, openclDevice, edgesPerNode, maxSteps, minValidationRows, lrReductions, monitor, outputBias); }
  public NMConfig withMaxIterations(int v) { return new NMConfig(nodes, gamma, alpha, norm, regularization, structure, activation, epochs, learningRate, miniBatch, validationPercent, patience, seed, threads, tolerance, v, device, openclDevice, edgesPerNode, maxSteps, minValidationRows, lrReductions, monitor, outputBias); }
  public NMConfig withDevice(Device v) { return new NMConfig(nodes, gamma, alpha, norm, regularization, structure, activation, epochs, learningRate, miniBatch, validationPercent, patience, seed, threads, tolerance, maxIterations, v, openclDevice, edgesPerNode, maxSteps, minValidationRows, lrReductions, monitor, outputBias); }
  public NMConfig withOpenclDevice(String v) { return new NMConfig(nodes, gamma, alpha, norm, regularization, structure, activation, epochs, learningRate, miniBatch, validationPercent, patience, seed, threads, tolerance, maxIterations, device, v, edgesPerNode, maxSteps, minValidationRows, lrReductions, monitor, outputBias); }
  public NMConfig withEdgesPerNode(double v) { return new NMConfig(nodes, gamma, alpha, norm, regularization, structure, activation, epochs, learningRate, miniBatch, validationPercent, patience, seed, threads, tolerance, maxIterations, device, openclDevice, v, maxSteps, minValidationRows, lrReductions, monitor, outputBias); }
  public NMConfig withMaxSteps(int v) { return new NMConfig(nodes, gamma, alpha, norm, regularization, structure, activation, epochs, learningRate, miniBatch, validationPercent, patience, seed, threads, tolerance, maxIterations, device, openclDevice, edgesPerNode, v, minValidationRows, lrReductions, monitor, outputBias); }
  public NMConfig withMinValidationRows(int v) { return new NMConfig(nodes, gamma, alpha, norm, regularization, structure, activation, epochs, learningRate, miniBatch, validationPercent, patience, seed, threads, tolerance, maxIterations, device, openclDevice, edgesPerNode, maxSteps, v, lrReductions, monitor, outputBias); }
  public NMConfig withMonitor(Monitor v) { return new NMConfig(nodes, gamma, alpha, norm, regularization, structure, activation, epochs, learningRate, miniBatch, validationPercent, patience, seed, threads, tolerance, maxIterations, device, openclDevice, edgesPerNode, maxSteps, minValidationRows, lrReductions, v, outputBias); }
  public NMConfig withLrReductions(int v) { return new NMConfig(nodes, gamma, alpha, norm, regularization, structure, activation, epochs, learningRate, miniBatch, validationPercent, patience, seed, threads, tolerance, maxIterations, device, openclDevice, edgesPerNode, maxSteps, minValidationRows, v, monitor, outputBias); }
  public NMConfig withOutputBias(OutputBias v) { return new NMConfig(nodes, gamma, alpha, norm, regularization, structure, activation, epochs, learningRate, miniBatch, validationPercent, patience, seed, threads, tolerance, maxIterations, device, openclDevice, edgesPerNode, maxSteps, minValidationRows, lrReductions, monitor, v); }
}
