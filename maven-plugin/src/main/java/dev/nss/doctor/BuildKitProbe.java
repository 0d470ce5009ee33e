package dev.nss.doctor;

import dev.nss.core.CommandResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The {@code buildkit} check's probe build: two {@code RUN} steps that share a {@code
 * sharing=locked} cache mount next to a second cache mount, running a static program of a few bytes
 * ({@link ExitZeroProgram}) in a {@code FROM scratch} stage, so nothing is pulled. The result is
 * exported to a temporary directory, and podman builds into a throw-away store, so nothing is left
 * behind even when the probe is stopped at the check's time limit.
 */
final class BuildKitProbe {

  static final String PROBE_PROGRAM = "nss-exit0";

  /** Two RUN steps that mount one locked cache id, each beside a second cache mount. */
  static final String DOCKERFILE = probeDockerfile(lockedAndSharedRun("") + lockedAndSharedRun(""));

  /**
   * For a builder known to hang on {@link #DOCKERFILE}: the locked id in one RUN step, the shared
   * id in two, as in the bundled Dockerfiles. Ids of its own: a hanging probe of the other kind
   * (another doctor, an older nss) holds the lock of its locked id until it is stopped, and
   * buildah's cache mounts, with their locks, are shared by every store of the user.
   */
  static final String KNOWN_HANG_DOCKERFILE =
      probeDockerfile(lockedAndSharedRun("-once") + sharedRun("-once"));

  /** The probe build, in a temporary directory that is removed afterwards. */
  static CommandResult build(
      CheckContext context, String dockerfile, byte[] program, Duration timeout)
      throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory(context.environment().tmpDir(), "nss-doctor-buildkit");
    try {
      Path probeContext = Files.createDirectory(dir.resolve("context"));
      Files.writeString(probeContext.resolve("Dockerfile"), dockerfile, StandardCharsets.UTF_8);
      Path exe = Files.write(probeContext.resolve(PROBE_PROGRAM), program);
      Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwxr-xr-x"));
      return context.cli(timeout, env(context), "", probeArgs(context, dir, probeContext));
    } finally {
      deleteTree(dir);
    }
  }

  private static String lockedAndSharedRun(String idSuffix) {
    return "RUN --mount=type=cache,id=nss-doctor-probe-locked"
        + idSuffix
        + ",target=/locked,sharing=locked --mount=type=cache,id=nss-doctor-probe-shared"
        + idSuffix
        + ",target=/shared,sharing=shared [\"/"
        + PROBE_PROGRAM
        + "\"]\n";
  }

  private static String sharedRun(String idSuffix) {
    return "RUN --mount=type=cache,id=nss-doctor-probe-shared"
        + idSuffix
        + ",target=/shared,sharing=shared [\"/"
        + PROBE_PROGRAM
        + "\"]\n";
  }

  private static String probeDockerfile(String runs) {
    return "FROM scratch AS nss-cache-mount-probe\n"
        + "COPY "
        + PROBE_PROGRAM
        + " /"
        + PROBE_PROGRAM
        + "\n"
        + runs
        + "FROM scratch\n"
        + "COPY --from=nss-cache-mount-probe /"
        + PROBE_PROGRAM
        + " /"
        + PROBE_PROGRAM
        + "\n"
        + "LABEL dev.nss.doctor=probe\n";
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

  /** Deletes what it can: a file it may not delete (e.g. of a rootless store) stays. */
  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** A short digest of the probe (Dockerfile and program), so that a changed probe runs again. */
  static String digest(String dockerfile, byte[] program) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(dockerfile.getBytes(StandardCharsets.UTF_8));
      digest.update(program);
      return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is in every JDK", e);
    }
  }

  private BuildKitProbe() {}
}
