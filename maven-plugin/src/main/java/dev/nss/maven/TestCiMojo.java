package dev.nss.maven;

import dev.nss.container.ContainerCommandException;
import dev.nss.container.ContainerGoals;
import dev.nss.container.GoalSettings;
import dev.nss.container.InvalidSettingException;
import java.util.List;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Builds the CPU test image, then runs {@code make test-ci} in it with the project at /workspace (Makefile
 * {@code test-ci-container}).
 *
 * @since 0.1.0
 */
@Mojo(name = "test-ci", threadSafe = true, requiresProject = true)
public class TestCiMojo extends BuildTestMojo {

  /**
   * The command run in the test image, split like shell words (quotes honoured, no expansion). Default:
   * {@code make test-ci}.
   *
   * @since 0.1.0
   */
  @Parameter(property = "nss.cmd")
  String cmdLine;

  /**
   * The command as exact arguments, one {@code <arg>} each; wins over {@code nss.cmd} when set.
   *
   * @since 0.1.0
   */
  @Parameter
  List<String> cmd;

  /**
   * Run the existing test image without building it first.
   *
   * @since 0.1.0
   */
  @Parameter(property = "nss.skipBuild", defaultValue = "false")
  boolean skipBuild;

  /**
   * Attach a terminal ({@code --interactive --tty}). Default: on when Maven itself runs in a terminal.
   *
   * @since 0.1.0
   */
  @Parameter(property = "nss.interactive")
  Boolean interactive;

  @Override
  GoalSettings settings() {
    return super.settings()
        .cmd(explicit("nss.cmd", cmdLine))
        .cmdList(cmd)
        .interactive(interactive(interactive));
  }

  @Override
  void execute(ContainerGoals goals, GoalSettings settings) throws InvalidSettingException, ContainerCommandException {
    goals.testCi(settings, skipBuild);
  }
}
