package dev.nss.maven;

import dev.nss.container.ArgvEncoding;
import dev.nss.container.ContainerCli;
import dev.nss.container.GoalSettings;
import dev.nss.container.Publishing;
import dev.nss.container.RegistryCredentials;
import dev.nss.core.InvalidSettingException;
import dev.nss.core.PropertyNames;
import dev.nss.engine.PlatformSupport;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/** Parameters of the goals that push to a registry, and the settings.xml login they share. */
abstract class AbstractRegistryMojo extends AbstractNssMojo {

  /**
   * Registry (and optional namespace) the image is pushed to, e.g. {@code
   * registry.example:5000/team} (Makefile {@code REGISTRY}). Required. The pushed repository is
   * this plus the name of the image without its tag.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.REGISTRY)
  String registry;

  /**
   * Id of a {@code <server>} in settings.xml whose username and (possibly encrypted) password log
   * in to the registry first ({@code login --password-stdin}; the password is never in argv or the
   * log). The login is kept in a private temporary directory for the goal's own push commands and
   * deleted when the goal ends. Default: no login (the CLI's existing login applies).
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.REGISTRY_SERVER_ID)
  String registryServerId;

  /**
   * Comma-separated tags to push. Default: {@code latest}, the project version and, in a git
   * checkout, {@code sha-<12 hex of HEAD>}.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.TAGS)
  String tags;

  /**
   * A build variant such as {@code cu128}: {@code latest} becomes {@code cu128} and every other tag
   * {@code T} becomes {@code T-cu128} (upstream CI's scheme). Default: none.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.TAG_VARIANT)
  String tagVariant;

  /**
   * The registry speaks plain HTTP or has a certificate that cannot be verified: podman gets {@code
   * --tls-verify=false}, {@code docker manifest} gets {@code --insecure}. Docker's login and push
   * follow the daemon's insecure-registry rules (127.0.0.0/8 is insecure by default; others need
   * {@code insecure-registries} in daemon.json).
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

  AbstractRegistryMojo(SettingsDecrypter decrypter) {
    this.decrypter = decrypter;
  }

  @Override
  GoalSettings settings() {
    return super.settings()
        .registry(registry)
        .tags(tags)
        .tagVariant(tagVariant)
        .registryInsecure(registryInsecure);
  }

  /**
   * The settings.xml server of nss.registryServerId, decrypted; null when no login is asked for.
   */
  RegistryCredentials credentials() throws InvalidSettingException {
    return ServerLogins.credentials(registryServerId, mavenSettings, decrypter, session);
  }

  /** The publishing goals' work, through this goal's CLI (dry-run: printed). */
  Publishing publishing() throws InvalidSettingException {
    ContainerCli cli = containerCli();
    return new Publishing(
        cli, getLog()::info, runner(cli), ArgvEncoding.platform(), PlatformSupport.ofThisHost());
  }
}
