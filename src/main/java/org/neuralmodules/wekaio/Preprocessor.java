package org.neuralmodules.wekaio;

import java.io.Serializable;
import java.lang.ref.WeakReference;
import weka.core.Attribute;
import weka.core.Instance;
import weka.core.Instances;
import weka.core.SparseInstance;
import org.neuralmodules.train.SparseRows;
import weka.core.Utils;
import weka.core.WekaException;
import weka.filters.Filter;
import weka.filters.unsupervised.attribute.NominalToBinary;
import weka.filters.unsupervised.attribute.RemoveUseless;
import weka.filters.unsupervised.attribute.ReplaceMissingValues;
import weka.filters.unsupervised.attribute.Standardize;

/**
 * The preprocessing Weka users expect from a neural network, fitted on the training data and
 * replayed on every instance at prediction time: useless (constant) attributes removed, missing
 * values replaced by means/modes, nominal attributes to binary indicators, numeric attributes
 * standardised. Weka filters keep state between input() and output(), so transforms are
 * synchronised: one preprocessor can serve predictions from several threads.
 *
 * <p>Before the filters, every instance is sanitised so that no data can make a feature
 * non-finite: infinite numeric values count as missing; numeric attributes whose training values
 * are extreme (|v| above 1e100 or all below 1e-100) are rescaled by a power of two, which is exact
 * and keeps Standardize's sums of squares finite; nominal values never seen in training count as
 * missing (their indicator was constantly 0 in training, so its weights were never trained).
 * Features are finally clipped to +-{@link #CLIP} standard deviations. Ordinary data pass
 * unchanged, bit for bit.
 */
