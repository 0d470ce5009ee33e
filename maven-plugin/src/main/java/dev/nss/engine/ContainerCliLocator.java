package dev.nss.engine;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;

/**
 * Chooses the container CLI the way the upstream Makefile does: podman when on PATH, else docker.
 */
public final class ContainerCliLocator {

  private ContainerCliLocator() {}

  /**
   * Returns the CLI to use.
   *
   * @param configured the user's choice ({@code nss.containerCli}); used as given when not blank
   * @param pathEnv the value of the PATH environment variable, may be null
   * @return {@code configured} when not blank, else {@code "podman"} if it is on PATH, else {@code
   *     "docker"}
   */
  public static String locate(String configured, String pathEnv) {
    if (configured != null && !configured.isBlank()) {
      return configured.strip();
    }
    return findOnPath("podman", pathEnv).isPresent() ? "podman" : "docker";
  }

  /**
   * Finds an executable regular file called {@code name} in the directories of {@code pathEnv}.
   *
   * @param name a bare program name, or a path (returned when it names an executable file)
   * @param pathEnv the value of the PATH environment variable, may be null
   * @return the first match in PATH order
   */
  public static Optional<Path> findOnPath(String name, String pathEnv) {
    if (name == null || name.isBlank()) {
      return Optional.empty();
    }
    if (name.contains(File.separator)) {
      Path direct = Paths.get(name);
      return isExecutableFile(direct) ? Optional.of(direct) : Optional.empty();
    }
    if (pathEnv == null || pathEnv.isEmpty()) {
      return Optional.empty();
    }
    for (String dir : pathEnv.split(File.pathSeparator, -1)) {
      // An empty PATH entry means the current directory, as in POSIX shells.
      Path candidate = Paths.get(dir.isEmpty() ? "." : dir).resolve(name);
      if (isExecutableFile(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private static boolean isExecutableFile(Path path) {
    return Files.isRegularFile(path) && Files.isExecutable(path);
  }
}
