package org.neuralmodules.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.neuralmodules.config.Structure;

/** Invariants of {@link GraphPlan} and {@link Threshold}, checked against direct recomputation. */
class GraphPlanTest {

  @Test
  void keptCount() {
    assertEquals(495, Threshold.keptCount(0.05, 9900));
    assertEquals(9900, Threshold.keptCount(1.0, 9900));
    assertEquals(1, Threshold.keptCount(1e-9, 9900), "at least one edge");
    assertEquals(0, Threshold.keptCount(0.5, 0));
    assertEquals(4, Threshold.keptCount(0.2, 20));
    assertEquals(5, Threshold.keptCount(0.21, 20), "ceil");
    assertEquals(30, Threshold.keptCount(0.3, 100));
    assertEquals(1, Threshold.keptCount(0.01, 2));
  }

  @Test
  void kthLargestMatchesSorting() {
    Random r = new Random(5);
    for (int trial = 0; trial < 2000; trial++) {
      boolean large = trial % 8 >= 4; // large n with small k exercises the heap path
      int n = 1 + r.nextInt(large ? 3000 : 60);
      double[] v = new double[n];
      int mode = trial % 4;
      for (int i = 0; i < n; i++) {
        v[i] = switch (mode) {
          case 0 -> Math.abs(r.nextGaussian());
          case 1 -> r.nextInt(4); // many ties
          case 2 -> i; // sorted ascending
          default -> n - i; // sorted descending
        };
      }
      double[] sorted = v.clone();
      Arrays.sort(sorted);
      int k = 1 + r.nextInt(large ? Math.max(1, n / 16) : n);
      double[] work = v.clone();
      assertEquals(sorted[n - k], Threshold.kthLargest(work, n, k), "trial " + trial + " k=" + k);
      double[] after = work.clone();
      Arrays.sort(after);
      assertArrayEquals(sorted, after, 0.0, "kthLargest only reorders");
    }
    // only a prefix counts
    double[] v = {5, 1, 3, 100, 200};
    assertEquals(3, Threshold.kthLargest(v, 3, 2));
    assertThrows(IllegalArgumentException.class, () -> Threshold.kthLargest(new double[3], 3, 0));
    assertThrows(IllegalArgumentException.class, () -> Threshold.kthLargest(new double[3], 3, 4));
  }

  /** Random weights with many exact zeros and ties among the allowed edges. */
  private static double[] randomWeights(Random r, int p, int off) {
    double[] w = new double[off + p * p + 3];
    Arrays.fill(w, Double.NaN); // outside the W block: must never be read
    for (int i = 0; i < p * p; i++) {
      double u = r.nextDouble();
      w[off + i] = u < 0.15 ? 0.0 : u < 0.3 ? (r.nextBoolean() ? 0.25 : -0.25) : r.nextGaussian();
    }
    return w;
  }

  @Test
  void planInvariantsOnRandomGraphs() {
    Random r = new Random(31);
    double[] fractions = {0.01, 0.05, 0.1, 0.2, 0.35, 0.5, 0.8, 1.0};
    int withCycles = 0;
    int withSeveralModules = 0;
    for (int trial = 0; trial < 400; trial++) {
      int p = 1 + r.nextInt(25);
      Structure structure = trial % 3 == 0 ? Structure.DAG : Structure.GRAPH;
      double fraction = fractions[trial % fractions.length];
      int off = r.nextInt(5);
      double[] w = randomWeights(r, p, off);
      double[] scratch = trial % 2 == 0 ? null : new double[p * p];
      GraphPlan plan = GraphPlan.build(w, off, p, structure, fraction, scratch);
      checkPlan(plan, w, off, p, structure, fraction, "trial " + trial);
      if (plan.cyclicSccCount > 0) {
        withCycles++;
      }
      if (plan.moduleCount > 1 && plan.activeEdges > 0) {
        withSeveralModules++;
      }
    }
    assertTrue(withCycles > 50, "cyclic plans: " + withCycles);
    assertTrue(withSeveralModules > 50, "multi-module plans: " + withSeveralModules);
  }

