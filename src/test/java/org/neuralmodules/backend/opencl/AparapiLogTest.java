package org.neuralmodules.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** Aparapi's log lines during the probe are collected, not printed; logging is restored afterwards. */
class AparapiLogTest {
  /** The logger Aparapi's OpenCLLoader writes its SEVERE line to (Config.getLoggerName()). */
  private static final Logger LOADER = Logger.getLogger("com.aparapi.logLevel");

  @Test
  void probeLinesAreCollectedAndNotPrinted() {
    List<String> printed = new ArrayList<>();
    Handler console = new Handler() {
      @Override
      public void publish(LogRecord r) {
        printed.add(r.getMessage());
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    Logger root = Logger.getLogger("");
    root.addHandler(console);
    try {
      List<String> collected = new ArrayList<>();
      String result = AparapiLog.collecting(() -> {
        LOADER.log(Level.SEVERE, "Check your environment. Failed to load codegen native library");
        LOADER.info("Aparapi JNI loaded successfully.");
        return "done";
      }, collected);
      assertEquals("done", result);
      assertEquals(List.of("SEVERE: Check your environment. Failed to load codegen native library"), collected);
      assertTrue(printed.isEmpty(), "printed during the probe: " + printed);
      LOADER.warning("AparapiLogTest: logging restored (this line is expected)");
      assertEquals(List.of("AparapiLogTest: logging restored (this line is expected)"), printed, "logging is restored after the probe");
    } finally {
      root.removeHandler(console);
    }
  }
}
