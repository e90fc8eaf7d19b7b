package weka.classifiers.functions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neuralmodules.train.SparseRows;
import org.neuralmodules.wekaio.Preprocessor;
import weka.classifiers.meta.FilteredClassifier;
import weka.core.Attribute;
import weka.core.DenseInstance;
import weka.core.Instances;
import weka.core.SparseInstance;
import weka.filters.Filter;
import weka.filters.unsupervised.instance.NonSparseToSparse;
import weka.filters.unsupervised.attribute.StringToWordVector;

/**
 * Sparse data stay sparse (no standardized n x d copy) and train exactly as the same data stored
 * dense: the sparse path applies Standardize's arithmetic as rows are read.
 */
class NeuralModulesSparseTest {
  static Instances dense;
  static Instances sparse;

  /** 300 rows, 40 mostly-zero numeric attributes, a 3-valued nominal one, a class from a rule. */
  static Instances mostlyZeros(int n, long seed) {
    ArrayList<Attribute> atts = new ArrayList<>();
    for (int j = 0; j < 40; j++) {
      atts.add(new Attribute("w" + j));
    }
    atts.add(new Attribute("colour", List.of("red", "green", "blue")));
    atts.add(new Attribute("class", List.of("no", "yes")));
    Instances d = new Instances("sparseish", atts, n);
    d.setClassIndex(d.numAttributes() - 1);
    Random r = new Random(seed);
    for (int i = 0; i < n; i++) {
      double[] v = new double[atts.size()];
      for (int j = 0; j < 40; j++) {
        v[j] = r.nextDouble() < 0.05 ? 1 + r.nextInt(3) : 0;
      }
      v[40] = r.nextInt(3);
      v[41] = v[0] + v[1] + v[2] + (v[40] == 2 ? 1 : 0) > 0.5 ? 1 : 0;
      d.add(new DenseInstance(1.0, v));
    }
    return d;
  }

  @BeforeAll
  static void data() throws Exception {
    dense = mostlyZeros(300, 4);
    NonSparseToSparse toSparse = new NonSparseToSparse();
    toSparse.setInputFormat(dense);
    sparse = Filter.useFilter(dense, toSparse);
    assertTrue(sparse.instance(0) instanceof SparseInstance);
  }

  private static NeuralModules trained(Instances data) throws Exception {
    return trained(data, 1);
  }

  private static NeuralModules trained(Instances data, int threads) throws Exception {
    NeuralModules nm = new NeuralModules();
    nm.setOptions(new String[] {"-H", "8", "-N", "15", "-threads", String.valueOf(threads), "-device", "CPU"});
    nm.buildClassifier(data);
    return nm;
  }

  /**
   * The sparse input layer regroups U^T x0 and dU around the all-zero row (see SparseInputs), so
   * the two storages agree to rounding, amplified by 15 epochs of Adam: within 1e-9, not bit for bit.
   */
  @Test
  void sparseAndDenseStorageTrainTheSameModel() throws Exception {
    NeuralModules fromDense = trained(dense);
    NeuralModules fromSparse = trained(sparse);
    assertTrue(fromSparse.getModel().report().sparseInputs, "kept sparse");
    assertFalse(fromDense.getModel().report().sparseInputs);
    assertTrue(fromSparse.toString().contains("Inputs kept sparse"), fromSparse.toString());
    for (Instances test : List.of(dense, sparse)) {
      double[][] a = fromDense.distributionsForInstances(test);
      double[][] b = fromSparse.distributionsForInstances(test);
      for (int r = 0; r < a.length; r++) {
        assertArrayEquals(a[r], b[r], 1e-9, "row " + r);
        assertArrayEquals(b[r], fromSparse.distributionForInstance(test.instance(r)), 0.0, "row " + r);
      }
    }
  }

