package weka.classifiers.functions;

import java.util.Locale;
import org.neuralmodules.config.Activation;
import org.neuralmodules.config.Device;
import org.neuralmodules.config.Monitor;
import org.neuralmodules.config.NMConfig;
import org.neuralmodules.config.Norm;
import org.neuralmodules.config.OutputBias;
import org.neuralmodules.config.Regularization;
import org.neuralmodules.config.Structure;
import org.neuralmodules.train.Dataset;
import org.neuralmodules.train.ModelSummary;
import org.neuralmodules.train.ModuleRoles;
import org.neuralmodules.train.TrainedModel;
import org.neuralmodules.train.Trainer;
import org.neuralmodules.train.TrainingProgress;
import org.neuralmodules.train.TrainingReport;
import org.neuralmodules.wekaio.InstanceWeights;
import org.neuralmodules.wekaio.ModelMeasures;
import org.neuralmodules.wekaio.ModuleGraphExport;
import org.neuralmodules.wekaio.Preprocessor;
import org.neuralmodules.wekaio.ProgressWindow;
import weka.classifiers.AbstractClassifier;
import weka.classifiers.IterativeClassifier;
import weka.classifiers.rules.ZeroR;
import weka.core.BatchPredictor;
import weka.core.Drawable;
import weka.core.AdditionalMeasureProducer;
import weka.core.Capabilities;
import weka.core.Capabilities.Capability;
import weka.core.Instance;
import weka.core.Instances;
import weka.core.LogHandler;
import weka.core.OptionMetadata;
import weka.core.Randomizable;
import weka.core.RevisionUtils;
import weka.core.TechnicalInformation;
import weka.core.TechnicalInformationHandler;
import weka.core.Utils;
import weka.core.WeightedInstancesHandler;
import weka.core.WekaException;
import weka.gui.Logger;

/**
 * Weka front end of the Neural Modules network (Liu, Fang, Jiang). It only translates between Weka
 * (options, Instances, capabilities) and the engine in {@code org.neuralmodules}: the configuration
 * record validates options, the {@link Preprocessor} turns instances into numbers, the
 * {@link Trainer} trains and the {@link TrainedModel} predicts.
 */
