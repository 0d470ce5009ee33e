package dev.nss.maven;

import dev.nss.container.RegistryCredentials;
import dev.nss.core.InvalidSettingException;
import dev.nss.core.PropertyNames;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.building.SettingsProblem;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;

/** The settings.xml login of {@code nss.registryServerId}, shared by the push and build goals. */
final class ServerLogins {

  private ServerLogins() {}

  /**
   * The user settings file of this Maven run ({@code -s FILE}, else ~/.m2/settings.xml), for
   * messages.
   */
  static String settingsFileInUse(MavenSession session) {
    java.io.File file = session == null ? null : session.getRequest().getUserSettingsFile();
    return file == null ? "~/.m2/settings.xml" : file.getPath();
  }

  /** The server {@code serverId}, decrypted; null when no login is asked for (no id). */
  static RegistryCredentials credentials(
      String serverId, Settings settings, SettingsDecrypter decrypter, MavenSession session)
      throws InvalidSettingException {
    if (serverId == null || serverId.isBlank()) {
      return null;
    }
    String property = PropertyNames.REGISTRY_SERVER_ID;
    Server server = settings == null ? null : settings.getServer(serverId);
    String settingsFile = settingsFileInUse(session);
    if (server == null) {
      throw new InvalidSettingException(
          property,
          "settings.xml has no <server> with id '"
              + serverId
              + "' (settings in use: "
              + settingsFile
              + ")",
          "Add <server><id>"
              + serverId
              + "</id><username>...</username><password>...</password></server> to "
              + settingsFile
              + ", or unset "
              + property
              + ".");
    }
    SettingsDecryptionResult result =
        decrypter.decrypt(new DefaultSettingsDecryptionRequest(server));
    for (SettingsProblem problem : result.getProblems()) {
      if (problem.getSeverity() != SettingsProblem.Severity.WARNING) {
        throw new InvalidSettingException(
            property,
            "the password of server '"
                + serverId
                + "' cannot be decrypted ("
                + problem.getMessage()
                + ")",
            "Check ~/.m2/settings-security.xml or re-encrypt it with mvn --encrypt-password.");
      }
    }
    Server decrypted = result.getServer();
    if (decrypted.getUsername() == null || decrypted.getPassword() == null) {
      throw new InvalidSettingException(
          property,
          "server '" + serverId + "' in " + settingsFile + " lacks a username or password",
          "Add both.");
    }
    return new RegistryCredentials(
        serverId, decrypted.getUsername(), decrypted.getPassword(), settingsFile);
  }
}
