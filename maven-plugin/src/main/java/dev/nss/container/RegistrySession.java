package dev.nss.container;

import dev.nss.core.CommandFailedException;
import dev.nss.core.FileTrees;
import dev.nss.core.ShutdownHooks;
import dev.nss.engine.Engine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

/**
 * A private directory for one goal's pushes: the digest files the CLI writes and, when the goal
 * logs in, the login itself, so that the credentials never reach the user's own docker config or
 * podman auth file and do not outlive the goal. Docker's commands get {@code DOCKER_CONFIG=<dir>},
 * podman's {@code REGISTRY_AUTH_FILE=<dir>/auth.json}. The directory is created mode 700 and
 * deleted when the goal ends, also when Maven is stopped with Ctrl-C; if Maven is killed, the next
 * goal deletes it ({@link LoginLeftovers}).
 */
final class RegistrySession implements AutoCloseable {

  private final Path dir;
  private final ShutdownHooks hooks;
  private final Thread deleteOnShutdown;
  private int files;

  private RegistrySession(Path dir, ShutdownHooks hooks) {
    this.dir = dir;
    this.hooks = hooks;
    this.deleteOnShutdown = new Thread(this::delete, "nss-registry-session");
    hooks.add(deleteOnShutdown);
  }

  /**
   * Creates the directory (not in dry-run mode: then only its name is used), deleted by a hook in
   * {@code hooks} if Maven is stopped before {@link #close}.
   */
  static RegistrySession create(boolean dryRun, ShutdownHooks hooks) throws CommandFailedException {
    if (dryRun) {
      return new RegistrySession(
          Path.of(System.getProperty("java.io.tmpdir"), "nss-registry-XXXXXX"), hooks);
    }
    Path dir = null;
    try {
      dir =
          Files.createTempDirectory(
              LoginLeftovers.PREFIX,
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      LoginLeftovers.claim(dir); // a later goal deletes the directory if this Maven is killed
      return new RegistrySession(dir, hooks);
    } catch (IOException | UnsupportedOperationException e) {
      deleteQuietly(dir);
      throw new CommandFailedException(
          "Could not create a private directory for the registry login under "
              + System.getProperty("java.io.tmpdir")
              + " ("
              + e.getMessage()
              + "). Check that it is writable, or point "
              + "java.io.tmpdir elsewhere (MAVEN_OPTS=-Djava.io.tmpdir=DIR).",
          -1);
    }
  }

  /**
   * The environment that makes {@code cli}'s login and push commands use this directory for
   * credentials.
   *
   * @param userDockerConfig the user's docker config directory: its {@code cli-plugins} and {@code
   *     buildx} state are linked in, so that a buildx installed for the user and its builders stay
   *     usable
   */
  Map<String, String> loginEnvironment(String cli, Path userDockerConfig)
      throws CommandFailedException {
    if (Engine.isPodman(cli)) {
      return Map.of("REGISTRY_AUTH_FILE", dir.resolve("auth.json").toString());
    }
    if (Files.isDirectory(dir)) {
      try {
        // An entry in "auths" keeps docker from choosing a system credential helper (secretservice,
        // pass) for the
        // login: the credentials then stay in this directory's config.json, which is deleted with
        // it.
        Files.writeString(
            dir.resolve("config.json"),
            "{\"auths\": {\"nss.invalid\": {}}}\n",
            StandardCharsets.UTF_8);
        for (String shared : List.of("cli-plugins", "buildx")) {
          Path own = userDockerConfig == null ? null : userDockerConfig.resolve(shared);
          if (own != null && Files.isDirectory(own)) {
            Files.createSymbolicLink(dir.resolve(shared), own);
          }
        }
      } catch (IOException e) {
        throw new CommandFailedException(
            "Could not prepare the private docker config "
                + dir
                + " ("
                + e.getMessage()
                + "). Check that "
                + dir.getParent()
                + " is writable.",
            -1);
      }
    }
    return Map.of("DOCKER_CONFIG", dir.toString());
  }

  /** A fresh path in the directory for a file that a command writes (a digest, build metadata). */
  Path newFile(String name) {
    files++;
    return dir.resolve(files + "-" + name);
  }

  /** Reads a file a command wrote, stripped; "" when it wrote none. */
  String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      return "";
    }
  }

  Path dir() {
    return dir;
  }

  @Override
  public void close() {
    delete();
    hooks.remove(deleteOnShutdown);
  }

  private static void deleteQuietly(Path dir) {
    try {
      if (dir != null) {
        FileTrees.delete(dir);
      }
    } catch (IOException e) {
      // the goal's failure names the temp directory
    }
  }

  private synchronized void delete() {
    try {
      FileTrees.delete(
          dir); // a link to the user's cli-plugins or buildx: the link goes, not its target
    } catch (IOException e) {
      System.err.println(
          "[nss] could not delete " + dir + ": " + e.getMessage() + ". Delete it yourself.");
    }
  }
}
