package weka.classifiers.functions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.file.Files;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import weka.classifiers.evaluation.Evaluation;
import weka.core.Instances;
import weka.core.SerializationHelper;
import weka.core.Utils;
import weka.core.converters.ConverterUtils.DataSource;

/**
 * Resume as Weka's iterative classifiers do it (LogitBoost, MultilayerPerceptron): with resume
 * set, done() keeps the training state, and initializeClassifier/next/done runs another session
 * of -N epochs from it, also after a save and load. buildClassifier always trains anew.
 */
class NeuralModulesResumeTest {
  private static final String[] BASE = {"-H", "8", "-V", "0", "-threads", "1", "-device", "CPU", "-steps", "0",
      "-lr-reductions", "0", "-E", "100", "-mini-batch", "16"};

  static Instances iris;

  @BeforeAll
  static void load() throws Exception {
    iris = DataSource.read("test-data/iris.arff");
    iris.setClassIndex(iris.numAttributes() - 1);
  }

  private static NeuralModules configured(int epochs, boolean resume) throws Exception {
    NeuralModules nm = new NeuralModules();
    String[] o = Arrays.copyOf(BASE, BASE.length + 2);
    o[BASE.length] = "-N";
    o[BASE.length + 1] = Integer.toString(epochs);
    nm.setOptions(o);
    nm.setResume(resume);
    return nm;
  }

  private static void session(NeuralModules nm) throws Exception {
    nm.initializeClassifier(iris);
    int guard = 0;
    while (nm.next()) {
      assertTrue(++guard < 1000);
    }
    nm.done();
  }

  private static void assertSamePredictions(NeuralModules expected, NeuralModules actual) throws Exception {
    double[][] e = expected.distributionsForInstances(iris);
    double[][] a = actual.distributionsForInstances(iris);
    for (int i = 0; i < e.length; i++) {
      assertArrayEquals(e[i], a[i], 0.0, "row " + i);
    }
  }

  @Test
  void threeThenFourEpochsEqualSeven() throws Exception {
    NeuralModules seven = configured(7, false);
    seven.buildClassifier(iris);

    NeuralModules resumed = configured(3, true);
    resumed.buildClassifier(iris);
    assertTrue(resumed.getResume(), "buildClassifier keeps the resume setting");
    assertEquals(3, resumed.getModel().report().epochsRun);
    resumed.setNumEpochs(4);
    session(resumed);
    assertEquals(7, resumed.getModel().report().epochsRun, "the epoch count adds up");
    assertSamePredictions(seven, resumed);
  }

  @Test
  void aSavedModelTrainsFurtherAfterLoading() throws Exception {
    NeuralModules five = configured(5, false);
    five.buildClassifier(iris);

    NeuralModules first = configured(2, true);
    first.buildClassifier(iris);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    SerializationHelper.write(bytes, first);
    NeuralModules loaded = (NeuralModules) SerializationHelper.read(new ByteArrayInputStream(bytes.toByteArray()));
    loaded.setNumEpochs(3);
    session(loaded);
    assertEquals(5, loaded.getModel().report().epochsRun);
    assertSamePredictions(five, loaded);
  }

  @Test
  void withoutResumeNothingIsKeptAndANewSessionStartsOver() throws Exception {
    NeuralModules three = configured(3, false);
    three.buildClassifier(iris);
    NeuralModules again = configured(3, false);
    again.buildClassifier(iris);
    session(again);
    assertEquals(3, again.getModel().report().epochsRun, "a new session without resume retrains");
    assertSamePredictions(three, again);

    NeuralModules kept = configured(3, true);
    kept.buildClassifier(iris);
    NeuralModules plain = configured(3, false);
    plain.buildClassifier(iris);
    assertTrue(serializedSize(kept) > serializedSize(plain), "the training state travels only with resume");
    kept.buildClassifier(iris);
    assertEquals(3, kept.getModel().report().epochsRun, "buildClassifier starts anew even with resume");
  }

  @Test
  void resumingOnOtherDataSaysSo() throws Exception {
    NeuralModules nm = configured(2, true);
    nm.buildClassifier(iris);
    Instances fewer = new Instances(iris, 0, 100);
    Exception e = assertThrows(Exception.class, () -> session(nm(nm, fewer)));
    assertTrue(e.getMessage().contains("different data"), e.getMessage());
  }

  private static NeuralModules nm(NeuralModules nm, Instances data) throws Exception {
    return new NeuralModules() {
      @Override
      public void initializeClassifier(Instances ignored) throws Exception {
        nm.initializeClassifier(data);
      }
    };
  }

  @Test
  void resumeIsACommandLineFlag() throws Exception {
    NeuralModules nm = new NeuralModules();
    assertFalse(Arrays.asList(nm.getOptions()).contains("-resume"));
    nm.setOptions(new String[] {"-resume", "-N", "4"});
    assertTrue(nm.getResume());
    assertTrue(Arrays.asList(nm.getOptions()).contains("-resume"));
    NeuralModules copy = new NeuralModules();
    copy.setOptions(nm.getOptions());
    assertTrue(copy.getResume());
  }

  /** Weka's own command line: -d saves after 3 epochs, -l ... -continue-iterating adds 4 more. */
  @Test
  void wekasContinueIteratingContinuesASavedModel(@TempDir File dir) throws Exception {
    String model = new File(dir, "nm.model").getPath();
    String[] first = concat(BASE, "-N", "3", "-resume", "-t", "test-data/iris.arff", "-d", model, "-no-cv");
    Evaluation.evaluateModel(new NeuralModules(), first);
    assertTrue(Files.size(new File(model).toPath()) > 0);
    String model2 = new File(dir, "nm2.model").getPath();
    String[] more = concat(BASE, "-N", "4", "-l", model, "-t", "test-data/iris.arff", "-T", "test-data/iris.arff", "-continue-iterating",
        "-d", model2);
    Evaluation.evaluateModel(new NeuralModules(), more);
    NeuralModules continued = (NeuralModules) SerializationHelper.read(model2);
    assertEquals(7, continued.getModel().report().epochsRun);
    NeuralModules seven = configured(7, false);
    seven.buildClassifier(iris);
    assertSamePredictions(seven, continued);
  }

  private static String[] concat(String[] a, String... b) {
    String[] r = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }

  private static int serializedSize(Object o) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    SerializationHelper.write(bytes, o);
    return bytes.size();
  }

  static {
    Utils.class.getName(); // weka.core loaded before the first test
  }
}
