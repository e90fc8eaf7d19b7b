package org.neuralmodules.graph;

import java.io.Serializable;
import java.util.Arrays;
import org.neuralmodules.config.Structure;

/**
 * The thresholded graph of one parameter snapshot, ready to solve: active edges (|w| >= gamma and
 * w != 0) as in- and out-CSR with cached weights, the neural modules (weakly connected components)
 * and, inside each module, the strongly connected components in topological order. Cyclic SCCs
 * carry a dense local block of their internal weights. Immutable once built; rebuilt once per
 * mini-batch.
 */
public final class GraphPlan implements Serializable {
  private static final long serialVersionUID = 1L;

  public final int p;
  /** Threshold value gamma (0 when the graph has no allowed edges). */
  public final double gamma;
  public final int allowedEdges;
  public final int activeEdges;

  /** In-adjacency: sources j of node k are inSrc[inStart[k] .. inStart[k+1]) with weights inW. */
  public final int[] inStart;
  public final int[] inSrc;
  public final double[] inW;
  /** Out-adjacency: targets l of node k are outDst[outStart[k] .. outStart[k+1]). */
  public final int[] outStart;
  public final int[] outDst;
  public final double[] outW;

  /** Module (weakly connected component) of each node, modules numbered by smallest node. */
  public final int[] moduleOf;
  public final int moduleCount;
  public final int[] moduleSize;
  /** Active edges inside each module: the z_k of NM regularization. */
  public final int[] moduleEdges;
  /** SCCs of module m are sccs moduleSccStart[m] .. moduleSccStart[m+1], topologically ordered. */
  public final int[] moduleSccStart;

  public final int sccCount;
  /** Nodes of SCC s are sccNodes[sccStart[s] .. sccStart[s+1]). */
  public final int[] sccStart;
  public final int[] sccNodes;
  public final int[] sccOf;
  /** Position of each node inside its SCC. */
  public final int[] localIndex;
  /** For a cyclic SCC: offset of its m x m block M[a*m+b] = w(node_b -> node_a); -1 otherwise. */
  public final int[] blockOffset;
  public final double[] blocks;
  /** For a cyclic SCC: offset of its m-long pivot vector in a workspace; -1 otherwise. */
  public final int[] pivotOffset;
  public final int maxSccSize;
  public final int cyclicSccCount;
  /** Total doubles of all cyclic blocks (LU storage a workspace needs to keep every factor). */
  public final int totalBlockSize;
  public final int totalPivotSize;

  private GraphPlan(Builder b) {
    this.p = b.p;
    this.gamma = b.gamma;
    this.allowedEdges = b.allowedEdges;
    this.activeEdges = b.activeEdges;
    this.inStart = b.inStart;
    this.inSrc = b.inSrc;
    this.inW = b.inW;
    this.outStart = b.outStart;
    this.outDst = b.outDst;
    this.outW = b.outW;
    this.moduleOf = b.moduleOf;
    this.moduleCount = b.moduleCount;
    this.moduleSize = b.moduleSize;
    this.moduleEdges = b.moduleEdges;
    this.moduleSccStart = b.moduleSccStart;
    this.sccCount = b.sccCount;
    this.sccStart = b.sccStart;
    this.sccNodes = b.sccNodes;
    this.sccOf = b.sccOf;
    this.localIndex = b.localIndex;
    this.blockOffset = b.blockOffset;
    this.blocks = b.blocks;
    this.pivotOffset = b.pivotOffset;
    this.maxSccSize = b.maxSccSize;
    this.cyclicSccCount = b.cyclicSccCount;
    this.totalBlockSize = b.totalBlockSize;
    this.totalPivotSize = b.totalPivotSize;
  }

  public int sccSize(int s) {
    return sccStart[s + 1] - sccStart[s];
  }

  public boolean isCyclic(int s) {
    return blockOffset[s] >= 0;
  }

  public int largestModule() {
    int m = 0;
    for (int s : moduleSize) {
      m = Math.max(m, s);
    }
    return m;
  }

