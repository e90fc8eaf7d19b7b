package org.neuralmodules.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link UnionFind} and {@link Tarjan} against brute-force reachability on random digraphs. */
class GraphAlgorithmsTest {

  /** Random digraph as an adjacency matrix (no self loops), with edge probability prob. */
  private static boolean[][] randomGraph(Random r, int n, double prob) {
    boolean[][] a = new boolean[n][n];
    for (int u = 0; u < n; u++) {
      for (int v = 0; v < n; v++) {
        a[u][v] = u != v && r.nextDouble() < prob;
      }
    }
    return a;
  }

  /** Out-CSR {start, adj} of an adjacency matrix, targets ascending. */
  private static int[][] csr(boolean[][] a) {
    int n = a.length;
    int[] start = new int[n + 1];
    List<Integer> adj = new ArrayList<>();
    for (int u = 0; u < n; u++) {
      for (int v = 0; v < n; v++) {
        if (a[u][v]) {
          adj.add(v);
        }
      }
      start[u + 1] = adj.size();
    }
    return new int[][] {start, adj.stream().mapToInt(Integer::intValue).toArray()};
  }

  /** Reflexive transitive closure by Floyd-Warshall. */
  private static boolean[][] closure(boolean[][] a) {
    int n = a.length;
    boolean[][] c = new boolean[n][n];
    for (int u = 0; u < n; u++) {
      c[u] = a[u].clone();
      c[u][u] = true;
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

  private static double[] probabilities() {
    return new double[] {0.0, 0.02, 0.05, 0.08, 0.12, 0.2, 0.4, 1.0};
  }

  @Test
  void tarjanMatchesMutualReachabilityAndIsTopological() {
    Random r = new Random(2024);
    int graphs = 0;
    int withNonTrivialScc = 0;
    for (int trial = 0; trial < 300; trial++) {
      int n = 1 + r.nextInt(30);
      double prob = probabilities()[trial % probabilities().length];
      boolean[][] a = randomGraph(r, n, prob);
      int[][] g = csr(a);
      int[] comp = Tarjan.components(n, g[0], g[1]);
      boolean[][] reach = closure(a);
      int count = 0;
      for (int v : comp) {
        count = Math.max(count, v + 1);
      }
      boolean[] used = new boolean[count];
      for (int u = 0; u < n; u++) {
        assertTrue(comp[u] >= 0 && comp[u] < count);
        used[comp[u]] = true;
        for (int v = 0; v < n; v++) {
          boolean mutual = reach[u][v] && reach[v][u];
          assertEquals(mutual, comp[u] == comp[v], "trial " + trial + ": nodes " + u + ", " + v);
          if (a[u][v]) {
            assertTrue(comp[u] <= comp[v], "trial " + trial + ": edge " + u + "->" + v + " goes backwards");
          }
          if (reach[u][v]) {
            assertTrue(comp[u] <= comp[v], "reachability respects the topological numbering");
          }
        }
      }
      for (boolean b : used) {
        assertTrue(b, "component ids are contiguous");
      }
      graphs++;
      if (count < n) {
        withNonTrivialScc++;
      }
    }
    assertEquals(300, graphs);
    assertTrue(withNonTrivialScc > 50, "enough graphs had cycles: " + withNonTrivialScc);
  }

  @Test
  void tarjanHandlesLongPathsAndCyclesWithoutRecursion() {
    int n = 200_000;
    // path 0 -> 1 -> ... -> n-1: n singleton SCCs numbered along the path
    int[] start = new int[n + 1];
    int[] adj = new int[n - 1];
    for (int u = 0; u < n - 1; u++) {
      adj[u] = u + 1;
      start[u + 1] = u + 1;
    }
    start[n] = n - 1;
    int[] comp = Tarjan.components(n, start, adj);
    for (int u = 0; u < n; u++) {
      assertEquals(u, comp[u]);
    }
    // one big cycle: a single SCC
    int[] adjCycle = new int[n];
    int[] startCycle = new int[n + 1];
    for (int u = 0; u < n; u++) {
      adjCycle[u] = (u + 1) % n;
      startCycle[u + 1] = u + 1;
    }
    comp = Tarjan.components(n, startCycle, adjCycle);
    for (int u = 0; u < n; u++) {
      assertEquals(0, comp[u]);
    }
  }

  @Test
  void unionFindLabelsAreWeakComponentsInOrderOfSmallestNode() {
    Random r = new Random(77);
    for (int trial = 0; trial < 300; trial++) {
      int n = 1 + r.nextInt(40);
      double prob = probabilities()[trial % probabilities().length] / 2;
      boolean[][] a = randomGraph(r, n, prob);
      UnionFind uf = new UnionFind(n);
      // union in a shuffled order: labels must not depend on it
      List<int[]> edges = new ArrayList<>();
      boolean[][] undirected = new boolean[n][n];
      for (int u = 0; u < n; u++) {
        for (int v = 0; v < n; v++) {
          if (a[u][v]) {
            edges.add(new int[] {u, v});
            undirected[u][v] = undirected[v][u] = true;
          }
        }
      }
      java.util.Collections.shuffle(edges, r);
      for (int[] e : edges) {
        uf.union(e[0], e[1]);
      }
      int[] labels = uf.labels();
      boolean[][] weak = closure(undirected);
      int next = 0;
      for (int u = 0; u < n; u++) {
        boolean firstOfComponent = true;
        for (int v = 0; v < n; v++) {
          assertEquals(weak[u][v], labels[u] == labels[v], "trial " + trial + ": " + u + ", " + v);
          assertEquals(weak[u][v], uf.find(u) == uf.find(v));
          if (v < u && weak[u][v]) {
            firstOfComponent = false;
          }
        }
        if (firstOfComponent) {
          assertEquals(next++, labels[u], "components numbered by their smallest node");
        }
      }
    }
  }
}
