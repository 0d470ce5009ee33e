package dev.nss.container;

import dev.nss.core.InvalidSettingException;
import dev.nss.core.PropertyNames;
import java.util.List;

/**
 * The plans of run-gpu, run-gpu-dev, shell and test-ci: build unless told not to (then pull as
 * {@code nss.pull} says), then run.
 */
public final class ContainerRuns {

  private ContainerRuns() {}

  /**
   * run-gpu ({@code dev} false, the runtime image) and run-gpu-dev: build unless {@code skipBuild},
   * create the HF cache, run.
   */
  public static Plan gpu(GoalSettings settings, boolean dev, boolean skipBuild)
      throws InvalidSettingException {
    return withHfCache(GoalSpecs.gpuRun(settings, dev), settings, dev, skipBuild);
  }

  /** shell: build-gpu-dev unless {@code skipBuild}, then bash in the dev image on a terminal. */
  public static Plan shell(GoalSettings settings, boolean skipBuild)
      throws InvalidSettingException {
    return withHfCache(GoalSpecs.shell(settings), settings, true, skipBuild);
  }

  /** test-ci: build-test unless {@code skipBuild}, then the test image on the project. */
  public static Plan testCi(GoalSettings settings, boolean skipBuild)
      throws InvalidSettingException {
    RunSpec run = GoalSpecs.testRun(settings);
    Plan build = skipBuild ? pull(run, settings) : ImageBuilds.test(settings);
    return build.then(new Step.Run(run));
  }

  /**
   * The run's image was not built by this goal: pull it as {@code nss.pull} says (nothing for
   * {@code never}), so that the run's create never pulls.
   */
  private static Plan pull(RunSpec run, GoalSettings settings) throws InvalidSettingException {
    PullPolicy policy = PullPolicy.parse(settings.pull);
    if (policy == PullPolicy.NEVER) {
      return Plan.of();
    }
    return Plan.of(
        new Step.Pull(run.cli(), run.image(), run.platform(), policy, settings.registryInsecure));
  }

  /**
   * Creates the HF cache and, as the user running Maven, its mount point in the project (the engine
   * would create a missing one as root), then runs.
   */
  private static Plan withHfCache(
      RunSpec run, GoalSettings settings, boolean dev, boolean skipBuild)
      throws InvalidSettingException {
    Plan build = skipBuild ? pull(run, settings) : ImageBuilds.gpu(settings, dev);
    return build.then(
        new Step.MakeDirs(
            PropertyNames.HF_CACHE,
            List.of(run.hfCache(), run.workspace().resolve(Commands.HF_CACHE_DIR))),
        new Step.Run(run));
  }
}