  /**
   * Builds the plan for the weights {@code w[wOffset + j * p + k]} (edge j -> k).
   *
   * @param fraction  fraction of allowed edges to keep (gamma option), in (0, 1]
   * @param scratch   optional reusable buffer of at least the allowed edge count, or null
   */
  public static GraphPlan build(double[] w, int wOffset, int p, Structure structure, double fraction,
      double[] scratch) {
    return new Builder(w, wOffset, p, structure, fraction, scratch).plan();
  }

  /** Bytes a plan for p nodes can take at most (all edges active, one SCC). */
  public static long worstCaseBytes(int p) {
    long e = (long) p * (p - 1);
    return 8L * e * 2 + 8L * e * 2 + 8L * p * p + 64L * p;
  }

  private static final class Builder {
    int p;
    double gamma;
    int allowedEdges;
    int activeEdges;
    int[] inStart;
    int[] inSrc;
    double[] inW;
    int[] outStart;
    int[] outDst;
    double[] outW;
    int[] moduleOf;
    int moduleCount;
    int[] moduleSize;
    int[] moduleEdges;
    int[] moduleSccStart;
    int sccCount;
    int[] sccStart;
    int[] sccNodes;
    int[] sccOf;
    int[] localIndex;
    int[] blockOffset;
    double[] blocks;
    int[] pivotOffset;
    int maxSccSize;
    int cyclicSccCount;
    int totalBlockSize;
    int totalPivotSize;

    Builder(double[] w, int off, int p, Structure structure, double fraction, double[] scratch) {
      this.p = p;
      long allowed = structure.allowedEdges(p);
      allowedEdges = (int) allowed;
      int kept = Threshold.keptCount(fraction, allowed);
      double[] abs = scratch != null && scratch.length >= allowed ? scratch : new double[allowedEdges];
      int n = 0;
      for (int j = 0; j < p; j++) {
        for (int k = 0; k < p; k++) {
          if (structure.allows(j, k)) {
            abs[n++] = Math.abs(w[off + j * p + k]);
          }
        }
      }
      gamma = n == 0 ? 0.0 : Threshold.kthLargest(abs, n, kept);
      buildAdjacency(w, off, structure);
      buildModules();
      buildSccs();
    }

    private boolean active(double weight) {
      double a = Math.abs(weight);
      return a >= gamma && a > 0.0;
    }

    private void buildAdjacency(double[] w, int off, Structure structure) {
      inStart = new int[p + 1];
      outStart = new int[p + 1];
      int count = 0;
      for (int j = 0; j < p; j++) {
        for (int k = 0; k < p; k++) {
          if (structure.allows(j, k) && active(w[off + j * p + k])) {
            inStart[k + 1]++;
            outStart[j + 1]++;
            count++;
          }
        }
      }
      activeEdges = count;
      for (int k = 0; k < p; k++) {
        inStart[k + 1] += inStart[k];
        outStart[k + 1] += outStart[k];
      }
      inSrc = new int[count];
      inW = new double[count];
      outDst = new int[count];
      outW = new double[count];
      int[] inPos = Arrays.copyOf(inStart, p);
      int[] outPos = Arrays.copyOf(outStart, p);
      // j ascending, so each node's sources and targets come out sorted: a deterministic order
      // for every sum over neighbours.
      for (int j = 0; j < p; j++) {
        for (int k = 0; k < p; k++) {
          double v = w[off + j * p + k];
          if (structure.allows(j, k) && active(v)) {
            inSrc[inPos[k]] = j;
            inW[inPos[k]++] = v;
            outDst[outPos[j]] = k;
            outW[outPos[j]++] = v;
          }
        }
      }
    }

