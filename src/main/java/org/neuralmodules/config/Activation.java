package org.neuralmodules.config;

/** Node activation f and its derivative. Newton needs f', the adjoint reuses it. */
public enum Activation {
  TANH {
    @Override public double f(double x) { return Math.tanh(x); }
    @Override public double df(double x) { double t = Math.tanh(x); return 1.0 - t * t; }
  },
  SIGMOID {
    @Override public double f(double x) { return 1.0 / (1.0 + Math.exp(-x)); }
    @Override public double df(double x) { double s = 1.0 / (1.0 + Math.exp(-x)); return s * (1.0 - s); }
  },
  /** Piecewise linear: Newton becomes semi-smooth Newton (generalised derivative 0 at x <= 0). */
  RELU {
    @Override public double f(double x) { return x > 0 ? x : 0.0; }
    @Override public double df(double x) { return x > 0 ? 1.0 : 0.0; }
  };

  public abstract double f(double x);

  public abstract double df(double x);
}
