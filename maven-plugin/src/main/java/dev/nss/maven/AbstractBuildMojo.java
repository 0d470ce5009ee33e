package dev.nss.maven;

import dev.nss.container.CacheLogin;
import dev.nss.container.ContainerCli;
import dev.nss.container.GoalSettings;
import dev.nss.container.Plan;
import dev.nss.core.CommandFailedException;
import dev.nss.core.InvalidSettingException;
import dev.nss.core.PropertyNames;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * build-gpu, build-gpu-dev and build-test: the login and transport settings of the registry that
 * holds their build cache ({@code nss.cacheFrom} / {@code nss.cacheTo}).
 */
abstract class AbstractBuildMojo extends AbstractNssMojo {

  /**
   * Id of a {@code <server>} in settings.xml whose username and (possibly encrypted) password log
   * in to the registry of {@code nss.cacheFrom} / {@code nss.cacheTo} before the build ({@code
   * login --password-stdin} into a private temporary directory, as the push goals do; deleted when
   * the goal ends). The build runs with that directory and the entries of the user's own login
   * files. The cache references must then name one registry. Default: no login (the CLI's existing
   * login applies).
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.REGISTRY_SERVER_ID)
  String registryServerId;

  /**
   * The cache registry speaks plain HTTP or has a certificate that cannot be verified: podman's
   * build gets {@code --tls-verify=false} when it has cache references (it applies to the build's
   * base-image pulls too). Docker follows the daemon's insecure-registry rules (127.0.0.0/8 is
   * insecure by default).
   *
   * @since 0.1.0
   */
  @Parameter(
      property = PropertyNames.REGISTRY_INSECURE,
      defaultValue = PropertyNames.REGISTRY_INSECURE_DEFAULT)
  boolean registryInsecure;

  @Parameter(defaultValue = "${settings}", readonly = true)
  org.apache.maven.settings.Settings mavenSettings;

  private final SettingsDecrypter decrypter;

  AbstractBuildMojo(SettingsDecrypter decrypter) {
    this.decrypter = decrypter;
  }

  @Override
  GoalSettings settings() {
    return super.settings().registryInsecure(registryInsecure);
  }

  /** Runs the build plan, logged in to the cache registry when nss.registryServerId is set. */
  void build(Plan plan) throws InvalidSettingException, CommandFailedException {
    ContainerCli cli = containerCli();
    CacheLogin.run(
        plan,
        cli,
        this::runner,
        ServerLogins.credentials(registryServerId, mavenSettings, decrypter, session),
        environment,
        getLog()::info);
  }
}
