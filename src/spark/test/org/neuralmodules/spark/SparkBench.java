package org.neuralmodules.spark;

import java.util.List;
import java.util.Locale;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.neuralmodules.train.DataParallelEpochs;
import weka.classifiers.Classifier;
import weka.classifiers.Evaluation;
import weka.classifiers.functions.NeuralModules;
import weka.core.Instances;
import weka.core.converters.ConverterUtils.DataSource;
import weka.filters.Filter;
import weka.filters.supervised.instance.StratifiedRemoveFolds;

/**
 * Benchmark of docs/benchmarks.md ("Data-parallel training on Spark"): codon P1 (the bench
 * harness's split: StratifiedRemoveFolds -N 5 -F 1 -S 1, training rows with -V) on one machine
 * and on Spark with the given partition counts. Arguments: data file, master, partition counts;
 * the rest are NeuralModules options.
 */
public final class SparkBench {
  private SparkBench() {
  }

  public static void main(String[] args) throws Exception {
    Instances all = DataSource.read(args[0]);
    all.setClassIndex(all.numAttributes() - 1);
    Instances train = fold(all, true);
    Instances test = fold(all, false);
    String master = args[1];
    String[] parts = args[2].split(",");
    String[] options = java.util.Arrays.copyOfRange(args, 3, args.length);
    long t0 = System.nanoTime();
    NeuralModules single = new NeuralModules();
    single.setOptions(options.clone());
    single.buildClassifier(train);
    double singleSeconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf(Locale.ROOT, "| one JVM (NeuralModules) | %.2f%% | %d (%d) | %.3f | | | |%n", error(single, train, test),
        single.getModel().report().epochsRun, single.getModel().report().bestEpoch,
        single.getModel().report().secondsPerEpoch());
    try (JavaSparkContext sc = new JavaSparkContext(new SparkConf().setMaster(master).setAppName("NeuralModulesBench")
        .set("spark.ui.enabled", "false"))) {
      sc.setLogLevel("WARN");
      for (String p : parts) {
        SparkNeuralModules.Result r = SparkNeuralModules.train(sc, train, options, Integer.parseInt(p));
        List<DataParallelEpochs.EpochTime> times = r.epochTimes();
        double wall = 0;
        double compute = 0;
        double averaging = 0;
        double validation = 0;
        double overhead = 0;
        for (DataParallelEpochs.EpochTime t : times) {
          wall += t.wall() / 1e9;
          compute += t.compute() / 1e9;
          averaging += t.averaging() / 1e9;
          validation += t.validation() / 1e9;
          overhead += t.overhead() / 1e9;
        }
        int n = times.size();
        System.out.printf(Locale.ROOT, "| %s, %s partitions | %.2f%% | %d (%d) | %.3f | %.3f | %.1f%% | %.2f%% |%n",
            master, p, error(r.classifier(), train, test), n, r.classifier().getModel().report().bestEpoch, wall / n,
            compute / n, 100 * overhead / wall, 100 * averaging / wall);
        System.out.printf(Locale.ROOT, "  (validation %.3f s/epoch; parameters %d doubles)%n", validation / n,
            r.classifier().getModel().network().theta().length);
      }
    }
  }

  static Instances fold(Instances all, boolean train) throws Exception {
    StratifiedRemoveFolds f = new StratifiedRemoveFolds();
    f.setOptions(train ? new String[] {"-N", "5", "-F", "1", "-S", "1", "-V"} : new String[] {"-N", "5", "-F", "1", "-S", "1"});
    f.setInputFormat(all);
    return Filter.useFilter(all, f);
  }

  static double error(Classifier c, Instances train, Instances test) throws Exception {
    Evaluation e = new Evaluation(train);
    e.evaluateModel(c, test);
    return e.pctIncorrect();
  }
}
