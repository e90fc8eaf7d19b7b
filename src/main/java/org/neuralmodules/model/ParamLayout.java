package org.neuralmodules.model;

import java.io.Serializable;

/**
 * Where each parameter group lives in one flat vector, so the optimiser, snapshots and gradient
 * checks treat the network as a single double[].
 *
 * <ul>
 *   <li>U (d x p): input edge i -> node k at {@code u(i, k) = i * p + k}</li>
 *   <li>W (p x p): edge j -> k at {@code w(j, k)}; the diagonal w(k, k) is node k's bias</li>
 *   <li>V (c x p): node k -> output o at {@code v(o, k)}</li>
 *   <li>b (c): output bias</li>
 * </ul>
 */
public record ParamLayout(int inputs, int nodes, int outputs) implements Serializable {
  private static final long serialVersionUID = 1L;


  public ParamLayout {
    if (inputs < 0 || nodes < 1 || outputs < 1) {
      throw new IllegalArgumentException("bad layout d=" + inputs + " p=" + nodes + " c=" + outputs);
    }
  }

  public int uOffset() { return 0; }
  public int wOffset() { return inputs * nodes; }
  public int vOffset() { return wOffset() + nodes * nodes; }
  public int bOffset() { return vOffset() + outputs * nodes; }
  public int size() { return bOffset() + outputs; }

  public int u(int i, int k) { return i * nodes + k; }
  public int w(int j, int k) { return wOffset() + j * nodes + k; }
  public int v(int o, int k) { return vOffset() + o * nodes + k; }
  public int b(int o) { return bOffset() + o; }

  /** Bytes one parameter-sized double[] takes. */
  public long bytes() {
    return 8L * ((long) inputs * nodes + (long) nodes * nodes + (long) outputs * nodes + outputs);
  }
}
