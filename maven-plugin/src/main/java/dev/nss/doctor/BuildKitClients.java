package dev.nss.doctor;

import dev.nss.core.CommandResult;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Another docker client on this host that can build with BuildKit, for a fix that names one that
 * works rather than a bare {@code docker} (which may resolve to the client without buildx): one
 * with the buildx plugin, or an 18.09-22.x client, whose BuildKit is built in.
 */
final class BuildKitClients {

  /** {@code major.minor} of a client version, e.g. {@code 20.10} of {@code 20.10.24+dfsg1}. */
  private static final Pattern MAJOR_MINOR = Pattern.compile("(\\d{1,4})\\.(\\d{1,4})");

  /** 18.09: the first client with BuildKit ({@code DOCKER_BUILDKIT=1}), as major * 100 + minor. */
  private static final int FIRST_WITH_BUILDKIT = 1809;

  /** 22.x: the last client with BuildKit built in; from 23.0 it needs the buildx plugin. */
  private static final int LAST_MAJOR_WITH_BUILT_IN_BUILDKIT = 22;

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
    Matcher m = MAJOR_MINOR.matcher(version);
    if (!m.lookingAt()) {
      return false;
    }
    int major = Integer.parseInt(m.group(1));
    int majorMinor = major * 100 + Integer.parseInt(m.group(2));
    return majorMinor >= FIRST_WITH_BUILDKIT && major <= LAST_MAJOR_WITH_BUILT_IN_BUILDKIT;
  }
}
