package org.neuralmodules.config;

/** Which off-diagonal edges exist. */
public enum Structure {
  /** Every edge j -> k, j != k: a general directed graph (cycles allowed). */
  GRAPH,
  /** Only edges j -> k with j < k: the feed-forward DAG baseline, solved in one pass. */
  DAG;

  /** Whether the edge j -> k may carry a weight. */
  public boolean allows(int j, int k) {
    return this == GRAPH ? j != k : j < k;
  }
}
