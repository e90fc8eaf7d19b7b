package weka.classifiers.functions.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.neuralmodules.config.Activation;
import org.neuralmodules.config.NMConfig;
import org.neuralmodules.config.Norm;
import org.neuralmodules.config.Regularization;
import org.neuralmodules.config.Structure;
import weka.classifiers.functions.NeuralModules;
import weka.core.Utils;

/**
 * Every option, out of range or malformed, is refused at setOptions with a message naming the
 * option and what is allowed; every valid boundary and every enum name is accepted.
 */
class OptionValidationTest {

  /** {option, bad value, text the message must contain besides the option name}. */
  private static final String[][] BAD = {
      {"-H", "0", "[1, 20000]"}, {"-H", "-5", "[1, 20000]"}, {"-H", "20001", "[1, 20000]"},
      {"-H", "1.5", "integer"}, {"-H", "abc", "integer"},
      {"-gamma", "-0.1", "[0, 1]"}, {"-gamma", "1.5", "[0, 1]"},
      {"-gamma", "NaN", "[0, 1]"}, {"-gamma", "abc", "number"},
      {"-edges-per-node", "0", "> 0"}, {"-edges-per-node", "-1", "> 0"}, {"-edges-per-node", "NaN", "> 0"},
      {"-steps", "-1", ">= 0"}, {"-steps", "1e9", "integer"},
      {"-min-validation", "-1", ">= 0"}, {"-lr-reductions", "-1", "[0, 30]"}, {"-lr-reductions", "31", "[0, 30]"},
      {"-alpha", "-1", ">= 0"}, {"-alpha", "NaN", ">= 0"}, {"-alpha", "Infinity", "finite"},
      {"-norm", "L3", "[L1, L2]"}, {"-regularization", "BIG", "[NONE, PLAIN, NM]"},
      {"-structure", "TREE", "[GRAPH, DAG, NONE]"}, {"-activation", "SOFTMAX", "[TANH, SIGMOID, RELU]"},
      {"-N", "0", ">= 1"}, {"-N", "-3", ">= 1"}, {"-N", "x", "integer"},
      {"-L", "0", "(0, 10]"}, {"-L", "-0.1", "(0, 10]"}, {"-L", "11", "(0, 10]"}, {"-L", "NaN", "(0, 10]"},
      {"-mini-batch", "0", ">= 1"}, {"-mini-batch", "-1", ">= 1"}, {"-mini-batch", "2.5", "integer"},
      {"-V", "-1", "[0, 90]"}, {"-V", "95", "[0, 90]"}, {"-V", "NaN", "[0, 90]"},
      {"-E", "0", ">= 1"}, {"-E", "-2", ">= 1"},
      {"-S", "1.5", "integer"}, {"-S", "seed", "integer"},
      {"-threads", "-1", "[0, 1024]"}, {"-threads", "1025", "[0, 1024]"},
      {"-tol", "0", "(0, 1)"}, {"-tol", "1", "(0, 1)"}, {"-tol", "NaN", "(0, 1)"}, {"-tol", "-1e-8", "(0, 1)"},
      {"-max-iter", "0", "[1, 10000]"}, {"-max-iter", "10001", "[1, 10000]"},
      {"-device", "GPU", "AUTO, CPU, OPENCL"}, {"-device", "1", "AUTO, CPU, OPENCL"},
      {"-opencl-device", "-2", "device index"}, {"-monitor", "AUC", "[LOSS, ERROR]"}, {"-output-bias", "MEAN", "[ZERO, PRIOR]"},
      {"-batch-size", "0", ">= 1"}, {"-batch-size", "many", "integer"},
      {"-num-decimal-places", "-1", ">= 0"}, {"-num-decimal-places", "two", "integer"},
  };

  @Test
  void everyOutOfRangeOrMalformedValueIsRejectedWithOptionAndRange() throws Exception {
    List<String> covered = new ArrayList<>();
    for (String[] bad : BAD) {
      NeuralModules nm = new NeuralModules();
      nm.setOptions(new String[] {"-H", "7", "-gamma", "0.5"});
      String[] opts = {bad[0], bad[1]};
      Exception e = assertThrows(Exception.class, () -> nm.setOptions(opts.clone()), String.join(" ", opts));
      String m = e.getMessage();
      assertTrue(m.contains(bad[0]) && m.contains(bad[2]),
          String.join(" ", opts) + ": message should name " + bad[0] + " and '" + bad[2] + "': " + m);
      // a rejected setOptions leaves the classifier as it was
      assertEquals(7, nm.getNodes(), String.join(" ", opts));
      assertEquals(0.5, nm.getGamma(), 0.0, String.join(" ", opts));
      covered.add(bad[0]);
    }
    // every option the classifier lists is covered (flags excepted)
    for (String opt : Utils.splitOptions(String.join(" ", new NeuralModules().getOptions()))) {
      if (opt.startsWith("-") && !opt.matches("-\\d.*") && !opt.equals("-output-debug-info")
          && !opt.equals("-do-not-check-capabilities")) {
        assertTrue(covered.contains(opt), "no bad value tried for " + opt);
      }
    }
  }

