package dev.nss.maven;

import dev.nss.container.GoalSettings;
import dev.nss.container.RegistryCredentials;
import dev.nss.core.InvalidSettingException;
import dev.nss.core.PropertyNames;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * The goals that talk to a registry — the push goals, and the build goals through their build
 * cache: the settings.xml login and the registry's transport.
 */
abstract class AbstractLoginMojo extends AbstractNssMojo {

  /**
   * Id of a {@code <server>} in settings.xml whose username and (possibly encrypted) password log
   * in to the registry first ({@code login --password-stdin}; the password is never in argv or the
   * log): the push registry, or for the build goals the registry of {@code nss.cacheFrom} / {@code
   * nss.cacheTo} (the cache references must then name one registry). The login is kept in a private
   * temporary directory for the goal's own commands and deleted when the goal ends; a build also
   * sees the entries of the user's own login files there. Default: no login (the CLI's existing
   * login applies).
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.REGISTRY_SERVER_ID)
  String registryServerId;

  /**
   * The registry speaks plain HTTP or has a certificate that cannot be verified: podman gets {@code
   * --tls-verify=false} (on a build with cache references it applies to the base-image pulls too),
   * {@code docker manifest} gets {@code --insecure}. Docker's login, push and cache follow the
   * daemon's insecure-registry rules (127.0.0.0/8 is insecure by default; others need {@code
   * insecure-registries} in daemon.json).
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

  AbstractLoginMojo(SettingsDecrypter decrypter) {
    this.decrypter = decrypter;
  }

  @Override
  GoalSettings settings() {
    return super.settings().registryInsecure(registryInsecure);
  }

  /**
   * The settings.xml server of nss.registryServerId, decrypted; null when no login is asked for.
   */
  RegistryCredentials credentials() throws InvalidSettingException {
    return ServerLogins.credentials(registryServerId, mavenSettings, decrypter, session);
  }
}
