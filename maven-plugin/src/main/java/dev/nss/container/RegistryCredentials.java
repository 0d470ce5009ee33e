package dev.nss.container;

import dev.nss.core.CommandFailedException;

/**
 * A registry login from settings.xml. The password goes to the CLI's stdin only; {@link
 * #toString()} hides it.
 *
 * @param settingsFile the settings file it came from (Maven's {@code -s}, else ~/.m2/settings.xml),
 *     for messages
 */
public record RegistryCredentials(
    String serverId, String username, String password, String settingsFile) {

  public RegistryCredentials(String serverId, String username, String password) {
    this(serverId, username, password, "~/.m2/settings.xml");
  }

  @Override
  public String toString() {
    return "RegistryCredentials[serverId="
        + serverId
        + ", username="
        + username
        + ", password=****]";
  }

  /**
   * The failure of a login with these credentials: {@code target} (e.g. "registry.example") could
   * not be logged in to, so nothing was {@code undone} (built, pushed); the fix names the settings.
   */
  CommandFailedException loginFailed(String target, String undone, CommandFailedException e) {
    return new CommandFailedException(
        "Login to "
            + target
            + " as '"
            + username()
            + "' (settings.xml server '"
            + serverId()
            + "', nss.registryServerId) failed; nothing was "
            + undone
            + ". "
            + e.getMessage()
            + " Check <username> and <password> of <server><id>"
            + serverId()
            + "</id> in "
            + settingsFile()
            + ".",
        e.exitCode());
  }
}
