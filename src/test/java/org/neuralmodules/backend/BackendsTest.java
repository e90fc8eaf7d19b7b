package org.neuralmodules.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.neuralmodules.backend.opencl.OpenClDevices;
import org.neuralmodules.backend.opencl.OpenClTestDevice;
import org.neuralmodules.config.Activation;
import org.neuralmodules.config.Device;
import org.neuralmodules.config.NMConfig;
import org.neuralmodules.solve.NodeSolver;

/** The backend factory: which backend each -device gives, and its errors. */
class BackendsTest {
  private static final NodeSolver SOLVER = new NodeSolver(Activation.TANH, 1e-8, 50);

  @Test
  void openClDeviceExistsWhereRequired() {
    // In CI (PoCL installed by .ci/run) this fails instead of skipping the OpenCL tests.
    if (OpenClTestDevice.required()) {
      assertTrue(!OpenClDevices.all().isEmpty(), "no OpenCL device: " + OpenClDevices.problem());
    }
    OpenClTestDevice.get();
    assertTrue(OpenClDevices.listing().startsWith("0: "), OpenClDevices.listing());
  }

  @Test
  void cpuIsCpu() {
    try (SolverBackend b = Backends.create(NMConfig.defaults().withDevice(Device.CPU).withThreads(3), SOLVER)) {
      assertTrue(b instanceof CpuBackend);
      assertEquals("CPU (3 threads)", b.describe());
    }
  }

  /** AUTO says why it chose the CPU, and the reason matches what the vendor files say. */
  @Test
  void autoNamesTheReasonForTheCpuFallback() {
    org.neuralmodules.backend.opencl.OpenClInstall.Kind kind = org.neuralmodules.backend.opencl.OpenClInstall.system();
    try (SolverBackend b = Backends.create(NMConfig.defaults().withDevice(Device.AUTO).withThreads(2), SOLVER)) {
      switch (kind) {
        case NONE -> assertEquals("CPU (2 threads) [AUTO: no OpenCL GPU found, no OpenCL installed]", b.describe());
        case POCL_ONLY -> assertEquals("CPU (2 threads) [AUTO: no OpenCL GPU found, PoCL only]", b.describe());
        // other drivers: a GPU backend, or the CPU with the short note when the drivers list none
        default -> assertTrue(b.describe().startsWith("OpenCL ")
            || b.describe().equals("CPU (2 threads) [AUTO: no OpenCL GPU found]"), b.describe());
      }
    }
  }

  @Test
  void openClSelectsByIndexAndName() {
    com.aparapi.device.OpenCLDevice d = OpenClTestDevice.get();
    NMConfig cfg = NMConfig.defaults().withDevice(Device.OPENCL).withThreads(1);
    try (SolverBackend b = Backends.create(cfg.withOpenclDevice("0"), SOLVER)) {
      assertTrue(b.describe().startsWith("OpenCL " + OpenClDevices.name(OpenClDevices.all().get(0))), b.describe());
    }
    String part = d.getName().substring(0, Math.min(6, d.getName().length())).toUpperCase(java.util.Locale.ROOT);
    try (SolverBackend b = Backends.create(cfg.withOpenclDevice(part), SOLVER)) {
      assertTrue(b.describe().contains(part.toLowerCase(java.util.Locale.ROOT))
          || b.describe().toUpperCase(java.util.Locale.ROOT).contains(part), b.describe());
    }
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Backends.create(cfg.withOpenclDevice("99"), SOLVER));
    assertTrue(e.getMessage().contains("-opencl-device '99'") && e.getMessage().contains("0: "), e.getMessage());
  }

  @Test
  void predictionFallsBackToCpuWhereOpenClIsMissingAndSaysSo() {
    // stands in for a model trained with -device OPENCL and loaded on a machine without that device
    NMConfig cfg = NMConfig.defaults().withDevice(Device.OPENCL).withOpenclDevice("no such device").withThreads(1);
    assertThrows(IllegalStateException.class, () -> Backends.create(cfg, SOLVER));
    try (SolverBackend b = Backends.forPrediction(cfg, SOLVER)) {
      assertTrue(b.describe().startsWith("CPU (1 thread) [OpenCL unavailable here"), b.describe());
    }
  }

  @Test
  void badDeviceNameIsRejectedByTheConfig() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> NMConfig.defaults().withOpenclDevice("-1"));
    assertTrue(e.getMessage().contains("-opencl-device"), e.getMessage());
  }
}
