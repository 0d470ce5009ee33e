package dev.nss.entrypoint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CudaDriverTest {

  /** The H200 host's /proc/driver/nvidia/version (2026-12-05). */
  static final String OPEN_580 =
      "NVRM version: NVIDIA UNIX Open Kernel Module for x86_64  580.159.04  Release Build"
          + "  (nixbld@)  \nGCC version:  gcc version 15.3.0 (GCC) \n";

  /** The H200 host's environment: it runs in an nvidia/cuda 13.0 image (2026-12-05). */
  static final String REQUIRE_13_0 =
      "cuda>=13.0 brand=unknown,driver>=535,driver<536 brand=grid,driver>=535,driver<536"
          + " brand=tesla,driver>=535,driver<536 brand=nvidia,driver>=535,driver<536";

  /** A proprietary 535 module, as printed by its /proc file. */
  static final String PROPRIETARY_535 =
      "NVRM version: NVIDIA UNIX x86_64 Kernel Module  535.104.05  Sat Aug 19 01:15:15 UTC 2023\n"
          + "GCC version:  gcc version 12.3.0 (Ubuntu 12.3.0-1ubuntu1~22.04)\n";

  /** As the nvidia/cuda 12.8.1 images set it. */
  static final String REQUIRE_12_8 =
      "cuda>=12.8 brand=unknown,driver>=470,driver<471 brand=grid,driver>=470,driver<471";

  @TempDir Path tmp;
  Path dev;
  Path proc;
  Map<String, String> env = new HashMap<>();

  @BeforeEach
  void setUp() throws IOException {
    dev = Files.createDirectories(tmp.resolve("dev"));
    proc = Files.createDirectories(tmp.resolve("proc"));
    env.put("NSS_NVIDIA_PROC", proc.toString());
    Files.createFile(dev.resolve("nvidiactl"));
  }

  private Finding check(String procVersion) throws IOException {
    Files.writeString(proc.resolve("version"), procVersion);
    return CudaDriver.check(env, dev);
  }

  @Test
  void aDriverOlderThanTheImagesCudaIsAWarningWithTheFix() throws IOException {
    env.put("CUDA_VERSION", "12.8.1");
    assertOlderThan("12.8.1 (CUDA_VERSION)", check(PROPRIETARY_535));
  }

  @Test
  void nvidiaRequireCudaServesWithoutCudaVersion() throws IOException {
    env.put("NVIDIA_REQUIRE_CUDA", REQUIRE_12_8);
    assertOlderThan("12.8 (NVIDIA_REQUIRE_CUDA)", check(PROPRIETARY_535));
  }

  /** The 535 driver's warning against the image's CUDA {@code image}. */
  private static void assertOlderThan(String image, Finding f) {
    assertEquals(Level.WARNING, f.level);
    assertEquals(
        "the host's NVIDIA driver 535.104.05 supports CUDA 12.2, older than the image's CUDA "
            + image
            + ": CUDA will fail with \"CUDA driver version is insufficient for CUDA runtime"
            + " version\". Fix: on the host, upgrade the NVIDIA driver to branch 570 or newer, or"
            + " rebuild the image for CUDA 12.2 (mvn nss:build-gpu -Dnss.cudaVersion=12.2.2)",
        f.message);
  }

  @Test
  void theH200sDriverRunsTheImage() throws IOException {
    env.put("CUDA_VERSION", "12.8.1");
    Finding f = check(OPEN_580);
    assertEquals(Level.OK, f.level);
    assertEquals("driver 580.159.04 runs CUDA 12.8 (CUDA_VERSION)", f.message);
    env.put("CUDA_VERSION", "13.0.2");
    env.put("NVIDIA_REQUIRE_CUDA", REQUIRE_13_0);
    assertEquals("driver 580.159.04 runs CUDA 13.0 (CUDA_VERSION)", check(OPEN_580).message);
    env.remove("CUDA_VERSION");
    assertEquals("driver 580.159.04 runs CUDA 13.0 (NVIDIA_REQUIRE_CUDA)", check(OPEN_580).message);
    env.put("CUDA_VERSION", "13.1.0");
    assertEquals(
        "the host's NVIDIA driver 580.159.04 supports CUDA 13.0, older than the image's CUDA"
            + " 13.1.0 (CUDA_VERSION): CUDA will fail with \"CUDA driver version is insufficient"
            + " for CUDA runtime version\". Fix: on the host, upgrade the NVIDIA driver to branch"
            + " 590 or newer, or rebuild the image for CUDA 13.0 (mvn nss:build-gpu"
            + " -Dnss.cudaVersion=13.0.2)",
        check(OPEN_580).message);
  }

  @Test
  void withoutGpusNothingIsRead() throws IOException {
    Files.delete(dev.resolve("nvidiactl"));
    env.put("CUDA_VERSION", "12.8.1");
    Files.writeString(proc.resolve("version"), PROPRIETARY_535);
    assertEquals("no GPU: nothing to compare", CudaDriver.check(env, dev).message);
  }

  @Test
  void aDriverNewerThanTheTableIsTrusted() throws IOException {
    env.put("CUDA_VERSION", "13.5.0");
    assertEquals(Level.OK, check(OPEN_580.replace("580.159.04", "610.10")).level);
    assertEquals(
        "no CUDA version or driver version to compare",
        CudaDriver.check(Map.of("NSS_NVIDIA_PROC", proc.toString()), dev).message);
  }

  @Test
  void partsAreParsedAsTheImagesAndTheDriverWriteThem() {
    assertEquals("12.8", CudaDriver.requiredCuda(REQUIRE_12_8));
    assertEquals("", CudaDriver.requiredCuda("brand=tesla,driver>=470"));
    assertEquals("580.159.04", CudaDriver.driverVersion(OPEN_580));
    assertEquals("535.104.05", CudaDriver.driverVersion(PROPRIETARY_535));
    assertEquals(1208, CudaDriver.majorMinor("12.8.1"));
    assertEquals(0, CudaDriver.majorMinor("twelve"));
    assertEquals(1107, CudaDriver.supportedCuda(470));
  }

  @Test
  void versionsAtTheEdgesOfTheirTextAreRead() {
    assertEquals("12.8", CudaDriver.requiredCuda("cuda>=12.8"));
    assertEquals("580.1", CudaDriver.driverVersion("Kernel Module 580.1"));
    assertEquals(
        "580.1", CudaDriver.driverVersion("NVRM version: NVIDIA UNIX Kernel Module\t580.1"));
    assertEquals(
        "", CudaDriver.driverVersion("NVRM version: NVIDIA UNIX Kernel Module for x86_64 "));
    assertEquals("", CudaDriver.driverVersion("NVRM version: NVIDIA UNIX Kernel Module"));
    assertEquals("", CudaDriver.driverVersion("GCC version: gcc version 12.3.0"));
  }

  @Test
  void theTableEndsNineBranchesAfterItsNewestRow() {
    assertEquals(1301, CudaDriver.supportedCuda(599), "a patch branch of the newest row");
    assertEquals(0, CudaDriver.supportedCuda(600), "newer than the table: trusted");
    assertEquals(0, CudaDriver.supportedCuda(0), "no branch read");
    assertEquals(1107, CudaDriver.supportedCuda(1));
  }

  @Test
  void anImageAtTheNewestCudaOfItsDriverRuns() throws IOException {
    env.put("CUDA_VERSION", "12.2.0");
    Finding f = check(PROPRIETARY_535);
    assertEquals(Level.OK, f.level);
    assertEquals("driver 535.104.05 runs CUDA 12.2 (CUDA_VERSION)", f.message);
  }

  @Test
  void aCudaOutsideTheTableNamesNoBranchAndAnOldDriverGetsARelease() throws IOException {
    env.put("CUDA_VERSION", "12.7");
    assertEquals(
        "the host's NVIDIA driver 560.35.03 supports CUDA 12.6, older than the image's CUDA 12.7"
            + " (CUDA_VERSION): CUDA will fail with \"CUDA driver version is insufficient for CUDA"
            + " runtime version\". Fix: on the host, upgrade the NVIDIA driver, or rebuild the image"
            + " for CUDA 12.6 (mvn nss:build-gpu -Dnss.cudaVersion=12.6.3)",
        check(PROPRIETARY_535.replace("535.104.05", "560.35.03")).message);
    env.put("CUDA_VERSION", "12.8.1");
    assertEquals(
        "the host's NVIDIA driver 470.256.02 supports CUDA 11.7, older than the image's CUDA"
            + " 12.8.1 (CUDA_VERSION): CUDA will fail with \"CUDA driver version is insufficient"
            + " for CUDA runtime version\". Fix: on the host, upgrade the NVIDIA driver to branch"
            + " 570 or newer, or rebuild the image for CUDA 11.7 (mvn nss:build-gpu"
            + " -Dnss.cudaVersion=11.7.0)",
        check(PROPRIETARY_535.replace("535.104.05", "470.256.02")).message);
  }
}
