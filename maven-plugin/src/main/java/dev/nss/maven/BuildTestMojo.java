package dev.nss.maven;

import dev.nss.container.GoalSettings;
import dev.nss.container.ImageBuilds;
import dev.nss.core.CommandFailedException;
import dev.nss.core.InvalidSettingException;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Builds the CPU test image (Makefile {@code container-build-test}): {@code CONTAINER build
 * --platform linux/amd64 --tag nss-test:latest --progress=plain -f containers/Dockerfile.test_ci .}
 *
 * @since 0.1.0
 */
@Mojo(name = "build-test", threadSafe = true, requiresProject = true)
public class BuildTestMojo extends AbstractNssMojo {

  @Override
  void execute(GoalSettings settings) throws InvalidSettingException, CommandFailedException {
    runner().run(ImageBuilds.test(settings));
  }
}
