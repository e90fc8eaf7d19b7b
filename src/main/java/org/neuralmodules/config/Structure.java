package org.neuralmodules.config;

/** Which off-diagonal edges exist. */
public enum Structure {
  /** Every edge j -> k, j != k: a general directed graph (cycles allowed). */
  GRAPH,
  /** Only edges j -> k with j < k: the feed-forward DAG baseline, solved in one pass. */
  DAG,
  /** No hidden-to-hidden edges: one hidden layer, the no-graph ablation. */
  NONE;

  /** Whether the edge j -> k may carry a weight. */
  public boolean allows(int j, int k) {
    return switch (this) {
      case GRAPH -> j != k;
      case DAG -> j < k;
      case NONE -> false;
    };
  }

  /** First target k of an allowed edge j -> k, for loops over k (none allowed: p). */
  public int firstTarget(int j, int p) {
    return switch (this) {
      case GRAPH -> 0;
      case DAG -> j + 1;
      case NONE -> p;
    };
  }

  /** Number of allowed off-diagonal edges among p nodes. */
  public long allowedEdges(int p) {
    return switch (this) {
      case GRAPH -> (long) p * (p - 1);
      case DAG -> (long) p * (p - 1) / 2;
      case NONE -> 0;
    };
  }
}
