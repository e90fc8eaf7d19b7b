package org.neuralmodules.wekaio;

import java.util.ArrayList;
import java.util.List;

/**
 * Packs module blocks into rows that fit a window, as the Explorer's layout engine
 * (HierarchicalBCEngine) will stack them: every drawn node sits on a level, one level is
 * {@link #LEVEL_H} pixels high and one column is as wide as the widest label. A block is a
 * module's header plus its nodes: {@code width} columns, {@code depth} levels. Rows are separated
 * by one level (the row node the next row hangs from); the first row also holds the extra roots
 * (legend, single-node summary) on its top level.
 */
final class WindowRows {
  /** Level height of the Explorer's layout: three node heights of two font lines (measured: 90 px). */
  static final int LEVEL_H = 90;
  /** Node height of the Explorer's layout (2 x the font height). */
  static final int NODE_H = 30;

  private final int maxCols;
  private final int maxLevels;
  private final int extraRoots;
  private final List<List<Integer>> rows = new ArrayList<>();
  private final List<Integer> rowWidth = new ArrayList<>();
  private final List<Integer> rowDepth = new ArrayList<>();

  /**
   * @param windowW    window width in pixels
   * @param windowH    window height in pixels
   * @param columnW    width of one column (widest label plus padding)
   * @param extraRoots nodes that share the first row's top level with its module headers
   */
  WindowRows(int windowW, int windowH, int columnW, int extraRoots) {
    this.maxCols = Math.max(1, windowW / Math.max(1, columnW));
    this.maxLevels = 1 + Math.max(0, (windowH - NODE_H) / LEVEL_H);
    this.extraRoots = extraRoots;
  }

  int maxCols() {
    return maxCols;
  }

  int maxLevels() {
    return maxLevels;
  }

  /**
   * Places block {@code id}: in the current row if it fits, else in a new row if the window has
   * levels left. The first block is always placed. Returns false when it does not fit.
   */
  boolean add(int id, int width, int depth) {
    if (rows.isEmpty()) {
      open(id, width, depth);
      return true;
    }
    int last = rows.size() - 1;
    int usedW = rowWidth.get(last) + (last == 0 ? Math.max(0, extraRoots) : 0);
    if (usedW + width <= maxCols && levels(last, Math.max(rowDepth.get(last), depth)) <= maxLevels) {
      rows.get(last).add(id);
      rowWidth.set(last, rowWidth.get(last) + width);
      rowDepth.set(last, Math.max(rowDepth.get(last), depth));
      return true;
    }
    if (width <= maxCols && levels(rows.size(), depth) <= maxLevels) {
      open(id, width, depth);
      return true;
    }
    return false;
  }

  private void open(int id, int width, int depth) {
    List<Integer> r = new ArrayList<>();
    r.add(id);
    rows.add(r);
    rowWidth.add(width);
    rowDepth.add(depth);
  }

  /** Levels used if row {@code row} (possibly a new one) had depth {@code depth}. */
  private int levels(int row, int depth) {
    int total = 0;
    for (int i = 0; i < rowDepth.size(); i++) {
      total += i == row ? depth : rowDepth.get(i);
    }
    if (row >= rowDepth.size()) {
      total += depth;
    }
    return total + Math.max(rowDepth.size(), row + 1) - 1; // one separator level between rows
  }

  List<List<Integer>> rows() {
    return rows;
  }

  /** First level of row r (row 0 starts at level 0; each row after a separator level). */
  int firstLevel(int r) {
    int level = 0;
    for (int i = 0; i < r; i++) {
      level += rowDepth.get(i) + 1;
    }
    return level;
  }

  int depth(int r) {
    return rowDepth.get(r);
  }

  int totalLevels() {
    return rows.isEmpty() ? 0 : firstLevel(rows.size() - 1) + rowDepth.get(rows.size() - 1);
  }
}
