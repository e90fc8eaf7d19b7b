package weka.classifiers.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.neuralmodules.graph.GraphPlan;
import org.neuralmodules.wekaio.ModelMeasures;
import weka.classifiers.bayes.net.BIFReader;
import weka.core.Drawable;
import weka.core.Instances;
import weka.experiment.ClassifierSplitEvaluator;
import weka.gui.graphvisualizer.BIFParser;
import weka.gui.graphvisualizer.GraphEdge;
import weka.gui.graphvisualizer.GraphNode;

/** Drawable (the Explorer's "Visualize graph") and AdditionalMeasureProducer (Experimenter columns). */
class NeuralModulesGraphMeasuresTest {

  static NeuralModules trained(String... options) throws Exception {
    NeuralModules nm = new NeuralModules();
    nm.setOptions(options);
    nm.buildClassifier(NeuralModulesBehaviourTest.read("test-data/iris.arff"));
    return nm;
  }

  @Test
  void graphIsXmlBifOfTheTrainedModulesWithEveryActiveEdge() throws Exception {
    NeuralModules nm = trained("-H", "20", "-gamma", "0.1", "-N", "5");
    assertEquals(Drawable.BayesNet, nm.graphType());
    GraphPlan plan = nm.getModel().plan();
    String xml = nm.graph();
    ArrayList<GraphNode> nodes = new ArrayList<>();
    ArrayList<GraphEdge> edges = new ArrayList<>();
    String name = new BIFParser(xml, nodes, edges).parse();
    assertTrue(name.startsWith("NeuralModules (" + plan.moduleCount + " modules, 20 nodes, " + plan.activeEdges
        + " active edges"), name);
    // drawn: nodes of modules with edges (m<r>_n<k>), one header per module ("M<r> a>c"), one
    // feedback leaf per cycle-closing edge ("fb n<j>->n<k>"), the legend, the single-node
    // summary ("<n> singles"), row variables ("row <i>"); see ModuleGraphExport
    int hidden = 0;
    int singles = 0;
    for (GraphNode n : nodes) {
      if (n.ID.matches("m\\d+_n\\d+")) {
        hidden++;
        int k = Integer.parseInt(n.ID.substring(n.ID.indexOf("_n") + 2));
        assertTrue(k >= 0 && k < 20);
      } else if (n.ID.matches("\\d+ singles?")) {
        singles = Integer.parseInt(n.ID.substring(0, n.ID.indexOf(' ')));
      } else {
        assertTrue(n.ID.matches("fb n\\d+->n\\d+|M\\d+ .*|fb=feedback|row \\d+"), "unexpected node " + n.ID);
      }
    }
    assertEquals(20, hidden + singles, "every hidden node is drawn, or listed among the single nodes");
    int weightEdges = 0;
    for (GraphEdge e : edges) {
      String src = nodes.get(e.src).ID;
      String dst = nodes.get(e.dest).ID;
      weightEdges += src.matches("m\\d+_n\\d+") && (dst.matches("m\\d+_n\\d+") || dst.startsWith("fb n")) ? 1 : 0;
    }
    assertEquals(plan.activeEdges, weightEdges, "one drawn edge per active edge");
    assertTrue(plan.activeEdges > 0);
    // Weka's own XMLBIF reader accepts it as a network over the drawn nodes
    assertEquals(nodes.size(), new BIFReader().processString(xml).getNrOfNodes());
  }

  @Test
  void graphWithoutAModelIsAClearError() {
    Exception e = assertThrows(Exception.class, () -> new NeuralModules().graph());
    assertTrue(e.getMessage().contains("no model built yet"), e.getMessage());
  }

