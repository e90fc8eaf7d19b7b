package org.neuralmodules.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Minimal PNG charts drawn with Java2D (no plotting dependency): line charts, a heat map, grouped
 * bars and adjacency images. Headless-safe.
 */
public final class Plot {
  private Plot() {}

  static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
      new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b), new Color(0x17becf), new Color(0x7f7f7f)};

  /** One line: x and y values (NaN y = missing point). */
  public record Series(double[] x, double[] y) {}

  private static Graphics2D canvas(BufferedImage img) {
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, img.getWidth(), img.getHeight());
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    return g;
  }

  private static void write(BufferedImage img, File file) throws IOException {
    file.getParentFile().mkdirs();
    ImageIO.write(img, "png", file);
  }

  static String fmt(double v) {
    double a = Math.abs(v);
    if (a == 0) {
      return "0";
    }
    if (a >= 100000 || a < 0.01) {
      return String.format(Locale.ROOT, "%.0e", v);
    }
    String s = String.format(Locale.ROOT, "%.3f", v);
    return s.replaceAll("0+$", "").replaceAll("\\.$", "");
  }

  /** Line chart with markers; logX/logY use base-10 axes. */
  public static void lines(File file, String title, String xLabel, String yLabel, Map<String, Series> series,
      boolean logX, boolean logY) throws IOException {
    int w = 760;
    int h = 480;
    int left = 80;
    int right = 190;
    int top = 40;
    int bottom = 60;
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = canvas(img);
    double xmin = Double.POSITIVE_INFINITY;
    double xmax = Double.NEGATIVE_INFINITY;
    double ymin = Double.POSITIVE_INFINITY;
    double ymax = Double.NEGATIVE_INFINITY;
    for (Series s : series.values()) {
      for (int i = 0; i < s.x.length; i++) {
        if (!Double.isFinite(s.y[i]) || (logY && s.y[i] <= 0)) {
          continue;
        }
        xmin = Math.min(xmin, tx(s.x[i], logX));
        xmax = Math.max(xmax, tx(s.x[i], logX));
        ymin = Math.min(ymin, tx(s.y[i], logY));
        ymax = Math.max(ymax, tx(s.y[i], logY));
      }
    }
    if (!Double.isFinite(xmin)) {
      xmin = 0;
      xmax = 1;
      ymin = 0;
      ymax = 1;
    }
    if (xmax == xmin) {
      xmax = xmin + 1;
    }
    if (ymax == ymin) {
      ymax = ymin + 1;
    }
    double ypad = (ymax - ymin) * 0.08;
    ymin -= ypad;
    ymax += ypad;
    if (!logY && ymin < 0 && ymin + ypad >= 0) {
      ymin = 0;
    }
    double xpad = (xmax - xmin) * 0.04;
    xmin -= xpad;
    xmax += xpad;
    int pw = w - left - right;
    int ph = h - top - bottom;
    // grid and ticks at "nice" values (1, 2, 5 x 10^k; decades and 2, 5 multiples on log axes)
    FontMetrics fm = g.getFontMetrics();
    for (double v : ticks(ymin, ymax, logY)) {
      int y = top + ph - (int) Math.round((tx(v, logY) - ymin) / (ymax - ymin) * ph);
      g.setColor(new Color(0xeeeeee));
      g.drawLine(left, y, left + pw, y);
      g.setColor(Color.BLACK);
      String s = fmt(v);
      g.drawString(s, left - 6 - fm.stringWidth(s), y + 5);
    }
    g.setColor(Color.BLACK);
    g.drawRect(left, top, pw, ph);
    java.util.TreeSet<Double> xs = new java.util.TreeSet<>();
    for (Series s : series.values()) {
      for (double x : s.x) {
        xs.add(x);
      }
    }
    int lastEnd = -1000;
    for (double x : xs) {
      int px = left + (int) Math.round((tx(x, logX) - xmin) / (xmax - xmin) * pw);
      String s = fmt(x);
      int sx = px - fm.stringWidth(s) / 2;
      g.drawLine(px, top + ph, px, top + ph + 4);
      if (sx > lastEnd + 4) {
        g.drawString(s, sx, top + ph + 18);
        lastEnd = sx + fm.stringWidth(s);
      }
    }
    g.drawString(xLabel, left + pw / 2 - fm.stringWidth(xLabel) / 2, h - 18);
    Graphics2D gr = (Graphics2D) g.create();
    gr.rotate(-Math.PI / 2);
    gr.drawString(yLabel, -(top + ph / 2) - fm.stringWidth(yLabel) / 2, 20);
    gr.dispose();
    g.setFont(g.getFont().deriveFont(Font.BOLD, 15f));
    g.drawString(title, left, 25);
    g.setFont(g.getFont().deriveFont(Font.PLAIN, 13f));
    int k = 0;
    for (Map.Entry<String, Series> e : series.entrySet()) {
      Color col = PALETTE[k % PALETTE.length];
      g.setColor(col);
      g.setStroke(new BasicStroke(2f));
      Series s = e.getValue();
      int prevX = Integer.MIN_VALUE;
      int prevY = 0;
      for (int i = 0; i < s.x.length; i++) {
        if (!Double.isFinite(s.y[i]) || (logY && s.y[i] <= 0)) {
          prevX = Integer.MIN_VALUE;
          continue;
        }
        int px = left + (int) Math.round((tx(s.x[i], logX) - xmin) / (xmax - xmin) * pw);
        int py = top + ph - (int) Math.round((tx(s.y[i], logY) - ymin) / (ymax - ymin) * ph);
        if (prevX != Integer.MIN_VALUE) {
          g.drawLine(prevX, prevY, px, py);
        }
        marker(g, k, px, py);
        prevX = px;
        prevY = py;
      }
      int ly = top + 10 + k * 22;
      g.drawLine(left + pw + 12, ly, left + pw + 36, ly);
      marker(g, k, left + pw + 24, ly);
      g.setColor(Color.BLACK);
      g.drawString(e.getKey(), left + pw + 42, ly + 5);
      k++;
    }
    g.dispose();
    write(img, file);
  }

  private static void marker(Graphics2D g, int k, int x, int y) {
    switch (k % 4) {
      case 0 -> g.fillOval(x - 4, y - 4, 8, 8);
      case 1 -> g.fillRect(x - 4, y - 4, 8, 8);
      case 2 -> g.fillPolygon(new int[] {x - 5, x + 5, x}, new int[] {y + 4, y + 4, y - 5}, 3);
      default -> g.drawOval(x - 4, y - 4, 8, 8);
    }
  }

  /** Tick values (in data units) inside [lo, hi] (axis units: log10 when log). */
  static java.util.List<Double> ticks(double lo, double hi, boolean log) {
    java.util.List<Double> out = new java.util.ArrayList<>();
    if (log) {
      double[] mult = hi - lo > 3 ? new double[] {1} : new double[] {1, 2, 5};
      for (int e = (int) Math.floor(lo); e <= (int) Math.ceil(hi); e++) {
        for (double m : mult) {
          double v = m * Math.pow(10, e);
          if (Math.log10(v) >= lo && Math.log10(v) <= hi) {
            out.add(v);
          }
        }
      }
      return out;
    }
    double raw = (hi - lo) / 5;
    double mag = Math.pow(10, Math.floor(Math.log10(raw)));
    double step = raw / mag < 1.5 ? mag : raw / mag < 3.5 ? 2 * mag : raw / mag < 7.5 ? 5 * mag : 10 * mag;
    for (double v = Math.ceil(lo / step) * step; v <= hi + 1e-12; v += step) {
      out.add(Math.abs(v) < 1e-12 ? 0 : v);
    }
    return out;
  }

  private static double tx(double v, boolean log) {
    return log ? Math.log10(v) : v;
  }

  /** Heat map of values[row][col] with the value printed in each cell (NaN = not run). */
  public static void heatMap(File file, String title, String rowLabel, String[] rows, String colLabel,
      String[] cols, double[][] values, String valueFormat) throws IOException {
    int cell = 90;
    int left = 120;
    int top = 60;
    int w = Math.max(780, left + cols.length * cell + 40);
    int h = top + rows.length * cell + 70;
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = canvas(img);
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double[] r : values) {
      for (double v : r) {
        if (Double.isFinite(v)) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
    }
    FontMetrics fm = g.getFontMetrics();
    for (int i = 0; i < rows.length; i++) {
      for (int j = 0; j < cols.length; j++) {
        double v = values[i][j];
        int x = left + j * cell;
        int y = top + i * cell;
        if (Double.isFinite(v)) {
          double t = hi > lo ? (v - lo) / (hi - lo) : 0.5;
          // low error = light yellow, high error = dark red
          g.setColor(new Color((int) (255 - 90 * t), (int) (240 - 200 * t), (int) (170 - 130 * t)));
        } else {
          g.setColor(new Color(0xdddddd));
        }
        g.fillRect(x, y, cell, cell);
        g.setColor(Color.WHITE);
        g.drawRect(x, y, cell, cell);
        String s = Double.isFinite(v) ? String.format(Locale.ROOT, valueFormat, v) : "n/a";
        g.setColor(Color.BLACK);
        g.drawString(s, x + cell / 2 - fm.stringWidth(s) / 2, y + cell / 2 + 5);
      }
      g.drawString(rows[i], left - 10 - fm.stringWidth(rows[i]), top + i * cell + cell / 2 + 5);
    }
    for (int j = 0; j < cols.length; j++) {
      g.drawString(cols[j], left + j * cell + cell / 2 - fm.stringWidth(cols[j]) / 2, top + rows.length * cell + 20);
    }
    g.drawString(colLabel, left + cols.length * cell / 2 - fm.stringWidth(colLabel) / 2, top + rows.length * cell + 45);
    Graphics2D gr = (Graphics2D) g.create();
    gr.rotate(-Math.PI / 2);
    gr.drawString(rowLabel, -(top + rows.length * cell / 2) - fm.stringWidth(rowLabel) / 2, 22);
    gr.dispose();
    g.drawString("lighter cell = lower value; grey = not run", 10, 45);
    g.setFont(g.getFont().deriveFont(Font.BOLD, 15f));
    g.drawString(title, 10, 25);
    g.dispose();
    write(img, file);
  }

  /** Grouped bars: for each category (x label) one bar per series. */
  public static void bars(File file, String title, String xLabel, String yLabel, String[] categories,
      LinkedHashMap<String, double[]> series) throws IOException {
    int left = 70;
    int right = 170;
    int top = 40;
    int bottom = 60;
    int groupW = Math.max(64, 12 * series.size() + 14);
    int w = Math.max(520, left + right + categories.length * groupW);
    int h = 420;
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = canvas(img);
    int pw = w - left - right;
    int ph = h - top - bottom;
    double max = 1;
    for (double[] v : series.values()) {
      for (double x : v) {
        max = Math.max(max, x);
      }
    }
    int ticks = (int) Math.min(10, Math.ceil(max));
    double step = Math.ceil(max / ticks);
    double ymax = step * ticks;
    FontMetrics fm = g.getFontMetrics();
    for (int i = 0; i <= ticks; i++) {
      int y = top + ph - (int) Math.round(i * step / ymax * ph);
      g.setColor(new Color(0xeeeeee));
      g.drawLine(left, y, left + pw, y);
      g.setColor(Color.BLACK);
      String s = fmt(i * step);
      g.drawString(s, left - 6 - fm.stringWidth(s), y + 5);
    }
    double gw = (double) pw / categories.length;
    double bw = gw * 0.8 / series.size();
    int k = 0;
    for (Map.Entry<String, double[]> e : series.entrySet()) {
      g.setColor(PALETTE[k % PALETTE.length]);
      double[] v = e.getValue();
      for (int c = 0; c < categories.length; c++) {
        int bh = (int) Math.round(v[c] / ymax * ph);
        int x = left + (int) Math.round(c * gw + gw * 0.1 + k * bw);
        g.fillRect(x, top + ph - bh, Math.max(1, (int) Math.floor(bw) - 1), bh);
      }
      int ly = top + 10 + k * 22;
      g.fillRect(left + pw + 12, ly - 6, 14, 12);
      g.setColor(Color.BLACK);
      g.drawString(e.getKey(), left + pw + 32, ly + 5);
      k++;
    }
    g.setColor(Color.BLACK);
    g.drawRect(left, top, pw, ph);
    int lastEnd = -1000;
    for (int c = 0; c < categories.length; c++) {
      int cx = left + (int) Math.round(c * gw + gw / 2);
      int sx = cx - fm.stringWidth(categories[c]) / 2;
      if (sx > lastEnd + 4) {
        g.drawString(categories[c], sx, top + ph + 18);
        lastEnd = sx + fm.stringWidth(categories[c]);
      }
    }
    g.drawString(xLabel, left + pw / 2 - fm.stringWidth(xLabel) / 2, h - 18);
    Graphics2D gr = (Graphics2D) g.create();
    gr.rotate(-Math.PI / 2);
    gr.drawString(yLabel, -(top + ph / 2) - fm.stringWidth(yLabel) / 2, 20);
    gr.dispose();
    g.setFont(g.getFont().deriveFont(Font.BOLD, 15f));
    g.drawString(title, left, 25);
    g.dispose();
    write(img, file);
  }

  /**
   * Adjacency images side by side: nodes reordered by module (largest first), a dot per active
   * edge, and each module's diagonal block outlined (the paper's "black squares", Fig. 6).
   */
  public static void adjacency(File file, String title, String[] panelTitles, org.neuralmodules.graph.GraphPlan[] plans)
      throws IOException {
    int size = 420;
    int gap = 40;
    int top = 70;
    int w = plans.length * size + (plans.length + 1) * gap;
    int h = top + size + 40;
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = canvas(img);
    for (int q = 0; q < plans.length; q++) {
      org.neuralmodules.graph.GraphPlan plan = plans[q];
      int p = plan.p;
      int[] order = moduleOrder(plan);
      int[] pos = new int[p];
      for (int i = 0; i < p; i++) {
        pos[order[i]] = i;
      }
      int x0 = gap + q * (size + gap);
      double c = (double) size / p;
      g.setColor(new Color(0xf4f4f4));
      g.fillRect(x0, top, size, size);
      // module blocks
      int start = 0;
      while (start < p) {
        int m = plan.moduleOf[order[start]];
        int end = start;
        while (end < p && plan.moduleOf[order[end]] == m) {
          end++;
        }
        int bx = x0 + (int) Math.round(start * c);
        int bs = Math.max(1, (int) Math.round((end - start) * c));
        g.setColor(new Color(0x202020));
        g.fillRect(bx, top + (int) Math.round(start * c), bs, bs);
        start = end;
      }
      // active edges j -> k as dots at (row k, col j) in a light colour over the blocks
      g.setColor(new Color(0xff5a36));
      int dot = Math.max(1, (int) Math.round(c * 0.6));
      for (int k = 0; k < p; k++) {
        for (int e = plan.inStart[k]; e < plan.inStart[k + 1]; e++) {
          int j = plan.inSrc[e];
          g.fillRect(x0 + (int) Math.round(pos[j] * c + (c - dot) / 2), top + (int) Math.round(pos[k] * c + (c - dot) / 2),
              dot, dot);
        }
      }
      g.setColor(Color.BLACK);
      g.drawRect(x0, top, size, size);
      g.drawString(panelTitles[q], x0, top - 10);
    }
    g.setFont(g.getFont().deriveFont(Font.BOLD, 15f));
    g.drawString(title, gap, 25);
    g.setFont(g.getFont().deriveFont(Font.PLAIN, 12f));
    g.drawString("black squares = modules (nodes sorted by module, largest first); red dots = active edges j -> k "
        + "(column j, row k)", gap, 45);
    g.dispose();
    write(img, file);
  }

  /** Nodes sorted by module size (largest first), then module id, then node id. */
  static int[] moduleOrder(org.neuralmodules.graph.GraphPlan plan) {
    Integer[] idx = new Integer[plan.p];
    for (int i = 0; i < plan.p; i++) {
      idx[i] = i;
    }
    java.util.Arrays.sort(idx, (a, b) -> {
      int ma = plan.moduleOf[a];
      int mb = plan.moduleOf[b];
      if (ma != mb) {
        int c = Integer.compare(plan.moduleSize[mb], plan.moduleSize[ma]);
        return c != 0 ? c : Integer.compare(ma, mb);
      }
      return Integer.compare(a, b);
    });
    int[] out = new int[plan.p];
    for (int i = 0; i < plan.p; i++) {
      out[i] = idx[i];
    }
    return out;
  }
}