public final class Preprocessor implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Numeric attributes with training magnitudes outside [LOW, HIGH] are rescaled first. */
  static final double HIGH = 1e100;
  static final double LOW = 1e-100;
  /** Largest magnitude of a standardised feature: beyond it every activation is saturated anyway. */
  public static final double CLIP = 1e6;

  private final Filter[] filters;
  private Instances outputFormat;
  /** The training header (no rows): test data must match it. */
  private Instances header;
  /** Per input attribute: power-of-two factor applied before the filters (1 = none). */
  private double[] scale;
  /** Per nominal input attribute: which values occurred in training (null for other attributes). */
  private boolean[][] seen;
  /**
   * Sparse training data skip the Standardize filter (it would fill every column); its means and
   * standard deviations are computed the same way and applied as rows are read.
   */
  private boolean sparse;
  /** Per output attribute: Standardize's mean and standard deviation (sparse mode only). */
  private double[] means;
  private double[] sds;
  /** The last dataset whose header passed the check (identity cache, does not keep it alive). */
  private transient WeakReference<Instances> checked;

  public Preprocessor() {
    RemoveUseless useless = new RemoveUseless();
    NominalToBinary toBinary = new NominalToBinary();
    filters = new Filter[] {useless, new ReplaceMissingValues(), toBinary, new Standardize()};
  }

  /**
   * Fits every filter on the training data and returns it transformed. Rows whose class is
   * missing (or infinite) are dropped.
   */
  public synchronized Instances fit(Instances train) throws Exception {
    header = new Instances(train, 0);
    int na = train.numAttributes();
    int ci = train.classIndex();
    scale = new double[na];
    seen = new boolean[na][];
    Instances data = new Instances(train);
    for (int a = 0; a < na; a++) {
      scale[a] = 1.0;
      if (a == ci) {
        continue;
      }
      Attribute att = train.attribute(a);
      if (att.isNumeric()) {
        double max = 0;
        for (int r = 0; r < data.numInstances(); r++) {
          double v = data.instance(r).value(a);
          if (Double.isFinite(v)) {
            max = Math.max(max, Math.abs(v));
          }
        }
        if (max > HIGH || (max > 0 && max < LOW)) {
          scale[a] = Math.scalb(1.0, -Math.getExponent(max));
        }
      }
    }
    for (int r = 0; r < data.numInstances(); r++) {
      Instance inst = data.instance(r);
      if (ci >= 0 && inst.attribute(ci).isNumeric() && !inst.classIsMissing()
          && !Double.isFinite(inst.classValue())) {
        inst.setClassMissing();
      }
      sanitiseInPlace(inst, false);
    }
    data.deleteWithMissingClass();
    for (int a = 0; a < na; a++) {
      if (a != ci && train.attribute(a).isNominal()) {
        seen[a] = new boolean[train.attribute(a).numValues()];
        for (int r = 0; r < data.numInstances(); r++) {
          double v = data.instance(r).value(a);
          if (!Utils.isMissingValue(v)) {
            seen[a][(int) v] = true;
          }
        }
      }
    }
    sparse = storedSparse(data);
    for (int i = 0; i < activeFilters(); i++) {
      filters[i].setInputFormat(data);
      data = Filter.useFilter(data, filters[i]);
    }
    if (sparse) {
      // exactly what Standardize computes (Instances.meanOrMode, sqrt of Instances.variance)
      int oa = data.numAttributes();
      ColumnMoments moments = new ColumnMoments(data);
      means = new double[oa];
      sds = new double[oa];
      for (int a = 0; a < oa; a++) {
        sds[a] = 1.0;
        if (a != data.classIndex() && data.attribute(a).isNumeric()) {
          means[a] = moments.mean[a];
          sds[a] = Math.sqrt(moments.variance[a]);
        }
      }
    }
    outputFormat = new Instances(data, 0);
    checked = null;
    return data;
  }

  /**
   * Names of the input features after preprocessing, in feature order (NominalToBinary makes
   * names such as {@code attr=value}).
   */
  public String[] featureNames() {
    String[] names = new String[featureCount()];
    int ci = outputFormat.classIndex();
    int col = 0;
    for (int a = 0; a < outputFormat.numAttributes(); a++) {
      if (a != ci) {
        names[col++] = outputFormat.attribute(a).name();
      }
    }
    return names;
  }

  /** Names of the network outputs: the class values, or the numeric class attribute's name. */
  public String[] outputNames() {
    Attribute c = outputFormat.classAttribute();
    if (!c.isNominal()) {
      return new String[] {c.name()};
    }
    String[] names = new String[c.numValues()];
    for (int v = 0; v < names.length; v++) {
      names[v] = c.value(v);
    }
    return names;
  }

  /**
   * Why models preprocessed by this and by {@code other} cannot share one input layout (the
   * training headers differ, or different attributes were dropped as useless, so the features
   * differ), or null.
   */
  public String differenceFrom(Preprocessor other) {
    if (outputFormat == null || other.outputFormat == null) {
      return "a preprocessor has not been fitted";
    }
    String msg = header.equalHeadersMsg(other.header);
    if (msg != null) {
      return "different training headers: " + msg;
    }
    msg = outputFormat.equalHeadersMsg(other.outputFormat);
    if (msg != null || sparse != other.sparse) {
      return "different features after preprocessing (an attribute constant in one part of the data is "
          + "dropped there): " + (msg != null ? msg : "sparse versus dense");
    }
    return null;
  }

  /** Number of input features after preprocessing (class excluded). */
  public int featureCount() {
    return outputFormat.numAttributes() - 1;
  }

  /**
   * Features of one instance.
   *
   * @throws WekaException if the instance does not have the training header
   */
  public synchronized double[] transform(Instance inst) throws Exception {
    checkHeader(inst);
    Instance cur = sanitise(inst);
    for (int i = 0; i < activeFilters(); i++) {
      if (!filters[i].input(cur)) {
        filters[i].batchFinished();
      }
      cur = filters[i].output();
    }
    double[] row = new double[featureCount()];
    features(cur, row, 0);
    return row;
  }

  /** The filters in use: all, or all but Standardize (the last) for sparse data. */
  private int activeFilters() {
    return sparse ? filters.length - 1 : filters.length;
  }

  /** Whether the training data were sparse, so {@link #sparseFeatures} applies. */
  public boolean isSparse() {
    return sparse;
  }

  /**
   * Features of sparse training data (from {@link #fit}) kept sparse: only non-zeros are stored,
   * standardized as they are read, bit for bit as {@link #features} would have stored them.
   */
  public SparseRows sparseFeatures(Instances data) {
    if (!sparse) {
      throw new IllegalStateException("sparseFeatures needs sparse training data");
    }
    int ci = outputFormat.classIndex();
    int d = featureCount();
    int[] column = new int[outputFormat.numAttributes()];
    double[] mean = new double[d];
    double[] sd = new double[d];
    for (int a = 0, c = 0; a < column.length; a++) {
      column[a] = a == ci ? -1 : c;
      if (a != ci) {
        mean[c] = means[a];
        sd[c] = sds[a];
        c++;
      }
    }
    long nnz = 0;
    for (Instance inst : data) {
      nnz += inst.numValues();
    }
    if (nnz > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException("The training data have " + nnz + " non-zero values, more than one array "
          + "holds. Train on fewer rows.");
    }
    int[] start = new int[data.numInstances() + 1];
    int[] col = new int[(int) nnz];
    double[] val = new double[(int) nnz];
    int k = 0;
    for (int r = 0; r < data.numInstances(); r++) {
      Instance inst = data.instance(r);
      for (int i = 0; i < inst.numValues(); i++) {
        int a = inst.index(i);
        double v = inst.valueSparse(i);
        if (column[a] >= 0 && v != 0) {
          col[k] = column[a];
          val[k++] = v;
        }
      }
      start[r + 1] = k;
    }
    return new SparseRows(start, java.util.Arrays.copyOf(col, k), java.util.Arrays.copyOf(val, k), mean, sd, CLIP);
  }

  private void checkHeader(Instance inst) throws WekaException {
    Instances ds = inst.dataset();
    if (ds != null && checked != null && checked.get() == ds && ds.numAttributes() == header.numAttributes()) {
      return;
    }
    String msg = null;
    if (inst.numAttributes() != header.numAttributes()) {
      msg = "it has " + inst.numAttributes() + " attributes, the training data had " + header.numAttributes();
    } else if (ds != null) {
      // Class index is not compared: the filters use the training header's.
      for (int a = 0; a < header.numAttributes() && msg == null; a++) {
        String m = header.attribute(a).equalsMsg(ds.attribute(a));
        if (m != null) {
          msg = "attribute " + (a + 1) + " (" + header.attribute(a).name() + ") differs: " + m;
        }
      }
    } else {
      for (int a = 0; a < header.numAttributes() && msg == null; a++) {
        double v = inst.value(a);
        if (header.attribute(a).isNominal() && !Utils.isMissingValue(v)
            && (v < 0 || v >= header.attribute(a).numValues() || v != Math.rint(v))) {
          msg = "attribute " + (a + 1) + " (" + header.attribute(a).name() + ") has value index " + v
              + ", the training header has " + header.attribute(a).numValues() + " values";
        }
      }
    }
    if (msg != null) {
      throw new WekaException("NeuralModules: the data to predict does not have the training header: " + msg.trim()
          + ". Use data with the training header, or wrap the classifier in "
          + "weka.classifiers.misc.InputMappedClassifier to map a different header.");
    }
    if (ds != null) {
      checked = new WeakReference<>(ds);
    }
  }

  /** The instance itself if it needs no change, else a sanitised copy. */
  private Instance sanitise(Instance inst) {
    if (!needsSanitising(inst)) {
      return inst;
    }
    Instance copy = (Instance) inst.copy();
    sanitiseInPlace(copy, true);
    return copy;
  }

  private boolean needsSanitising(Instance inst) {
    int ci = header.classIndex();
    for (int a = 0; a < scale.length; a++) {
      if (a == ci) {
        continue;
      }
      double v = inst.value(a);
      if (Utils.isMissingValue(v)) {
        continue;
      }
      if (scale[a] != 1.0 || Double.isInfinite(v) || (seen[a] != null && !seen[a][(int) v])) {
        return true;
      }
    }
    return false;
  }

  private void sanitiseInPlace(Instance inst, boolean unseenToMissing) {
    int ci = header.classIndex();
    for (int a = 0; a < scale.length; a++) {
      if (a == ci) {
        continue;
      }
      double v = inst.value(a);
      if (Utils.isMissingValue(v)) {
        continue;
      }
      if (Double.isInfinite(v) || (unseenToMissing && seen[a] != null && !seen[a][(int) v])) {
        inst.setMissing(a);
      } else if (scale[a] != 1.0) {
        inst.setValue(a, v * scale[a]);
      }
    }
  }

  /**
   * Bytes that preprocessing and the features of these training data take at their peak: dense
   * data, two filtered copies and the dense feature matrix (8 bytes a value each); sparse data,
   * which stay sparse, two filtered copies and the compressed rows of the stored values.
   */
  public static long estimateBytes(Instances train) {
    if (storedSparse(train)) {
      // kept sparse: two filtered copies and the compressed rows, 12 bytes a stored value each
      long stored = 0;
      for (int r = 0; r < train.numInstances(); r++) {
        stored += train.instance(r).numValues() + 1;
      }
      return stored * 3 * 12 + (long) train.numInstances() * 64;
    }
    long cols = 0;
    for (int a = 0; a < train.numAttributes(); a++) {
      if (a != train.classIndex()) {
        Attribute att = train.attribute(a);
        cols += att.isNominal() && att.numValues() > 2 ? att.numValues() : 1;
      }
    }
    long cells = (long) train.numInstances() * (cols + 1);
    return cells * (2L * 8 + 8);
  }

  /** Whether data come as sparse instances (judged by the first row, as Weka's loaders store them). */
  private static boolean storedSparse(Instances data) {
    return data.numInstances() > 0 && data.instance(0) instanceof SparseInstance;
  }

  /**
   * Refuses, before preprocessing allocates, training data that need more than the free heap.
   *
   * @throws IllegalStateException naming -Xmx when {@code estimateBytes(train) > free}
   */
  public static void checkMemory(Instances train, long free) {
    long need = estimateBytes(train);
    if (need > free) {
      throw new IllegalStateException(String.format(java.util.Locale.ROOT, "Not enough memory for the training "
          + "data: %d rows of %d attributes need about %d MB while preprocessing, but only %d MB of heap are free. "
          + "Start Java with a larger -Xmx (at least -Xmx%dm more), or train on fewer rows or attributes.",
          train.numInstances(), train.numAttributes(), need >> 20, free >> 20, ((need - free) >> 20) + 1));
    }
  }

  /** Row-major features of all instances (already transformed data, e.g. from {@link #fit}). */
  public double[] features(Instances data) {
    int d = featureCount();
    long size = (long) data.numInstances() * d;
    if (size > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException(String.format(java.util.Locale.ROOT, "The training data are too large for "
          + "one feature matrix: %d rows x %d features = %d values (at most %d). Train on fewer rows or attributes.",
          data.numInstances(), d, size, Integer.MAX_VALUE - 8));
    }
    double[] rows = new double[(int) size];
    for (int r = 0; r < data.numInstances(); r++) {
      features(data.instance(r), rows, r * d);
    }
    return rows;
  }

  private void features(Instance inst, double[] out, int off) {
    int ci = outputFormat.classIndex();
    int col = 0;
    for (int a = 0; a < inst.numAttributes(); a++) {
      if (a != ci) {
        double v = inst.value(a);
        if (sparse) {
          // Standardize's arithmetic (the filter is skipped for sparse data)
          v = sds[a] > 0 ? (v - means[a]) / sds[a] : v - means[a];
        }
        // a value the filters could not map counts as the mean, 0; outliers are clipped
        out[off + col++] = Double.isNaN(v) ? 0.0 : Math.max(-CLIP, Math.min(CLIP, v));
      }
    }
  }
}
