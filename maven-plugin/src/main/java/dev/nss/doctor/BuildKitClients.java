package dev.nss.doctor;

import dev.nss.core.CommandResult;
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
 * with the buildx plugin, or an 18.09-22.x client, whose BuildKit is built in.
 */
final class BuildKitClients {

  /** 18.09: the first client with BuildKit ({@code DOCKER_BUILDKIT=1}). */
  private static final VersionNumber FIRST_WITH_BUILDKIT = new VersionNumber(18, 9);

  /** 23.0: the first client without BuildKit built in; from it on it needs the buildx plugin. */
  private static final VersionNumber FIRST_WITHOUT_BUILT_IN_BUILDKIT = new VersionNumber(23, 0);

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
      if (version.succeeded() && hasBuiltInBuildKit(v)) {
        return Optional.of("-Dnss.containerCli=" + cli + " (docker " + v + ", BuildKit built in)");
      }
    }
    return Optional.empty();
  }

  /** Every {@code docker} on PATH and in the usual places, by real path, in PATH order. */
  private static Set<Path> candidates(CheckContext context) {
    Set<Path> found = new LinkedHashSet<>();
    for (String dir : context.environment().env("PATH").split(File.pathSeparator)) {
      if (!dir.isEmpty()) {
        add(found, Path.of(dir, "docker"));
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

  /**
   * Whether a client of this version builds with BuildKit without the buildx plugin: 18.09 to 22.x.
   * Older clients (e.g. the 1.13 of some distributions) have no BuildKit at all.
   */
  private static boolean hasBuiltInBuildKit(String version) {
    return VersionNumber.parse(version)
        .filter(v -> v.within(FIRST_WITH_BUILDKIT, FIRST_WITHOUT_BUILT_IN_BUILDKIT))
        .isPresent();
  }
}
