package org.neuralmodules.graph;

/** Disjoint sets with path halving and union by size. */
public final class UnionFind {
  private final int[] parent;
  private final int[] size;

  public UnionFind(int n) {
    parent = new int[n];
    size = new int[n];
    for (int i = 0; i < n; i++) {
      parent[i] = i;
      size[i] = 1;
    }
  }

  public int find(int x) {
    while (parent[x] != x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  }

  public void union(int a, int b) {
    int ra = find(a);
    int rb = find(b);
    if (ra == rb) {
      return;
    }
    if (size[ra] < size[rb]) {
      int t = ra;
      ra = rb;
      rb = t;
    }
    parent[rb] = ra;
    size[ra] += size[rb];
  }

  /**
   * Component label per element, numbered 0.. in order of each component's smallest element, so
   * labels are deterministic whatever order the unions came in.
   */
  public int[] labels() {
    int n = parent.length;
    int[] rootLabel = new int[n];
    java.util.Arrays.fill(rootLabel, -1);
    int[] out = new int[n];
    int next = 0;
    for (int i = 0; i < n; i++) {
      int r = find(i);
      if (rootLabel[r] < 0) {
        rootLabel[r] = next++;
      }
      out[i] = rootLabel[r];
    }
    return out;
  }
}
