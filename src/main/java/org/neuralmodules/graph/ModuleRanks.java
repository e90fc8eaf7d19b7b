package org.neuralmodules.graph;

import java.util.Arrays;

/**
 * Module ranks: rank 1 is the largest module, ties go to the module with the smaller id (modules
 * are numbered by their smallest node). The graph export, the model output and the module roles
 * all use this order, so "module 3" means the same module everywhere.
 */
public final class ModuleRanks {
  private ModuleRanks() {}

  /** Module ids, largest module first. */
  public static int[] order(GraphPlan plan) {
    Integer[] order = new Integer[plan.moduleCount];
    for (int m = 0; m < order.length; m++) {
      order[m] = m;
    }
    Arrays.sort(order, (a, b) -> plan.moduleSize[a] != plan.moduleSize[b]
        ? Integer.compare(plan.moduleSize[b], plan.moduleSize[a]) : Integer.compare(a, b));
    return Arrays.stream(order).mapToInt(Integer::intValue).toArray();
  }

  /** Rank (1 = largest) of every module id. */
  public static int[] rankOfModule(GraphPlan plan) {
    int[] order = order(plan);
    int[] rank = new int[order.length];
    for (int r = 0; r < order.length; r++) {
      rank[order[r]] = r + 1;
    }
    return rank;
  }
}
