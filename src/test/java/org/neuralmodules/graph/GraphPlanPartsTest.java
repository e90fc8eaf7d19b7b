package org.neuralmodules.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.neuralmodules.config.Structure;

/** The plan's memory bound, its use of a caller's scratch buffer, and union-find's labels. */
class GraphPlanPartsTest {

  private static double[] randomW(int p, long seed) {
    Random r = new Random(seed);
    double[] w = new double[p * p];
    for (int i = 0; i < w.length; i++) {
      w[i] = r.nextGaussian();
    }
    return w;
  }

  /** Bytes the arrays of a plan take (int 4, double 8). */
  private static long bytes(GraphPlan g) {
    long ints = g.inStart.length + g.inSrc.length + g.outStart.length + g.outDst.length + g.moduleOf.length
        + g.moduleSize.length + g.moduleEdges.length + g.moduleSccStart.length + g.sccStart.length
        + g.sccNodes.length + g.sccOf.length + g.localIndex.length + g.blockOffset.length + g.pivotOffset.length;
    long doubles = g.inW.length + g.outW.length + g.blocks.length;
    return 4 * ints + 8 * doubles;
  }

  /**
   * worstCaseBytes(p) bounds a plan with every edge active in one SCC (the largest a plan gets),
   * without more than doubling it (it sizes the memory check, which must not refuse what fits).
   */
  @Test
  void worstCaseBytesBoundsTheLargestPlanTightly() {
    for (int p : new int[] {2, 5, 20, 60}) {
      GraphPlan full = GraphPlan.build(randomW(p, p), 0, p, Structure.GRAPH, 1.0, null);
      assertEquals(1, full.sccCount, "premise: one SCC");
      long actual = bytes(full);
      long bound = GraphPlan.worstCaseBytes(p);
      assertTrue(bound >= actual, "p=" + p + ": bound " + bound + " < actual " + actual);
      assertTrue(bound <= 2 * actual, "p=" + p + ": bound " + bound + " > 2 x actual " + actual);
    }
  }

  /** A scratch buffer that is too small is not used (no overflow), one that fits is: same plan. */
  @Test
  void scratchOfAnySizeGivesTheSamePlan() {
    int p = 12;
    double[] w = randomW(p, 3);
    GraphPlan ref = GraphPlan.build(w, 0, p, Structure.GRAPH, 0.2, null);
    for (int size : new int[] {1, p * (p - 1) - 1, p * (p - 1), 2 * p * p}) {
      GraphPlan g = GraphPlan.build(w, 0, p, Structure.GRAPH, 0.2, new double[size]);
      assertEquals(ref.gamma, g.gamma, 0.0, "scratch " + size);
      assertArrayEquals(ref.inSrc, g.inSrc, "scratch " + size);
      assertArrayEquals(ref.moduleOf, g.moduleOf, "scratch " + size);
    }
  }

  /**
   * Union by size: after joining {0,1,2} and then the singleton 3 onto it (and the reverse order
   * for 4, 5), every member of a set has one label and different sets have different labels.
   */
  @Test
  void unionFindLabelsEverySetOnce() {
    UnionFind uf = new UnionFind(7);
    uf.union(0, 1);
    uf.union(1, 2);
    uf.union(3, 2); // small set first
    uf.union(4, 5);
    uf.union(5, 4); // already joined
    uf.union(0, 3);
    int[] l = uf.labels();
    assertEquals(l[0], l[1]);
    assertEquals(l[0], l[2]);
    assertEquals(l[0], l[3]);
    assertEquals(l[4], l[5]);
    assertTrue(l[0] != l[4] && l[0] != l[6] && l[4] != l[6], java.util.Arrays.toString(l));
    assertArrayEquals(new int[] {0, 0, 0, 0, 1, 1, 2}, l, "labels numbered by smallest node");
  }
}
