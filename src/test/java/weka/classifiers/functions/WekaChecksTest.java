package weka.classifiers.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import weka.classifiers.CheckClassifier;
import weka.core.CheckGOE;
import weka.core.CheckOptionHandler;

/** Weka's CheckClassifier, CheckOptionHandler and CheckGOE, failing on any failed check. */
class WekaChecksTest {

  /**
   * Lines that state which optional interfaces the classifier implements, not test outcomes: "no"
   * there only means NeuralModules is not incremental and not multi-instance.
   */
  private static final List<String> INTERFACE_LINES = List.of("updateable classifier...no",
      "multi-instance classifier...no");

  @Test
  void checkClassifierHasNoFailedTest() throws Exception {
    String out = captureStdout(() -> {
      CheckClassifier check = new CheckClassifier();
      check.setClassifier(new NeuralModules());
      check.doTests();
    });
    List<String> failed = out.lines().map(String::trim)
        .filter(l -> l.endsWith("...no") && !INTERFACE_LINES.contains(l))
        .collect(Collectors.toList());
    assertTrue(out.contains("basic predict (nominal class, numeric predictors)...yes"), out);
    assertTrue(out.contains("weighted instances classifier...yes"), out);
    assertTrue(failed.isEmpty(), "CheckClassifier failures: " + failed + "\n" + out);
  }

  @Test
  void checkOptionHandlerPasses() {
    for (String[] user : List.of(new String[0],
        new String[] {"-H", "20", "-gamma", "0.1", "-alpha", "0.01", "-norm", "L2", "-regularization", "PLAIN",
            "-structure", "DAG", "-activation", "SIGMOID", "-N", "3", "-L", "0.01", "-mini-batch", "16", "-V", "0",
            "-E", "4", "-S", "7", "-threads", "1", "-tol", "1e-9", "-max-iter", "30"})) {
      CheckOptionHandler check = new CheckOptionHandler();
      check.setOptionHandler(new NeuralModules());
      check.setUserOptions(user);
      check.setSilent(true);
      assertTrue(check.checkListOptions(), "listOptions");
      assertTrue(check.checkSetOptions(), "setOptions");
      assertTrue(check.checkDefaultOptions(), "default options");
      assertTrue(check.checkRemainingOptions(), "remaining options");
      assertTrue(check.checkCanonicalUserOptions(), "canonical user options");
      assertTrue(check.checkResettingOptions(), "resetting options");
    }
  }

  @Test
  void checkGoePasses() {
    CheckGOE check = new CheckGOE();
    check.setObject(new NeuralModules());
    check.setSilent(true);
    assertTrue(check.checkGlobalInfo(), "globalInfo");
    assertTrue(check.checkToolTips(), "tool tips");
  }

  @Test
  void optionsRoundTripThroughTheCommandLine() throws Exception {
    NeuralModules a = new NeuralModules();
    a.setOptions(new String[] {"-H", "33", "-gamma", "0.25", "-regularization", "plain", "-norm", "l2"});
    NeuralModules b = new NeuralModules();
    b.setOptions(a.getOptions());
    assertEquals(a.getConfig(), b.getConfig());
    assertEquals(33, b.getNodes());
    assertEquals(0.25, b.getGamma());
  }

  static String captureStdout(ThrowingRunnable r) throws Exception {
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      r.run();
    } finally {
      System.setOut(old);
    }
    return buf.toString(StandardCharsets.UTF_8);
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }
}
