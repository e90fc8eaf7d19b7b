package weka.classifiers.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neuralmodules.wekaio.ExplorerLayout;
import weka.core.Instances;
import weka.gui.graphvisualizer.BIFParser;
import weka.gui.graphvisualizer.GraphEdge;
import weka.gui.graphvisualizer.GraphNode;

/**
 * The module graph and the model output on codon (64 codon frequencies, 11 kingdoms) at the
 * default options: the Explorer's drawing fits a 1400 x 900 window, single nodes are one
 * variable, and the modules are described by codon and kingdom names.
 */
class NeuralModulesGraphViewTest {
  static NeuralModules model;
  static Instances codon;

  @BeforeAll
  static void train() throws Exception {
    codon = NeuralModulesBehaviourTest.read("test-data/codon_usage_small.arff");
    model = new NeuralModules();
    model.buildClassifier(codon);
  }

  static List<String> classValues() {
    List<String> v = new ArrayList<>();
    for (int i = 0; i < codon.classAttribute().numValues(); i++) {
      v.add(codon.classAttribute().value(i));
    }
    return v;
  }

  @Test
  void theExplorersDrawingFitsTheWindowAtDefaults() throws Exception {
    String xml = model.graph();
    ExplorerLayout.Drawing d = ExplorerLayout.measure(xml);
    System.out.println("codon at defaults: the Explorer draws " + d.width() + " x " + d.height() + " px, "
        + d.variables() + " variables");
    assertTrue(d.width() <= 1400 && d.height() <= 900, "drawing " + d.width() + " x " + d.height());

    ArrayList<GraphNode> nodes = new ArrayList<>();
    ArrayList<GraphEdge> edges = new ArrayList<>();
    new BIFParser(xml, nodes, edges).parse();
    int singles = model.getModel().plan().moduleSize.length;
    int count = 0;
    for (int s : model.getModel().plan().moduleSize) {
      count += s == 1 ? 1 : 0;
    }
    assertTrue(count > 10, "codon at defaults has many single nodes: " + count + " of " + singles + " modules");
    final int singleCount = count;
    assertEquals(1, nodes.stream().filter(n -> n.ID.equals(singleCount + " singles")).count());
    assertTrue(nodes.stream().noneMatch(n -> n.ID.matches("m\\d+_n\\d+")
        && model.getModel().plan().moduleSize[model.getModel().plan().moduleOf[Integer.parseInt(
            n.ID.substring(n.ID.indexOf("_n") + 2))]] == 1), "a single node drawn on its own");
  }

  @Test
  void modulesAreNamedByCodonsAndKingdomsInTheGraphAndTheOutput() throws Exception {
    List<String> kingdoms = classValues();
    ArrayList<GraphNode> nodes = new ArrayList<>();
    new BIFParser(model.graph(), nodes, new ArrayList<>()).parse();
    String header = nodes.stream().map(n -> n.ID).filter(id -> id.startsWith("M1 ")).findFirst().orElse("");
    Matcher m = Pattern.compile("M1 ([A-Z]{3})>([a-z]+)").matcher(header);
    assertTrue(m.matches(), "module 1's header names a codon and a kingdom: '" + header + "'");
    assertTrue(codon.attribute(m.group(1)) != null, m.group(1));
    assertTrue(kingdoms.contains(m.group(2)), m.group(2));

    String out = model.toString();
    Matcher line = Pattern.compile("\\n  Module 1 \\((\\d+) nodes, \\d+ edges?\\): strongest inputs ([A-Z]{3}) \\d+%, "
        + "[A-Z]{3} \\d+%, [A-Z]{3} \\d+%; drives ([a-z]+) \\d+%, ([a-z]+) \\d+%").matcher(out);
    assertTrue(line.find(), out);
    assertEquals(model.getModel().plan().largestModule(), Integer.parseInt(line.group(1)));
    assertEquals(m.group(1), line.group(2), "graph header and output agree on module 1's strongest input");
    assertEquals(m.group(2), line.group(3), "and on the class it drives most");
    assertTrue(kingdoms.contains(line.group(4)), line.group(4));
  }
}
