package dev.nss.maven;

import dev.nss.container.ArgvEncoding;
import dev.nss.container.ContainerCli;
import dev.nss.container.GoalSettings;
import dev.nss.container.Publishing;
import dev.nss.core.InvalidSettingException;
import dev.nss.core.PropertyNames;
import dev.nss.engine.PlatformSupport;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/** Parameters of the goals that push to a registry: where, and under which tags. */
abstract class AbstractRegistryMojo extends AbstractLoginMojo {

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

  AbstractRegistryMojo(SettingsDecrypter decrypter) {
    super(decrypter);
  }

  @Override
  GoalSettings settings() {
    return super.settings().registry(registry).tags(tags).tagVariant(tagVariant);
  }

  /** The publishing goals' work, through this goal's CLI (dry-run: printed). */
  Publishing publishing() throws InvalidSettingException {
    ContainerCli cli = containerCli();
    return new Publishing(
        cli, getLog()::info, runner(cli), ArgvEncoding.platform(), PlatformSupport.ofThisHost());
  }
}
