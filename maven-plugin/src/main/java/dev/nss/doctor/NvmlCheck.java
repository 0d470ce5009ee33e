package dev.nss.doctor;

import dev.nss.core.CommandResult;
import dev.nss.engine.ContainerCliLocator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code nvml}: the NVIDIA management library, which the NVIDIA Container Toolkit loads to give a
 * container its GPUs, is in the host's linker cache ({@code ldconfig -p}); without it a GPU run
 * fails with {@code load library failed: libnvidia-ml.so.1: cannot open shared object file}.
 */
final class NvmlCheck implements Check {

  static final String LIBRARY = "libnvidia-ml.so.1";

  @Override
  public String id() {
    return "nvml";
  }

  @Override
  public String description() {
    return "libnvidia-ml.so.1 in the host's linker cache (ldconfig -p), as the NVIDIA Container Toolkit loads it";
  }

  @Override
  public Finding run(CheckContext context) throws InterruptedException {
    Optional<Path> ldconfig = ldconfig(context);
    if (ldconfig.isEmpty()) {
      return Finding.warning("not checked: ldconfig not found", "run it as root: ldconfig -p");
    }
    CommandResult result = context.run(ldconfig.get().toString(), "-p");
    if (!result.succeeded()) {
      return Finding.warning(
          "not checked: " + ldconfig.get() + " -p failed: " + result.describeFailure(),
          "run ldconfig -p and fix what it reports");
    }
    for (String line : result.stdout().split("\n")) {
      String entry = line.strip();
      if (entry.startsWith(LIBRARY + " ")) {
        return Finding.ok(entry.replaceAll("\\s+", " ") + " (ldconfig -p)");
      }
    }
    return Finding.problem(
        context.settings().needsGpu(),
        LIBRARY
            + " not in the linker cache (ldconfig -p): the NVIDIA Container Toolkit cannot"
            + " give a container the GPUs",
        "install the NVIDIA driver (nvidia-smi must work), then sudo ldconfig; or -Dnss.gpuFlag="
            + " to run without a GPU");
  }

  private static Optional<Path> ldconfig(CheckContext context) {
    for (String candidate : new String[] {"/sbin/ldconfig", "/usr/sbin/ldconfig"}) {
      Path p = context.environment().hostPath(candidate);
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return ContainerCliLocator.findOnPath("ldconfig", context.environment().env("PATH"));
  }
}
