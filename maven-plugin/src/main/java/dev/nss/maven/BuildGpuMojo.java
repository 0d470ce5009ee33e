package dev.nss.maven;

import dev.nss.container.GoalSettings;
import dev.nss.container.ImageBuilds;
import dev.nss.core.CommandFailedException;
import dev.nss.core.InvalidSettingException;
import javax.inject.Inject;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * Builds the GPU runtime image (Makefile {@code container-build-gpu}): {@code CONTAINER build
 * --platform P --tag IMAGE --target runtime --progress=plain -f containers/Dockerfile.cuda .}
 *
 * @since 0.1.0
 */
@Mojo(name = "build-gpu", threadSafe = true, requiresProject = true)
public class BuildGpuMojo extends AbstractBuildMojo {

  @Inject
  public BuildGpuMojo(SettingsDecrypter decrypter) {
    super(decrypter);
  }

  @Override
  void execute(GoalSettings settings) throws InvalidSettingException, CommandFailedException {
    build(ImageBuilds.gpu(settings, false));
  }
}
