package dev.nss.maven;

import dev.nss.container.ContainerCommandException;
import dev.nss.container.ContainerGoals;
import dev.nss.container.GoalSettings;
import dev.nss.container.InvalidSettingException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Builds the CPU test image (Makefile {@code container-build-test}):
 * {@code CONTAINER build --platform linux/amd64 --tag nss-test:latest --progress=plain -f containers/Dockerfile.test_ci .}
 *
 * @since 0.1.0
 */
@Mojo(name = "build-test", threadSafe = true, requiresProject = true)
public class BuildTestMojo extends AbstractNssMojo {

  /**
   * Tag of the CPU test image.
   *
   * @since 0.1.0
   */
  @Parameter(property = "nss.testImage", defaultValue = GoalSettings.DEFAULT_TEST_IMAGE)
  String testImage;

  /**
   * The Dockerfile of the test image, relative to the project directory. Default: {@code containers/Dockerfile.test_ci}
   * when the project has it, else the plugin's bundled copy.
   *
   * @since 0.1.0
   */
  @Parameter(property = "nss.testDockerfile")
  String testDockerfile;

  @Override
  GoalSettings settings() {
    return super.settings().testImage(testImage).testDockerfile(testDockerfile);
  }

  @Override
  void execute(ContainerGoals goals, GoalSettings settings) throws InvalidSettingException, ContainerCommandException {
    goals.buildTest(settings);
  }
}
