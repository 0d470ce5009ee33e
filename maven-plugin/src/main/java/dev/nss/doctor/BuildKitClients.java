package dev.nss.doctor;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Another docker client on this host that can build with BuildKit, for a fix that names one that
 * works rather than a bare {@code docker} (which may resolve to the client without buildx): one
 * with the buildx plugin, or a 20.x-22.x client, whose BuildKit is built in.
 */
final class BuildKitClients {

  private static final int LAST_VERSION_WITH_BUILT_IN_BUILDKIT = 22;

  private BuildKitClients() {}

  /** {@code -Dnss.containerCli=PATH (why)} for the first other client found, else empty. */
  static Optional<String> another(CheckContext context) throws InterruptedException {
    Path current = realPath(context.cliPath().orElse(null));
    for (Path candidate : candidates(context)) {
      if (candidate.equals(current)) {
        continue;
      }
      String cli = candidate.toString();
      CommandResult buildx = context.run(cli, "buildx", "version");
      if (buildx.succeeded()) {
        return Optional.of(
            "-Dnss.containerCli="
                + cli
                + " (it has buildx: "
                + CommandResult.firstLine(buildx.stdout())
                + ")");
      }
      CommandResult version = context.run(cli, "version", "--format", "{{.Client.Version}}");
      String v = CommandResult.firstLine(version.stdout());
      if (version.succeeded() && major(v) > 0 && major(v) <= LAST_VERSION_WITH_BUILT_IN_BUILDKIT) {
        return Optional.of("-Dnss.containerCli=" + cli + " (docker " + v + ", BuildKit built in)");
      }
    }
    return Optional.empty();
  }

  /** Every {@code docker} on PATH and in the usual places, by real path, in PATH order. */
  private static Set<Path> candidates(CheckContext context) {
    Set<Path> found = new LinkedHashSet<>();
    String path = context.environment().env("PATH");
    if (path != null) {
      for (String dir : path.split(File.pathSeparator)) {
        if (!dir.isEmpty()) {
          add(found, Path.of(dir, "docker"));
        }
      }
    }
    add(found, context.environment().hostPath("/usr/bin/docker"));
    add(found, context.environment().hostPath("/usr/local/bin/docker"));
    return found;
  }

  private static void add(Set<Path> found, Path file) {
    Path real = realPath(file);
    if (real != null && Files.isExecutable(real)) {
      found.add(real);
    }
  }

  private static Path realPath(Path file) {
    try {
      return file == null || !Files.exists(file) ? null : file.toRealPath();
    } catch (IOException e) {
      return null;
    }
  }

  private static int major(String version) {
    try {
      return Integer.parseInt(version.strip().split("\\.", 2)[0]);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
