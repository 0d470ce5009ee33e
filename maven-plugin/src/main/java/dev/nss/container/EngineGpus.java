package dev.nss.container;

import dev.nss.core.CommandFailedException;
import dev.nss.core.InvalidSettingException;
import dev.nss.core.PropertyNames;
import dev.nss.core.ShellWords;
import dev.nss.engine.Engine;
import dev.nss.engine.PodmanGpus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A plan's GPU flags as the engine will honour them: before podman 5, {@code --gpus} becomes CDI
 * devices (logged); CDI devices need an NVIDIA CDI spec, whose absence fails here, before anything
 * is built or run. Docker: unchanged.
 */
final class EngineGpus {

  private final ContainerCli cli;
  private final Consumer<String> log;
  private final Function<String, Path> cdiHost;

  /**
   * @param cdiHost maps each CDI spec directory to where it is read (the host's own; tests: under a
   *     test root)
   */
  EngineGpus(ContainerCli cli, Consumer<String> log, Function<String, Path> cdiHost) {
    this.cli = cli;
    this.log = log;
    this.cdiHost = cdiHost;
  }

  Plan adapt(Plan plan) throws InvalidSettingException, CommandFailedException {
    List<Step> steps = new ArrayList<>();
    for (Step step : plan.steps()) {
      steps.add(step instanceof Step.Run run ? new Step.Run(adapt(run.spec())) : step);
    }
    return new Plan(steps);
  }

  RunSpec adapt(RunSpec run) throws InvalidSettingException, CommandFailedException {
    if (!Engine.isPodman(run.cli()) || run.gpuFlags().isEmpty()) {
      return run;
    }
    List<String> flags = run.gpuFlags();
    if (PodmanGpus.hasGpusFlag(flags)) {
      String version = cli.query(Commands.clientVersion(run.cli()));
      flags = PodmanGpus.flagsFor(version, flags);
      if (!flags.equals(run.gpuFlags())) {
        log.accept(
            "podman "
                + version
                + " ignores --gpus: passing "
                + ShellWords.quote(flags)
                + " (CDI devices) "
                + "instead of "
                + ShellWords.quote(run.gpuFlags()));
      }
    }
    if (PodmanGpus.requestsCdiGpus(flags)
        && PodmanGpus.nvidiaCdiSpecs(PodmanGpus.CDI_DIRS, cdiHost).isEmpty()) {
      throw new InvalidSettingException(
          PropertyNames.GPU_FLAG,
          ShellWords.quote(flags)
              + " asks podman for GPUs through CDI, "
              + "but there is "
              + PodmanGpus.noSpecIn(PodmanGpus.CDI_DIRS),
          PodmanGpus.noSpecFix());
    }
    return run.withGpuFlags(flags);
  }
}
