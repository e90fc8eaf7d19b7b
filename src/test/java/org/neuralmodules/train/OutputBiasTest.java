package org.neuralmodules.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.neuralmodules.config.NMConfig;
import org.neuralmodules.config.OutputBias;
import org.neuralmodules.model.ParamLayout;

/** -output-bias PRIOR starts the output biases at the log class frequencies of the training rows. */
class OutputBiasTest {

  private static double[] startBiases(OutputBias mode, double[] weight) {
    // 20 rows: classes 0,0,0,1 repeated (15 of class 0, 5 of class 1); no validation split
    int n = 20;
    double[] x = new double[n];
    double[] y = new double[n];
    for (int r = 0; r < n; r++) {
      x[r] = r;
      y[r] = r % 4 == 3 ? 1 : 0;
    }
    NMConfig cfg = NMConfig.defaults().withNodes(3).withThreads(1).withValidationPercent(0).withOutputBias(mode);
    Trainer t = new Trainer(cfg, new Dataset(x, y, weight, n, 1, 2));
    t.initialise();
    double[] theta = t.current().network().theta();
    ParamLayout l = new ParamLayout(1, 3, 2);
    return new double[] {theta[l.b(0)], theta[l.b(1)]};
  }

  @Test
  void priorBiasesAreTheSmoothedLogFrequencies() {
    double[] b = startBiases(OutputBias.PRIOR, null);
    assertEquals(Math.log(16.0 / 22), b[0], 1e-15);
    assertEquals(Math.log(6.0 / 22), b[1], 1e-15);
  }

  @Test
  void priorBiasesCountInstanceWeights() {
    double[] w = new double[20];
    for (int r = 0; r < 20; r++) {
      w[r] = r % 4 == 3 ? 3.0 : 1.0; // class 1 weighs 15, class 0 weighs 15
    }
    double[] b = startBiases(OutputBias.PRIOR, w);
    assertEquals(b[0], b[1], 1e-12, "equal weighted counts give equal biases");
  }

  @Test
  void zeroBiasesStayZero() {
    double[] b = startBiases(OutputBias.ZERO, null);
    assertEquals(0.0, b[0]);
    assertEquals(0.0, b[1]);
  }
}
