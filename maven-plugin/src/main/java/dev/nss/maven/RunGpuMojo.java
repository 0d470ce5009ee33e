package dev.nss.maven;

import dev.nss.container.ContainerRuns;
import dev.nss.container.GoalSettings;
import dev.nss.core.CommandFailedException;
import dev.nss.core.InvalidSettingException;
import dev.nss.core.PropertyNames;
import java.io.IOException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Builds the runtime image, then runs it with the project at /workspace (Makefile {@code
 * container-run-gpu}). The container's stdin, stdout and stderr are the user's; Ctrl-C or a
 * terminated Maven removes the container.
 *
 * @since 0.1.0
 */
@Mojo(name = "run-gpu", threadSafe = true, requiresProject = true)
public class RunGpuMojo extends AbstractRunMojo {

  /**
   * Extra {@code run} flags such as {@code --mount}/{@code -v} (Makefile {@code EXTRA_MOUNTS}),
   * split like shell words: quotes group, nothing is expanded ({@code $HOME}, {@code ~} and globs
   * stay literal).
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.EXTRA_MOUNTS)
  String extraMounts;

  /**
   * Shared-memory size of the container ({@code --shm-size}), e.g. {@code 1g} or {@code 512m}.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.SHM_SIZE, defaultValue = PropertyNames.SHM_SIZE_DEFAULT)
  String shmSize;

  /** run-gpu-dev runs the dev image. */
  boolean dev() {
    return false;
  }

  @Override
  GoalSettings settings() {
    return super.settings()
        .hfCache(hfCache)
        .gpuFlag(gpuFlag())
        .extraMounts(explicit(PropertyNames.EXTRA_MOUNTS, extraMounts))
        .shmSize(shmSize);
  }

  @Override
  void execute(GoalSettings settings)
      throws InvalidSettingException, CommandFailedException, IOException {
    runner().run(ContainerRuns.gpu(settings, dev(), skipBuild));
  }
}
