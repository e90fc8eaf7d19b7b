package org.neuralmodules.backend.opencl;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Assumptions;

/**
 * The OpenCL device of the tests. Where OpenCL must exist (CI sets CI, the pom passes
 * -Dneuralmodules.requireOpenCL through) a missing device fails the tests; elsewhere, e.g. a
 * developer machine without PoCL, they are skipped with a note saying what to install.
 */
public final class OpenClTestDevice {
  private OpenClTestDevice() {}

  public static boolean required() {
    return System.getenv("CI") != null || Boolean.getBoolean("neuralmodules.requireOpenCL");
  }

  public static com.aparapi.device.OpenCLDevice get() {
    if (OpenClDevices.all().isEmpty()) {
      String msg = "no OpenCL device: " + OpenClDevices.problem() + ". " + OpenClDevices.INSTALL_HINT;
      if (required()) {
        fail(msg + " (required here: CI or -Dneuralmodules.requireOpenCL=true)");
      }
      Assumptions.abort(msg);
    }
    return OpenClDevices.select(System.getProperty("neuralmodules.openclDevice", ""));
  }
}
