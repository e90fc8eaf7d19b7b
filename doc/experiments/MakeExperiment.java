import java.beans.PropertyDescriptor;
import java.io.File;
import javax.swing.DefaultListModel;
import weka.classifiers.AbstractClassifier;
import weka.classifiers.Classifier;
import weka.experiment.ClassifierSplitEvaluator;
import weka.experiment.Experiment;
import weka.experiment.InstancesResultListener;
import weka.experiment.PropertyNode;
import weka.experiment.RandomSplitResultProducer;
import weka.experiment.xml.XMLExperiment;

/**
 * Writes doc/experiments/nm-vs-mlp.xml, the experiment the Experimenter opens (Setup -> Open) and
 * run-experiment.sh runs: NeuralModules vs MultilayerPerceptron with the same 20 hidden nodes,
 * 10 runs of a random 66% train / 34% test split on data/iris.arff and data/codon_usage_small.arff
 * (paths relative to the experiment's folder, where the package ships them; RunExperiment.java
 * resolves them, the Experimenter relative to its working directory), results to
 * nm-vs-mlp-results.arff (RunExperiment.java sets a path of its own), module statistics recorded
 * as extra columns. Run from the repository root with the package classes on the classpath:
 *
 * <pre>java -cp "target/classes:$(cat target/cp.txt)" doc/experiments/MakeExperiment.java</pre>
 */
public class MakeExperiment {
  public static void main(String[] args) throws Exception {
    Classifier nm = AbstractClassifier.forName("weka.classifiers.functions.NeuralModules",
        new String[] {"-H", "20", "-N", "50", "-threads", "1"});
    Classifier mlp = AbstractClassifier.forName("weka.classifiers.functions.MultilayerPerceptron",
        new String[] {"-H", "20", "-N", "200"});

    ClassifierSplitEvaluator se = new ClassifierSplitEvaluator();
    se.setClassifier(nm);
    RandomSplitResultProducer rp = new RandomSplitResultProducer();
    rp.setTrainPercent(66);
    rp.setRandomizeData(true);
    rp.setSplitEvaluator(se);
    // recorded for NeuralModules; empty (missing) for MultilayerPerceptron
    rp.setAdditionalMeasures(new String[] {"measureNumModules", "measureLargestModule", "measureActiveEdges",
        "measureSolverFailures", "measureEpochsRun"});

    Experiment exp = new Experiment();
    exp.setResultProducer(rp);
    exp.setRunLower(1);
    exp.setRunUpper(10);
    exp.setUsePropertyIterator(true);
    exp.setPropertyPath(new PropertyNode[] {
        new PropertyNode(se, new PropertyDescriptor("splitEvaluator", RandomSplitResultProducer.class),
            RandomSplitResultProducer.class),
        new PropertyNode(nm, new PropertyDescriptor("classifier", ClassifierSplitEvaluator.class),
            ClassifierSplitEvaluator.class)});
    exp.setPropertyArray(new Classifier[] {nm, mlp});
    DefaultListModel<File> data = new DefaultListModel<>();
    data.addElement(new File("data/iris.arff"));
    data.addElement(new File("data/codon_usage_small.arff"));
    exp.setDatasets(data);
    InstancesResultListener out = new InstancesResultListener();
    out.setOutputFile(new File("nm-vs-mlp-results.arff"));
    exp.setResultListener(out);
    exp.setNotes("NeuralModules vs MultilayerPerceptron, 20 hidden nodes each; analyse with the paired "
        + "corrected t-test (run-experiment.sh next to this file runs it and prints the table).");
    String file = "doc/experiments/nm-vs-mlp.xml";
    new XMLExperiment().write(file, exp);
    // XMLExperiment writes classFirst (false, the default) but its reader does not know it and
    // prints "WARNING: unknown property '__root__.classFirst'!" on every load: leave it out.
    java.nio.file.Path path = java.nio.file.Path.of(file);
    java.util.List<String> lines = new java.util.ArrayList<>(java.nio.file.Files.readAllLines(path));
    lines.removeIf(l -> l.contains("name=\"classFirst\""));
    java.nio.file.Files.write(path, lines);
    System.out.println("wrote doc/experiments/nm-vs-mlp.xml");
  }
}
