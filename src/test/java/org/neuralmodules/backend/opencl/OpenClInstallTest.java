package org.neuralmodules.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuralmodules.backend.opencl.OpenClInstall.Kind;

/** Reading the ICD vendor files decides whether -device AUTO loads Aparapi at all. */
class OpenClInstallTest {
  private static final Map<String, String> NO_ENV = Map.of();

  @TempDir
  Path dir;

  private Path icd(String name, String library) throws Exception {
    return Files.writeString(dir.resolve(name), library + "\n");
  }

  @Test
  void noVendorFileMeansNoOpenCl() throws Exception {
    assertEquals(Kind.NONE, OpenClInstall.scan(NO_ENV, "Linux", dir.resolve("missing")));
    assertEquals(Kind.NONE, OpenClInstall.scan(NO_ENV, "Linux", dir));
    Files.writeString(dir.resolve("README"), "not a vendor file");
    assertEquals(Kind.NONE, OpenClInstall.scan(NO_ENV, "Linux", dir));
  }

  @Test
  void poclAloneIsACpuPlatform() throws Exception {
    icd("pocl.icd", "libpocl.so.2");
    assertEquals(Kind.POCL_ONLY, OpenClInstall.scan(NO_ENV, "Linux", dir));
  }

  @Test
  void anyOtherDriverMayBeAGpu() throws Exception {
    icd("pocl.icd", "libpocl.so.2");
    icd("nvidia.icd", "libnvidia-opencl.so.1");
    assertEquals(Kind.UNKNOWN, OpenClInstall.scan(NO_ENV, "Linux", dir));
  }

  @Test
  void vendorDirectoryFromTheEnvironmentIsRead() throws Exception {
    Path other = Files.createDirectory(dir.resolve("other"));
    Files.writeString(other.resolve("intel.icd"), "libigdrcl.so");
    icd("pocl.icd", "libpocl.so.2");
    assertEquals(Kind.UNKNOWN, OpenClInstall.scan(Map.of("OCL_ICD_VENDORS", other.toString()), "Linux", dir));
    Path empty = Files.createDirectory(dir.resolve("empty"));
    assertEquals(Kind.NONE, OpenClInstall.scan(Map.of("OCL_ICD_VENDORS", empty.toString()), "Linux", dir));
  }

  @Test
  void unmodelledSetupsAreUnknown() throws Exception {
    assertEquals(Kind.UNKNOWN, OpenClInstall.scan(NO_ENV, "Windows 11", dir));
    assertEquals(Kind.UNKNOWN, OpenClInstall.scan(Map.of("OCL_ICD_FILENAMES", "/x/libOpenCL.so"), "Linux", dir));
    assertEquals(Kind.UNKNOWN, OpenClInstall.scan(Map.of("OPENCL_VENDOR_PATH", "/x"), "Linux", dir));
    Path lib = icd("one.icd", "libpocl.so.2");
    assertEquals(Kind.UNKNOWN, OpenClInstall.scan(Map.of("OCL_ICD_VENDORS", lib.toString()), "Linux", dir));
  }
}
