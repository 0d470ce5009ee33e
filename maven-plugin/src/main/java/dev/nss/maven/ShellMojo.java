package dev.nss.maven;

import dev.nss.container.ContainerRuns;
import dev.nss.container.GoalSettings;
import dev.nss.core.CommandFailedException;
import dev.nss.core.InvalidSettingException;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * An interactive shell in the dev image: builds it (unless {@code nss.skipBuild}), then runs {@code
 * bash} as its entrypoint with a terminal and the same mounts, GPU flag, user ({@code nss.user})
 * and secrets by name as {@code run-gpu-dev}. {@code nss.cmd} becomes bash's arguments (default:
 * none, an interactive shell). Refuses to run when Maven has no terminal, unless {@code
 * -Dnss.interactive=true}.
 *
 * @since 0.1.0
 */
@Mojo(name = "shell", threadSafe = true, requiresProject = true)
public class ShellMojo extends RunGpuMojo {

  @Override
  boolean dev() {
    return true;
  }

  @Override
  void execute(GoalSettings settings) throws InvalidSettingException, CommandFailedException {
    runner().run(ContainerRuns.shell(settings, skipBuild));
  }
}
