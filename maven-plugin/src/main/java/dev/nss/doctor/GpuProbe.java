package dev.nss.doctor;

import dev.nss.core.CommandResult;
import dev.nss.engine.CudaVersions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code nvidia-smi} says of this host's GPUs, asked once for the checks that compare them
 * with the image: each GPU's name, driver, compute capability and memory, and the highest CUDA
 * version the driver supports (its banner's {@code CUDA Version}).
 *
 * @param gpus empty when nvidia-smi is missing or failed
 * @param driverCuda e.g. 1300 for 13.0; 0 when unknown
 * @param problem why there are no GPUs, else ""
 */
record GpuProbe(List<GpuProbe.Gpu> gpus, int driverCuda, String problem) {

  static final String QUERY = "--query-gpu=name,driver_version,compute_cap,memory.total";

  private static final Pattern CUDA_VERSION = Pattern.compile("CUDA Version:\\s*(\\d+\\.\\d+)");
  private static final Pattern MIB = Pattern.compile("(\\d+)\\s*MiB");

  /**
   * @param index the GPU's position in nvidia-smi's list (its index)
   * @param computeCap e.g. {@code 9.0}; "" when this nvidia-smi cannot tell
   * @param memoryMib 0 when not reported
   */
  record Gpu(int index, String name, String driver, String computeCap, long memoryMib) {
    String label() {
      return "GPU " + index + " " + name;
    }
  }

  static GpuProbe probe(CheckContext context) throws InterruptedException {
    Optional<Path> smi = GpuCheck.findNvidiaSmi(context);
    if (smi.isEmpty()) {
      return new GpuProbe(List.of(), 0, "nvidia-smi not found");
    }
    // The banner takes about 0.1 s on an H200, four times the query: both run at once.
    java.util.concurrent.FutureTask<CommandResult> banner =
        new java.util.concurrent.FutureTask<>(() -> context.run(smi.get().toString()));
    Thread bannerThread = new Thread(banner, "nss-doctor-nvidia-smi");
    bannerThread.setDaemon(true);
    bannerThread.start();
    try {
      CommandResult query = context.run(smi.get().toString(), QUERY, "--format=csv,noheader");
      if (!query.succeeded()) {
        return new GpuProbe(List.of(), 0, smi.get() + " failed: " + query.describeFailure());
      }
      List<Gpu> gpus = parse(query.stdout());
      if (gpus.isEmpty()) {
        return new GpuProbe(List.of(), 0, smi.get() + " lists no GPU");
      }
      CommandResult result = banner.get();
      return new GpuProbe(gpus, result.succeeded() ? driverCuda(result.stdout()) : 0, "");
    } catch (java.util.concurrent.ExecutionException e) {
      return new GpuProbe(List.of(), 0, smi.get() + " failed: " + e.getCause());
    } finally {
      banner.cancel(true);
    }
  }

  /** Lines like {@code NVIDIA H200, 580.159.04, 9.0, 143771 MiB}; a name may hold commas. */
  static List<Gpu> parse(String stdout) {
    List<Gpu> gpus = new ArrayList<>();
    for (String line : stdout.split("\n")) {
      String[] parts = line.split(",");
      if (line.isBlank() || parts.length < 4) {
        continue;
      }
      int n = parts.length;
      String name = String.join(",", java.util.Arrays.copyOf(parts, n - 3)).strip();
      String cap = parts[n - 2].strip();
      Matcher mib = MIB.matcher(parts[n - 1]);
      gpus.add(
          new Gpu(
              gpus.size(),
              name,
              parts[n - 3].strip(),
              cap.matches("\\d+\\.\\d+") ? cap : "",
              mib.find() ? Long.parseLong(mib.group(1)) : 0));
    }
    return gpus;
  }

  /** The {@code CUDA Version: 13.0} of nvidia-smi's banner as 1300; 0 without one. */
  static int driverCuda(String banner) {
    Matcher m = CUDA_VERSION.matcher(banner);
    return m.find() ? CudaVersions.parse(m.group(1)).orElse(0) : 0;
  }

  /** For checks that need the GPUs: why they were not checked. */
  Finding notChecked(CheckContext context) {
    return context.settings().needsGpu()
        ? Finding.warning(
            "not checked: " + problem,
            "see the gpu check; run on a host with an NVIDIA GPU and driver")
        : Finding.ok("not checked: " + problem + "; nss.gpuFlag is empty");
  }
}
