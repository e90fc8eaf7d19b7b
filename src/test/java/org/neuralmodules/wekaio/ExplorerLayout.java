package org.neuralmodules.wekaio;

import java.awt.Component;
import java.awt.Dimension;
import java.lang.reflect.Field;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import weka.gui.graphvisualizer.GraphVisualizer;

/**
 * The size of the drawing the Explorer's "Visualize graph" window shows for an XMLBIF string:
 * the same GraphVisualizer, node size from its font, HierarchicalBCEngine layout with its default
 * settings, then the graph panel's preferred size (works headless: nothing is shown).
 */
public final class ExplorerLayout {
  private ExplorerLayout() {}

  /** Reaches the protected layout engine and node list (GraphVisualizer has no getters). */
  private static final class Probe extends GraphVisualizer {
    private static final long serialVersionUID = 1L;

    Dimension drawing() throws ReflectiveOperationException {
      Field f = GraphVisualizer.class.getDeclaredField("m_gp"); // of a private class: reflection
      f.setAccessible(true);
      return ((Component) f.get(this)).getPreferredSize();
    }

    int variables() {
      return m_nodes.size();
    }

    void onLayoutComplete(Runnable r) {
      m_le.addLayoutCompleteEventListener(e -> r.run()); // after GraphVisualizer's own listener
    }
  }

  public record Drawing(int width, int height, int variables) {}

  public static Drawing measure(String xml) throws Exception {
    Probe gv = new Probe();
    gv.readBIF(xml);
    int variables = gv.variables();
    if (variables == 0) {
      throw new AssertionError("GraphVisualizer read no variables");
    }
    CountDownLatch done = new CountDownLatch(1);
    gv.onLayoutComplete(done::countDown);
    gv.layoutGraph();
    if (!done.await(2, TimeUnit.MINUTES)) {
      throw new AssertionError("layout did not finish");
    }
    Dimension d = gv.drawing();
    return new Drawing(d.width, d.height, variables);
  }
}