  static void checkPlan(GraphPlan plan, double[] w, int off, int p, Structure structure, double fraction,
      String msg) {
    // threshold: gamma = k-th largest |w| over allowed edges, by sorting
    int allowed = 0;
    double[] abs = new double[p * p];
    for (int j = 0; j < p; j++) {
      for (int k = 0; k < p; k++) {
        if (structure.allows(j, k)) {
          abs[allowed++] = Math.abs(w[off + j * p + k]);
        }
      }
    }
    assertEquals(allowed, plan.allowedEdges, msg);
    double[] sorted = Arrays.copyOf(abs, allowed);
    Arrays.sort(sorted);
    double gamma = allowed == 0 ? 0.0 : sorted[allowed - Threshold.keptCount(fraction, allowed)];
    assertEquals(gamma, plan.gamma, 0.0, msg + ": gamma");

    // active set: allowed, |w| >= gamma, w != 0; in- and out-CSR agree with it, sorted
    boolean[][] act = new boolean[p][p];
    int count = 0;
    for (int j = 0; j < p; j++) {
      for (int k = 0; k < p; k++) {
        double v = w[off + j * p + k];
        act[j][k] = structure.allows(j, k) && Math.abs(v) >= gamma && v != 0.0;
        if (act[j][k]) {
          count++;
        }
      }
    }
    assertEquals(count, plan.activeEdges, msg + ": active edges");
    assertTrue(count >= Math.min(Threshold.keptCount(fraction, allowed), nonZeroAllowed(w, off, p, structure))
        || allowed == 0, msg + ": at least the kept count of non-zero edges is active");
    assertEquals(count, plan.inStart[p]);
    assertEquals(count, plan.outStart[p]);
    for (int k = 0; k < p; k++) {
      int prev = -1;
      for (int e = plan.inStart[k]; e < plan.inStart[k + 1]; e++) {
        int j = plan.inSrc[e];
        assertTrue(act[j][k], msg + ": in-edge " + j + "->" + k + " is active");
        assertTrue(j > prev, msg + ": in-sources ascending");
        prev = j;
        assertEquals(w[off + j * p + k], plan.inW[e], 0.0);
      }
    }
    int[] inDeg = new int[p];
    for (int j = 0; j < p; j++) {
      int prev = -1;
      for (int e = plan.outStart[j]; e < plan.outStart[j + 1]; e++) {
        int k = plan.outDst[e];
        assertTrue(act[j][k], msg + ": out-edge " + j + "->" + k + " is active");
        assertTrue(k > prev, msg + ": out-targets ascending");
        prev = k;
        assertEquals(w[off + j * p + k], plan.outW[e], 0.0);
        inDeg[k]++;
      }
    }
    for (int k = 0; k < p; k++) {
      assertEquals(plan.inStart[k + 1] - plan.inStart[k], inDeg[k], msg + ": in/out CSR agree");
    }

    // modules = weak components of the active graph, numbered by smallest node
    boolean[][] weak = new boolean[p][p];
    for (int j = 0; j < p; j++) {
      weak[j][j] = true;
      for (int k = 0; k < p; k++) {
        if (act[j][k]) {
          weak[j][k] = weak[k][j] = true;
        }
      }
    }
    boolean[][] weakClosure = closure(weak);
    boolean[][] reach = new boolean[p][p];
    for (int j = 0; j < p; j++) {
      reach[j] = act[j].clone();
      reach[j][j] = true;
    }
    reach = closure(reach);
    int next = 0;
    int[] size = new int[plan.moduleCount];
    int[] edges = new int[plan.moduleCount];
    for (int u = 0; u < p; u++) {
      boolean first = true;
      for (int v = 0; v < p; v++) {
        assertEquals(weakClosure[u][v], plan.moduleOf[u] == plan.moduleOf[v], msg + ": module of " + u + ", " + v);
        assertEquals(reach[u][v] && reach[v][u], plan.sccOf[u] == plan.sccOf[v], msg + ": scc of " + u + ", " + v);
        if (act[u][v]) {
          assertTrue(plan.sccOf[u] <= plan.sccOf[v], msg + ": SCCs topologically ordered");
          edges[plan.moduleOf[u]]++;
        }
        if (v < u && weakClosure[u][v]) {
          first = false;
        }
      }
      if (first) {
        assertEquals(next++, plan.moduleOf[u], msg + ": modules numbered by smallest node");
      }
      size[plan.moduleOf[u]]++;
    }
    assertEquals(next, plan.moduleCount);
    assertArrayEquals(size, plan.moduleSize, msg + ": module sizes");
    assertArrayEquals(edges, plan.moduleEdges, msg + ": module edges");
    assertEquals(count, Arrays.stream(plan.moduleEdges).sum());
    int largest = Arrays.stream(size).max().orElse(0);
    assertEquals(largest, plan.largestModule());

    // SCC layout: contiguous node lists, local indices, module runs
    assertEquals(0, plan.sccStart[0]);
    assertEquals(p, plan.sccStart[plan.sccCount]);
    boolean[] seen = new boolean[p];
    int cyclic = 0;
    int maxSize = 0;
    int blockTotal = 0;
    int pivotTotal = 0;
    for (int s = 0; s < plan.sccCount; s++) {
      int m = plan.sccSize(s);
      assertTrue(m >= 1, msg + ": non-empty SCC");
      maxSize = Math.max(maxSize, m);
      for (int a = 0; a < m; a++) {
        int k = plan.sccNodes[plan.sccStart[s] + a];
        assertFalse(seen[k], msg + ": node listed twice");
        seen[k] = true;
        assertEquals(s, plan.sccOf[k]);
        assertEquals(a, plan.localIndex[k]);
      }
      assertEquals(m > 1, plan.isCyclic(s), msg + ": cyclic iff more than one node (no self loops)");
      if (m > 1) {
        cyclic++;
        assertEquals(blockTotal, plan.blockOffset[s], msg + ": blocks packed in SCC order");
        assertEquals(pivotTotal, plan.pivotOffset[s]);
        for (int a = 0; a < m; a++) {
          int ka = plan.sccNodes[plan.sccStart[s] + a];
          for (int b = 0; b < m; b++) {
            int kb = plan.sccNodes[plan.sccStart[s] + b];
            double expected = act[kb][ka] ? w[off + kb * p + ka] : 0.0;
            assertEquals(expected, plan.blocks[plan.blockOffset[s] + a * m + b], 0.0,
                msg + ": block entry M[a][b] = w(node_b -> node_a)");
          }
        }
        blockTotal += m * m;
        pivotTotal += m;
      } else {
        assertEquals(-1, plan.blockOffset[s]);
        assertEquals(-1, plan.pivotOffset[s]);
      }
    }
    assertEquals(cyclic, plan.cyclicSccCount);
    assertEquals(maxSize, plan.maxSccSize);
    assertEquals(blockTotal, plan.totalBlockSize);
    assertEquals(pivotTotal, plan.totalPivotSize);
    assertEquals(blockTotal, plan.blocks.length);
    assertEquals(0, plan.moduleSccStart[0]);
    assertEquals(plan.sccCount, plan.moduleSccStart[plan.moduleCount]);
    for (int m = 0; m < plan.moduleCount; m++) {
      assertTrue(plan.moduleSccStart[m] < plan.moduleSccStart[m + 1], msg + ": every module has an SCC");
      for (int s = plan.moduleSccStart[m]; s < plan.moduleSccStart[m + 1]; s++) {
        for (int q = plan.sccStart[s]; q < plan.sccStart[s + 1]; q++) {
          assertEquals(m, plan.moduleOf[plan.sccNodes[q]], msg + ": SCC " + s + " lies in module " + m);
        }
      }
    }
    if (structure == Structure.DAG) {
      assertEquals(0, plan.cyclicSccCount, msg + ": a DAG has no cycles");
      assertEquals(p, plan.sccCount);
    }
  }

