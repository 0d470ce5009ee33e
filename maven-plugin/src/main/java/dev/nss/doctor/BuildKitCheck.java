package dev.nss.doctor;

import dev.nss.core.CommandResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code buildkit}: the CLI can build the nss Dockerfiles, which need {@code RUN
 * --mount=type=cache}, without hanging.
 *
 * <p>It builds a probe whose two {@code RUN} steps share a {@code sharing=locked} cache mount next
 * to a second cache mount: the pattern on which buildah 1.28 (podman 4.3) hangs forever. The steps
 * run a static program of a few bytes ({@link ExitZeroProgram}) in a {@code FROM scratch} stage, so
 * nothing is pulled; the result is exported to a temporary directory, and podman builds into a
 * throw-away store, so nothing is left behind even when the probe is stopped at the check's time
 * limit. A builder without cache mounts (the legacy builder) or a client whose BuildKit path is
 * broken (a docker client without buildx) fails it. When the probe hangs, the Dockerfiles of the
 * project (or the bundled ones) decide between ✗ (they reuse a locked cache id: a build would hang)
 * and ⚠.
 */
final class BuildKitCheck implements Check {

  static final String PROBE_PROGRAM = "nss-exit0";

  /** The probe gets at least this long, even when the engine's info took most of the limit. */
  private static final Duration MIN_PROBE_TIMEOUT = Duration.ofSeconds(2);

  private static final String PROBE_RUN =
      "RUN --mount=type=cache,id=nss-doctor-probe-locked,target=/locked,sharing=locked"
          + " --mount=type=cache,id=nss-doctor-probe-shared,target=/shared,sharing=shared"
          + " [\"/"
          + PROBE_PROGRAM
          + "\"]\n";
  static final String PROBE_DOCKERFILE =
      "FROM scratch AS nss-cache-mount-probe\n"
          + "COPY "
          + PROBE_PROGRAM
          + " /"
          + PROBE_PROGRAM
          + "\n"
          + PROBE_RUN
          + PROBE_RUN
          + "FROM scratch\n"
          + "COPY --from=nss-cache-mount-probe /"
          + PROBE_PROGRAM
          + " /"
          + PROBE_PROGRAM
          + "\n"
          + "LABEL dev.nss.doctor=probe\n";

  @Override
  public String id() {
    return "buildkit";
  }

  @Override
  public String description() {
    return "BuildKit/buildah usable with this CLI: a FROM scratch probe build whose two RUN steps share a locked"
        + " cache mount, within the check's time limit";
  }

  @Override
  public Finding run(CheckContext context) throws Exception {
    long start = System.nanoTime();
    CheckContext.EngineProbe engine = context.engine();
    if (engine.info().isEmpty()) {
      return engine.notChecked(Status.ERROR);
    }
    String architecture = engine.info().get().architecture();
    Optional<byte[]> program = ExitZeroProgram.forArchitecture(architecture);
    if (program.isEmpty()) {
      return Finding.warning(
          "not probed: no probe program for the engine's architecture '" + architecture + "'",
          "build the image once (mvn nss:build-gpu) to see whether this builder handles cache mounts");
    }
    Path dir = Files.createTempDirectory(context.environment().tmpDir(), "nss-doctor-buildkit");
    try {
      Path probeContext = Files.createDirectory(dir.resolve("context"));
      Files.writeString(
          probeContext.resolve("Dockerfile"), PROBE_DOCKERFILE, StandardCharsets.UTF_8);
      Path exe = Files.write(probeContext.resolve(PROBE_PROGRAM), program.get());
      Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwxr-xr-x"));
      // What is left of the check's time limit (the engine's info may have taken some): the probe's
      // own timeout must
      // fire before the doctor's backstop, so that a hang is reported as one.
      Duration left = context.settings().timeout().minusNanos(System.nanoTime() - start);
      Duration probeTimeout = Collections.max(List.of(left, MIN_PROBE_TIMEOUT));
      CommandResult result =
          context.cli(probeTimeout, env(context), "", probeArgs(context, dir, probeContext));
      if (result.succeeded()) {
        return Finding.ok(
            "cache mounts build with "
                + context.cliPath().orElseThrow().getFileName()
                + (context.isPodman() ? "" : " (DOCKER_BUILDKIT=1)")
                + "; RUN steps sharing a locked cache do not hang");
      }
      if (result.timedOut()) {
        return hang(context, probeTimeout);
      }
      return Finding.error("probe build failed: " + result.describeFailure(), fix(context, result));
    } finally {
      deleteTree(dir);
    }
  }

  private static Map<String, String> env(CheckContext context) {
    return context.isPodman() ? Map.of() : Map.of("DOCKER_BUILDKIT", "1");
  }

  /**
   * Podman builds into a store of its own under {@code dir}: a probe stopped mid-build leaves
   * nothing elsewhere.
   */
  static String[] probeArgs(CheckContext context, Path dir, Path probeContext) {
    List<String> args = new ArrayList<>();
    if (context.isPodman()) {
      args.addAll(
          List.of(
              "--root",
              dir.resolve("store").toString(),
              "--runroot",
              dir.resolve("run").toString(),
              "--storage-driver",
              "vfs"));
    }
    args.addAll(
        List.of(
            "build",
            "--no-cache",
            "--output",
            "type=local,dest=" + dir.resolve("out"),
            "-f",
            probeContext.resolve("Dockerfile").toString(),
            probeContext.toString()));
    return args.toArray(String[]::new);
  }

  /**
   * The probe did not finish: an error if the Dockerfiles the goals build reuse a locked cache id,
   * else a warning.
   */
  private static Finding hang(CheckContext context, Duration waited) {
    String builder =
        context.cliPath().orElseThrow().getFileName() + (context.isPodman() ? " (buildah)" : "");
    String value =
        "two RUN steps sharing a sharing=locked cache mount did not finish within "
            + Math.round(waited.toMillis() / 1000.0)
            + " s: "
            + builder
            + " hangs on them";
    List<String> hazards = new ArrayList<>();
    for (Path dockerfile : context.settings().dockerfiles()) {
      try {
        List<String> ids = LockedCacheMounts.reusedLockedIds(Files.readString(dockerfile));
        if (!ids.isEmpty()) {
          hazards.add(dockerfile + " (" + String.join(", ", ids) + ")");
        }
      } catch (IOException e) {
        hazards.add(dockerfile + " (unreadable: " + e.getMessage() + ")");
      }
    }
    String rule =
        "give each sharing=locked cache id one RUN step per build (its own id per stage) or use"
            + " sharing=shared where the tool locks its cache itself (uv does), as the bundled Dockerfiles do";
    if (!hazards.isEmpty()) {
      return Finding.error(
          value
              + "; a build would hang on the locked cache ids reused in "
              + String.join(", ", hazards),
          rule + " (mvn nss:init -Dnss.force=true writes them), or update Podman");
    }
    String files =
        context.settings().dockerfiles().isEmpty()
            ? "the bundled Dockerfiles"
            : String.join(
                ", ", context.settings().dockerfiles().stream().map(Path::toString).toList());
    return Finding.warning(
        value + "; " + files + " avoid that pattern", "when you edit the Dockerfiles, " + rule);
  }

  private static String fix(CheckContext context, CommandResult result)
      throws InterruptedException {
    String output = result.stderr() + result.stdout();
    if (output.contains("buildx component is missing")) {
      return "this docker client needs the buildx plugin for BuildKit: install docker-buildx-plugin"
          + BuildKitClients.another(context).map(other -> ", or use " + other).orElse("");
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
