package dev.nss.maven;

import dev.nss.container.GoalSettings;
import dev.nss.core.CommandFailedException;
import dev.nss.core.InvalidSettingException;
import java.io.IOException;
import javax.inject.Inject;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * Pushes the dev image that {@code nss:build-gpu-dev} made ({@code nss.imageDev}) to {@code
 * nss.registry} under every tag of {@code nss.tags}, logging in first when {@code
 * nss.registryServerId} is set. Prints the pinned reference {@code REGISTRY/IMAGE@sha256:...} and
 * writes it, the tags, the platform and the image's version and revision labels to {@code
 * target/nss-image.json}. Builds nothing: run {@code mvn nss:build-gpu-dev nss:push-gpu-dev}.
 *
 * @since 0.1.0
 */
@Mojo(name = "push-gpu-dev", threadSafe = true, requiresProject = true)
public class PushGpuDevMojo extends AbstractRegistryMojo {

  @Inject
  public PushGpuDevMojo(SettingsDecrypter decrypter) {
    super(decrypter);
  }

  @Override
  void execute(GoalSettings settings)
      throws InvalidSettingException, CommandFailedException, IOException {
    publishing().push(settings, true, credentials());
  }
}
