package dev.nss.container;

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
}
