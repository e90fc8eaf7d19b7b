package org.neuralmodules.wekaio;

import java.awt.BasicStroke;
import java.awt.BorderLayout;
import java.awt.Color;
import java.awt.Dimension;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.GraphicsEnvironment;
import java.awt.RenderingHints;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.SwingUtilities;

/**
 * A small window that follows training (the -progress option): the progress line, a loss curve
 * (training loss, and validation loss when rows are held out) and a Stop button that ends
 * training after the current epoch, keeping the best weights so far. It opens only where a display
 * exists; every Swing call runs on the event thread.
 */
public final class ProgressWindow {
  private final JFrame frame;
  private final JLabel status = new JLabel(" ");
  private final LossCurve curve = new LossCurve();
  private final AtomicBoolean stopAsked = new AtomicBoolean();

  private ProgressWindow(String title) {
    frame = new JFrame(title);
    JButton stop = new JButton("Stop (keep the best weights so far)");
    stop.addActionListener(e -> {
      stopAsked.set(true);
      stop.setEnabled(false);
    });
    JPanel south = new JPanel(new BorderLayout());
    status.setBorder(BorderFactory.createEmptyBorder(4, 6, 4, 6));
    south.add(status, BorderLayout.CENTER);
    south.add(stop, BorderLayout.EAST);
    frame.getContentPane().add(curve, BorderLayout.CENTER);
    frame.getContentPane().add(south, BorderLayout.SOUTH);
    frame.setDefaultCloseOperation(JFrame.DISPOSE_ON_CLOSE);
    frame.pack();
    frame.setLocationByPlatform(true);
    frame.setVisible(true);
  }

  /** A window, or null where there is no display (headless JVM, no DISPLAY): never an error. */
  public static ProgressWindow openIfPossible(String title) {
    if (GraphicsEnvironment.isHeadless()) {
      return null;
    }
    ProgressWindow[] w = new ProgressWindow[1];
    try {
      SwingUtilities.invokeAndWait(() -> w[0] = new ProgressWindow(title));
    } catch (Exception | java.awt.AWTError e) {
      return null; // a display that cannot be opened is not a reason to fail training
    }
    return w[0];
  }

  /** Adds one epoch: the status line and the two losses (NaN where there is none). */
  public void update(String line, double trainLoss, double validationLoss) {
    SwingUtilities.invokeLater(() -> {
      // wrapped: the line is longer than the window is wide
      status.setText("<html><body style='width:360px'>" + line.replace("&", "&amp;").replace("<", "&lt;")
          + "</body></html>");
      curve.add(trainLoss, validationLoss);
    });
  }

  /** Whether the user pressed Stop. */
  public boolean stopAsked() {
    return stopAsked.get();
  }

  public void close() {
    SwingUtilities.invokeLater(frame::dispose);
  }

  /** Training (blue) and validation (orange) loss by epoch, each on the same linear scale. */
  public static final class LossCurve extends JPanel {
    private static final long serialVersionUID = 1L;
    static final Color TRAIN = new Color(31, 119, 180);
    static final Color VALIDATION = new Color(255, 127, 14);
    private final List<double[]> points = new ArrayList<>();

    public LossCurve() {
      setPreferredSize(new Dimension(560, 240));
      setBackground(Color.WHITE);
    }

    public void add(double train, double validation) {
      points.add(new double[] {train, validation});
      repaint();
    }

    @Override
    protected void paintComponent(Graphics g0) {
      super.paintComponent(g0);
      Graphics2D g = (Graphics2D) g0;
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      int w = getWidth();
      int h = getHeight();
      int left = 50;
      int bottom = h - 20;
      double max = 0;
      for (double[] p : points) {
        for (double v : p) {
          if (Double.isFinite(v)) {
            max = Math.max(max, v);
          }
        }
      }
      g.setColor(Color.GRAY);
      g.drawLine(left, 10, left, bottom);
      g.drawLine(left, bottom, w - 10, bottom);
      g.drawString(String.format(java.util.Locale.ROOT, "%.3g", max), 4, 20);
      g.drawString("0", 30, bottom);
      g.drawString("epoch " + points.size(), w - 80, h - 4);
      g.setColor(TRAIN);
      g.drawString("training loss", left + 10, 20);
      g.setColor(VALIDATION);
      g.drawString("validation loss", left + 110, 20);
      if (points.size() < 1 || max <= 0) {
        return;
      }
      g.setStroke(new BasicStroke(2f));
      for (int series = 0; series < 2; series++) {
        g.setColor(series == 0 ? TRAIN : VALIDATION);
        int px = -1;
        int py = -1;
        for (int i = 0; i < points.size(); i++) {
          double v = points.get(i)[series];
          if (!Double.isFinite(v)) {
            px = -1;
            continue;
          }
          int x = left + (int) Math.round((w - 10 - left) * (points.size() == 1 ? 1.0 : i / (points.size() - 1.0)));
          int y = bottom - (int) Math.round((bottom - 30) * v / max);
          if (px >= 0) {
            g.drawLine(px, py, x, y);
          } else {
            g.fillOval(x - 2, y - 2, 4, 4);
          }
          px = x;
          py = y;
        }
      }
    }
  }
}
