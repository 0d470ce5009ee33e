package dev.nss.maven;

import dev.nss.container.GoalSettings;
import dev.nss.core.CommandFailedException;
import dev.nss.core.InvalidSettingException;
import java.io.IOException;
import javax.inject.Inject;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * Pushes the runtime image that {@code nss:build-gpu} made ({@code nss.image}) to {@code
 * nss.registry} under every tag of {@code nss.tags}, logging in first when {@code
 * nss.registryServerId} is set. Prints the pinned reference {@code REGISTRY/IMAGE@sha256:...} and
 * writes it, the tags, the platform and the image's version and revision labels to {@code
 * target/nss-image.json}. Builds nothing: run {@code mvn nss:build-gpu nss:push-gpu}.
 *
 * @since 0.1.0
 */
@Mojo(name = "push-gpu", threadSafe = true, requiresProject = true)
public class PushGpuMojo extends AbstractRegistryMojo {

  @Inject
  public PushGpuMojo(SettingsDecrypter decrypter) {
    super(decrypter);
  }

  @Override
  void execute(GoalSettings settings)
      throws InvalidSettingException, CommandFailedException, IOException {
    publishing().push(settings, false, credentials());
  }
}
