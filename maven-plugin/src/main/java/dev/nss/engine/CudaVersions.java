package dev.nss.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the goals and the doctor know of CUDA releases: version strings, the oldest driver branch
 * each release needs, and the GPU architectures of a {@code CUDA_ARCH_FLAGS} build argument.
 */
public final class CudaVersions {

  private static final Pattern MAJOR_MINOR = Pattern.compile("(\\d+)\\.(\\d+)");

  /**
   * The oldest Linux driver branch of each CUDA release (CUDA Toolkit release notes, "CUDA Toolkit
   * and Corresponding Driver Versions"), newest first, with the last patch release of each (an
   * {@code nvidia/cuda} image tag): {major, minor, branch, patch}.
   */
  private static final int[][] DRIVER_BRANCHES = {
    {13, 1, 590, 0}, {13, 0, 580, 2}, {12, 9, 575, 1}, {12, 8, 570, 1}, {12, 6, 560, 3},
    {12, 5, 555, 1}, {12, 4, 550, 1}, {12, 3, 545, 2}, {12, 2, 535, 2}, {12, 1, 530, 1},
    {12, 0, 525, 1}, {11, 8, 520, 0}
  };

  private CudaVersions() {}

  /** {@code major * 100 + minor} of the first {@code X.Y} in {@code text}, e.g. 1208 for 12.8.1. */
  public static Optional<Integer> parse(String text) {
    Matcher m = MAJOR_MINOR.matcher(text == null ? "" : text);
    return m.find()
        ? Optional.of(Integer.parseInt(m.group(1)) * 100 + Integer.parseInt(m.group(2)))
        : Optional.empty();
  }

  /** {@code 1208} as {@code 12.8}. */
  public static String format(int version) {
    return version / 100 + "." + version % 100;
  }

  /** The oldest driver branch (e.g. 570) that runs CUDA {@code version}, if known. */
  public static Optional<Integer> driverBranch(int version) {
    for (int[] row : DRIVER_BRANCHES) {
      if (row[0] * 100 + row[1] == version) {
        return Optional.of(row[2]);
      }
    }
    return Optional.empty();
  }

  /**
   * The fix for a driver older than the image's CUDA: which driver, or which older CUDA to build.
   *
   * @param driverCuda the driver's CUDA version, 0 when unknown
   */
  public static String driverFix(int imageCuda, int driverCuda) {
    String upgrade =
        driverBranch(imageCuda)
                .map(b -> "upgrade the host's NVIDIA driver to branch " + b + " or newer")
                .orElse("upgrade the host's NVIDIA driver")
            + " (CUDA "
            + format(imageCuda)
            + " needs it; nvidia-smi then shows CUDA Version: "
            + format(imageCuda)
            + " or higher)";
    return upgrade
        + ", or build the image for the driver's CUDA: -Dnss.cudaVersion="
        + release(driverCuda)
            .orElse(
                driverCuda > 0
                    ? "X.Y.Z with X.Y at most " + format(driverCuda)
                    : "X.Y.Z not above the CUDA Version nvidia-smi shows")
        + " (build argument CUDA_VERSION)";
  }

  /** The last patch release of CUDA {@code version} with an {@code nvidia/cuda} image, if known. */
  static Optional<String> release(int version) {
    for (int[] row : DRIVER_BRANCHES) {
      if (row[0] * 100 + row[1] == version) {
        return Optional.of(row[0] + "." + row[1] + "." + row[3]);
      }
    }
    return Optional.empty();
  }

  /**
   * The compute capabilities of a {@code CUDA_ARCH_FLAGS} value such as {@code 80;86;90;90a} or
   * {@code 8.0 8.6+PTX}: each as its digits, {@code 80}, {@code 86}, {@code 90}, {@code 90a}.
   */
  public static List<String> archs(String flags) {
    List<String> archs = new ArrayList<>();
    for (String part : (flags == null ? "" : flags).split("[;,\\s]+")) {
      String arch =
          part.strip().toLowerCase(java.util.Locale.ROOT).replace("sm_", "").replace("+ptx", "");
      arch = arch.replace(".", "");
      if (!arch.isEmpty()) {
        archs.add(arch);
      }
    }
    return archs;
  }

  /**
   * Whether code built for {@code archs} runs on a GPU of compute capability {@code capability}
   * ({@code 9.0} or {@code 90}): its exact architecture is listed ({@code 90a} counts for 9.0).
   */
  public static boolean runsOn(List<String> archs, String capability) {
    String cc = capability.strip().replace(".", "");
    return archs.stream().anyMatch(a -> a.equals(cc) || a.equals(cc + "a") || a.equals(cc + "f"));
  }
}
