package weka.classifiers.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.neuralmodules.backend.opencl.OpenClInstall;
import weka.core.Instances;
import weka.core.converters.ConverterUtils.DataSource;

/**
 * Issue 12, item 4: a normal CPU run (-device CPU, or AUTO where no OpenCL GPU can exist) and
 * predicting with a saved model print no SEVERE or WARNING line, neither through java.util.logging
 * (Aparapi's "Failed to load codegen native library") nor on System.err. (Aparapi's native
 * "untested OpenCL platform version" line bypasses Java; weka-package/install-test.sh checks the
 * real process output for it.)
 */
class QuietRunTest {

  /** Everything logged (WARNING and above) or written to System.err while {@code body} runs. */
  private static List<String> noise(Body body) throws Exception {
    List<String> lines = new ArrayList<>();
    Handler handler = new Handler() {
      @Override
      public void publish(LogRecord r) {
        if (r.getLevel().intValue() >= Level.WARNING.intValue() && !wekaOwn(r.getLoggerName())) {
          lines.add(r.getLevel() + " (" + r.getLoggerName() + "): " + r.getMessage());
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    handler.setLevel(Level.ALL);
    Logger root = Logger.getLogger("");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream oldErr = System.err;
    root.addHandler(handler);
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      body.run();
    } finally {
      System.setErr(oldErr);
      root.removeHandler(handler);
    }
    for (String line : err.toString(StandardCharsets.UTF_8).split("\\R")) {
      if ((line.contains("SEVERE") || line.contains("WARNING")) && !line.contains("com.github.fommil.netlib")) {
        lines.add("stderr: " + line);
      }
    }
    return lines;
  }

  /**
   * Weka's own start-up (WekaPackageManager's class initialiser probes netlib-java's ARPACK) warns
   * when no native BLAS is installed, for every classifier (J48 too): not ours to silence.
   */
  private static boolean wekaOwn(String logger) {
    return logger != null && logger.startsWith("com.github.fommil.netlib");
  }

  private interface Body {
    void run() throws Exception;
  }

  private static Instances iris() throws Exception {
    Instances data = DataSource.read("test-data/iris.arff");
    data.setClassIndex(data.numAttributes() - 1);
    return data;
  }

  private static NeuralModules train(Instances data, String device) throws Exception {
    NeuralModules nm = new NeuralModules();
    nm.setOptions(new String[] {"-H", "8", "-N", "2", "-threads", "1", "-device", device});
    nm.buildClassifier(data);
    return nm;
  }

  @Test
  void cpuTrainingAndModelLoadingAreQuiet() throws Exception {
    Instances data = iris();
    List<String> lines = noise(() -> {
      NeuralModules nm = train(data, "CPU");
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
        out.writeObject(nm);
      }
      try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
        NeuralModules loaded = (NeuralModules) in.readObject();
        assertEquals(data.numInstances(), loaded.distributionsForInstances(data).length);
      }
    });
    assertTrue(lines.isEmpty(), "-device CPU printed: " + lines);
  }

  @Test
  void autoWithoutAnOpenClGpuIsQuietAndNeverAsksAparapi() throws Exception {
    Instances data = iris();
    List<String> lines = noise(() -> {
      NeuralModules nm = train(data, "AUTO");
      String backend = nm.getModel().report().backend;
      if (!OpenClInstall.mayHaveGpu()) {
        // the answer comes from the vendor files alone (the probe would have said "no OpenCL GPU found")
        assertTrue(backend.startsWith("CPU") && (backend.contains("no OpenCL installed")
            || backend.contains("PoCL only")), backend);
      }
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
        out.writeObject(nm);
      }
      try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
        NeuralModules loaded = (NeuralModules) in.readObject();
        assertEquals(data.numInstances(), loaded.distributionsForInstances(data).length);
      }
    });
    if (!OpenClInstall.mayHaveGpu()) {
      assertTrue(lines.isEmpty(), "-device AUTO without an OpenCL GPU printed: " + lines);
    }
  }
}
