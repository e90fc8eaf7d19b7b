package org.neuralmodules.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Adam's bias correction: without it the first steps are sqrt(1 - beta2) / (1 - beta1) = 0.316 too small. */
class AdamTest {

  /**
   * First step: m = (1 - b1) g, v = (1 - b2) g^2, so the corrected m / sqrt(v) is g / |g| and
   * every weight moves by lr * sign(g), whatever |g| (up to eps / (sqrt(1 - b2) |g|) <= 3.2e-6
   * relative for |g| >= 0.1).
   */
  @Test
  void firstStepMovesEveryWeightByTheLearningRateAgainstTheGradientSign() {
    Random r = new Random(8);
    int n = 50;
    double lr = 0.01;
    double[] theta = new double[n];
    double[] start = new double[n];
    double[] grad = new double[n];
    for (int i = 0; i < n; i++) {
      start[i] = r.nextGaussian();
      theta[i] = start[i];
      // magnitudes over three decades, both signs: the step must not depend on them
      grad[i] = (r.nextBoolean() ? 1 : -1) * Math.pow(10, -1 + 3 * r.nextDouble());
    }
    grad[7] = 0.0;
    new Adam(n).step(theta, grad, lr);
    for (int i = 0; i < n; i++) {
      assertEquals(-lr * Math.signum(grad[i]), theta[i] - start[i], 1e-5 * lr, "weight " + i + ", gradient " + grad[i]);
    }
  }

  /**
   * A constant gradient keeps the corrected moments at m = g, v = g^2 in every step, so each step
   * is lr * sign(g) again (uncorrected moments would only reach that after ~1/(1 - b2) steps).
   */
  @Test
  void constantGradientMovesByTheLearningRateInEveryStep() {
    double lr = 0.05;
    double[] grad = {2.5, -0.3, 40};
    double[] theta = new double[3];
    Adam adam = new Adam(3);
    for (int t = 1; t <= 5; t++) {
      adam.step(theta, grad, lr);
      for (int i = 0; i < 3; i++) {
        assertEquals(-t * lr * Math.signum(grad[i]), theta[i], 1e-5 * lr * t, "step " + t + ", weight " + i);
      }
    }
  }

  /** A copy carries the moments and step count: stepping it and the original gives the same bits. */
  @Test
  void copyContinuesFromTheSameState() {
    double[] grad = {0.4, -1.2};
    Adam a = new Adam(2);
    double[] ta = {0, 0};
    a.step(ta, grad, 0.1);
    Adam b = a.copy();
    double[] tb = ta.clone();
    a.step(ta, new double[] {-0.7, 0.2}, 0.1);
    b.step(tb, new double[] {-0.7, 0.2}, 0.1);
    assertEquals(ta[0], tb[0], 0.0);
    assertEquals(ta[1], tb[1], 0.0);
  }

  /**
   * eps damps gradients far below it: a first gradient of 1e-10 (so sqrt(v) = 3.2e-12, well under
   * eps = 1e-8) moves the weight against its sign by only ~3e-4 lr, not by the full lr that the
   * undamped ratio m / sqrt(v) would give.
   */
  @Test
  void gradientsFarBelowEpsilonMoveLittleAndInTheRightDirection() {
    double lr = 0.1;
    double[] theta = {0.0, 0.0};
    new Adam(2).step(theta, new double[] {1e-10, -1e-10}, lr);
    assertTrue(theta[0] < 0 && theta[1] > 0, "against the gradient: " + theta[0] + ", " + theta[1]);
    assertTrue(Math.abs(theta[0]) < 1e-3 * lr && Math.abs(theta[1]) < 1e-3 * lr, "damped: " + theta[0]);
  }
}
