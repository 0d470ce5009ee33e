package dev.nss.container;

/** A registry login from settings.xml. The password goes to the CLI's stdin only; {@link #toString()} hides it. */
public record RegistryCredentials(String serverId, String username, String password) {

  @Override
  public String toString() {
    return "RegistryCredentials[serverId=" + serverId + ", username=" + username + ", password=****]";
  }
}