    private void buildModules() {
      UnionFind uf = new UnionFind(p);
      for (int j = 0; j < p; j++) {
        for (int e = outStart[j]; e < outStart[j + 1]; e++) {
          uf.union(j, outDst[e]);
        }
      }
      moduleOf = uf.labels();
      moduleCount = 0;
      for (int m : moduleOf) {
        moduleCount = Math.max(moduleCount, m + 1);
      }
      moduleSize = new int[moduleCount];
      moduleEdges = new int[moduleCount];
      for (int k = 0; k < p; k++) {
        moduleSize[moduleOf[k]]++;
        moduleEdges[moduleOf[k]] += outStart[k + 1] - outStart[k];
      }
    }

    private void buildSccs() {
      int[] topo = Tarjan.components(p, outStart, outDst);
      int rawCount = 0;
      for (int c : topo) {
        rawCount = Math.max(rawCount, c + 1);
      }
      // Order SCCs by (module, topological index): modules become contiguous runs of SCCs and
      // each run stays topologically ordered.
      int[] sccModule = new int[rawCount];
      for (int k = 0; k < p; k++) {
        sccModule[topo[k]] = moduleOf[k];
      }
      Integer[] order = new Integer[rawCount];
      for (int i = 0; i < rawCount; i++) {
        order[i] = i;
      }
      Arrays.sort(order, (a, b) -> sccModule[a] != sccModule[b]
          ? Integer.compare(sccModule[a], sccModule[b]) : Integer.compare(a, b));
      int[] rank = new int[rawCount];
      for (int i = 0; i < rawCount; i++) {
        rank[order[i]] = i;
      }
      sccCount = rawCount;
      sccOf = new int[p];
      sccStart = new int[sccCount + 1];
      for (int k = 0; k < p; k++) {
        sccOf[k] = rank[topo[k]];
        sccStart[sccOf[k] + 1]++;
      }
      for (int s = 0; s < sccCount; s++) {
        sccStart[s + 1] += sccStart[s];
      }
      sccNodes = new int[p];
      localIndex = new int[p];
      int[] pos = Arrays.copyOf(sccStart, sccCount);
      for (int k = 0; k < p; k++) {
        int s = sccOf[k];
        localIndex[k] = pos[s] - sccStart[s];
        sccNodes[pos[s]++] = k;
      }
      moduleSccStart = new int[moduleCount + 1];
      for (int s = 0; s < sccCount; s++) {
        moduleSccStart[sccModule[order[s]] + 1]++;
      }
      for (int m = 0; m < moduleCount; m++) {
        moduleSccStart[m + 1] += moduleSccStart[m];
      }
      blockOffset = new int[sccCount];
      pivotOffset = new int[sccCount];
      long blockTotal = 0;
      for (int s = 0; s < sccCount; s++) {
        int m = sccStart[s + 1] - sccStart[s];
        maxSccSize = Math.max(maxSccSize, m);
        if (m > 1) {
          blockOffset[s] = (int) blockTotal;
          pivotOffset[s] = totalPivotSize;
          blockTotal += (long) m * m;
          totalPivotSize += m;
          cyclicSccCount++;
        } else {
          blockOffset[s] = -1;
          pivotOffset[s] = -1;
        }
      }
      if (blockTotal > Integer.MAX_VALUE - 16) {
        throw new IllegalStateException("strongly connected components too large: " + blockTotal
            + " block entries; lower -gamma or -H");
      }
      totalBlockSize = (int) blockTotal;
      blocks = new double[totalBlockSize];
      for (int s = 0; s < sccCount; s++) {
        if (blockOffset[s] < 0) {
          continue;
        }
        int m = sccStart[s + 1] - sccStart[s];
        int bo = blockOffset[s];
        for (int a = 0; a < m; a++) {
          int k = sccNodes[sccStart[s] + a];
          for (int e = inStart[k]; e < inStart[k + 1]; e++) {
            int j = inSrc[e];
            if (sccOf[j] == s) {
              blocks[bo + a * m + localIndex[j]] = inW[e];
            }
          }
        }
      }
    }

    GraphPlan plan() {
      return new GraphPlan(this);
    }
  }
}