  private static int nonZeroAllowed(double[] w, int off, int p, Structure structure) {
    int n = 0;
    for (int j = 0; j < p; j++) {
      for (int k = 0; k < p; k++) {
        if (structure.allows(j, k) && w[off + j * p + k] != 0.0) {
          n++;
        }
      }
    }
    return n;
  }

  private static boolean[][] closure(boolean[][] a) {
    int n = a.length;
    boolean[][] c = new boolean[n][];
    for (int u = 0; u < n; u++) {
      c[u] = a[u].clone();
    }
    for (int k = 0; k < n; k++) {
      for (int u = 0; u < n; u++) {
        if (c[u][k]) {
          for (int v = 0; v < n; v++) {
            c[u][v] |= c[k][v];
          }
        }
      }
    }
    return c;
  }

  @Test
  void handWorkedPlan() {
    // p = 6: cycle 0 -> 1 -> 2 -> 0 feeding 3; separate module 4 -> 5; weak edges below gamma.
    int p = 6;
    double[] w = new double[p * p];
    w[0 * p + 1] = 0.9;
    w[1 * p + 2] = -0.8;
    w[2 * p + 0] = 0.7;
    w[2 * p + 3] = 0.6;
    w[4 * p + 5] = -0.5;
    w[5 * p + 0] = 0.01; // inactive
    w[3 * p + 4] = -0.02; // inactive
    w[1 * p + 1] = 5.0; // diagonal: a bias, never an edge
    // 30 allowed edges, fraction 5/30 keeps 5
    GraphPlan plan = GraphPlan.build(w, 0, p, Structure.GRAPH, 5.0 / 30, null);
    assertEquals(30, plan.allowedEdges);
    assertEquals(0.5, plan.gamma, 0.0);
    assertEquals(5, plan.activeEdges);
    assertArrayEquals(new int[] {0, 0, 0, 0, 1, 1}, plan.moduleOf);
    assertEquals(2, plan.moduleCount);
    assertArrayEquals(new int[] {4, 2}, plan.moduleSize);
    assertArrayEquals(new int[] {4, 1}, plan.moduleEdges);
    assertEquals(4, plan.sccCount); // {0,1,2}, {3}, {4}, {5}
    assertEquals(1, plan.cyclicSccCount);
    assertEquals(3, plan.maxSccSize);
    assertEquals(0, plan.sccOf[0]);
    assertEquals(0, plan.sccOf[1]);
    assertEquals(0, plan.sccOf[2]);
    assertEquals(1, plan.sccOf[3]);
    assertEquals(2, plan.sccOf[4]);
    assertEquals(3, plan.sccOf[5]);
    assertArrayEquals(new int[] {0, 2, 4}, plan.moduleSccStart);
    // block of SCC 0 (nodes 0,1,2): M[a][b] = w(b -> a)
    assertArrayEquals(new double[] {0, 0, 0.7, 0.9, 0, 0, 0, -0.8, 0}, plan.blocks, 0.0);
    checkPlan(plan, w, 0, p, Structure.GRAPH, 5.0 / 30, "hand-worked");
  }

