package org.neuralmodules.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.neuralmodules.TestSupport;

class ParameterAverageTest {

  @Test
  void oneVectorComesBackBitForBitNegativeZeroIncluded() {
    double[] v = {-0.0, 1.0 / 3, -7e-300, 1e300};
    double[] f = ParameterAverage.fractions(new double[] {37});
    assertEquals(1.0, f[0]);
    TestSupport.assertBitwiseEquals(v, ParameterAverage.mean(List.of(v), f), "mean of one vector");
  }

  @Test
  void weightedMeanUsesTheFractions() {
    double[] f = ParameterAverage.fractions(new double[] {1, 3});
    assertArrayEquals(new double[] {0.25, 0.75}, f);
    double[] m = ParameterAverage.mean(List.of(new double[] {4, -8}, new double[] {0, 8}), f);
    assertArrayEquals(new double[] {1, 4}, m, 0);
  }

  @Test
  void badWeightsAndShapesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> ParameterAverage.fractions(new double[] {1, -1}));
    assertThrows(IllegalArgumentException.class, () -> ParameterAverage.fractions(new double[] {0, 0}));
    assertThrows(IllegalArgumentException.class, () -> ParameterAverage.fractions(new double[] {1, Double.NaN}));
    assertThrows(IllegalArgumentException.class,
        () -> ParameterAverage.mean(List.of(new double[2], new double[3]), new double[] {0.5, 0.5}));
  }

  @Test
  void adamStatesAverageTheirMomentsAndKeepTheLargestStepCount() {
    Adam a = new Adam(1);
    Adam b = new Adam(1);
    double[] ta = {0};
    double[] tb = {0};
    a.step(ta, new double[] {1}, 0.1);
    b.step(tb, new double[] {-1}, 0.1);
    b.step(tb, new double[] {-1}, 0.1);
    Adam avg = Adam.average(List.of(a, b), new double[] {0.5, 0.5});
    assertEquals(2, avg.steps());
    // the averaged state steps like the mean of the moments: m = (0.1 + -0.19) / 2, then one more step
    double[] t = {0};
    avg.step(t, new double[] {0}, 0.1);
    double m = 0.9 * ((0.1 - 0.19) / 2);
    double v = 0.999 * ((0.001 + 0.001999) / 2);
    double expect = -0.1 * Math.sqrt(1 - Math.pow(0.999, 3)) / (1 - Math.pow(0.9, 3)) * m / (Math.sqrt(v) + 1e-8);
    assertEquals(expect, t[0], 1e-12);
  }
}
