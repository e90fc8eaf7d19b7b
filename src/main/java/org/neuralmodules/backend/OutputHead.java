package org.neuralmodules.backend;

import org.neuralmodules.model.ParamLayout;

/** The output layer o = V h + b with its loss: softmax + cross-entropy or linear + squared error. */
public interface OutputHead {

  /**
   * Loss of one sample with activations {@code h[ho..ho+p)}; writes dL/do into
   * {@code delta[dOff..dOff+c)} and g = V^T dL/do into {@code g[go..go+p)}.
   */
  double lossAndGradient(double[] theta, ParamLayout layout, double[] h, int ho, double target,
      double[] delta, int dOff, double[] g, int go);

  /** Class distribution (or the single numeric prediction) of one sample into out[oo..). */
  void predict(double[] theta, ParamLayout layout, double[] h, int ho, double[] out, int oo);

  /** o = V h + b into out[oo..oo+c). */
  static void outputs(double[] theta, ParamLayout layout, double[] h, int ho, double[] out, int oo) {
    int p = layout.nodes();
    for (int o = 0; o < layout.outputs(); o++) {
      double s = theta[layout.b(o)];
      int vo = layout.v(o, 0);
      for (int k = 0; k < p; k++) {
        s += theta[vo + k] * h[ho + k];
      }
      out[oo + o] = s;
    }
  }

  /** g = V^T delta. */
  static void backToNodes(double[] theta, ParamLayout layout, double[] delta, int dOff, double[] g, int go) {
    int p = layout.nodes();
    for (int k = 0; k < p; k++) {
      g[go + k] = 0;
    }
    for (int o = 0; o < layout.outputs(); o++) {
      double dv = delta[dOff + o];
      int vo = layout.v(o, 0);
      for (int k = 0; k < p; k++) {
        g[go + k] += theta[vo + k] * dv;
      }
    }
  }

  /** Softmax + cross-entropy over c classes; target is the class index. */
  final class Softmax implements OutputHead {
    @Override
    public double lossAndGradient(double[] theta, ParamLayout layout, double[] h, int ho, double target,
        double[] delta, int dOff, double[] g, int go) {
      int c = layout.outputs();
      outputs(theta, layout, h, ho, delta, dOff);
      double logZ = logSumExp(delta, dOff, c);
      int y = (int) target;
      double loss = logZ - delta[dOff + y];
      for (int o = 0; o < c; o++) {
        delta[dOff + o] = Math.exp(delta[dOff + o] - logZ) - (o == y ? 1.0 : 0.0);
      }
      backToNodes(theta, layout, delta, dOff, g, go);
      return loss;
    }

    @Override
    public void predict(double[] theta, ParamLayout layout, double[] h, int ho, double[] out, int oo) {
      int c = layout.outputs();
      outputs(theta, layout, h, ho, out, oo);
      double logZ = logSumExp(out, oo, c);
      for (int o = 0; o < c; o++) {
        out[oo + o] = Math.exp(out[oo + o] - logZ);
      }
    }

    /** log sum_o exp(a[off + o]), shifted by the maximum so it cannot overflow. */
    private static double logSumExp(double[] a, int off, int c) {
      double max = Double.NEGATIVE_INFINITY;
      for (int o = 0; o < c; o++) {
        max = Math.max(max, a[off + o]);
      }
      double sum = 0;
      for (int o = 0; o < c; o++) {
        sum += Math.exp(a[off + o] - max);
      }
      return max + Math.log(sum);
    }
  }

  /** One linear output with loss (o - y)^2 / 2 (targets standardised by the trainer). */
  final class Linear implements OutputHead {
    @Override
    public double lossAndGradient(double[] theta, ParamLayout layout, double[] h, int ho, double target,
        double[] delta, int dOff, double[] g, int go) {
      outputs(theta, layout, h, ho, delta, dOff);
      double r = delta[dOff] - target;
      delta[dOff] = r;
      backToNodes(theta, layout, delta, dOff, g, go);
      return 0.5 * r * r;
    }

    @Override
    public void predict(double[] theta, ParamLayout layout, double[] h, int ho, double[] out, int oo) {
      outputs(theta, layout, h, ho, out, oo);
    }
  }
}
