package weka.classifiers.functions.reliability;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import weka.classifiers.functions.NeuralModules;
import weka.core.Instances;
import weka.core.SerializationHelper;

/**
 * Writes the model fixture that {@link ModelFixtureTest} loads: NeuralModules {@value #OPTIONS}
 * trained on test-data/iris.arff, serialized with Weka's SerializationHelper, plus its class
 * distribution for every iris row (CSV, Double.toString so values round-trip exactly).
 *
 * <p>Run only when a release deliberately creates a new fixture (never to "fix" a failing
 * ModelFixtureTest: a model written by an earlier version must keep loading):
 * <pre>
 * mvn -q test-compile dependency:build-classpath -Dmdep.outputFile=cp.txt
 * java -cp target/classes:target/test-classes:$(cat cp.txt) \
 *   weka.classifiers.functions.reliability.FixtureGenerator 0.1.0
 * </pre>
 */
public final class FixtureGenerator {
  static final String OPTIONS = "-H 10 -N 30 -L 0.02 -S 1 -threads 1";

  private FixtureGenerator() {}

  static Path modelPath(String version) {
    return Path.of("src/test/resources/fixtures/neuralmodules-v" + version + ".model");
  }

  static Path predictionsPath(String version) {
    return Path.of("src/test/resources/fixtures/neuralmodules-v" + version + ".predictions.csv");
  }

  public static void main(String[] args) throws Exception {
    String version = args.length > 0 ? args[0] : "0.1.0";
    Instances iris = Data.iris();
    NeuralModules nm = new NeuralModules();
    nm.setOptions(weka.core.Utils.splitOptions(OPTIONS));
    nm.buildClassifier(iris);
    Files.createDirectories(modelPath(version).getParent());
    SerializationHelper.write(modelPath(version).toString(), nm);
    try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(predictionsPath(version), StandardCharsets.UTF_8))) {
      out.println("# NeuralModules " + OPTIONS + " on test-data/iris.arff: class distribution per row");
      for (int i = 0; i < iris.numInstances(); i++) {
        double[] p = nm.distributionForInstance(iris.instance(i));
        StringBuilder sb = new StringBuilder();
        for (int o = 0; o < p.length; o++) {
          sb.append(o == 0 ? "" : ",").append(Double.toString(p[o]));
        }
        out.println(sb);
      }
    }
    System.out.println("wrote " + modelPath(version) + " and " + predictionsPath(version));
  }
}
