package weka.classifiers.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neuralmodules.backend.opencl.OpenClDevices;
import org.neuralmodules.backend.opencl.OpenClTestDevice;
import org.neuralmodules.config.Device;
import weka.core.Instances;
import weka.core.Utils;
import weka.core.converters.ConverterUtils.DataSource;

/** -device and -opencl-device as a Weka user meets them. */
class NeuralModulesDeviceTest {
  /** Whole training runs on the two backends: predictions agree to this (absolute, probabilities). */
  static final double PREDICTION_TOL = 1e-7;

  static Instances codon;

  @BeforeAll
  static void load() throws Exception {
    codon = DataSource.read("test-data/codon_usage_small.arff");
    codon.setClassIndex(codon.numAttributes() - 1);
  }

  static NeuralModules trained(String device) throws Exception {
    NeuralModules nm = new NeuralModules();
    // modules with cycles (15% of the 600 edges, no regularization to break them), few epochs
    nm.setOptions(new String[] {"-H", "25", "-N", "4", "-gamma", "0.15", "-regularization", "NONE", "-S", "7", "-threads", "2",
        "-mini-batch", "64", "-device", device});
    nm.buildClassifier(codon);
    return nm;
  }

  @Test
  void openClTrainingPredictsLikeCpuTraining() throws Exception {
    OpenClTestDevice.get();
    NeuralModules cpu = trained("CPU");
    NeuralModules ocl = trained("OPENCL");
    assertTrue(cpu.getModel().plan().cyclicSccCount > 0, "premise: the model has cyclic modules");
    assertTrue(ocl.getModel().report().backend.startsWith("OpenCL"), ocl.getModel().report().backend);
    assertTrue(cpu.getModel().report().backend.startsWith("CPU"), cpu.getModel().report().backend);
    assertTrue(ocl.toString().contains("backend: OpenCL"), ocl.toString());
    double[][] a = cpu.distributionsForInstances(codon);
    double[][] b = ocl.distributionsForInstances(codon);
    assertTrue(ocl.getModel().lastPredictionBackend().startsWith("OpenCL"), ocl.getModel().lastPredictionBackend());
    double worst = 0;
    for (int i = 0; i < a.length; i++) {
      for (int k = 0; k < a[i].length; k++) {
        worst = Math.max(worst, Math.abs(a[i][k] - b[i][k]));
        double single = ocl.distributionForInstance(codon.instance(i))[k];
        worst = Math.max(worst, Math.abs(single - b[i][k]));
      }
    }
    System.out.printf(Locale.ROOT, "training CPU vs OPENCL: largest prediction difference %.3g%n", worst);
    assertTrue(worst <= PREDICTION_TOL, "largest difference " + worst);
  }

  @Test
  void autoSaysWhichBackendItChose() throws Exception {
    NeuralModules nm = trained("AUTO");
    String backend = nm.getModel().report().backend;
    boolean gpu = OpenClDevices.autoGpu("") != null;
    if (gpu) {
      assertTrue(backend.startsWith("OpenCL"), backend);
    } else {
      assertTrue(backend.startsWith("CPU") && backend.contains("AUTO: no OpenCL GPU"), backend);
    }
    assertTrue(nm.toString().contains(backend), "toString names the backend");
  }

  @Test
  void unknownOpenClDeviceIsAClearError() throws Exception {
    NeuralModules nm = new NeuralModules();
    nm.setOptions(new String[] {"-H", "5", "-N", "1", "-device", "OPENCL", "-opencl-device", "no such device"});
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> nm.buildClassifier(codon));
    if (OpenClDevices.all().isEmpty()) {
      assertTrue(e.getMessage().contains("pocl-opencl-icd") && e.getMessage().contains("-device CPU"), e.getMessage());
    } else {
      assertTrue(e.getMessage().contains("'no such device' matches no OpenCL device"), e.getMessage());
    }
  }

  @Test
  void optionsRoundTripAndAreValidated() throws Exception {
    NeuralModules nm = new NeuralModules();
    assertEquals(Device.AUTO, nm.getDevice(), "default");
    nm.setOptions(new String[] {"-device", "opencl", "-opencl-device", "1"});
    assertEquals(Device.OPENCL, nm.getDevice());
    assertEquals("1", nm.getOpenclDevice());
    String opts = Utils.joinOptions(nm.getOptions());
    assertTrue(opts.contains("-device OPENCL") && opts.contains("-opencl-device 1"), opts);
    NeuralModules copy = new NeuralModules();
    copy.setOptions(nm.getOptions());
    assertEquals(nm.getConfig(), copy.getConfig());
    Exception bad = assertThrows(Exception.class, () -> new NeuralModules().setOptions(new String[] {"-device", "GPU"}));
    assertTrue(bad.getMessage().contains("-device") && bad.getMessage().contains("OPENCL"), bad.getMessage());
  }

  @Test
  void openClModelSerializesWithoutKernelsAndPredictsAfterLoading() throws Exception {
    OpenClTestDevice.get();
    NeuralModules ocl = trained("OPENCL");
    double[][] before = ocl.distributionsForInstances(codon);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(ocl);
    }
    NeuralModules loaded;
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      loaded = (NeuralModules) in.readObject();
    }
    double[][] after = loaded.distributionsForInstances(codon);
    for (int i = 0; i < before.length; i++) {
      for (int k = 0; k < before[i].length; k++) {
        if (Math.abs(before[i][k] - after[i][k]) > 1e-12) {
          fail("row " + i + " differs after loading: " + before[i][k] + " vs " + after[i][k]);
        }
      }
    }
  }
}
