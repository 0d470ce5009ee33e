package dev.nss.doctor;

import dev.nss.container.ContainerCliLocator;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code nvidia-runtime}: the engine can give containers GPUs: an {@code nvidia} runtime in {@code info}, the
 * {@code nvidia-container-runtime-hook} that {@code docker run --gpus} calls, or an NVIDIA CDI spec.
 *
 * <p>An error only when the run goals pass a GPU flag ({@code nss.gpuFlag} non-empty, the default {@code --gpus
 * all}); with {@code -Dnss.gpuFlag=} the containers run without a GPU and this is a warning.
 */
final class NvidiaRuntimeCheck implements Check {

  static final String HOOK = "nvidia-container-runtime-hook";

  @Override
  public String id() {
    return "nvidia-runtime";
  }

  @Override
  public String description() {
    return "NVIDIA runtime or CDI GPU devices available to the engine (error only when nss.gpuFlag is set)";
  }

  @Override
  public Finding run(CheckContext context) throws InterruptedException {
    boolean severe = context.settings().needsGpu();
    CheckContext.EngineProbe engine = context.engine();
    if (engine.info().isEmpty()) {
      return engine.notChecked(severe ? Status.ERROR : Status.WARNING);
    }
    EngineInfo info = engine.info().get();
    List<String> found = new ArrayList<>();
    if (info.runtimes().contains("nvidia")) {
      found.add("runtime nvidia");
    }
    if (!context.isPodman()) {
      // docker run --gpus looks this hook up on the daemon's PATH; ours is the closest we can see.
      Optional<Path> hook = ContainerCliLocator.findOnPath(HOOK, context.environment().env("PATH"));
      hook.ifPresent(p -> found.add(HOOK + " at " + p));
    }
    List<String> cdiDirs = info.cdiSpecDirs().isEmpty() && context.isPodman()
        ? EngineInfo.DEFAULT_CDI_DIRS : info.cdiSpecDirs();
    for (String spec : nvidiaCdiSpecs(context, cdiDirs)) {
      found.add("CDI spec " + spec);
    }
    String gpuFlag = context.settings().gpuFlag();
    if (!found.isEmpty() && context.isPodman() && gpuFlag.contains("--gpus") && majorVersion(info.version()) < 5) {
      // Podman 4 accepts --gpus and silently starts the container without GPUs; CDI devices work.
      return Finding.problem(severe, String.join(", ", found) + "; but Podman " + info.version() + " ignores " + gpuFlag,
          "-Dnss.gpuFlag=--device=nvidia.com/gpu=all");
    }
    if (!found.isEmpty()) {
      return Finding.ok(String.join(", ", found));
    }
    String value = "no nvidia runtime in " + info.product() + " (runtimes: " + String.join(", ", info.runtimes())
        + "), no " + HOOK + ", no NVIDIA CDI spec"
        + (severe ? "; the run goals pass " + gpuFlag : "; nss.gpuFlag is empty");
    return Finding.problem(severe, value, fix(context));
  }

  static String fix(CheckContext context) {
    if (context.isPodman()) {
      return "install the NVIDIA Container Toolkit, then sudo nvidia-ctk cdi generate --output=/etc/cdi/nvidia.yaml"
          + " and -Dnss.gpuFlag=--device=nvidia.com/gpu=all (or -Dnss.gpuFlag= to run without a GPU)";
    }
    return "install the NVIDIA Container Toolkit, then sudo nvidia-ctk runtime configure --runtime=docker"
        + " && sudo systemctl restart docker (or -Dnss.gpuFlag= to run without a GPU)";
  }

  private static int majorVersion(String version) {
    int dot = version.indexOf('.');
    try {
      return Integer.parseInt(dot < 0 ? version : version.substring(0, dot));
    } catch (NumberFormatException e) {
      return Integer.MAX_VALUE; // unknown: assume a current one
    }
  }

  private static List<String> nvidiaCdiSpecs(CheckContext context, List<String> dirs) {
    Set<String> specs = new LinkedHashSet<>();
    for (String dir : dirs) {
      Path hostDir = context.environment().hostPath(dir);
      if (!Files.isDirectory(hostDir)) {
        continue;
      }
      try (DirectoryStream<Path> files = Files.newDirectoryStream(hostDir, "*.{yaml,yml,json}")) {
        for (Path file : files) {
          if (declaresNvidiaGpus(file)) {
            specs.add(dir + "/" + file.getFileName());
          }
        }
      } catch (IOException e) {
        // An unreadable spec dir is as good as none for this check.
      }
    }
    return new ArrayList<>(specs);
  }

  private static boolean declaresNvidiaGpus(Path file) {
    return DoctorEnvironment.smallText(file, 16 << 20).filter(spec -> spec.contains("nvidia.com/gpu")).isPresent();
  }
}
