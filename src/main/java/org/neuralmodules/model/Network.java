package org.neuralmodules.model;

import java.io.Serializable;
import java.util.Random;
import org.neuralmodules.config.Activation;
import org.neuralmodules.config.Structure;

/**
 * The parameters of a Neural Modules network (U, W, V, b in one flat vector, see
 * {@link ParamLayout}) plus what is needed to interpret them. Mutable only through
 * {@link #theta()}, which the trainer owns while training.
 */
public final class Network implements Serializable {
  private static final long serialVersionUID = 1L;

  private final ParamLayout layout;
  private final Activation activation;
  private final Structure structure;
  private final double[] theta;

  public Network(ParamLayout layout, Activation activation, Structure structure, double[] theta) {
    if (theta.length != layout.size()) {
      throw new IllegalArgumentException("theta has " + theta.length + " values, layout needs " + layout.size());
    }
    this.layout = layout;
    this.activation = activation;
    this.structure = structure;
    this.theta = theta;
  }

  /**
   * Random initialisation. U and V are scaled by 1/sqrt(fan-in); W's allowed off-diagonal edges by
   * 1/sqrt(p), which keeps the spectral radius of W diag(f') near or below 1 so the initial system
   * is well posed; biases start at 0. Edges the structure forbids are 0 and stay 0.
   */
  public static Network initialise(ParamLayout layout, Activation activation, Structure structure, Random rnd) {
    double[] t = new double[layout.size()];
    int d = layout.inputs();
    int p = layout.nodes();
    int c = layout.outputs();
    double su = 1.0 / Math.sqrt(Math.max(1, d));
    for (int i = 0; i < d; i++) {
      for (int k = 0; k < p; k++) {
        t[layout.u(i, k)] = su * rnd.nextGaussian();
      }
    }
    double sw = 0.5 / Math.sqrt(p);
    for (int j = 0; j < p; j++) {
      for (int k = 0; k < p; k++) {
        if (structure.allows(j, k)) {
          t[layout.w(j, k)] = sw * rnd.nextGaussian();
        }
      }
    }
    double sv = 1.0 / Math.sqrt(p);
    for (int o = 0; o < c; o++) {
      for (int k = 0; k < p; k++) {
        t[layout.v(o, k)] = sv * rnd.nextGaussian();
      }
    }
    return new Network(layout, activation, structure, t);
  }

  public ParamLayout layout() { return layout; }
  public Activation activation() { return activation; }
  public Structure structure() { return structure; }

  /** The live parameter vector (not a copy). */
  public double[] theta() { return theta; }

  public Network copy() {
    return new Network(layout, activation, structure, theta.clone());
  }

  /** Whether every parameter is finite. */
  public boolean isFinite() {
    for (double v : theta) {
      if (!Double.isFinite(v)) {
        return false;
      }
    }
    return true;
  }
}
