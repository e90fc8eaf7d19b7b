package org.neuralmodules.spark;

import java.util.Arrays;
import java.util.Locale;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.neuralmodules.train.DataParallelEpochs;
import weka.core.Instances;
import weka.core.SerializationHelper;
import weka.core.Utils;
import weka.core.converters.ConverterUtils.DataSource;

/**
 * Command line: trains NeuralModules data-parallel on Spark and writes a Weka model file
 * (classifier and training header, as the Explorer saves them; Weka's -l and the Explorer's
 * "Load model" read it).
 *
 * <pre>
 * spark-submit --class org.neuralmodules.spark.SparkTrain --master local[*] \
 *   --jars neuralModules-0.1.0.jar,weka-stable-3.8.6.jar,... neuralModules-0.1.0-spark.jar \
 *   data.arff model.model [-partitions 4] [-c last] [NeuralModules options]
 * </pre>
 */
public final class SparkTrain {
  private SparkTrain() {
  }

  static String usage() {
    return "Usage: SparkTrain <data.arff|data.csv> <output.model> [-partitions <n>] [-c <class index|first|last>] "
        + "[NeuralModules options, e.g. -H 24 -N 200]\n"
        + "  -partitions: training-row slices, one Spark task each per epoch (default: Spark's default parallelism)\n"
        + "  -c: class attribute, 1-based (default last)";
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 2 || Arrays.asList(args).contains("-h") || Arrays.asList(args).contains("--help")) {
      System.err.println(usage());
      System.exit(args.length < 2 ? 1 : 0);
    }
    SparkConf conf = new SparkConf().setAppName("NeuralModules").setIfMissing("spark.master", "local[*]");
    try (JavaSparkContext sc = new JavaSparkContext(conf)) {
      run(sc, args);
    }
  }

  /** Reads the data, trains, writes the model; prints one line per epoch and a summary. */
  static SparkNeuralModules.Result run(JavaSparkContext sc, String[] args) throws Exception {
    String dataPath = args[0];
    String modelPath = args[1];
    String[] options = Arrays.copyOfRange(args, 2, args.length);
    int partitions = SparkNeuralModules.partitions(options, sc.defaultParallelism());
    String classIndex = Utils.getOption('c', options);
    Instances data = DataSource.read(dataPath);
    setClass(data, classIndex.isEmpty() ? "last" : classIndex);
    long start = System.nanoTime();
    SparkNeuralModules.Result r = SparkNeuralModules.train(sc, data, options, partitions);
    double seconds = (System.nanoTime() - start) / 1e9;
    SerializationHelper.writeAll(modelPath, new Object[] {r.classifier(), new Instances(data, 0)});
    int e = 0;
    for (DataParallelEpochs.EpochTime t : r.epochTimes()) {
      e++;
      System.out.printf(Locale.ROOT, "epoch %d: %.3f s (compute %.3f, averaging %.4f, validation %.3f, "
          + "scheduling and transfer %.3f)%n", e, t.wall() / 1e9, t.compute() / 1e9, t.averaging() / 1e9,
          t.validation() / 1e9, t.overhead() / 1e9);
    }
    System.out.printf(Locale.ROOT, "trained on %d partitions in %.1f s; model written to %s%n%n%s%n", partitions,
        seconds, modelPath, r.classifier());
    return r;
  }

  static void setClass(Instances data, String index) {
    switch (index) {
      case "first" -> data.setClassIndex(0);
      case "last" -> data.setClassIndex(data.numAttributes() - 1);
      default -> data.setClassIndex(Integer.parseInt(index) - 1);
    }
  }
}
