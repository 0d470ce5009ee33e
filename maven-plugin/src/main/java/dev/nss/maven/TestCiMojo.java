package dev.nss.maven;

import dev.nss.container.ContainerRuns;
import dev.nss.container.GoalSettings;
import dev.nss.core.CommandFailedException;
import dev.nss.core.InvalidSettingException;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Builds the CPU test image, then runs {@code make test-ci} in it with the project at /workspace
 * (Makefile {@code test-ci-container}).
 *
 * @since 0.1.0
 */
@Mojo(name = "test-ci", threadSafe = true, requiresProject = true)
public class TestCiMojo extends AbstractRunMojo {

  @Override
  void execute(GoalSettings settings) throws InvalidSettingException, CommandFailedException {
    runner().run(ContainerRuns.testCi(settings, skipBuild));
  }
}
