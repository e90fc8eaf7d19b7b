package org.neuralmodules.backend.opencl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What OpenCL drivers the system has, read from the ICD loader's vendor files in pure Java, without
 * touching Aparapi. {@code -device AUTO} uses it to stay quiet: Aparapi's native library logs a
 * SEVERE line when no OpenCL runtime exists, and prints "untested OpenCL platform version" on
 * stderr from C for every OpenCL 3.0 platform (PoCL included), which Java cannot silence. So AUTO
 * loads Aparapi only where a GPU may exist: not when no vendor file exists, and not when every
 * vendor file names PoCL (Debian/Ubuntu's PoCL offers CPU devices only).
 *
 * <p>Only Linux's vendor directory is read ({@code /etc/OpenCL/vendors}, or {@code
 * OCL_ICD_VENDORS} when it names a directory); on other systems, or when the loader is redirected
 * in a way not modelled here, the answer is {@link Kind#UNKNOWN} and Aparapi probes as before.
 */
public final class OpenClInstall {
  /** What the vendor files say. */
  public enum Kind {
    /** No OpenCL driver registered: no device can exist. */
    NONE,
    /** Only PoCL: OpenCL on the CPU, no GPU for AUTO. */
    POCL_ONLY,
    /** Other drivers, or not known: a GPU may exist. */
    UNKNOWN
  }

  private static final Path DEFAULT_VENDORS = Paths.get("/etc/OpenCL/vendors");
  private static Kind cached;

  private OpenClInstall() {}

  /** This system's answer (computed once per JVM). */
  public static synchronized Kind system() {
    if (cached == null) {
      cached = scan(System.getenv(), System.getProperty("os.name", ""), DEFAULT_VENDORS);
    }
    return cached;
  }

  /** True where -device AUTO has to ask Aparapi whether an OpenCL GPU exists. */
  public static boolean mayHaveGpu() {
    return system() == Kind.UNKNOWN;
  }

  /**
   * The kind of installation described by the vendor files.
   *
   * @param env            the environment (OCL_ICD_VENDORS, OCL_ICD_FILENAMES, OPENCL_VENDOR_PATH)
   * @param osName         the value of {@code os.name}
   * @param defaultVendors the loader's default vendor directory
   */
  public static Kind scan(Map<String, String> env, String osName, Path defaultVendors) {
    if (!osName.toLowerCase(Locale.ROOT).contains("linux") || present(env, "OCL_ICD_FILENAMES")
        || present(env, "OPENCL_VENDOR_PATH")) {
      return Kind.UNKNOWN;
    }
    Path dir = defaultVendors;
    if (present(env, "OCL_ICD_VENDORS")) {
      dir = Paths.get(env.get("OCL_ICD_VENDORS"));
      if (!Files.isDirectory(dir)) {
        return Kind.UNKNOWN; // a single library named directly: not modelled
      }
    }
    List<String> libraries = vendorLibraries(dir);
    if (libraries == null) {
      return Kind.UNKNOWN;
    }
    if (libraries.isEmpty()) {
      return Kind.NONE;
    }
    for (String lib : libraries) {
      if (!lib.toLowerCase(Locale.ROOT).contains("pocl")) {
        return Kind.UNKNOWN;
      }
    }
    return Kind.POCL_ONLY;
  }

  /** The library named by each *.icd file; empty if there is none; null if the folder is unreadable. */
  private static List<String> vendorLibraries(Path dir) {
    List<String> libs = new ArrayList<>();
    if (!Files.exists(dir)) {
      return libs;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        if (f.getFileName().toString().endsWith(".icd") && Files.isRegularFile(f)) {
          libs.add(new String(Files.readAllBytes(f), StandardCharsets.UTF_8).trim());
        }
      }
    } catch (IOException | SecurityException e) {
      return null;
    }
    return libs;
  }

  private static boolean present(Map<String, String> env, String name) {
    String v = env.get(name);
    return v != null && !v.isEmpty();
  }
}
