package org.neuralmodules.graph;

/**
 * Strongly connected components by Tarjan's algorithm, iterative (no recursion, so graphs of
 * thousands of nodes cannot overflow the stack).
 */
public final class Tarjan {
  private Tarjan() {}

  /**
   * @param n      number of nodes
   * @param start  CSR row starts of the out-adjacency (length n + 1)
   * @param adj    CSR targets
   * @return component id per node, numbered in topological order: every edge u -> v has
   *         {@code comp[u] <= comp[v]}
   */
  public static int[] components(int n, int[] start, int[] adj) {
    int[] index = new int[n];
    int[] low = new int[n];
    java.util.Arrays.fill(index, -1);
    boolean[] onStack = new boolean[n];
    int[] stack = new int[n];
    int sp = 0;
    int[] callNode = new int[n];
    int[] callEdge = new int[n];
    int[] comp = new int[n];
    int counter = 0;
    int finished = 0;
    for (int root = 0; root < n; root++) {
      if (index[root] >= 0) {
        continue;
      }
      int csp = 0;
      callNode[csp] = root;
      callEdge[csp] = start[root];
      csp++;
      index[root] = low[root] = counter++;
      stack[sp++] = root;
      onStack[root] = true;
      while (csp > 0) {
        int v = callNode[csp - 1];
        int e = callEdge[csp - 1];
        if (e < start[v + 1]) {
          callEdge[csp - 1] = e + 1;
          int w = adj[e];
          if (index[w] < 0) {
            index[w] = low[w] = counter++;
            stack[sp++] = w;
            onStack[w] = true;
            callNode[csp] = w;
            callEdge[csp] = start[w];
            csp++;
          } else if (onStack[w]) {
            low[v] = Math.min(low[v], index[w]);
          }
        } else {
          csp--;
          if (csp > 0) {
            int parent = callNode[csp - 1];
            low[parent] = Math.min(low[parent], low[v]);
          }
          if (low[v] == index[v]) {
            int w;
            do {
              w = stack[--sp];
              onStack[w] = false;
              comp[w] = finished;
            } while (w != v);
            finished++;
          }
        }
      }
    }
    // Tarjan finishes components in reverse topological order; flip the numbering.
    for (int i = 0; i < n; i++) {
      comp[i] = finished - 1 - comp[i];
    }
    return comp;
  }
}
