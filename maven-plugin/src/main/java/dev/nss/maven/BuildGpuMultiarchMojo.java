package dev.nss.maven;

import dev.nss.container.ContainerCommandException;
import dev.nss.container.ContainerGoals;
import dev.nss.container.GoalSettings;
import dev.nss.container.InvalidSettingException;
import dev.nss.container.PropertyNames;
import dev.nss.container.RegistryCredentials;
import javax.inject.Inject;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.building.SettingsProblem;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;

/**
 * Builds the runtime image for several platforms and pushes it (Makefile {@code container-build-gpu-multiarch}):
 * {@code docker buildx build --platform linux/amd64,linux/arm64 --tag REGISTRY/IMAGE --target runtime --progress=plain
 * --push -f containers/Dockerfile.cuda .} Requires docker with buildx and a registry.
 *
 * @since 0.1.0
 */
@Mojo(name = "build-gpu-multiarch", threadSafe = true, requiresProject = true)
public class BuildGpuMultiarchMojo extends AbstractNssMojo {

  /**
   * Registry (and optional namespace) the image is pushed to, e.g. {@code registry.example:5000/team} (Makefile
   * {@code REGISTRY}). Required: multi-platform manifests cannot be loaded into a local image store.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.REGISTRY)
  String registry;

  /**
   * Comma-separated target platforms.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.PLATFORMS, defaultValue = PropertyNames.PLATFORMS_DEFAULT)
  String platforms;

  /**
   * A buildx builder ({@code --builder}), e.g. a remote or Kubernetes BuildKit with native arm64 nodes. Default: the
   * current builder.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.BUILDER)
  String builder;

  /**
   * Value of {@code --cache-from}, e.g. {@code type=registry,ref=registry.example/nss-gpu:cache}.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.CACHE_FROM)
  String cacheFrom;

  /**
   * Value of {@code --cache-to}, e.g. {@code type=registry,ref=registry.example/nss-gpu:cache,mode=max}.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.CACHE_TO)
  String cacheTo;

  /**
   * Id of a {@code <server>} in settings.xml whose username and (possibly encrypted) password log in to the registry
   * first ({@code login --password-stdin}; the password is never in argv or the log). Default: no login.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.REGISTRY_SERVER_ID)
  String registryServerId;

  @Parameter(defaultValue = "${settings}", readonly = true)
  org.apache.maven.settings.Settings mavenSettings;

  private final SettingsDecrypter decrypter;

  @Inject
  public BuildGpuMultiarchMojo(SettingsDecrypter decrypter) {
    this.decrypter = decrypter;
  }

  @Override
  GoalSettings settings() {
    return super.settings()
        .registry(registry)
        .platforms(platforms)
        .builder(builder)
        .cacheFrom(cacheFrom)
        .cacheTo(cacheTo);
  }

  @Override
  void execute(ContainerGoals goals, GoalSettings settings)
      throws InvalidSettingException, ContainerCommandException {
    goals.buildMultiArch(settings, credentials());
  }

  private RegistryCredentials credentials() throws InvalidSettingException {
    if (registryServerId == null || registryServerId.isBlank()) {
      return null;
    }
    String property = PropertyNames.REGISTRY_SERVER_ID;
    Server server = mavenSettings == null ? null : mavenSettings.getServer(registryServerId);
    if (server == null) {
      throw new InvalidSettingException(property, "settings.xml has no <server> with id '" + registryServerId + "'",
          "Add <server><id>" + registryServerId + "</id><username>...</username><password>...</password></server>"
              + " to ~/.m2/settings.xml, or unset " + property + ".");
    }
    SettingsDecryptionResult result = decrypter.decrypt(new DefaultSettingsDecryptionRequest(server));
    for (SettingsProblem problem : result.getProblems()) {
      if (problem.getSeverity() != SettingsProblem.Severity.WARNING) {
        throw new InvalidSettingException(property, "the password of server '" + registryServerId
            + "' cannot be decrypted (" + problem.getMessage() + ")",
            "Check ~/.m2/settings-security.xml or re-encrypt it with mvn --encrypt-password.");
      }
    }
    Server decrypted = result.getServer();
    if (decrypted.getUsername() == null || decrypted.getPassword() == null) {
      throw new InvalidSettingException(property, "server '" + registryServerId + "' in settings.xml lacks a "
          + "username or password", "Add both.");
    }
    return new RegistryCredentials(registryServerId, decrypted.getUsername(), decrypted.getPassword());
  }
}