  @Test
  void measuresDescribeTheTrainedModel() throws Exception {
    NeuralModules nm = trained("-H", "20", "-gamma", "0.1", "-N", "5");
    List<String> names = Collections.list(nm.enumerateMeasures());
    assertEquals(ModelMeasures.NAMES, names);
    assertTrue(names.containsAll(List.of("measureNumModules", "measureLargestModule", "measureSolverFailures",
        "measureActiveEdges", "measureEpochsRun")));
    GraphPlan plan = nm.getModel().plan();
    assertEquals(plan.moduleCount, nm.getMeasure("measureNumModules"));
    assertEquals(plan.largestModule(), nm.getMeasure("measureLargestModule"));
    assertEquals(plan.activeEdges, nm.getMeasure("measureActiveEdges"));
    assertEquals(nm.getModel().report().epochsRun, nm.getMeasure("measureEpochsRun"));
    assertTrue(nm.getMeasure("measureEpochsRun") >= 1 && nm.getMeasure("measureEpochsRun") <= 5);
    // module sizes add up to the node count, so largest * count >= nodes >= count
    double modules = nm.getMeasure("measureNumModules");
    assertTrue(modules >= 1 && modules <= 20);
    assertTrue(nm.getMeasure("measureLargestModule") * modules >= 20);
    assertTrue(nm.getMeasure("measureSingletonModules") <= modules);
    for (String m : names) {
      double v = nm.getMeasure(m);
      assertTrue(Double.isFinite(v) && v >= 0, m + " = " + v);
    }
    assertEquals(nm.getModel().report().trainingSolves.unresolved, nm.getMeasure("measureSolverFailures"));
  }

  @Test
  void solverFailuresComeFromTheTrainingReport() throws Exception {
    NeuralModules nm = trained("-H", "12", "-gamma", "0.3", "-N", "2");
    // the counters the trainer fills (solver failures are returned as values and counted); set
    // them here because ordinary data does not make the solver fail
    nm.getModel().report().trainingSolves.newtonFailures = 7;
    nm.getModel().report().trainingSolves.unresolved = 3;
    assertEquals(3.0, nm.getMeasure("measureSolverFailures"));
    assertEquals(4.0, nm.getMeasure("measureSolverFallbacks"), "rescued by the fixed point = 7 - 3");
  }

  @Test
  void unknownOrEarlyMeasuresAreClearErrors() throws Exception {
    Exception unknown = assertThrows(IllegalArgumentException.class,
        () -> trained("-H", "5", "-N", "1").getMeasure("measureNoSuchThing"));
    assertTrue(unknown.getMessage().contains("measureNumModules"), "lists the available measures");
    Exception early = assertThrows(IllegalStateException.class,
        () -> new NeuralModules().getMeasure("measureNumModules"));
    assertTrue(early.getMessage().contains("no model built yet"));
  }

  @Test
  void zeroRFallbackHasNoModules() throws Exception {
    Instances iris = NeuralModulesBehaviourTest.read("test-data/iris.arff");
    Instances empty = new Instances(iris, 0);
    NeuralModules nm = new NeuralModules();
    nm.buildClassifier(empty);
    assertEquals(0.0, nm.getMeasure("measureNumModules"));
    Exception e = assertThrows(Exception.class, nm::graph);
    assertTrue(e.getMessage().contains("ZeroR"));
  }

  /** What the Experimenter does: ClassifierSplitEvaluator records the measures as result columns. */
  @Test
  void experimenterRecordsModuleStatisticsAsResultColumns() throws Exception {
    Instances iris = NeuralModulesBehaviourTest.read("test-data/iris.arff");
    Instances train = new Instances(iris, 0, 100);
    Instances test = new Instances(iris, 100, 50);
    train.randomize(new java.util.Random(1));
    ClassifierSplitEvaluator se = new ClassifierSplitEvaluator();
    NeuralModules template = new NeuralModules();
    template.setOptions(new String[] {"-H", "20", "-gamma", "0.1", "-N", "5"});
    se.setClassifier(template);
    String[] wanted = {"measureNumModules", "measureLargestModule", "measureSolverFailures"};
    se.setAdditionalMeasures(wanted);
    Object[] result = se.getResult(train, test);
    String[] columns = se.getResultNames();
    assertEquals(columns.length, result.length);
    Set<String> cols = new HashSet<>(List.of(columns));
    for (String w : wanted) {
      assertTrue(cols.contains(w), "column " + w + " missing from " + List.of(columns));
    }
    NeuralModules same = new NeuralModules();
    same.setOptions(new String[] {"-H", "20", "-gamma", "0.1", "-N", "5"});
    same.buildClassifier(train);
    for (int i = 0; i < columns.length; i++) {
      if (columns[i].equals("measureNumModules")) {
        assertEquals(same.getMeasure("measureNumModules"), (Double) result[i], "deterministic training");
      }
      if (columns[i].equals("measureLargestModule")) {
        assertEquals(same.getMeasure("measureLargestModule"), (Double) result[i]);
      }
    }
  }
}