  @Test
  void tiesAtTheThresholdAreAllActive() {
    int p = 4;
    double[] w = new double[p * p];
    w[0 * p + 1] = 1.0;
    w[1 * p + 2] = -0.5;
    w[2 * p + 3] = 0.5;
    w[3 * p + 0] = 0.5;
    // keep 2 of 12: gamma = 0.5, but three edges tie at 0.5, so four are active
    GraphPlan plan = GraphPlan.build(w, 0, p, Structure.GRAPH, 2.0 / 12, null);
    assertEquals(0.5, plan.gamma, 0.0);
    assertEquals(4, plan.activeEdges);
    assertEquals(1, plan.sccCount);
    // all-zero weights: nothing active even though gamma = 0
    GraphPlan empty = GraphPlan.build(new double[p * p], 0, p, Structure.GRAPH, 1.0, null);
    assertEquals(0, empty.activeEdges);
    assertEquals(p, empty.moduleCount);
    assertEquals(p, empty.sccCount);
    assertEquals(0, empty.cyclicSccCount);
    // a single node: no allowed edges at all
    GraphPlan one = GraphPlan.build(new double[] {3.0}, 0, 1, Structure.GRAPH, 0.5, null);
    assertEquals(0, one.allowedEdges);
    assertEquals(0.0, one.gamma, 0.0);
    assertEquals(1, one.moduleCount);
    assertEquals(1, one.sccCount);
  }
}
