package dev.nss.maven;

import dev.nss.container.GoalSettings;
import dev.nss.container.ImageBuilds;
import dev.nss.core.CommandFailedException;
import dev.nss.core.InvalidSettingException;
import javax.inject.Inject;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * Builds the CPU test image (Makefile {@code container-build-test}): {@code CONTAINER build
 * --platform linux/amd64 --tag nss-test:latest --progress=plain -f containers/Dockerfile.test_ci .}
 *
 * @since 0.1.0
 */
@Mojo(name = "build-test", threadSafe = true, requiresProject = true)
public class BuildTestMojo extends AbstractBuildMojo {

  @Inject
  public BuildTestMojo(SettingsDecrypter decrypter) {
    super(decrypter);
  }

  @Override
  void execute(GoalSettings settings) throws InvalidSettingException, CommandFailedException {
    build(ImageBuilds.test(settings));
  }
}