public class NeuralModules extends AbstractClassifier implements IterativeClassifier, Randomizable,
    TechnicalInformationHandler, BatchPredictor, WeightedInstancesHandler, Drawable,
    AdditionalMeasureProducer, LogHandler {

  private static final long serialVersionUID = -6411437462781052186L;

  /** All hyper-parameters; every setter replaces it through a validating wither. */
  private NMConfig m_config = NMConfig.defaults();

  private Preprocessor m_preprocessor;
  private TrainedModel m_model;
  /** Used instead of the network when training data has no usable rows. */
  private ZeroR m_fallback;
  /** Why the ZeroR fallback is used (shown in the model output), or null. */
  private String m_fallbackReason;
  private boolean m_resume;
  /** Kept after training only with resume set; then saved with the model. */
  private Trainer m_trainer;
  /** Whether to open a progress window while training (where a display exists). */
  private boolean m_progress;
  /** The Explorer's or KnowledgeFlow's log: one status line per epoch. */
  private transient Logger m_log;
  private transient ProgressWindow m_window;

  public String globalInfo() {
    return "Neural Modules: a network whose hidden nodes form a general directed graph. Node values "
        + "solve a nonlinear system (Newton with LU, by strongly connected component), gradients come "
        + "from one adjoint solve, and only the strongest edges (a fraction gamma of them by |w|) are used in the solves. The weakly "
        + "connected components of that thresholded graph are neural modules, solved independently; "
        + "NM regularization (alpha * z_k * norm) breaks large modules into small balanced ones. "
        + "DEQ baseline: -gamma 1 -regularization NONE; DAG baseline: -structure DAG.\n\n"
        + "For more information see:\n\n" + getTechnicalInformation().toString();
  }

  @Override
  public TechnicalInformation getTechnicalInformation() {
    TechnicalInformation t = new TechnicalInformation(TechnicalInformation.Type.ARTICLE);
    t.setValue(TechnicalInformation.Field.AUTHOR, "Xinshun Liu and Yizhi Fang and Yichao Jiang");
    t.setValue(TechnicalInformation.Field.TITLE,
        "Automatic Organization of Neural Modules for Enhanced Collaboration in Neural Networks");
    t.setValue(TechnicalInformation.Field.YEAR, "2024");
    t.setValue(TechnicalInformation.Field.NOTE, "arXiv preprint");
    return t;
  }

  @Override
  public Capabilities getCapabilities() {
    Capabilities result = super.getCapabilities();
    result.disableAll();
    result.enable(Capability.NOMINAL_ATTRIBUTES);
    result.enable(Capability.NUMERIC_ATTRIBUTES);
    result.enable(Capability.DATE_ATTRIBUTES);
    result.enable(Capability.MISSING_VALUES);
    result.enable(Capability.NOMINAL_CLASS);
    result.enable(Capability.NUMERIC_CLASS);
    result.enable(Capability.DATE_CLASS);
    result.enable(Capability.MISSING_CLASS_VALUES);
    result.setMinimumNumberInstances(0);
    return result;
  }

  // ---------------------------------------------------------------- training

  /**
   * Trains a new model, whatever the resume setting (as Weka's LogitBoost and
   * MultilayerPerceptron do): continuing goes through {@link #initializeClassifier},
   * {@link #next} and {@link #done}, e.g. Weka's {@code -l model -continue-iterating}.
   */
  @Override
  public void buildClassifier(Instances data) throws Exception {
    m_trainer = null;
    initializeClassifier(data);
    while (next()) {
      // one epoch per call
    }
    done();
  }

  /**
   * Starts training, or with resume set and a trainer kept by {@link #done} (also in a model saved
   * and loaded since), starts another session of -N epochs from the current weights and optimizer
   * state on the same training data.
   */
  @Override
  public void initializeClassifier(Instances data) throws Exception {
    getCapabilities().testWithFail(data);
    Instances train = new Instances(data);
    train.deleteWithMissingClass();
    String weightProblem = InstanceWeights.check(train);
    if (weightProblem != null) {
      throw new WekaException(weightProblem);
    }
    boolean continuing = m_resume && m_trainer != null;
    Preprocessor.checkMemory(train, Trainer.freeHeapBytes());
    Preprocessor preprocessor = new Preprocessor();
    Instances pre = preprocessor.fit(train);
    if (!continuing) {
      m_model = null;
      m_fallback = null;
      m_fallbackReason = null;
      m_trainer = null;
      m_preprocessor = preprocessor;
      String reason = pre.numInstances() == 0 ? "no training rows with a class value"
          : pre.sumOfWeights() <= 0 ? "all training rows have instance weight 0" : null;
      if (reason != null) {
        m_fallbackReason = reason;
        m_fallback = new ZeroR();
        m_fallback.buildClassifier(pre); // not train: the preprocessor may have dropped rows (infinite class)
        return;
      }
    }
    Dataset ds = toDataset(preprocessor, pre);
    if (continuing) {
      // the same rows give the same preprocessor; resume() checks that they are the same rows
      m_trainer.resume(m_config, ds);
    } else {
      m_trainer = new Trainer(m_config, ds);
      m_trainer.initialise();
    }
    // usable before the first epoch: IterativeClassifierOptimizer evaluates right away
    m_model = m_trainer.current();
    if (m_log != null) {
      m_log.logMessage("NeuralModules: " + (continuing ? "continuing" : "training") + " on " + ds.n() + " rows, "
          + ds.d() + " features" + (ds.sparse() != null ? " (kept sparse)" : "") + ", -N " + m_config.epochs());
    }
    if (m_progress && m_window == null) {
      m_window = ProgressWindow.openIfPossible("NeuralModules: " + data.relationName());
    }
    if (getDebug()) {
      System.err.println("NeuralModules: " + ds.n() + " rows, " + ds.d() + " features, "
          + (continuing ? "resumed after " + m_trainer.report().epochsRun + " epochs, " : "") + "config " + m_config);
    }
  }

  /** The engine's dataset of preprocessed instances (also used by the Spark driver). */
  public static Dataset toDataset(Preprocessor preprocessor, Instances pre) {
    int n = pre.numInstances();
    double[] y = new double[n];
    double[] w = new double[n];
    boolean weighted = false;
    for (int r = 0; r < n; r++) {
      y[r] = pre.instance(r).classValue();
      w[r] = pre.instance(r).weight();
      weighted |= w[r] != 1.0;
    }
    int classes = pre.classAttribute().isNominal() ? Math.max(2, pre.numClasses()) : 0;
    // sparse data stay sparse: no n x d matrix (see Preprocessor, SparseRows)
    return preprocessor.isSparse()
        ? new Dataset(null, y, weighted ? w : null, n, preprocessor.featureCount(), classes,
            preprocessor.sparseFeatures(pre))
        : new Dataset(preprocessor.features(pre), y, weighted ? w : null, n, preprocessor.featureCount(), classes);
  }

  @Override
  public boolean next() throws Exception {
    if (m_trainer == null) {
      return false;
    }
    boolean more;
    try {
      more = m_trainer.nextEpoch();
    } catch (java.util.concurrent.CancellationException e) {
      throw new InterruptedException("NeuralModules training was interrupted");
    }
    m_model = m_trainer.current();
    String line = TrainingProgress.line(m_model);
    if (m_log != null) {
      m_log.statusMessage("NeuralModules " + line);
    }
    if (m_window != null) {
      TrainingReport r = m_model.report();
      m_window.update(line, r.trainLoss, r.validationRows > 0 ? r.validationLoss : Double.NaN);
      if (more && m_window.stopAsked()) {
        m_trainer.stop("stopped in the progress window");
        more = false;
      }
    }
    if (getDebug()) {
      System.err.printf(Locale.ROOT, "NeuralModules epoch %d: train loss %.6g, validation loss %.6g, %s%n",
          m_trainer.report().epochsRun, m_trainer.report().trainLoss, m_trainer.report().validationLoss,
          m_trainer.report().backend);
    }
    return more;
  }

  /** Ends the session; with resume set the trainer (weights, optimizer state) stays in the model. */
  @Override
  public void done() throws Exception {
    if (m_trainer == null) {
      return;
    }
    m_model = m_trainer.finish();
    if (m_log != null) {
      TrainingReport r = m_model.report();
      m_log.logMessage(String.format(Locale.ROOT, "NeuralModules: %d epochs (kept epoch %d), stopped by %s",
          r.epochsRun, r.bestEpoch, r.stopReason));
      m_log.statusMessage("OK");
    }
    if (m_window != null) {
      m_window.close();
      m_window = null;
    }
    if (!m_resume) {
      m_trainer = null;
    }
  }

  @Override
  public void setLog(Logger log) {
    m_log = log;
  }

  @Override
  public Logger getLog() {
    return m_log;
  }

  /** Tool tip of the LogHandler property (CheckGOE wants one for every property). */
  public String logTipText() {
    return "The log that receives one status line per epoch (set by the Explorer and the KnowledgeFlow).";
  }

  @OptionMetadata(displayName = "progress window", description = "Open a window with each epoch, the loss "
      + "curve and a Stop button while training, where a display exists (default false; never in headless "
      + "runs). The Explorer's status bar shows the epoch line either way.",
      commandLineParamName = "progress", commandLineParamSynopsis = "-progress", commandLineParamIsFlag = true,
      displayOrder = 31)
  public boolean getShowProgress() {
    return m_progress;
  }

  public void setShowProgress(boolean show) {
    m_progress = show;
  }

  @Override
  public void setResume(boolean resume) {
    m_resume = resume;
  }

  public String resumeTipText() {
    return "Keep the training state (weights and optimizer state, saved with the model) after training, so "
        + "that another session of -N epochs can continue it on the same data (Weka: -l model "
        + "-continue-iterating). Makes saved models about four times larger.";
  }

  @OptionMetadata(displayName = "resume", description = "Keep the training state so that training can be "
      + "continued later on the same data with -l model -continue-iterating (default false).",
      commandLineParamName = "resume", commandLineParamSynopsis = "-resume", commandLineParamIsFlag = true,
      displayOrder = 30)
  @Override
  public boolean getResume() {
    return m_resume;
  }

  // ---------------------------------------------------------------- prediction

  @Override
  public double[] distributionForInstance(Instance inst) throws Exception {
    if (m_fallback != null) {
      return m_fallback.distributionForInstance(inst);
    }
    if (m_model == null) {
      throw new IllegalStateException("NeuralModules: no model built yet; call buildClassifier first.");
    }
    return finish(m_model.predict(m_preprocessor.transform(inst)), 0);
  }

  @Override
  public boolean implementsMoreEfficientBatchPrediction() {
    return true;
  }

  @Override
  public double[][] distributionsForInstances(Instances insts) throws Exception {
    int n = insts.numInstances();
    double[][] out = new double[n][];
    if (m_fallback != null || m_model == null) {
      for (int i = 0; i < n; i++) {
        out[i] = distributionForInstance(insts.instance(i));
      }
      return out;
    }
    // rows are preprocessed chunk by chunk (-batch-size rows): memory stays one chunk, any row count
    int c = m_model.network().layout().outputs();
    try {
      m_model.predictRows((r, dst, off) -> {
        double[] row = m_preprocessor.transform(insts.instance(r));
        System.arraycopy(row, 0, dst, off, row.length);
      }, n, Math.max(1, parseBatchSize()), m_config.effectiveThreads(),
          (r, flat, off) -> out[r] = java.util.Arrays.copyOfRange(flat, off, off + c));
    } catch (java.util.concurrent.CancellationException e) {
      throw new InterruptedException("NeuralModules prediction was interrupted");
    }
    return out;
  }

  private int parseBatchSize() {
    try {
      return Integer.parseInt(getBatchSize().trim());
    } catch (NumberFormatException e) {
      return 100;
    }
  }

  /** Copies one prediction (class distribution or numeric value) out of the flat result. */
  private double[] finish(double[] flat, int off) {
    int c = m_model.network().layout().outputs();
    double[] r = new double[c];
    System.arraycopy(flat, off, r, 0, c);
    return r;
  }

  // ---------------------------------------------------------------- options

  @Override
  public void setOptions(String[] options) throws Exception {
    NMConfig d = NMConfig.defaults();
    NMConfig c = d.withNodes(intOpt("H", options, d.nodes()))
        .withGamma(doubleOpt("gamma", options, d.gamma()))
        .withAlpha(doubleOpt("alpha", options, d.alpha()))
        .withNorm(enumOpt("norm", options, Norm.class, d.norm()))
        .withRegularization(enumOpt("regularization", options, Regularization.class, d.regularization()))
        .withStructure(enumOpt("structure", options, Structure.class, d.structure()))
        .withActivation(enumOpt("activation", options, Activation.class, d.activation()))
        .withEpochs(intOpt("N", options, d.epochs()))
        .withLearningRate(doubleOpt("L", options, d.learningRate()))
        .withMiniBatch(intOpt("mini-batch", options, d.miniBatch()))
        .withValidationPercent(doubleOpt("V", options, d.validationPercent()))
        .withPatience(intOpt("E", options, d.patience()))
        .withSeed(intOpt("S", options, (int) d.seed()))
        .withThreads(intOpt("threads", options, d.threads()))
        .withTolerance(doubleOpt("tol", options, d.tolerance()))
        .withMaxIterations(intOpt("max-iter", options, d.maxIterations()))
        .withDevice(enumOpt("device", options, Device.class, d.device()))
        .withOpenclDevice(Utils.getOption("opencl-device", options))
        .withEdgesPerNode(doubleOpt("edges-per-node", options, d.edgesPerNode()))
        .withMaxSteps(intOpt("steps", options, d.maxSteps()))
        .withMinValidationRows(intOpt("min-validation", options, d.minValidationRows()))
        .withLrReductions(intOpt("lr-reductions", options, d.lrReductions()))
        .withMonitor(enumOpt("monitor", options, Monitor.class, d.monitor()))
        .withOutputBias(enumOpt("output-bias", options, OutputBias.class, d.outputBias()));
    // Weka's own options, checked here because AbstractClassifier accepts any batch size string
    // and fails on a bad decimal count with a bare NumberFormatException.
    String[] peek = options.clone();
    String bs = Utils.getOption("batch-size", peek);
    if (!bs.isEmpty() && intValue("batch-size", bs) < 1) {
      throw new Exception("Option -batch-size must be an integer >= 1, got '" + bs + "'.");
    }
    String dp = Utils.getOption("num-decimal-places", peek);
    if (!dp.isEmpty() && intValue("num-decimal-places", dp) < 0) {
      throw new Exception("Option -num-decimal-places must be an integer >= 0, got '" + dp + "'.");
    }
    m_config = c;
    boolean resume = Utils.getFlag("resume", options);
    boolean progress = Utils.getFlag("progress", options);
    super.setOptions(options);
    // after super: its reflective pass sets every absent flag to false
    m_resume = resume;
    m_progress = progress;

  }

  private static int intValue(String name, String s) throws Exception {
    try {
      return Integer.parseInt(s.trim());
    } catch (NumberFormatException e) {
      throw new Exception("Option -" + name + " expects an integer, got '" + s + "'.");
    }
  }

  private static int intOpt(String name, String[] options, int dflt) throws Exception {
    String s = Utils.getOption(name, options);
    return s.isEmpty() ? dflt : intValue(name, s);
  }

  private static double doubleOpt(String name, String[] options, double dflt) throws Exception {
    String s = Utils.getOption(name, options);
    if (s.isEmpty()) {
      return dflt;
    }
    try {
      return Double.parseDouble(s.trim());
    } catch (NumberFormatException e) {
      throw new Exception("Option -" + name + " expects a number, got '" + s + "'.");
    }
  }

  private static <E extends Enum<E>> E enumOpt(String name, String[] options, Class<E> type, E dflt)
      throws Exception {
    String s = Utils.getOption(name, options);
    if (s.isEmpty()) {
      return dflt;
    }
    for (E e : type.getEnumConstants()) {
      if (e.name().equalsIgnoreCase(s.trim())) {
        return e;
      }
    }
    throw new Exception("Option -" + name + " must be one of " + java.util.Arrays.toString(type.getEnumConstants())
        + ", got '" + s + "'.");
  }

  @OptionMetadata(displayName = "number of nodes", description = "Number of hidden graph nodes p (default " + NMConfig.DEFAULT_NODES + "; range: an integer in [1, "
      + NMConfig.MAX_NODES + "]). Memory is also checked against the heap.",
      commandLineParamName = "H", commandLineParamSynopsis = "-H <nodes in [1," + NMConfig.MAX_NODES + "]>",
      displayOrder = 1)
  public int getNodes() { return m_config.nodes(); }
  public void setNodes(int v) { m_config = m_config.withNodes(v); }

  @OptionMetadata(displayName = "active edge fraction (gamma)", description = "Fraction of the allowed edges kept active, the strongest by |w| (default "
      + NMConfig.DEFAULT_GAMMA_TEXT + " = automatic; range: a number in [0, 1]). Only active edges are used in the solves; "
      + "1 = all edges (the DEQ baseline); 0 = automatic: -edges-per-node x p active edges (p = -H), so modules "
      + "stay small as -H grows.",
      commandLineParamName = "gamma", commandLineParamSynopsis = "-gamma <fraction in [0,1]>",
      displayOrder = 2)
  public double getGamma() { return m_config.gamma(); }
  public void setGamma(double v) { m_config = m_config.withGamma(v); }

  @OptionMetadata(displayName = "regularization strength (alpha)", description = "Regularization strength alpha, the weight of the -norm penalty on hidden-to-hidden "
      + "edges (default " + NMConfig.DEFAULT_ALPHA_TEXT + "; range: a finite number >= 0; 0 = no penalty).",
      commandLineParamName = "alpha", commandLineParamSynopsis = "-alpha <number >= 0>",
      displayOrder = 3)
  public double getAlpha() { return m_config.alpha(); }
  public void setAlpha(double v) { m_config = m_config.withAlpha(v); }

  @OptionMetadata(displayName = "regularization", description = "Regularization of the hidden-to-hidden edges (default "
      + NMConfig.DEFAULT_REGULARIZATION_NAME + "; one of NM, PLAIN, NONE). NM: the penalty of node k's incoming "
      + "edges is weighted by z_k = active edges in k's module (breaks large modules); PLAIN: z_k = 1; NONE: no "
      + "penalty.",
      commandLineParamName = "regularization", commandLineParamSynopsis = "-regularization NM|PLAIN|NONE",
      displayOrder = 4)
  public Regularization getRegularization() { return m_config.regularization(); }
  public void setRegularization(Regularization v) { m_config = m_config.withRegularization(v); }

  @OptionMetadata(displayName = "norm", description = "Penalty norm (default " + NMConfig.DEFAULT_NORM_NAME + "; one of L1, L2). L1: soft "
      + "threshold, sparsifies; L2: shrinkage.",
      commandLineParamName = "norm", commandLineParamSynopsis = "-norm L1|L2",
      displayOrder = 5)
  public Norm getNorm() { return m_config.norm(); }
  public void setNorm(Norm v) { m_config = m_config.withNorm(v); }

  @OptionMetadata(displayName = "structure", description = "Which hidden-to-hidden edges exist (default " + NMConfig.DEFAULT_STRUCTURE_NAME
      + "; one of GRAPH, DAG, NONE). GRAPH: any edge (cycles allowed); DAG: only edges from lower to higher node "
      + "index (feed-forward baseline); NONE: no hidden-to-hidden edges (one hidden layer, the no-graph ablation).",
      commandLineParamName = "structure", commandLineParamSynopsis = "-structure GRAPH|DAG|NONE",
      displayOrder = 6)
  public Structure getStructure() { return m_config.structure(); }
  public void setStructure(Structure v) { m_config = m_config.withStructure(v); }

  @OptionMetadata(displayName = "activation", description = "Node activation (default " + NMConfig.DEFAULT_ACTIVATION_NAME + "; one of TANH, "
      + "SIGMOID, RELU).",
      commandLineParamName = "activation", commandLineParamSynopsis = "-activation TANH|SIGMOID|RELU",
      displayOrder = 7)
  public Activation getActivation() { return m_config.activation(); }
  public void setActivation(Activation v) { m_config = m_config.withActivation(v); }

  @OptionMetadata(displayName = "epochs", description = "Maximum number of training epochs (default " + NMConfig.DEFAULT_EPOCHS + "; range: an "
      + "integer >= 1). -steps may stop training sooner on large data.",
      commandLineParamName = "N", commandLineParamSynopsis = "-N <epochs >= 1>",
      displayOrder = 8)
  public int getNumEpochs() { return m_config.epochs(); }
  public void setNumEpochs(int v) { m_config = m_config.withEpochs(v); }

  @OptionMetadata(displayName = "learning rate", description = "Adam step size (default " + NMConfig.DEFAULT_LEARNING_RATE_TEXT + "; range: a number in "
      + "(0, " + NMConfig.MAX_LEARNING_RATE + "]).",
      commandLineParamName = "L", commandLineParamSynopsis = "-L <rate in (0," + NMConfig.MAX_LEARNING_RATE + "]>",
      displayOrder = 9)
  public double getLearningRate() { return m_config.learningRate(); }
  public void setLearningRate(double v) { m_config = m_config.withLearningRate(v); }

  @OptionMetadata(displayName = "mini-batch size", description = "Training rows per optimizer step (default " + NMConfig.DEFAULT_MINI_BATCH
      + "; range: an integer >= 1).",
      commandLineParamName = "mini-batch", commandLineParamSynopsis = "-mini-batch <size >= 1>",
      displayOrder = 10)
  public int getMiniBatchSize() { return m_config.miniBatch(); }
  public void setMiniBatchSize(int v) { m_config = m_config.withMiniBatch(v); }

  @OptionMetadata(displayName = "validation percent", description = "Percent of the training data held out for early stopping (default "
      + NMConfig.DEFAULT_VALIDATION_PERCENT_TEXT + "; range: a number in [0, " + NMConfig.MAX_VALIDATION_PERCENT + "]). "
      + "0 = none (the last epoch's weights are kept); below -min-validation rows nothing is held out.",
      commandLineParamName = "V", commandLineParamSynopsis = "-V <percent in [0," + NMConfig.MAX_VALIDATION_PERCENT + "]>",
      displayOrder = 11)
  public double getValidationPercent() { return m_config.validationPercent(); }
  public void setValidationPercent(double v) { m_config = m_config.withValidationPercent(v); }

  @OptionMetadata(displayName = "patience", description = "Patience: epochs without improvement of the monitored value before training stops "
      + "(default " + NMConfig.DEFAULT_PATIENCE + "; range: an integer >= 1). Improvement means 0.01% relative; the "
      + "value is the validation error or loss (see -monitor), the training loss when no rows are held out; the "
      + "best validation weights are kept.",
      commandLineParamName = "E", commandLineParamSynopsis = "-E <epochs >= 1>",
      displayOrder = 12)
  public int getPatience() { return m_config.patience(); }
  public void setPatience(int v) { m_config = m_config.withPatience(v); }

  @OptionMetadata(displayName = "seed", description = "Random seed for the initial weights, shuffling and the validation split (default "
      + NMConfig.DEFAULT_SEED + "; range: any integer).",
      commandLineParamName = "S", commandLineParamSynopsis = "-S <seed>",
      displayOrder = 13)
  @Override
  public int getSeed() { return (int) m_config.seed(); }
  @Override
  public void setSeed(int v) { m_config = m_config.withSeed(v); }

  @OptionMetadata(displayName = "threads", description = "Worker threads, 0 = all cores (default " + NMConfig.DEFAULT_THREADS + "; range: an "
      + "integer in [0, " + NMConfig.MAX_THREADS + "]). Results do not depend on it.",
      commandLineParamName = "threads", commandLineParamSynopsis = "-threads <n in [0," + NMConfig.MAX_THREADS + "]>",
      displayOrder = 14)
  public int getNumThreads() { return m_config.threads(); }
  public void setNumThreads(int v) { m_config = m_config.withThreads(v); }

  @OptionMetadata(displayName = "solver tolerance", description = "Newton residual tolerance, max-norm, absolute + relative (default "
      + NMConfig.DEFAULT_TOLERANCE_TEXT + "; range: a number in (0, 1)).",
      commandLineParamName = "tol", commandLineParamSynopsis = "-tol <tolerance in (0,1)>",
      displayOrder = 15)
  public double getTolerance() { return m_config.tolerance(); }
  public void setTolerance(double v) { m_config = m_config.withTolerance(v); }

  @OptionMetadata(displayName = "solver iteration cap", description = "Newton iterations per strongly connected component before the fixed-point "
      + "fallback (default " + NMConfig.DEFAULT_MAX_ITERATIONS + "; range: an integer in [1, "
      + NMConfig.MAX_MAX_ITERATIONS + "]).",
      commandLineParamName = "max-iter", commandLineParamSynopsis = "-max-iter <n in [1," + NMConfig.MAX_MAX_ITERATIONS + "]>",
      displayOrder = 16)
  public int getMaxIterations() { return m_config.maxIterations(); }
  public void setMaxIterations(int v) { m_config = m_config.withMaxIterations(v); }

  @OptionMetadata(displayName = "device", description = "Where the per-module solves run (default " + NMConfig.DEFAULT_DEVICE_NAME + "; one "
      + "of AUTO, CPU, OPENCL). AUTO: an OpenCL GPU if one is present, else the CPU (OpenCL is not loaded where "
      + "only PoCL or no OpenCL is installed); CPU: worker threads; OPENCL: OpenCL kernels on a GPU or, with PoCL, "
      + "the CPU (an error if no OpenCL device exists).",
      commandLineParamName = "device", commandLineParamSynopsis = "-device AUTO|CPU|OPENCL",
      displayOrder = 17)
  public Device getDevice() { return m_config.device(); }
  public void setDevice(Device v) { m_config = m_config.withDevice(v); }

  @OptionMetadata(displayName = "OpenCL device", description = "Which OpenCL device -device OPENCL or AUTO uses (default empty = the first "
      + "device; range: an index >= 0, GPUs first as in clinfo -l, or part of a device name).",
      commandLineParamName = "opencl-device", commandLineParamSynopsis = "-opencl-device <index or name>",
      displayOrder = 18)
  public String getOpenclDevice() { return m_config.openclDevice(); }
  public void setOpenclDevice(String v) { m_config = m_config.withOpenclDevice(v); }

  @OptionMetadata(displayName = "edges per node", description = "Mean number of active incoming edges per node when -gamma is 0 (default "
      + NMConfig.DEFAULT_EDGES_PER_NODE_TEXT + "; range: a number in (0, " + NMConfig.MAX_NODES + "]).",
      commandLineParamName = "edges-per-node", commandLineParamSynopsis = "-edges-per-node <number > 0>",
      displayOrder = 19)
  public double getEdgesPerNode() { return m_config.edgesPerNode(); }
  public void setEdgesPerNode(double v) { m_config = m_config.withEdgesPerNode(v); }

  @OptionMetadata(displayName = "optimizer step cap", description = "Most mini-batch steps over all epochs, 0 = no cap (default " + NMConfig.DEFAULT_MAX_STEPS
      + "; range: an integer >= 0). With -N it sets the budget, so small data gets many epochs and large data few.",
      commandLineParamName = "steps", commandLineParamSynopsis = "-steps <n >= 0>",
      displayOrder = 20)
  public int getMaxSteps() { return m_config.maxSteps(); }
  public void setMaxSteps(int v) { m_config = m_config.withMaxSteps(v); }

  @OptionMetadata(displayName = "minimum validation rows", description = "Fewest validation rows worth early stopping on (default "
      + NMConfig.DEFAULT_MIN_VALIDATION_ROWS + "; range: an integer >= 0). When -V would hold out fewer, nothing is "
      + "held out and training stops on the budget or when the training loss stalls.",
      commandLineParamName = "min-validation", commandLineParamSynopsis = "-min-validation <rows >= 0>",
      displayOrder = 21)
  public int getMinValidationRows() { return m_config.minValidationRows(); }
  public void setMinValidationRows(int v) { m_config = m_config.withMinValidationRows(v); }

  @OptionMetadata(displayName = "learning rate reductions", description = "How often the learning rate is halved when the monitored loss stalls for half the "
      + "patience, 0 = constant (default " + NMConfig.DEFAULT_LR_REDUCTIONS + "; range: an integer in [0, "
      + NMConfig.MAX_LR_REDUCTIONS + "]).",
      commandLineParamName = "lr-reductions", commandLineParamSynopsis = "-lr-reductions <n in [0," + NMConfig.MAX_LR_REDUCTIONS + "]>",
      displayOrder = 22)
  public int getLrReductions() { return m_config.lrReductions(); }
  public void setLrReductions(int v) { m_config = m_config.withLrReductions(v); }

  @OptionMetadata(displayName = "early stopping monitor", description = "What early stopping watches on the validation rows (default "
      + NMConfig.DEFAULT_MONITOR_NAME + "; one of LOSS, ERROR). LOSS: cross-entropy or squared error; ERROR: "
      + "misclassification rate, ties broken by the loss (a numeric class uses LOSS).",
      commandLineParamName = "monitor", commandLineParamSynopsis = "-monitor LOSS|ERROR",
      displayOrder = 23)
  public Monitor getMonitor() { return m_config.monitor(); }
  public void setMonitor(Monitor v) { m_config = m_config.withMonitor(v); }

  @OptionMetadata(displayName = "output bias start", description = "How the output biases start (default "
      + NMConfig.DEFAULT_OUTPUT_BIAS_NAME + "; one of ZERO, PRIOR). PRIOR: the log of the training class "
      + "frequencies, so an untrained network predicts the class prior (a numeric class is unaffected).",
      commandLineParamName = "output-bias", commandLineParamSynopsis = "-output-bias ZERO|PRIOR",
      displayOrder = 24)
  public OutputBias getOutputBias() { return m_config.outputBias(); }
  public void setOutputBias(OutputBias v) { m_config = m_config.withOutputBias(v); }

  // ---------------------------------------------------------------- distributed training
  // Not weka.core.Aggregateable on purpose: averaging the parameters of models trained on
  // partitions is less accurate than distributedWekaBase's Vote of them (docs/design-notes.md).

  /**
   * Makes this classifier predict with a model trained elsewhere (data-parallel on Spark) and its
   * preprocessing; the options become the model's.
   */
  public void useModel(Preprocessor preprocessor, TrainedModel model) {
    m_config = model.config();
    m_preprocessor = preprocessor;
    m_model = model;
    m_fallback = null;
    m_fallbackReason = null;
    m_trainer = null;
  }

  /** The validated configuration (for the engine and tests). */
  public NMConfig getConfig() {
    return m_config;
  }

  /** The fitted preprocessing of the trained model, or null. */
  public Preprocessor getPreprocessor() {
    return m_preprocessor;
  }

  /** The trained engine model, or null. */
  public TrainedModel getModel() {
    return m_model;
  }

  // ---------------------------------------------------------------- graph and measures

  /** XMLBIF, so the Explorer offers "Visualize graph" (GraphVisualizer). */
  @Override
  public int graphType() {
    return Drawable.BayesNet;
  }

  /** The active module graph as XMLBIF 0.3 (capped, see {@link ModuleGraphExport}). */
  @Override
  public String graph() throws Exception {
    if (m_model == null) {
      throw new Exception(m_fallback != null
          ? "NeuralModules fell back to ZeroR (" + fallbackReason() + "): there is no graph."
          : "NeuralModules: no model built yet; call buildClassifier first.");
    }
    return ModuleGraphExport.toXmlBif(m_model.plan(), moduleRoles(), "NeuralModules");
  }

  @Override
  public java.util.Enumeration<String> enumerateMeasures() {
    return ModelMeasures.names();
  }

  @Override
  public double getMeasure(String measureName) {
    if (m_model == null && m_fallback == null && ModelMeasures.NAMES.contains(measureName)) {
      throw new IllegalStateException("NeuralModules: no model built yet; call buildClassifier first.");
    }
    return ModelMeasures.value(m_model, measureName);
  }

  // ---------------------------------------------------------------- output

  @Override
  public String toString() {
    if (m_fallback != null) {
      return "Neural Modules: " + fallbackReason() + "; predicting with ZeroR.\n\n" + m_fallback;
    }
    if (m_model == null) {
      return "Neural Modules: no model built yet.";
    }
    return ModelSummary.format(m_model, m_preprocessor == null ? null : m_preprocessor.featureNames(),
        m_preprocessor == null ? null : m_preprocessor.outputNames());
  }

  /** What each module reads and drives, named by the preprocessed features and the class values. */
  private ModuleRoles moduleRoles() {
    return ModuleRoles.of(m_model.network(), m_model.plan(), m_preprocessor == null ? null
        : m_preprocessor.featureNames(), m_preprocessor == null ? null : m_preprocessor.outputNames(), 3, 2);
  }

  /** Why ZeroR predicts (models saved before the reason was kept had no rows with a class value). */
  private String fallbackReason() {
    return m_fallbackReason != null ? m_fallbackReason : "no training rows with a class value";
  }

  @Override
  public String getRevision() {
    return RevisionUtils.extract("$Revision: 1 $");
  }

  public static void main(String[] args) {
    runClassifier(new NeuralModules(), args);
  }
}
