package dev.nss.maven;

import dev.nss.container.CacheLogin;
import dev.nss.container.ContainerCli;
import dev.nss.container.Plan;
import dev.nss.core.CommandFailedException;
import dev.nss.core.InvalidSettingException;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * build-gpu, build-gpu-dev and build-test: their plan runs logged in to the registry that holds
 * their build cache ({@code nss.cacheFrom} / {@code nss.cacheTo}) when one is named.
 */
abstract class AbstractBuildMojo extends AbstractLoginMojo {

  AbstractBuildMojo(SettingsDecrypter decrypter) {
    super(decrypter);
  }

  /** Runs the build plan, logged in to the cache registry when nss.registryServerId is set. */
  void build(Plan plan) throws InvalidSettingException, CommandFailedException {
    ContainerCli cli = containerCli();
    CacheLogin.run(plan, cli, this::runner, credentials(), environment, getLog()::info);
  }
}