  @Test
  void missingValueAndUnknownOptionAreRejected() {
    Exception e = assertThrows(Exception.class, () -> new NeuralModules().setOptions(new String[] {"-H"}));
    assertTrue(e.getMessage().contains("-H"), e.getMessage());
    e = assertThrows(Exception.class, () -> new NeuralModules().setOptions(new String[] {"-hidden", "5"}));
    assertTrue(e.getMessage().contains("-hidden"), e.getMessage());
  }

  @Test
  void boundaryValuesAndEveryEnumNameAreAccepted() throws Exception {
    String[][] good = {{"-H", "1"}, {"-H", "20000"}, {"-gamma", "1"}, {"-gamma", "1e-9"}, {"-gamma", "0"},
        {"-edges-per-node", "3"}, {"-steps", "0"}, {"-min-validation", "0"}, {"-lr-reductions", "0"}, {"-alpha", "0"},
        {"-N", "1"}, {"-L", "10"}, {"-L", "1e-12"}, {"-mini-batch", "1"}, {"-V", "0"}, {"-V", "90"},
        {"-E", "1"}, {"-S", "-7"}, {"-threads", "0"}, {"-threads", "1024"}, {"-tol", "0.5"},
        {"-max-iter", "1"}, {"-max-iter", "10000"}, {"-batch-size", "1"}, {"-num-decimal-places", "0"}};
    for (String[] g : good) {
      new NeuralModules().setOptions(g.clone());
    }
    List<Enum<?>[]> enums = List.of(Norm.values(), Regularization.values(), Structure.values(), Activation.values());
    String[] names = {"-norm", "-regularization", "-structure", "-activation"};
    for (int i = 0; i < names.length; i++) {
      for (Enum<?> v : enums.get(i)) {
        for (String spelling : new String[] {v.name(), v.name().toLowerCase()}) {
          NeuralModules nm = new NeuralModules();
          nm.setOptions(new String[] {names[i], spelling});
          List<String> back = Arrays.asList(nm.getOptions());
          int at = back.indexOf(names[i]);
          assertTrue(at >= 0 && back.get(at + 1).equals(v.name()), names[i] + " " + spelling + " -> " + back);
        }
      }
    }
  }

  @Test
  void guiSettersRejectOutOfRangeValuesNamingTheOption() {
    List<Object[]> cases = List.of(
        new Object[] {"-H", (Consumer<NeuralModules>) nm -> nm.setNodes(0)},
        new Object[] {"-H", (Consumer<NeuralModules>) nm -> nm.setNodes(NMConfig.MAX_NODES + 1)},
        new Object[] {"-gamma", (Consumer<NeuralModules>) nm -> nm.setGamma(-1)},
        new Object[] {"-edges-per-node", (Consumer<NeuralModules>) nm -> nm.setEdgesPerNode(0)},
        new Object[] {"-gamma", (Consumer<NeuralModules>) nm -> nm.setGamma(2)},
        new Object[] {"-alpha", (Consumer<NeuralModules>) nm -> nm.setAlpha(-1)},
        new Object[] {"-norm", (Consumer<NeuralModules>) nm -> nm.setNorm(null)},
        new Object[] {"-regularization", (Consumer<NeuralModules>) nm -> nm.setRegularization(null)},
        new Object[] {"-structure", (Consumer<NeuralModules>) nm -> nm.setStructure(null)},
        new Object[] {"-activation", (Consumer<NeuralModules>) nm -> nm.setActivation(null)},
        new Object[] {"-N", (Consumer<NeuralModules>) nm -> nm.setNumEpochs(0)},
        new Object[] {"-L", (Consumer<NeuralModules>) nm -> nm.setLearningRate(0)},
        new Object[] {"-mini-batch", (Consumer<NeuralModules>) nm -> nm.setMiniBatchSize(0)},
        new Object[] {"-V", (Consumer<NeuralModules>) nm -> nm.setValidationPercent(91)},
        new Object[] {"-E", (Consumer<NeuralModules>) nm -> nm.setPatience(0)},
        new Object[] {"-threads", (Consumer<NeuralModules>) nm -> nm.setNumThreads(-1)},
        new Object[] {"-tol", (Consumer<NeuralModules>) nm -> nm.setTolerance(1)},
        new Object[] {"-max-iter", (Consumer<NeuralModules>) nm -> nm.setMaxIterations(0)});
    for (Object[] c : cases) {
      @SuppressWarnings("unchecked")
      Consumer<NeuralModules> setter = (Consumer<NeuralModules>) c[1];
      NeuralModules nm = new NeuralModules();
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> setter.accept(nm), (String) c[0]);
      assertTrue(e.getMessage().contains((String) c[0]) && e.getMessage().contains("must be"),
          c[0] + ": " + e.getMessage());
      assertEquals(NMConfig.defaults(), nm.getConfig(), "a rejected setter leaves the config unchanged");
    }
  }
}
