package org.neuralmodules.graph;

/** gamma = the k-th largest |w| over the allowed off-diagonal edges, k = ceil(fraction * E). */
public final class Threshold {
  private Threshold() {}

  /** Number of edges kept for a fraction of E allowed edges (at least 1 when E > 0). */
  public static int keptCount(double fraction, long allowedEdges) {
    if (allowedEdges == 0) {
      return 0;
    }
    // The epsilon stops 0.05 * 9900 = 495.00000000000006 from becoming 496.
    long k = (long) Math.ceil(fraction * allowedEdges - 1e-9);
    return (int) Math.max(1, Math.min(allowedEdges, k));
  }

  /**
   * The k-th largest value of {@code values[0..n)} (k counted from 1). Reorders {@code values}.
   * Iterative quickselect with median-of-three pivots: expected O(n).
   */
  public static double kthLargest(double[] values, int n, int k) {
    if (k < 1 || k > n) {
      throw new IllegalArgumentException("k=" + k + " outside [1, " + n + "]");
    }
    if (k <= n / 16) {
      // few kept edges (the usual case): one pass with a k-element min-heap, mostly plain
      // comparisons against its minimum, is ~3x cheaper than quickselect's swapping passes
      return kthLargestByHeap(values, n, k);
    }
    int target = n - k; // index in ascending order
    int lo = 0;
    int hi = n - 1;
    while (hi > lo) {
      int mid = (lo + hi) >>> 1;
      double a = values[lo];
      double b = values[mid];
      double c = values[hi];
      double pivot = Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
      int i = lo;
      int j = hi;
      while (i <= j) {
        while (values[i] < pivot) {
          i++;
        }
        while (values[j] > pivot) {
          j--;
        }
        if (i <= j) {
          double t = values[i];
          values[i] = values[j];
          values[j] = t;
          i++;
          j--;
        }
      }
      if (target <= j) {
        hi = j;
      } else if (target >= i) {
        lo = i;
      } else {
        return values[target];
      }
    }
    return values[target];
  }

  /** k-th largest by a min-heap of the k largest seen so far; does not reorder values. */
  static double kthLargestByHeap(double[] values, int n, int k) {
    double[] heap = new double[k];
    for (int i = 0; i < k; i++) {
      heap[i] = values[i];
    }
    for (int i = k / 2 - 1; i >= 0; i--) {
      siftDown(heap, i, k);
    }
    for (int i = k; i < n; i++) {
      double v = values[i];
      if (v > heap[0]) {
        heap[0] = v;
        siftDown(heap, 0, k);
      }
    }
    return heap[0];
  }

  private static void siftDown(double[] heap, int i, int size) {
    double v = heap[i];
    while (true) {
      int child = 2 * i + 1;
      if (child >= size) {
        break;
      }
      if (child + 1 < size && heap[child + 1] < heap[child]) {
        child++;
      }
      if (heap[child] >= v) {
        break;
      }
      heap[i] = heap[child];
      i = child;
    }
    heap[i] = v;
  }
}
