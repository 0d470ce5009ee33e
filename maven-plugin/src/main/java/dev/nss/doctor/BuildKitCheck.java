package dev.nss.doctor;

import dev.nss.core.CommandResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code buildkit}: the CLI can build the nss Dockerfiles, which need {@code RUN
 * --mount=type=cache}, without hanging.
 *
 * <p>It builds a probe ({@link BuildKitProbe}) whose two {@code RUN} steps share a {@code
 * sharing=locked} cache mount next to a second cache mount: the pattern on which buildah 1.25 to
 * 1.28 (podman 4.x before 4.4) hangs forever. A builder without cache mounts (the legacy builder)
 * or a client whose BuildKit path is broken (a docker client without buildx) fails it.
 *
 * <p>A buildah whose version is known to hang ({@link LockedCacheMounts#hangs}) is not made to: the
 * hang is reported from the version, and the probe builds the bundled Dockerfiles' pattern instead
 * (a locked id in one {@code RUN} step, a shared id in two). What the probe found (built, or hung)
 * is kept in the user's cache ({@link ProbeCache}) under the engine's identity ({@link
 * EngineIdentity}), so it runs once per engine and version. When the builder hangs, the Dockerfiles
 * of the project (or the bundled ones) decide between ✗ (they reuse a locked cache id: a build
 * would hang) and ⚠.
 */
final class BuildKitCheck implements Check {

  /** The probe gets at least this long, even when the engine's info took most of the limit. */
  private static final Duration MIN_PROBE_TIMEOUT = Duration.ofSeconds(2);

  private static final String RULE =
      "give each sharing=locked cache id one RUN step per build (its own id per stage) or use"
          + " sharing=shared where the tool locks its cache itself (uv does), as the bundled Dockerfiles do";

  @Override
  public String id() {
    return "buildkit";
  }

  @Override
  public String description() {
    return "BuildKit/buildah usable with this CLI: a FROM scratch probe build whose two RUN steps share a locked"
        + " cache mount, within the check's time limit (a buildah version known to hang on it: from the version);"
        + " the outcome is cached per engine and version";
  }

  @Override
  public Finding run(CheckContext context) throws Exception {
    long start = System.nanoTime();
    CheckContext.EngineProbe engine = context.engine();
    if (engine.info().isEmpty()) {
      return engine.notChecked(Status.ERROR);
    }
    EngineInfo info = engine.info().get();
    boolean knownHang = context.isPodman() && LockedCacheMounts.hangs(info.builderVersion());
    Optional<byte[]> program = ExitZeroProgram.forArchitecture(info.architecture());
    if (program.isEmpty()) {
      if (knownHang) {
        return knownHang(context, info, "");
      }
      return Finding.warning(
          "not probed: no probe program for the engine's architecture '"
              + info.architecture()
              + "'",
          "build the image once (mvn nss:build-gpu) to see whether this builder handles cache mounts");
    }
    String dockerfile = knownHang ? BuildKitProbe.KNOWN_HANG_DOCKERFILE : BuildKitProbe.DOCKERFILE;
    Probed probed = probeOnce(context, info, dockerfile, program.get(), start);
    if (probed.failure() != null) {
      return Finding.error(
          "probe build failed: " + probed.failure().describeFailure(),
          fix(context, probed.failure()));
    }
    if (probed.outcome() == ProbeCache.Outcome.HUNG) {
      return knownHang
          ? Finding.error(
              "a probe build with cache mounts (no locked id reused) did not finish within "
                  + probed.waitedSeconds()
                  + " s"
                  + probed.note(),
              "find out what hangs: build a Dockerfile with RUN --mount=type=cache by hand with "
                  + context.cli()
                  + ", or update Podman (buildah "
                  + LockedCacheMounts.FIXED_IN_BUILDAH
                  + " or later)")
          : hung(context, probed.waitedSeconds(), probed.note());
    }
    if (knownHang) {
      return knownHang(context, info, "; cache mounts otherwise build" + probed.note());
    }
    return Finding.ok(
        "cache mounts build with "
            + context.cliPath().orElseThrow().getFileName()
            + (context.isPodman() ? "" : " (DOCKER_BUILDKIT=1)")
            + "; RUN steps sharing a locked cache do not hang"
            + probed.note());
  }

  /**
   * What the probe found: the outcome kept for this engine, or the probe's, which is then kept.
   *
   * @param outcome built or hung; null when the probe failed
   * @param waitedSeconds how long the probe ran (hung: the limit it ran into)
   * @param note {@code " (probed DATE, cached in FILE)"} for a kept outcome, else ""
   * @param failure the failed probe's result (not kept), else null
   */
  private record Probed(
      ProbeCache.Outcome outcome, long waitedSeconds, String note, CommandResult failure) {}

  private static Probed probeOnce(
      CheckContext context, EngineInfo info, String dockerfile, byte[] program, long checkStart)
      throws IOException, InterruptedException {
    Map<String, String> key = new LinkedHashMap<>(EngineIdentity.of(context, info));
    key.put("probe", "sha256:" + BuildKitProbe.digest(dockerfile, program));
    ProbeCache cache = ProbeCache.of(context.environment());
    Optional<ProbeCache.Entry> kept = cache.lookup(key);
    if (kept.isPresent()) {
      ProbeCache.Entry e = kept.get();
      return new Probed(e.outcome(), e.waitedSeconds(), cachedNote(cache, e), null);
    }
    // What is left of the check's time limit (the engine's info may have taken some): the probe's
    // own timeout must fire before the doctor's backstop, so that a hang is reported as one.
    Duration left = context.settings().timeout().minusNanos(System.nanoTime() - checkStart);
    Duration probeTimeout = Collections.max(List.of(left, MIN_PROBE_TIMEOUT));
    long probeStart = System.nanoTime();
    CommandResult result = BuildKitProbe.build(context, dockerfile, program, probeTimeout);
    ProbeCache.Outcome outcome;
    long waitedSeconds;
    if (result.timedOut()) {
      outcome = ProbeCache.Outcome.HUNG;
      waitedSeconds = Math.round(probeTimeout.toMillis() / 1000.0);
    } else if (result.succeeded()) {
      outcome = ProbeCache.Outcome.BUILT;
      waitedSeconds = Math.round((System.nanoTime() - probeStart) / 1e9);
    } else {
      return new Probed(null, 0, "", result);
    }
    cache.store(key, outcome, waitedSeconds);
    return new Probed(outcome, waitedSeconds, "", null);
  }

  /** {@code " (probed 2026-12-05, cached in FILE)"}. */
  private static String cachedNote(ProbeCache cache, ProbeCache.Entry entry) {
    return " (probed "
        + LocalDate.ofInstant(entry.probedAt(), ZoneOffset.UTC)
        + ", cached in "
        + cache.file()
        + ")";
  }

  /** The probe did not finish: the builder hangs on the locked pattern. */
  private static Finding hung(CheckContext context, long waitedSeconds, String note) {
    String builder =
        context.cliPath().orElseThrow().getFileName() + (context.isPodman() ? " (buildah)" : "");
    return lockedCacheHang(
        context,
        "two RUN steps sharing a sharing=locked cache mount did not finish within "
            + waitedSeconds
            + " s: "
            + builder
            + " hangs on them"
            + note,
        "update Podman",
        "");
  }

  /** A buildah known to hang on the locked pattern, from its version; the probe not run. */
  private static Finding knownHang(CheckContext context, EngineInfo info, String probed) {
    String fixed = "buildah " + LockedCacheMounts.FIXED_IN_BUILDAH + " or later";
    return lockedCacheHang(
        context,
        "buildah "
            + info.builderVersion()
            + " ("
            + info.product()
            + " "
            + info.version()
            + ") hangs on two RUN steps sharing a sharing=locked cache mount (buildah from "
            + LockedCacheMounts.FIRST_HANGING_BUILDAH
            + " until "
            + LockedCacheMounts.FIXED_IN_BUILDAH
            + " does; known from the version, not probed)"
            + probed,
        "update Podman (" + fixed + ")",
        "; a Podman with " + fixed + " does not hang");
  }

  /**
   * An error if the Dockerfiles the goals build reuse a locked cache id, else a warning.
   *
   * @param update how to fix the builder, for the error's fix
   * @param warningFix what the warning's fix adds to the rule
   */
  private static Finding lockedCacheHang(
      CheckContext context, String value, String update, String warningFix) {
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
    if (!hazards.isEmpty()) {
      return Finding.error(
          value
              + "; a build would hang on the locked cache ids reused in "
              + String.join(", ", hazards),
          RULE + " (mvn nss:init -Dnss.force=true writes them), or " + update);
    }
    String files =
        context.settings().dockerfiles().isEmpty()
            ? "the bundled Dockerfiles"
            : String.join(
                ", ", context.settings().dockerfiles().stream().map(Path::toString).toList());
    return Finding.warning(
        value + "; " + files + " avoid that pattern",
        "when you edit the Dockerfiles, " + RULE + warningFix);
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
}
