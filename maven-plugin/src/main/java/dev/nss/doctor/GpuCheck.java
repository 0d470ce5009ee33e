package dev.nss.doctor;

import dev.nss.core.CommandResult;
import dev.nss.engine.ContainerCliLocator;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code gpu}: NVIDIA GPUs of this host, from {@code nvidia-smi} (name, driver, memory), else from
 * the driver's {@code /proc/driver/nvidia/gpus/* /information}, else from OSHI's graphics cards
 * (which need {@code lspci}).
 */
final class GpuCheck implements Check {

  static final String SMI_FALLBACK = "/usr/local/nvidia/bin/nvidia-smi";
  private static final Pattern DRIVER_VERSION =
      Pattern.compile("Kernel Module\\s+(?:for \\S+\\s+)?(\\d+(?:\\.\\d+)+)");

  @Override
  public String id() {
    return "gpu";
  }

  @Override
  public String description() {
    return "Host NVIDIA GPUs: nvidia-smi (name, driver, memory), /proc/driver/nvidia/gpus, OSHI graphics cards";
  }

  @Override
  public Finding run(CheckContext context) throws InterruptedException {
    boolean severe = context.settings().needsGpu();
    List<String> notes = new ArrayList<>();
    Optional<Path> smi = findNvidiaSmi(context);
    if (smi.isPresent()) {
      CommandResult result =
          context.run(
              smi.get().toString(),
              "--query-gpu=name,driver_version,memory.total",
              "--format=csv,noheader");
      List<String> gpus = result.succeeded() ? parseSmi(result.stdout()) : List.of();
      if (!gpus.isEmpty()) {
        return Finding.ok(count(gpus) + ": " + String.join("; ", gpus));
      }
      notes.add(smi.get() + " failed: " + result.describeFailure());
    } else {
      notes.add("nvidia-smi not found");
    }
    List<String> fromProc = procGpus(context);
    if (!fromProc.isEmpty()) {
      String value =
          count(fromProc) + " (from /proc/driver/nvidia): " + String.join("; ", fromProc);
      if (smi.isPresent()) {
        return Finding.warning(
            value + "; " + notes.get(0),
            "check the driver: run nvidia-smi and fix what it reports");
      }
      return Finding.ok(value);
    }
    List<String> fromOshi = new ArrayList<>();
    for (HostHardware.GraphicsCard card : context.environment().hardware().graphicsCards()) {
      if (card.isNvidia()) {
        fromOshi.add(
            card.name()
                + (card.vramBytes() > 0 ? " (" + ByteSize.format(card.vramBytes()) + ")" : ""));
      }
    }
    if (!fromOshi.isEmpty()) {
      String value =
          count(fromOshi) + " (from OSHI): " + String.join("; ", fromOshi) + "; " + notes.get(0);
      return smi.isPresent() || !fromProc.isEmpty()
          ? Finding.warning(value, "check the driver: run nvidia-smi and fix what it reports")
          : Finding.warning(
              value + ", no NVIDIA driver loaded",
              "install the NVIDIA driver (nvidia-smi must list the GPU)");
    }
    notes.add("no /proc/driver/nvidia/gpus");
    notes.add("OSHI lists no NVIDIA card");
    return Finding.problem(
        severe,
        "none (" + String.join(", ", notes) + ")",
        "run on a host with an NVIDIA GPU and driver, or -Dnss.gpuFlag= to run the container without a GPU");
  }

  static Optional<Path> findNvidiaSmi(CheckContext context) {
    Optional<Path> onPath =
        ContainerCliLocator.findOnPath("nvidia-smi", context.environment().env("PATH"));
    if (onPath.isPresent()) {
      return onPath;
    }
    Path fallback = context.environment().hostPath(SMI_FALLBACK);
    return Files.isRegularFile(fallback) && Files.isExecutable(fallback)
        ? Optional.of(fallback)
        : Optional.empty();
  }

  /**
   * Parses lines like {@code NVIDIA H100 80GB HBM3, 580.159.04, 81559 MiB}; a name may hold commas,
   * so it splits from the right.
   */
  static List<String> parseSmi(String stdout) {
    List<String> gpus = new ArrayList<>();
    for (String line : stdout.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      int memoryComma = line.lastIndexOf(',');
      int driverComma = line.lastIndexOf(',', memoryComma - 1); // -1 without a second comma
      if (driverComma <= 0) {
        continue;
      }
      String name = line.substring(0, driverComma).strip();
      String driver = line.substring(driverComma + 1, memoryComma).strip();
      String memory = line.substring(memoryComma + 1).strip();
      gpus.add(name + " (driver " + driver + ", " + memory + ")");
    }
    return gpus;
  }

  private static List<String> procGpus(CheckContext context) {
    Path gpusDir = context.environment().hostPath("/proc/driver/nvidia/gpus");
    List<String> gpus = new ArrayList<>();
    String driver = driverVersion(context);
    // No such directory (no driver loaded) is an IOException here: no GPUs.
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(gpusDir)) {
      List<Path> sorted = new ArrayList<>();
      dirs.forEach(sorted::add);
      sorted.sort(null);
      for (Path dir : sorted) {
        Path information = dir.resolve("information");
        if (!Files.isReadable(information)) {
          continue;
        }
        String model = "";
        String bus = dir.getFileName().toString();
        for (String line : Files.readAllLines(information)) {
          String[] keyValue = line.split(":", 2);
          String key = keyValue[0].strip();
          if (keyValue.length == 2 && key.equals("Model")) {
            model = keyValue[1].strip();
          } else if (keyValue.length == 2 && key.equals("Bus Location")) {
            bus = keyValue[1].strip();
          }
        }
        gpus.add(
            (model.isEmpty() ? "NVIDIA GPU" : model)
                + " (bus "
                + bus
                + (driver.isEmpty() ? "" : ", driver " + driver)
                + ")");
      }
    } catch (IOException e) {
      // What was read so far stands.
    }
    return gpus;
  }

  /** The driver version from {@code /proc/driver/nvidia/version}, or "". */
  static String driverVersion(CheckContext context) {
    Path version = context.environment().hostPath("/proc/driver/nvidia/version");
    try {
      Matcher m = DRIVER_VERSION.matcher(Files.readString(version));
      return m.find() ? m.group(1) : "";
    } catch (IOException e) {
      return "";
    }
  }

  private static String count(List<String> gpus) {
    return gpus.size() + (gpus.size() == 1 ? " GPU" : " GPUs");
  }
}
