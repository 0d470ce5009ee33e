package dev.nss.maven;

import dev.nss.container.GoalSettings;
import dev.nss.core.CommandFailedException;
import dev.nss.core.InvalidSettingException;
import dev.nss.core.PropertyNames;
import java.io.IOException;
import javax.inject.Inject;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * Builds the runtime image for several platforms and pushes it (Makefile {@code
 * container-build-gpu-multiarch}). With docker and buildx: {@code docker buildx build --platform
 * linux/amd64,linux/arm64 --tag REGISTRY/IMAGE:TAG ... --push}. Without buildx, and with podman:
 * each platform is built with {@code --platform}, pushed, and a manifest list of them is pushed
 * under every tag. Writes the list's digest to {@code target/nss-image.json}.
 *
 * @since 0.1.0
 */
@Mojo(name = "build-gpu-multiarch", threadSafe = true, requiresProject = true)
public class BuildGpuMultiarchMojo extends AbstractRegistryMojo {

  /**
   * Comma-separated target platforms. Foreign ones need a qemu handler in binfmt_misc on this host
   * (qemu-user-static, binfmt-support) unless {@code nss.builder} names a builder with native
   * nodes.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.PLATFORMS, defaultValue = PropertyNames.PLATFORMS_DEFAULT)
  String platforms;

  /**
   * A buildx builder ({@code --builder}), e.g. a remote or Kubernetes BuildKit with native arm64
   * nodes. Default: the current builder. Requires buildx.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.BUILDER)
  String builder;

  @Inject
  public BuildGpuMultiarchMojo(SettingsDecrypter decrypter) {
    super(decrypter);
  }

  @Override
  GoalSettings settings() {
    return super.settings().platforms(platforms).builder(builder);
  }

  @Override
  void execute(GoalSettings settings)
      throws InvalidSettingException, CommandFailedException, IOException {
    publishing().buildMultiArch(settings, credentials());
  }
}
