package org.neuralmodules.backend.opencl;

import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Runs the OpenCL probe with Aparapi's java.util.logging records collected instead of printed.
 * Aparapi logs "SEVERE: Check your environment. Failed to load codegen native library" whenever
 * no OpenCL runtime is installed, the normal case for {@code -device AUTO} on a machine without
 * OpenCL; the probe turns the collected lines into its own explanation ({@link OpenClDevices#problem()}),
 * which {@code -device OPENCL} reports in its error. All Aparapi loggers are children of
 * {@code com.aparapi} (the loader's is {@code com.aparapi.logLevel}).
 */
final class AparapiLog {
  /** Parent of every Aparapi logger; held so that LogManager keeps our settings. */
  static final Logger ROOT = Logger.getLogger("com.aparapi");

  private AparapiLog() {}

  /** Runs {@code body}; Aparapi records of level WARNING and above go to {@code into}, none is printed. */
  static synchronized <T> T collecting(Supplier<T> body, List<String> into) {
    Handler collector = new Handler() {
      private final SimpleFormatter fmt = new SimpleFormatter();

      @Override
      public void publish(LogRecord r) {
        if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
          into.add(r.getLevel() + ": " + fmt.formatMessage(r));
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    collector.setLevel(Level.ALL);
    boolean parents = ROOT.getUseParentHandlers();
    Handler[] own = ROOT.getHandlers();
    for (Handler h : own) {
      ROOT.removeHandler(h);
    }
    ROOT.setUseParentHandlers(false);
    ROOT.addHandler(collector);
    try {
      return body.get();
    } finally {
      ROOT.removeHandler(collector);
      for (Handler h : own) {
        ROOT.addHandler(h);
      }
      ROOT.setUseParentHandlers(parents);
    }
  }
}