  @Test
  void sparseTrainingIsTheSameForAnyThreadCount() throws Exception {
    double[] one = trained(sparse, 1).getModel().network().theta();
    double[] three = trained(sparse, 3).getModel().network().theta();
    for (int i = 0; i < one.length; i++) {
      assertEquals(Double.doubleToLongBits(one[i]), Double.doubleToLongBits(three[i]), "weight " + i);
    }
  }

  @Test
  void sparseRowsStoreOnlyTheNonZerosAndReadAsTheDenseFeatures() throws Exception {
    Preprocessor pd = new Preprocessor();
    Instances preDense = pd.fit(dense);
    double[] x = pd.features(preDense);
    Preprocessor ps = new Preprocessor();
    Instances preSparse = ps.fit(sparse);
    assertTrue(ps.isSparse());
    assertFalse(pd.isSparse());
    SparseRows rows = ps.sparseFeatures(preSparse);
    int d = ps.featureCount();
    assertEquals(pd.featureCount(), d);
    long nonZeros = 0;
    for (int r = 0; r < sparse.numInstances(); r++) {
      for (int j = 0; j < sparse.numAttributes() - 1; j++) {
        nonZeros += sparse.instance(r).value(j) != 0 ? 1 : 0;
      }
    }
    // colour becomes three indicators (one non-zero a row, or none for red): at most the raw count
    assertTrue(rows.nonZeros() <= nonZeros + sparse.numInstances(), rows.nonZeros() + " vs " + nonZeros);
    assertTrue(rows.nonZeros() < (long) sparse.numInstances() * d / 4, "far fewer than n x d");
    double[] row = new double[d];
    for (int r = 0; r < sparse.numInstances(); r++) {
      rows.fill(r, row, 0);
      for (int j = 0; j < d; j++) {
        assertEquals(Double.doubleToLongBits(x[r * d + j]), Double.doubleToLongBits(row[j]), "row " + r + " col " + j);
      }
    }
  }

  @Test
  void sparseDataNeedFarLessMemoryThanDense() {
    assertTrue(Preprocessor.estimateBytes(sparse) * 3 < Preprocessor.estimateBytes(dense),
        Preprocessor.estimateBytes(sparse) + " vs " + Preprocessor.estimateBytes(dense));
  }

  /** Text through StringToWordVector (sparse word counts) trains with the inputs kept sparse. */
  @Test
  void aTextPipelineTrainsWithoutDensifying() throws Exception {
    ArrayList<Attribute> atts = new ArrayList<>();
    atts.add(new Attribute("text", (List<String>) null));
    atts.add(new Attribute("class", List.of("sport", "food")));
    Instances text = new Instances("text", atts, 0);
    text.setClassIndex(1);
    String[] sport = {"goal", "match", "team", "score", "league", "coach"};
    String[] food = {"bread", "cheese", "soup", "recipe", "oven", "salad"};
    Random r = new Random(2);
    for (int i = 0; i < 120; i++) {
      boolean s = i % 2 == 0;
      String[] words = s ? sport : food;
      StringBuilder sb = new StringBuilder();
      for (int k = 0; k < 5; k++) {
        sb.append(words[r.nextInt(words.length)]).append(' ').append("the ");
      }
      double[] v = {text.attribute(0).addStringValue(sb.toString()), s ? 0 : 1};
      text.add(new DenseInstance(1.0, v));
    }
    FilteredClassifier fc = new FilteredClassifier();
    fc.setFilter(new StringToWordVector());
    NeuralModules nm = new NeuralModules();
    nm.setOptions(new String[] {"-H", "6", "-N", "30", "-threads", "1", "-device", "CPU"});
    fc.setClassifier(nm);
    fc.buildClassifier(text);
    assertTrue(((NeuralModules) fc.getClassifier()).getModel().report().sparseInputs, "word vectors kept sparse");
    int right = 0;
    for (int i = 0; i < text.numInstances(); i++) {
      right += fc.classifyInstance(text.instance(i)) == text.instance(i).classValue() ? 1 : 0;
    }
    assertTrue(right >= 110, right + " of 120 right");
  }
}
