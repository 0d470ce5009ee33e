package dev.nss.doctor;

import dev.nss.core.InvalidSettingException;
import dev.nss.core.PropertyNames;
import dev.nss.core.ShellWords;
import dev.nss.engine.ContainerCliLocator;
import dev.nss.engine.PodmanGpus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code nvidia-runtime}: the engine can give containers GPUs: an {@code nvidia} runtime in {@code
 * info}, the {@code nvidia-container-runtime-hook} that {@code docker run --gpus} calls, or an
 * NVIDIA CDI spec.
 *
 * <p>An error only when the run goals pass a GPU flag ({@code nss.gpuFlag} non-empty, the default
 * {@code --gpus all}); with {@code -Dnss.gpuFlag=} the containers run without a GPU and this is a
 * warning.
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
    if (context.isPodman()) {
      return podman(context, info, severe);
    }
    List<String> found = new ArrayList<>();
    if (info.runtimes().contains("nvidia")) {
      found.add("runtime nvidia");
    }
    // docker run --gpus looks this hook up on the daemon's PATH; ours is the closest we can see.
    Optional<Path> hook = ContainerCliLocator.findOnPath(HOOK, context.environment().env("PATH"));
    hook.ifPresent(p -> found.add(HOOK + " at " + p));
    for (String spec :
        PodmanGpus.nvidiaCdiSpecs(info.cdiSpecDirs(), context.environment()::hostPath)) {
      found.add("CDI spec " + spec);
    }
    if (!found.isEmpty()) {
      return Finding.ok(String.join(", ", found));
    }
    String value =
        "no nvidia runtime in "
            + info.product()
            + " (runtimes: "
            + String.join(", ", info.runtimes())
            + "), no "
            + HOOK
            + ", no NVIDIA CDI spec"
            + (severe
                ? "; the run goals pass " + context.settings().gpuFlag()
                : "; nss.gpuFlag is empty");
    return Finding.problem(severe, value, fix(context));
  }

  /**
   * Podman gives GPUs through CDI devices only: the flags the run goals will pass (Podman &lt; 5:
   * {@code --gpus} turned into {@code --device nvidia.com/gpu=...}, as {@link PodmanGpus} does for
   * the goals) need an NVIDIA CDI spec.
   */
  private static Finding podman(CheckContext context, EngineInfo info, boolean severe) {
    List<String> given;
    List<String> passed;
    try {
      given = ShellWords.split(context.settings().gpuFlag(), PropertyNames.GPU_FLAG);
      passed = PodmanGpus.flagsFor(info.version(), given);
    } catch (InvalidSettingException e) {
      return Finding.error(
          e.getMessage(),
          "-D" + PropertyNames.GPU_FLAG + "=--device=" + PodmanGpus.CDI_KIND + "=all");
    }
    String passes =
        !severe
            ? "; nss.gpuFlag is empty"
            : "; the run goals pass "
                + String.join(" ", passed)
                + (passed.equals(given) ? "" : " (Podman " + info.version() + " ignores --gpus)");
    List<String> specs =
        PodmanGpus.nvidiaCdiSpecs(PodmanGpus.CDI_DIRS, context.environment()::hostPath);
    if (!specs.isEmpty()) {
      return Finding.ok("CDI spec " + String.join(", CDI spec ", specs) + passes);
    }
    return Finding.problem(severe, PodmanGpus.noSpecIn(PodmanGpus.CDI_DIRS) + passes, fix(context));
  }

  static String fix(CheckContext context) {
    if (context.isPodman()) {
      return "install the NVIDIA Container Toolkit, then "
          + PodmanGpus.GENERATE_SPEC
          + " (or -Dnss.gpuFlag= to run without a GPU)";
    }
    return "install the NVIDIA Container Toolkit, then sudo nvidia-ctk runtime configure --runtime=docker"
        + " && sudo systemctl restart docker (or -Dnss.gpuFlag= to run without a GPU)";
  }
}
