package org.neuralmodules.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.neuralmodules.config.Activation;
import org.neuralmodules.config.Structure;

/**
 * The flat parameter layout (every index used exactly once, groups in the documented order) and the
 * network's initialisation scales, which keep the initial node system well posed.
 */
class NetworkTest {

  /** U, W, V, b tile [0, size) without gaps or overlaps, in that order, and bytes() counts them all. */
  @Test
  void layoutIndicesTileTheParameterVectorInGroupOrder() {
    ParamLayout l = new ParamLayout(3, 4, 2);
    boolean[] used = new boolean[l.size()];
    int expectedNext = 0;
    for (int i = 0; i < 3; i++) {
      for (int k = 0; k < 4; k++) {
        assertEquals(expectedNext++, l.u(i, k), "u(" + i + "," + k + ")");
        used[l.u(i, k)] = true;
      }
    }
    assertEquals(expectedNext, l.wOffset());
    for (int j = 0; j < 4; j++) {
      for (int k = 0; k < 4; k++) {
        assertEquals(expectedNext++, l.w(j, k), "w(" + j + "," + k + ")");
        used[l.w(j, k)] = true;
      }
    }
    assertEquals(expectedNext, l.vOffset());
    for (int o = 0; o < 2; o++) {
      for (int k = 0; k < 4; k++) {
        assertEquals(expectedNext++, l.v(o, k), "v(" + o + "," + k + ")");
        used[l.v(o, k)] = true;
      }
    }
    assertEquals(expectedNext, l.bOffset());
    for (int o = 0; o < 2; o++) {
      assertEquals(expectedNext++, l.b(o));
      used[l.b(o)] = true;
    }
    assertEquals(expectedNext, l.size(), "size = 3*4 + 4*4 + 2*4 + 2");
    for (int i = 0; i < used.length; i++) {
      assertTrue(used[i], "index " + i + " unused");
    }
    assertEquals(8L * l.size(), l.bytes());
    assertEquals(0, l.uOffset());
  }

  /** Zero inputs is a valid layout (a class-only data set); no nodes or no outputs are not. */
  @Test
  void layoutRejectsOnlyImpossibleShapes() {
    assertEquals(1 + 1 + 1, new ParamLayout(0, 1, 1).size());
    assertThrows(IllegalArgumentException.class, () -> new ParamLayout(-1, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> new ParamLayout(1, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> new ParamLayout(1, 1, 0));
  }

  @Test
  void networkRejectsAThetaOfTheWrongLength() {
    ParamLayout l = new ParamLayout(2, 2, 1);
    assertThrows(IllegalArgumentException.class,
        () -> new Network(l, Activation.TANH, Structure.GRAPH, new double[l.size() - 1]));
    double[] t = new double[l.size()];
    Network n = new Network(l, Activation.TANH, Structure.GRAPH, t);
    assertSame(t, n.theta(), "theta is the live vector");
    assertSame(l, n.layout());
    assertEquals(Activation.TANH, n.activation());
    assertEquals(Structure.GRAPH, n.structure());
  }

  /**
   * Initial scales: U ~ N(0, 1/d), allowed W ~ N(0, 0.25/p), V ~ N(0, 1/p); node biases (the W
   * diagonal), forbidden edges and output biases are exactly 0. Checked on the sample standard
   * deviations of a large network (within 10%: thousands of draws per group).
   */
  @Test
  void initialisationUsesTheDocumentedScalesAndZeroBiases() {
    int d = 50;
    int p = 60;
    int c = 40;
    ParamLayout l = new ParamLayout(d, p, c);
    Network net = Network.initialise(l, Activation.TANH, Structure.DAG, new Random(3));
    double[] t = net.theta();
    double su = 0;
    for (int i = 0; i < d; i++) {
      for (int k = 0; k < p; k++) {
        su += t[l.u(i, k)] * t[l.u(i, k)];
      }
    }
    assertEquals(1.0 / Math.sqrt(d), Math.sqrt(su / (d * p)), 0.1 / Math.sqrt(d), "sd of U");
    double sw = 0;
    int allowed = 0;
    for (int j = 0; j < p; j++) {
      for (int k = 0; k < p; k++) {
        double w = t[l.w(j, k)];
        if (Structure.DAG.allows(j, k)) {
          sw += w * w;
          allowed++;
        } else {
          assertEquals(0.0, w, 0.0, "forbidden edge or bias " + j + "->" + k);
        }
      }
    }
    assertEquals(0.5 / Math.sqrt(p), Math.sqrt(sw / allowed), 0.05 / Math.sqrt(p), "sd of allowed W");
    double sv = 0;
    for (int o = 0; o < c; o++) {
      for (int k = 0; k < p; k++) {
        sv += t[l.v(o, k)] * t[l.v(o, k)];
      }
      assertEquals(0.0, t[l.b(o)], 0.0, "output bias " + o);
    }
    assertEquals(1.0 / Math.sqrt(p), Math.sqrt(sv / (c * p)), 0.1 / Math.sqrt(p), "sd of V");
  }

  /** Without inputs the U scale's fan-in guard must not divide by zero: all values stay finite. */
  @Test
  void initialisationWithoutInputsIsFinite() {
    Network net = Network.initialise(new ParamLayout(0, 3, 2), Activation.TANH, Structure.GRAPH, new Random(1));
    assertTrue(net.isFinite());
  }

  /** isFinite looks at every parameter (first, last, NaN and infinities); copy() is independent. */
  @Test
  void isFiniteChecksEveryParameterAndCopyIsDeep() {
    ParamLayout l = new ParamLayout(1, 2, 1);
    Network net = Network.initialise(l, Activation.TANH, Structure.GRAPH, new Random(2));
    assertTrue(net.isFinite());
    Network copy = net.copy();
    assertNotSame(net.theta(), copy.theta());
    for (int i = 0; i < l.size(); i++) {
      assertEquals(net.theta()[i], copy.theta()[i], 0.0);
    }
    copy.theta()[0] = Double.NaN;
    assertTrue(net.isFinite(), "the original is untouched by a change to the copy");
    assertFalse(copy.isFinite(), "NaN in the first parameter");
    copy.theta()[0] = 0;
    copy.theta()[l.size() - 1] = Double.NEGATIVE_INFINITY;
    assertFalse(copy.isFinite(), "-inf in the last parameter");
  }
}
