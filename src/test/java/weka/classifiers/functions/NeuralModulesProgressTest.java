package weka.classifiers.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.neuralmodules.wekaio.ProgressWindow;
import weka.core.Instances;
import weka.core.converters.ConverterUtils.DataSource;
import weka.gui.Logger;

/** What a GUI user sees while training: status lines through LogHandler, and the progress window's curve. */
class NeuralModulesProgressTest {

  static final class Recorder implements Logger {
    final List<String> log = new ArrayList<>();
    final List<String> status = new ArrayList<>();

    @Override
    public void logMessage(String m) {
      log.add(m);
    }

    @Override
    public void statusMessage(String m) {
      status.add(m);
    }
  }

  @Test
  void theExplorersLogGetsOneStatusLinePerEpoch() throws Exception {
    Instances iris = DataSource.read("test-data/iris.arff");
    iris.setClassIndex(iris.numAttributes() - 1);
    NeuralModules nm = new NeuralModules();
    nm.setOptions(new String[] {"-H", "6", "-N", "4", "-V", "0", "-threads", "1", "-device", "CPU"});
    Recorder r = new Recorder();
    nm.setLog(r);
    nm.buildClassifier(iris);
    List<String> epochs = r.status.stream().filter(s -> s.startsWith("NeuralModules epoch")).toList();
    assertEquals(4, epochs.size(), r.status.toString());
    for (int e = 1; e <= 4; e++) {
      String line = epochs.get(e - 1);
      assertTrue(line.startsWith("NeuralModules epoch " + e + " of at most 4: train loss "), line);
      assertTrue(line.contains("modules (largest") && line.contains("s/epoch") && line.contains("left"), line);
    }
    assertEquals("OK", r.status.get(r.status.size() - 1), "the status bar is reset at the end");
    assertTrue(r.log.get(0).contains("training on 150 rows"), r.log.toString());
    assertTrue(r.log.get(r.log.size() - 1).contains("4 epochs") && r.log.get(r.log.size() - 1).contains("epoch cap"),
        r.log.toString());
  }

  @Test
  void progressIsAFlagThatRoundTrips() throws Exception {
    NeuralModules nm = new NeuralModules();
    assertFalse(nm.getShowProgress(), "off by default");
    nm.setOptions(new String[] {"-progress"});
    assertTrue(nm.getShowProgress());
    assertTrue(Arrays.asList(nm.getOptions()).contains("-progress"));
  }

  /** The curve panel paints offscreen (no display needed): training loss in blue once epochs exist. */
  @Test
  void theLossCurveDrawsTheEpochs() {
    ProgressWindow.LossCurve c = new ProgressWindow.LossCurve();
    c.setSize(300, 200);
    int before = bluePixels(c);
    c.add(1.0, 1.2);
    c.add(0.6, 0.9);
    c.add(0.4, 0.8);
    int after = bluePixels(c);
    assertTrue(after > before + 100, "curve pixels: " + before + " -> " + after);
  }

  private static int bluePixels(ProgressWindow.LossCurve c) {
    BufferedImage img = new BufferedImage(c.getWidth(), c.getHeight(), BufferedImage.TYPE_INT_RGB);
    c.paint(img.getGraphics());
    int n = 0;
    for (int x = 0; x < img.getWidth(); x++) {
      for (int y = 30; y < img.getHeight(); y++) { // below the legend
        int rgb = img.getRGB(x, y) & 0xffffff;
        int red = rgb >> 16;
        int blue = rgb & 0xff;
        n += blue > 150 && red < 100 ? 1 : 0;
      }
    }
    return n;
  }
}
