import java.io.File;
import javax.swing.DefaultListModel;
import weka.core.WekaPackageManager;
import weka.experiment.Experiment;
import weka.experiment.InstancesResultListener;

/**
 * Runs a saved Experimenter experiment (e.g. nm-vs-mlp.xml) from wherever it lies: dataset paths
 * that are relative are read relative to the experiment file's folder (nm-vs-mlp.xml lists
 * data/iris.arff and data/codon_usage_small.arff, shipped next to it), and the results go to the
 * file given here, never next to the experiment. Errors are not caught: a failing run ends with
 * Weka's exception and a non-zero exit status.
 *
 * <pre>java -cp WEKA_CLASSPATH RunExperiment.java experiment.xml results.arff [runs]</pre>
 *
 * The class path needs Weka; NeuralModules comes from it or from the package installed in
 * WEKA_HOME (loaded here first, as the Experimenter does).
 */
public class RunExperiment {
  public static void main(String[] args) throws Exception {
    if (args.length < 2 || args.length > 3) {
      System.err.println("usage: java -cp WEKA_CLASSPATH RunExperiment.java experiment.xml results.arff [runs]");
      System.exit(2);
    }
    WekaPackageManager.loadPackages(false);
    File xml = new File(args[0]).getAbsoluteFile();
    File results = new File(args[1]).getAbsoluteFile();
    Experiment exp = Experiment.read(xml.getPath());
    DefaultListModel<File> data = new DefaultListModel<>();
    for (int i = 0; i < exp.getDatasets().size(); i++) {
      File f = (File) exp.getDatasets().get(i);
      File resolved = f.isAbsolute() ? f : new File(xml.getParentFile(), f.getPath());
      if (!resolved.isFile()) {
        throw new IllegalStateException("dataset " + f + " of " + xml + " not found (looked for " + resolved + ")");
      }
      data.addElement(resolved);
    }
    exp.setDatasets(data);
    if (args.length == 3) {
      exp.setRunUpper(exp.getRunLower() + Integer.parseInt(args[2]) - 1);
    }
    results.getParentFile().mkdirs();
    ((InstancesResultListener) exp.getResultListener()).setOutputFile(results);
    System.out.println("Running " + xml.getName() + ": runs " + exp.getRunLower() + "-" + exp.getRunUpper() + ", "
        + data.size() + " datasets; results to " + results);
    exp.initialize();
    exp.runExperiment();
    exp.postProcess();
    if (results.length() == 0) {
      throw new IllegalStateException("the experiment wrote no results to " + results);
    }
  }
}
