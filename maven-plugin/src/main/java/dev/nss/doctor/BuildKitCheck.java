package dev.nss.doctor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code buildkit}: the CLI can build {@code Dockerfile.cuda}, which needs BuildKit's {@code RUN --mount=type=cache}.
 *
 * <p>It builds a probe Dockerfile from stdin: a {@code FROM scratch} stage with a cache-mount {@code RUN} that is
 * never executed (it needs no base image) and a final {@code FROM scratch} stage that is exported to a temporary
 * directory, so no image is left behind. BuildKit parses every stage, so a builder without cache mounts (the legacy
 * builder) or a client whose BuildKit path is broken (a docker client without buildx) fails it.
 */
final class BuildKitCheck implements Check {

  static final String PROBE_DOCKERFILE =
      "FROM scratch AS nss-cache-mount-probe\n"
          + "RUN --mount=type=cache,target=/nss-cache,sharing=locked true\n"
          + "FROM scratch\n"
          + "LABEL dev.nss.doctor=probe\n";

  @Override
  public String id() {
    return "buildkit";
  }

  @Override
  public String description() {
    return "BuildKit usable with this CLI: a FROM scratch probe build with a RUN --mount=type=cache stage";
  }

  @Override
  public Finding run(CheckContext context) throws Exception {
    CheckContext.EngineProbe engine = context.engine();
    if (engine.info().isEmpty()) {
      return engine.notChecked(Status.ERROR);
    }
    Path out = Files.createTempDirectory(context.environment().tmpDir(), "nss-doctor-buildkit");
    try {
      Map<String, String> env = context.isPodman() ? Map.of() : Map.of("DOCKER_BUILDKIT", "1");
      CommandResult result =
          context.cli(
              env,
              PROBE_DOCKERFILE,
              "build",
              "--output",
              "type=local,dest=" + out,
              "-");
      if (result.succeeded()) {
        return Finding.ok("cache mounts build with " + context.cliPath().orElseThrow().getFileName()
            + (context.isPodman() ? "" : " (DOCKER_BUILDKIT=1)"));
      }
      return Finding.error("probe build failed: " + result.describeFailure(), fix(context, result));
    } finally {
      deleteTree(out);
    }
  }

  private static String fix(CheckContext context, CommandResult result) {
    String output = result.stderr() + result.stdout();
    if (output.contains("buildx component is missing")) {
      return "this docker client needs the buildx plugin for BuildKit: install docker-buildx-plugin,"
          + " or use a client with built-in BuildKit: -Dnss.containerCli=/usr/bin/docker";
    }
    if (output.contains("requires BuildKit") || output.contains("Unknown flag: mount")) {
      return "this builder lacks BuildKit: use Docker 18.09+ with BuildKit (DOCKER_BUILDKIT=1) or Podman 4+";
    }
    if (context.isPodman()) {
      return "update Podman (4.x or later builds RUN --mount=type=cache)";
    }
    return "update Docker (20.10+) or install the buildx plugin (docker-buildx-plugin)";
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
