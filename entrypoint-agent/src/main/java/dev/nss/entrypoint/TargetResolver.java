package dev.nss.entrypoint;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Finds the program to exec the way execvp(3) does, so that 127 and 126 mean what a shell means.
 */
final class TargetResolver {
  static final String DEFAULT_TARGET = "safe-synthesizer";

  /** glibc's execvp search path when PATH is unset. */
  static final String DEFAULT_PATH = "/bin:/usr/bin";

  static final int NOT_FOUND = 127;
  static final int NOT_EXECUTABLE = 126;

  /** The outcome: either {@code path} is set, or {@code status} and {@code message} are. */
  static final class Resolution {
    final Path path;
    final int status;
    final String message;

    private Resolution(Path path, int status, String message) {
      this.path = path;
      this.status = status;
      this.message = message;
    }
  }

  private TargetResolver() {}

  static Resolution resolve(String target, String pathEnv) {
    if (target.isEmpty()) {
      return new Resolution(
          null,
          NOT_FOUND,
          "NSS_ENTRYPOINT_TARGET is empty. "
              + "Fix: unset it (default "
              + DEFAULT_TARGET
              + ") or set -e NSS_ENTRYPOINT_TARGET=/absolute/program");
    }
    if (target.indexOf('/') >= 0) {
      Path path;
      try {
        path = Path.of(target);
      } catch (InvalidPathException e) {
        return new Resolution(
            null,
            NOT_FOUND,
            "target "
                + target
                + " is not a valid path. "
                + "Fix: set -e NSS_ENTRYPOINT_TARGET=/absolute/program");
      }
      if (!Files.exists(path)) {
        return new Resolution(
            null,
            NOT_FOUND,
            "target "
                + target
                + " does not exist. "
                + "Fix: set -e NSS_ENTRYPOINT_TARGET to an existing program or install it in the image");
      }
      if (!isExecutableFile(path)) {
        return notExecutable(path);
      }
      return new Resolution(path, 0, null);
    }
    Path denied = null;
    for (String dir : split(pathEnv == null ? DEFAULT_PATH : pathEnv)) {
      Path candidate = candidate(dir, target);
      if (candidate == null || !Files.exists(candidate)) {
        continue;
      }
      if (isExecutableFile(candidate)) {
        return new Resolution(candidate, 0, null);
      }
      if (denied == null) {
        denied = candidate;
      }
    }
    if (denied != null) {
      return notExecutable(denied);
    }
    return new Resolution(
        null,
        NOT_FOUND,
        target
            + " was not found on PATH ("
            + (pathEnv == null ? DEFAULT_PATH : pathEnv)
            + "). Fix: install it in the image, add its directory to PATH, "
            + "or set -e NSS_ENTRYPOINT_TARGET=/absolute/program");
  }

  /** An executable regular file named {@code name} in a PATH directory, or null. */
  static Path findOnPath(String name, String pathEnv) {
    for (String dir : split(pathEnv == null ? DEFAULT_PATH : pathEnv)) {
      Path candidate = candidate(dir, name);
      if (candidate != null && isExecutableFile(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  private static Resolution notExecutable(Path path) {
    return new Resolution(
        null,
        NOT_EXECUTABLE,
        "target "
            + path
            + " is not an executable file. "
            + "Fix: chmod +x "
            + path
            + " in the image, or point NSS_ENTRYPOINT_TARGET at the right program");
  }

  private static boolean isExecutableFile(Path path) {
    return Files.isRegularFile(path) && Files.isExecutable(path);
  }

  private static Path candidate(String dir, String name) {
    try {
      // An empty PATH entry means the current directory, as for execvp.
      return dir.isEmpty() ? Path.of(name) : Path.of(dir, name);
    } catch (InvalidPathException e) {
      return null;
    }
  }

  /** String.split would drop trailing empty entries and compile a pattern. */
  static String[] split(String path) {
    int count = 1;
    for (int i = 0; i < path.length(); i++) {
      if (path.charAt(i) == ':') {
        count++;
      }
    }
    String[] parts = new String[count];
    int start = 0;
    int part = 0;
    for (int i = 0; i <= path.length(); i++) {
      if (i == path.length() || path.charAt(i) == ':') {
        parts[part++] = path.substring(start, i);
        start = i + 1;
      }
    }
    return parts;
  }
}
