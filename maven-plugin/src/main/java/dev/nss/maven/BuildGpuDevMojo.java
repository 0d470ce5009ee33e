package dev.nss.maven;

import dev.nss.container.GoalSettings;
import dev.nss.container.ImageBuilds;
import dev.nss.core.CommandFailedException;
import dev.nss.core.InvalidSettingException;
import javax.inject.Inject;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * Builds the GPU dev image (Makefile {@code container-build-gpu-dev}): as {@code build-gpu} with
 * {@code --tag IMAGE_DEV --target dev}.
 *
 * @since 0.1.0
 */
@Mojo(name = "build-gpu-dev", threadSafe = true, requiresProject = true)
public class BuildGpuDevMojo extends AbstractBuildMojo {

  @Inject
  public BuildGpuDevMojo(SettingsDecrypter decrypter) {
    super(decrypter);
  }

  @Override
  void execute(GoalSettings settings) throws InvalidSettingException, CommandFailedException {
    build(ImageBuilds.gpu(settings, true));
  }
}
