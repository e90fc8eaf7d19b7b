package org.neuralmodules.config;

/** Node activation f and its derivative. Newton needs f', the adjoint reuses it. */
public enum Activation {
  TANH {
    @Override public double f(double x) { return Math.tanh(x); }
    @Override public double df(double x) { double t = Math.tanh(x); return 1.0 - t * t; }
    @Override public double saturation(double sign) { return sign >= 0 ? 1.0 : -1.0; }
  },
  SIGMOID {
    @Override public double f(double x) { return 1.0 / (1.0 + Math.exp(-x)); }
    @Override public double df(double x) { double s = 1.0 / (1.0 + Math.exp(-x)); return s * (1.0 - s); }
    @Override public double saturation(double sign) { return sign >= 0 ? 1.0 : 0.0; }
  },
  /** Piecewise linear: Newton becomes semi-smooth Newton (generalised derivative 0 at x <= 0). */
  RELU {
    @Override public double f(double x) { return x > 0 ? x : 0.0; }
    @Override public double df(double x) { return x > 0 ? 1.0 : 0.0; }
    @Override public boolean bounded() { return false; }
    @Override public double saturation(double sign) { return Double.NaN; }
  };

  public abstract double f(double x);

  public abstract double df(double x);

  /** Limit of f at +infinity (sign >= 0) or -infinity: the solver's restart points. */
  public abstract double saturation(double sign);

  /** Whether f is bounded, so that saturated states are sensible Newton restarts. */
  public boolean bounded() { return true; }
}
