package org.neuralmodules.backend.opencl;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Finds the OpenCL devices Aparapi can use, once per JVM (drivers do not appear while it runs).
 * GPUs are listed first, so "the first device" and index 0 prefer a GPU. Any failure to load the
 * OpenCL runtime (no ICD loader, no driver, no Aparapi jar) is turned into an explanation, never
 * an exception, so that AUTO can quietly choose the CPU backend.
 */
public final class OpenClDevices {
  /** What to install, for error messages. */
  public static final String INSTALL_HINT = "OpenCL needs an ICD loader and a driver: on Debian/Ubuntu "
      + "'apt-get install ocl-icd-libopencl1 pocl-opencl-icd' (OpenCL on the CPU) or your GPU vendor's "
      + "OpenCL driver (e.g. nvidia-opencl-icd); 'clinfo -l' lists what the system sees";

  private static List<com.aparapi.device.OpenCLDevice> devices;
  private static String problem;

  private OpenClDevices() {}

  /** All OpenCL devices, GPUs first; empty if there are none (see {@link #problem()}). */
  public static synchronized List<com.aparapi.device.OpenCLDevice> all() {
    if (devices == null) {
      probe();
    }
    return devices;
  }

  /** Why no device was found, or null when there are devices. */
  public static synchronized String problem() {
    all();
    return problem;
  }

  private static void probe() {
    List<com.aparapi.device.OpenCLDevice> found = new ArrayList<>();
    String why;
    if (OpenClInstall.system() == OpenClInstall.Kind.NONE) {
      // nothing to load: Aparapi would only log SEVERE about the missing runtime
      why = "no OpenCL driver is installed (no *.icd file in the OpenCL vendor directory, /etc/OpenCL/vendors)";
    } else {
      List<String> aparapiLog = new ArrayList<>();
      why = AparapiLog.collecting(() -> platformsInto(found), aparapiLog);
      if (why != null && !aparapiLog.isEmpty()) {
        why += "; Aparapi: " + String.join(" ", aparapiLog);
      }
    }
    List<com.aparapi.device.OpenCLDevice> ordered = new ArrayList<>();
    for (com.aparapi.device.OpenCLDevice d : found) {
      if (d.getType() == com.aparapi.device.Device.TYPE.GPU) {
        ordered.add(d);
      }
    }
    for (com.aparapi.device.OpenCLDevice d : found) {
      if (d.getType() != com.aparapi.device.Device.TYPE.GPU) {
        ordered.add(d);
      }
    }
    devices = Collections.unmodifiableList(ordered);
    problem = why;
  }

  /** Adds every OpenCL device to {@code found}; returns why there is none, or null. */
  private static String platformsInto(List<com.aparapi.device.OpenCLDevice> found) {
    try {
      if (!com.aparapi.internal.opencl.OpenCLLoader.isOpenCLAvailable()) {
        return "the OpenCL runtime (libOpenCL.so) or Aparapi's native library could not be loaded";
      }
      for (com.aparapi.internal.opencl.OpenCLPlatform platform
          : new com.aparapi.internal.opencl.OpenCLPlatform().getOpenCLPlatforms()) {
        found.addAll(platform.getOpenCLDevices());
      }
      return found.isEmpty() ? "no OpenCL platform with a device is installed" : null;
    } catch (LinkageError | RuntimeException e) {
      // e.g. the Aparapi jars missing from the class path, or a broken driver
      found.clear();
      return "OpenCL could not be initialised: " + e;
    }
  }

  /**
   * The device named by {@code spec}: "" = the first (a GPU if any), a number = that index in
   * {@link #all()}, otherwise the first whose name or platform contains it (case-insensitive).
   *
   * @throws IllegalStateException with what to install or which devices exist
   */
  public static com.aparapi.device.OpenCLDevice select(String spec) {
    List<com.aparapi.device.OpenCLDevice> list = all();
    if (list.isEmpty()) {
      throw new IllegalStateException("-device OPENCL: no OpenCL device found (" + problem() + "). "
          + INSTALL_HINT + ". Or use -device CPU (or AUTO, which falls back to the CPU).");
    }
    com.aparapi.device.OpenCLDevice d = find(list, spec);
    if (d == null) {
      throw new IllegalStateException("-opencl-device '" + spec + "' matches no OpenCL device; available: "
          + listing() + ". Give an index or part of a name.");
    }
    return d;
  }

  /** The GPU for -device AUTO (restricted to {@code spec} if given), or null if there is none. */
  public static com.aparapi.device.OpenCLDevice autoGpu(String spec) {
    if (!OpenClInstall.mayHaveGpu()) {
      return null; // no OpenCL, or PoCL only: not worth loading Aparapi (see OpenClInstall)
    }
    List<com.aparapi.device.OpenCLDevice> gpus = new ArrayList<>();
    for (com.aparapi.device.OpenCLDevice d : all()) {
      if (d.getType() == com.aparapi.device.Device.TYPE.GPU) {
        gpus.add(d);
      }
    }
    if (gpus.isEmpty()) {
      return null;
    }
    if (spec.isEmpty()) {
      return gpus.get(0);
    }
    com.aparapi.device.OpenCLDevice d = find(all(), spec);
    return d != null && d.getType() == com.aparapi.device.Device.TYPE.GPU ? d : null;
  }

  private static com.aparapi.device.OpenCLDevice find(List<com.aparapi.device.OpenCLDevice> list, String spec) {
    if (spec.isEmpty()) {
      return list.get(0);
    }
    if (spec.chars().allMatch(Character::isDigit)) {
      int i;
      try {
        i = Integer.parseInt(spec);
      } catch (NumberFormatException e) {
        return null;
      }
      return i < list.size() ? list.get(i) : null;
    }
    String want = spec.toLowerCase(Locale.ROOT);
    for (com.aparapi.device.OpenCLDevice d : list) {
      if (name(d).toLowerCase(Locale.ROOT).contains(want)) {
        return d;
      }
    }
    return null;
  }

  /** "name (platform, type)". */
  public static String name(com.aparapi.device.OpenCLDevice d) {
    String platform = d.getOpenCLPlatform() == null ? "?" : d.getOpenCLPlatform().getName();
    return d.getName() + " (" + platform + ", " + d.getType() + ")";
  }

  /** "0: name (platform, type), 1: ..." or a note that there are none. */
  public static String listing() {
    List<com.aparapi.device.OpenCLDevice> list = all();
    if (list.isEmpty()) {
      return "none (" + problem() + ")";
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < list.size(); i++) {
      sb.append(i == 0 ? "" : ", ").append(i).append(": ").append(name(list.get(i)));
    }
    return sb.toString();
  }
}
