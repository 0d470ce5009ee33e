package dev.nss.entrypoint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The {@code cuda-driver} check: the host's NVIDIA driver (from {@code
 * /proc/driver/nvidia/version}, a file read, not an nvidia-smi run) against the image's CUDA
 * ({@code CUDA_VERSION}, else {@code NVIDIA_REQUIRE_CUDA}, as the {@code nvidia/cuda} images set
 * them). An older driver makes every CUDA call fail with "CUDA driver version is insufficient for
 * CUDA runtime version"; the NVIDIA Container Toolkit refuses such a container before it starts,
 * but CDI (podman) does not check.
 */
final class CudaDriver {

  static final String ID = "cuda-driver";
  static final String DEFAULT_PROC = "/proc/driver/nvidia";

  /**
   * The oldest Linux driver branch of each CUDA release (the CUDA Toolkit release notes), newest
   * first: {cuda major * 100 + minor, branch, last patch release}.
   */
  private static final int[][] BRANCHES = {
    {1301, 590, 0}, {1300, 580, 2}, {1209, 575, 1}, {1208, 570, 1}, {1206, 560, 3},
    {1205, 555, 1}, {1204, 550, 1}, {1203, 545, 2}, {1202, 535, 2}, {1201, 530, 1},
    {1200, 525, 1}, {1108, 520, 0}
  };

  private CudaDriver() {}

  /**
   * @param devDir where the NVIDIA device nodes are: without {@code nvidiactl} there is no GPU and
   *     nothing more is read
   */
  static Finding check(Map<String, String> env, Path devDir) throws IOException {
    if (!Files.exists(devDir.resolve("nvidiactl"))) {
      return new Finding(ID, Level.OK, "no GPU: nothing to compare");
    }
    String imageText = env.get("CUDA_VERSION");
    String source = "CUDA_VERSION";
    if (imageText == null || imageText.isBlank()) {
      imageText = requiredCuda(env.get("NVIDIA_REQUIRE_CUDA"));
      source = "NVIDIA_REQUIRE_CUDA";
    }
    int image = majorMinor(imageText);
    Path version =
        Path.of(Preflight.valueOr(env, "NSS_NVIDIA_PROC", DEFAULT_PROC)).resolve("version");
    if (image == 0 || !Files.isRegularFile(version)) {
      return new Finding(ID, Level.OK, "no CUDA version or driver version to compare");
    }
    // Bytes as Latin-1 and no regular expression: the agent runs interpreted, and loading the
    // UTF-8 decoder or java.util.regex for one line costs milliseconds.
    String driver =
        driverVersion(new String(Files.readAllBytes(version), StandardCharsets.ISO_8859_1));
    int branch = driver.isEmpty() ? 0 : Integer.parseInt(driver.substring(0, driver.indexOf('.')));
    int supported = supportedCuda(branch);
    if (supported == 0 || image <= supported) {
      return new Finding(
          ID, Level.OK, "driver " + driver + " runs CUDA " + format(image) + " (" + source + ")");
    }
    int needed = neededBranch(image);
    return new Finding(
        ID,
        Level.WARNING,
        "the host's NVIDIA driver "
            + driver
            + " supports CUDA "
            + format(supported)
            + ", older than the image's CUDA "
            + imageText.strip()
            + " ("
            + source
            + "): CUDA will fail with \"CUDA driver version is insufficient for CUDA runtime"
            + " version\". Fix: on the host, upgrade the NVIDIA driver"
            + (needed > 0 ? " to branch " + needed + " or newer" : "")
            + ", or rebuild the image for CUDA "
            + format(supported)
            + " (mvn nss:build-gpu -Dnss.cudaVersion="
            + release(supported)
            + ")");
  }

  /** {@code cuda>=12.8 brand=tesla,driver>=470,driver<471 ...}: {@code 12.8}; "" without one. */
  static String requiredCuda(String require) {
    if (require == null) {
      return "";
    }
    int at = require.indexOf("cuda>=");
    if (at < 0) {
      return "";
    }
    int end = at + 6;
    while (end < require.length()
        && (Character.isDigit(require.charAt(end)) || require.charAt(end) == '.')) {
      end++;
    }
    return require.substring(at + 6, end);
  }

  /** The version after {@code Kernel Module} in {@code /proc/driver/nvidia/version}; "" if none. */
  static String driverVersion(String procVersion) {
    int at = procVersion.indexOf("Kernel Module");
    if (at < 0) {
      return "";
    }
    int i = at;
    while (i < procVersion.length()) {
      while (i < procVersion.length() && procVersion.charAt(i) <= ' ') {
        i++;
      }
      int start = i;
      while (i < procVersion.length() && procVersion.charAt(i) > ' ') {
        i++;
      }
      String word = procVersion.substring(start, i);
      if (!word.isEmpty() && Character.isDigit(word.charAt(0)) && word.indexOf('.') > 0) {
        return word;
      }
    }
    return "";
  }

  /** The newest CUDA a driver branch runs; 0 when the branch is newer than the table or unknown. */
  static int supportedCuda(int branch) {
    if (branch <= 0 || branch > BRANCHES[0][1] + 9) {
      return 0;
    }
    for (int[] row : BRANCHES) {
      if (branch >= row[1]) {
        return row[0];
      }
    }
    return 1107; // older than CUDA 11.8's driver
  }

  private static int neededBranch(int cuda) {
    for (int[] row : BRANCHES) {
      if (row[0] == cuda) {
        return row[1];
      }
    }
    return 0;
  }

  private static String release(int cuda) {
    for (int[] row : BRANCHES) {
      if (row[0] == cuda) {
        return format(cuda) + "." + row[2];
      }
    }
    return format(cuda) + ".0";
  }

  /** {@code 12.8.1} as 1208; 0 when it is no version. */
  static int majorMinor(String text) {
    if (text == null) {
      return 0;
    }
    String[] parts = text.strip().split("\\.");
    try {
      return parts.length < 2 ? 0 : Integer.parseInt(parts[0]) * 100 + Integer.parseInt(parts[1]);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static String format(int cuda) {
    return cuda / 100 + "." + cuda % 100;
  }
}
