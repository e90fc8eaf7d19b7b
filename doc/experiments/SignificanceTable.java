import java.io.BufferedReader;
import java.io.FileReader;
import java.util.Locale;
import java.util.TreeMap;
import weka.core.Attribute;
import weka.core.Instance;
import weka.core.Instances;
import weka.core.Range;
import weka.experiment.PairedCorrectedTTester;
import weka.experiment.ResultMatrixPlainText;

/**
 * Prints what the Experimenter's Analyse panel shows for a result ARFF: the paired corrected
 * t-test (Nadeau and Bengio) at 0.05 of percent correct and of training time, the first result
 * set (NeuralModules) as the base; then the mean module statistics NeuralModules recorded.
 *
 * <pre>java -cp WEKA_CLASSPATH doc/experiments/SignificanceTable.java results.arff</pre>
 */
public class SignificanceTable {
  public static void main(String[] args) throws Exception {
    Instances r;
    try (BufferedReader in = new BufferedReader(new FileReader(args[0]))) {
      r = new Instances(in);
    }
    PairedCorrectedTTester tt = new PairedCorrectedTTester();
    tt.setInstances(r);
    tt.setDatasetKeyColumns(new Range(col(r, "Key_Dataset")));
    tt.setRunColumn(index(r, "Key_Run"));
    tt.setFoldColumn(-1); // random splits: one result per run
    tt.setResultsetKeyColumns(new Range(col(r, "Key_Scheme") + "," + col(r, "Key_Scheme_options") + ","
        + col(r, "Key_Scheme_version_ID")));
    tt.setSignificanceLevel(0.05);
    tt.setShowStdDevs(true);
    ResultMatrixPlainText matrix = new ResultMatrixPlainText();
    matrix.setMeanWidth(6);
    matrix.setStdDevWidth(5);
    tt.setResultMatrix(matrix);
    for (String measure : new String[] {"Percent_correct", "Elapsed_Time_training"}) {
      int c = index(r, measure);
      System.out.println(tt.header(c));
      System.out.println(tt.multiResultsetFull(0, c));
    }

    System.out.println("NeuralModules module statistics (mean over runs):");
    System.out.printf(Locale.ROOT, "%-22s %8s %8s %8s %8s %8s%n", "Dataset", "modules", "largest", "edges",
        "failures", "epochs");
    int ds = index(r, "Key_Dataset");
    int scheme = index(r, "Key_Scheme");
    String[] m = {"measureNumModules", "measureLargestModule", "measureActiveEdges", "measureSolverFailures",
        "measureEpochsRun"};
    TreeMap<String, double[]> sums = new TreeMap<>();
    for (Instance row : r) {
      if (!row.stringValue(scheme).endsWith("NeuralModules")) {
        continue;
      }
      double[] s = sums.computeIfAbsent(row.stringValue(ds), k -> new double[m.length + 1]);
      for (int i = 0; i < m.length; i++) {
        s[i] += row.value(index(r, m[i]));
      }
      s[m.length]++;
    }
    sums.forEach((name, s) -> System.out.printf(Locale.ROOT, "%-22s %8.1f %8.1f %8.1f %8.1f %8.1f%n", name,
        s[0] / s[5], s[1] / s[5], s[2] / s[5], s[3] / s[5], s[4] / s[5]));
  }

  static int index(Instances r, String name) {
    Attribute a = r.attribute(name);
    if (a == null) {
      throw new IllegalArgumentException("result file has no column " + name);
    }
    return a.index();
  }

  static String col(Instances r, String name) {
    return String.valueOf(index(r, name) + 1);
  }
}
