package org.neuralmodules.wekaio;

import java.util.ArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import weka.gui.graphvisualizer.BIFParser;
import weka.gui.graphvisualizer.GraphEdge;
import weka.gui.graphvisualizer.GraphNode;
import weka.gui.graphvisualizer.HierarchicalBCEngine;

/**
 * The size of the drawing the Explorer's "Visualize graph" makes of an XMLBIF string: Weka's own
 * parser and HierarchicalBCEngine with its default settings (as GraphVisualizer runs them), one
 * column {@code columnW} pixels wide, the panel size as GraphVisualizer computes it. Works
 * headless (no window is shown).
 */
final class ExplorerFit {
  /** Longest the export waits for one layout before it gives up measuring. */
  private static final long TIMEOUT_MS = 10_000;

  private ExplorerFit() {}

  /** {width, height} in pixels, or null if the layout could not be measured. */
  static int[] drawingSize(String xml, int columnW) {
    ArrayList<GraphNode> nodes = new ArrayList<>();
    ArrayList<GraphEdge> edges = new ArrayList<>();
    try {
      new BIFParser(xml, nodes, edges).parse();
      HierarchicalBCEngine le = new HierarchicalBCEngine(nodes, edges, columnW, WindowRows.NODE_H);
      CountDownLatch done = new CountDownLatch(1);
      le.addLayoutCompleteEventListener(e -> done.countDown());
      le.layoutGraph();
      if (!done.await(TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
        return null;
      }
    } catch (Exception e) {
      return null; // the Explorer would fail the same way; nothing to fit
    }
    int maxX = 0;
    int maxY = 0;
    for (GraphNode n : nodes) {
      maxX = Math.max(maxX, n.x);
      maxY = Math.max(maxY, n.y);
    }
    // GraphVisualizer.setAppropriateSize
    return new int[] {maxX + columnW + 2, maxY + WindowRows.NODE_H + 2};
  }
}
