package org.neuralmodules.bench;

import java.io.File;

/** Writes docs/suite.md from the suite CSV (placeholder until the report lands). */
final class SuiteReport {
  private SuiteReport() {}

  static void write(Suite.Csv csv, File out, String commit, String machine) throws Exception {
  }
}
