package org.neuralmodules.bench;

import java.util.Map;

/** Test errors published in the paper's Tables 1 (codon usage) and 2 (gas concentration). */
final class PaperNumbers {
  private PaperNumbers() {}

  static final int[] NODES = {40, 60, 80, 100, 200, 300};

  static final Map<String, double[]> CODON = Map.of(
      "MLP", new double[] {0.2128, 0.1917, 0.1854, 0.1964, 0.1702, 0.1839},
      "DEQ", new double[] {0.1714, 0.1839, 0.2136, 0.1980, 0.1714, 0.2911},
      "DAG", new double[] {0.2410, 0.2152, 0.2027, 0.2050, 0.2074, 0.1987},
      "OPTNET", new double[] {0.1792, 0.1706, 0.2152, 0.2034, 0.1745, 0.1901},
      "NMs", new double[] {0.1761, 0.1557, 0.1643, 0.1604, 0.1792, 0.1432},
      "NMs&L1", new double[] {0.1753, 0.1549, 0.1964, 0.1591, 0.1776, 0.1549},
      "NMs&NM", new double[] {0.1495, 0.1510, 0.1505, 0.1549, 0.1659, 0.1408});

  /** The paper prints "0602" for NMs at 80 nodes; read as 0.0602. */
  static final Map<String, double[]> GAS = Map.of(
      "MLP", new double[] {0.1669, 0.1293, 0.1113, 0.1414, 0.1639, 0.2391},
      "DEQ", new double[] {0.1188, 0.1233, 0.1323, 0.1098, 0.1278, 0.1474},
      "DAG", new double[] {0.2677, 0.1835, 0.1248, 0.1263, 0.2857, 0.1293},
      "OPTNET", new double[] {0.1308, 0.1774, 0.1248, 0.1549, 0.1113, 0.2541},
      "NMs", new double[] {0.1023, 0.1098, 0.0602, 0.0767, 0.1714, 0.2135},
      "NMs&L1", new double[] {0.0932, 0.0992, 0.0586, 0.0602, 0.1714, 0.2075},
      "NMs&NM", new double[] {0.0752, 0.0962, 0.0511, 0.0301, 0.1684, 0.1970});

  static double lookup(Map<String, double[]> table, String method, int nodes) {
    double[] v = table.get(method);
    if (v == null) {
      return Double.NaN;
    }
    for (int i = 0; i < NODES.length; i++) {
      if (NODES[i] == nodes) {
        return v[i];
      }
    }
    return Double.NaN;
  }
}
