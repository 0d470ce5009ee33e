package dev.nss.doctor;

import static dev.nss.doctor.FakeCommandRunner.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nss.core.CommandResult;
import dev.nss.core.CommandRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The buildkit check answers from facts: a buildah known to hang is reported from its version, and
 * a probe's outcome is kept per engine identity in the user's cache, so no run waits out a hang it
 * knows of.
 */
class BuildKitCheckTest {

  /** {@code podman info} of podman 4.3.1 / buildah 1.28.2 on this project's build machine. */
  private static final String PODMAN_431 = resource("podman/info-4.3.1.json");

  private static final String RULE =
      "give each sharing=locked cache id one RUN step per build (its own id per stage) or use"
          + " sharing=shared where the tool locks its cache itself (uv does), as the bundled Dockerfiles do";

  private static final String KNOWN_HANG =
      "buildah 1.28.2 (Podman 4.3.1) hangs on two RUN steps sharing a sharing=locked cache mount"
          + " (buildah from 1.25 until 1.29 does; known from the version, not probed)";

  @TempDir Path tmp;
  private TestHost host;

  /** The Dockerfiles of the probe builds run, in order. */
  private final List<String> built = new ArrayList<>();

  /** What the next probe builds answer. */
  private CommandResult answer = CommandResult.exited(0, "", "");

  @BeforeEach
  void setUp() {
    host = new TestHost(tmp);
  }

  @Test
  void aBuildahKnownToHangIsReportedFromItsVersionAndOnlyTheSafePatternIsBuilt() throws Exception {
    host.withInfo("podman", PODMAN_431);
    assertEquals(
        Finding.warning(
            KNOWN_HANG
                + "; cache mounts otherwise build; the bundled Dockerfiles avoid that pattern",
            "when you edit the Dockerfiles, "
                + RULE
                + "; a Podman with buildah 1.29 or later does not hang"),
        check());
    assertEquals(List.of(BuildKitProbe.KNOWN_HANG_DOCKERFILE), built);
    assertEquals(
        List.of(), LockedCacheMounts.reusedLockedIds(built.get(0)), "no locked id mounted twice");
    assertEquals(
        2,
        built.get(0).lines().filter(l -> l.contains("id=nss-doctor-probe-shared-once,")).count());
    assertFalse(
        built.get(0).contains("id=nss-doctor-probe-locked,"),
        "not the locked id a hanging probe may hold");
  }

  @Test
  void aBuildahKnownToHangWithAProjectDockerfileThatReusesALockedIdIsAnError() throws Exception {
    host.withInfo("podman", PODMAN_431);
    Path dockerfile = tmp.resolve("Dockerfile.cuda");
    Files.writeString(
        dockerfile,
        """
        FROM base
        RUN --mount=type=cache,id=apt,target=/var/cache/apt,sharing=locked apt-get update
        RUN --mount=type=cache,id=apt,target=/var/cache/apt,sharing=locked apt-get install -y git
        """);
    assertEquals(
        Finding.error(
            KNOWN_HANG
                + "; cache mounts otherwise build; a build would hang on the locked cache ids reused in "
                + dockerfile
                + " (apt)",
            RULE
                + " (mvn nss:init -Dnss.force=true writes them), or update Podman (buildah 1.29 or"
                + " later)"),
        check(host.settings().dockerfiles(List.of(dockerfile)).build()));
  }

  @Test
  void aBuildahKnownToHangWhoseSafeProbeFailsIsAnErrorSayingWhy() throws Exception {
    host.withInfo("podman", PODMAN_431);
    answer =
        CommandResult.exited(
            1, "", "Error: crun: setrlimit `RLIMIT_NOFILE`: Operation not permitted\n");
    assertEquals(
        Finding.error(
            "probe build failed: Error: crun: setrlimit `RLIMIT_NOFILE`: Operation not permitted"
                + " (exit status 1)",
            "update Podman (4.x or later builds RUN --mount=type=cache)"),
        check());
  }

  @Test
  void aBuildahKnownToHangWhoseSafeProbeHangsTooIsAnErrorAndKept() throws Exception {
    host.withInfo("podman", PODMAN_431);
    answer = CommandResult.timedOut(Duration.ofSeconds(30), "", "");
    Finding expected =
        Finding.error(
            "a probe build with cache mounts (no locked id reused) did not finish within 30 s",
            "find out what hangs: build a Dockerfile with RUN --mount=type=cache by hand with"
                + " podman, or update Podman (buildah 1.29 or later)");
    assertEquals(expected, check());
    assertEquals(
        new Finding(
            Status.ERROR,
            expected.value() + " (probed 2026-12-05, cached in " + host.probeCache() + ")",
            expected.fix()),
        check());
    assertEquals(1, built.size());
  }

  @Test
  void aBuildahKnownToHangOnAnArchitectureWithoutProbeProgramIsStillReported() throws Exception {
    host.withInfo("podman", PODMAN_431.replace("\"arch\": \"amd64\"", "\"arch\": \"s390x\""));
    assertEquals(
        Finding.warning(
            KNOWN_HANG + "; the bundled Dockerfiles avoid that pattern",
            "when you edit the Dockerfiles, "
                + RULE
                + "; a Podman with buildah 1.29 or later does not hang"),
        check());
    assertEquals(List.of(), built);
  }

  @Test
  void aBuildahOutsideTheKnownRangeIsProbedWithTheHangingPattern() throws Exception {
    for (String version : List.of("1.29.0", "1.24.3", "")) {
      built.clear();
      host.withInfo(
          "podman", PODMAN_431.replace("\"buildahVersion\": \"1.28.2\"", quoted(version)));
      assertEquals(
          Finding.ok(
              "cache mounts build with podman; RUN steps sharing a locked cache do not hang"),
          check(),
          version);
      assertEquals(List.of(BuildKitProbe.DOCKERFILE), built, version);
    }
  }

  @Test
  void theHangingBuildahVersionsAre125To128() {
    for (String hangs : List.of("1.25.0", "1.26.1", "1.28.2", "1.28.1-dev", "v1.27.0")) {
      assertTrue(LockedCacheMounts.hangs(hangs), hangs);
    }
    for (String fine : List.of("1.24.9", "1.29.0", "1.30.0-dev", "2.0.0", "", "unknown")) {
      assertFalse(LockedCacheMounts.hangs(fine), fine);
    }
  }

  @Test
  void aProbeRunsOncePerEngineAndTheNextRunsAnswerFromTheCache() throws Exception {
    host.dockerWithCapturedInfo();
    String ok =
        "cache mounts build with docker (DOCKER_BUILDKIT=1); RUN steps sharing a locked cache do"
            + " not hang";
    assertEquals(Finding.ok(ok), check());
    assertEquals(1, built.size());
    answer = CommandResult.exited(1, "", "a probe that ran again\n");
    assertEquals(
        Finding.ok(ok + " (probed 2026-12-05, cached in " + host.probeCache() + ")"), check());
    assertEquals(1, built.size(), "answered from the cache");
  }

  @Test
  void aHangIsKeptTooSoTheNextRunDoesNotWaitItOutAgain() throws Exception {
    host.withInfo("podman", PODMAN_431.replace("\"buildahVersion\": \"1.28.2\"", quoted("")));
    answer = CommandResult.timedOut(Duration.ofSeconds(30), "", "");
    String value =
        "two RUN steps sharing a sharing=locked cache mount did not finish within 30 s: podman"
            + " (buildah) hangs on them";
    String fix = "when you edit the Dockerfiles, " + RULE;
    assertEquals(
        Finding.warning(value + "; the bundled Dockerfiles avoid that pattern", fix), check());
    assertEquals(
        Finding.warning(
            value
                + " (probed 2026-12-05, cached in "
                + host.probeCache()
                + "); the bundled Dockerfiles avoid that pattern",
            fix),
        check());
    assertEquals(1, built.size());
  }

  @Test
  void aFailedProbeIsNotKept() throws Exception {
    host.dockerWithCapturedInfo();
    answer = CommandResult.exited(1, "", "failed to solve: rpc error\n");
    assertEquals(Status.ERROR, check().status());
    answer = CommandResult.exited(0, "", "");
    assertEquals(Status.OK, check().status());
    assertEquals(2, built.size());
  }

  @Test
  void anotherEngineVersionDaemonOrClientProbesAgain() throws Exception {
    String info = resource("docker/info-client-20.10.json");
    host.withInfo("docker", info);
    check();
    answerInfo(info.replace("20.10.24+dfsg1", "20.10.25"));
    check();
    answerInfo(info.replace("R6UR:BDFK:XJIM:WTPO", "ABCD:BDFK:XJIM:WTPO")); // another daemon
    check();
    answerInfo(info.replace("\"Driver\":\"overlay2\"", "\"Driver\":\"vfs\""));
    check();
    assertEquals(4, built.size());
    Path docker = host.bin.resolve("docker");
    Files.writeString(docker, "another client binary");
    check();
    assertEquals(5, built.size(), "a replaced CLI binary");
    check();
    assertEquals(5, built.size(), "nothing changed");
  }

  @Test
  void anEditedPodmanConfigurationProbesAgain() throws Exception {
    host.withInfo("podman", PODMAN_431);
    check();
    check();
    assertEquals(1, built.size());
    Path conf = host.hostFile("/etc/containers/containers.conf", "[containers]\n");
    check();
    assertEquals(2, built.size(), "a new /etc/containers/containers.conf");
    Files.writeString(conf, "[containers]\ndefault_ulimits = [\"nofile=20000:20000\"]\n");
    Files.setLastModifiedTime(conf, FileTime.from(TestHost.NOW.plusSeconds(60)));
    check();
    assertEquals(3, built.size(), "an edited one");
    Path user = Files.createDirectories(tmp.resolve("home/.config/containers"));
    Files.writeString(user.resolve("storage.conf"), "[storage]\n");
    check();
    assertEquals(4, built.size(), "the user's storage.conf");
  }

  @Test
  void aKeptOutcomeExpiresAfterSevenDays() throws Exception {
    host.dockerWithCapturedInfo();
    check();
    host.clock = Clock.fixed(TestHost.NOW.plus(Duration.ofDays(7)).minusSeconds(1), ZoneOffset.UTC);
    check();
    assertEquals(1, built.size());
    host.clock = Clock.fixed(TestHost.NOW.plus(Duration.ofDays(7)), ZoneOffset.UTC);
    check();
    assertEquals(2, built.size());
    host.clock = Clock.fixed(TestHost.NOW.minusSeconds(1), ZoneOffset.UTC);
    check();
    assertEquals(3, built.size(), "an entry dated after now (the clock went back) is not trusted");
  }

  @Test
  void aCorruptCacheIsIgnoredAndReplaced() throws Exception {
    host.dockerWithCapturedInfo();
    for (String corrupt :
        List.of(
            "{\"formatVersion\": 1, \"probes\": [",
            "{\"formatVersion\": 2, \"probes\": []}",
            "{\"formatVersion\": 1, \"probes\": [{\"key\": {\"cli\": 7}, \"outcome\": \"built\","
                + " \"probedAt\": \"2026-12-05T10:00:00Z\", \"waitedSeconds\": 1}]}",
            "{\"formatVersion\": 1, \"probes\": [{\"key\": {}, \"outcome\": \"maybe\","
                + " \"probedAt\": \"yesterday\", \"waitedSeconds\": 1}]}",
            "[]",
            "\u0000\u0001")) {
      built.clear();
      Files.createDirectories(host.probeCache().getParent());
      Files.writeString(host.probeCache(), corrupt);
      assertEquals(Status.OK, check().status(), corrupt);
      assertEquals(1, built.size(), corrupt);
      check();
      assertEquals(1, built.size(), "rewritten readable after " + corrupt);
    }
  }

  @Test
  void aCacheThatCannotBeWrittenOnlyMeansProbingAgain() throws Exception {
    host.dockerWithCapturedInfo();
    Files.createDirectories(tmp.resolve("home"));
    Files.writeString(tmp.resolve("home/.cache"), "a file where the cache dir would be");
    assertEquals(Status.OK, check().status());
    assertEquals(Status.OK, check().status());
    assertEquals(2, built.size());
  }

  @Test
  void theCacheKeepsOutcomesAndIdentitiesOnlyNoOutputOrEnvironment() throws Exception {
    host.env.put("HF_TOKEN", "hf_secretTokenValue");
    host.dockerWithCapturedInfo();
    answer = CommandResult.exited(0, "probe stdout marker\n", "probe stderr marker\n");
    check();
    String kept = Files.readString(host.probeCache());
    for (String absent : List.of("hf_secret", "marker")) {
      assertFalse(kept.contains(absent), kept);
    }
    Object entry = ((List<?>) dev.nss.core.Json.at(dev.nss.core.Json.parse(kept), "probes")).get(0);
    assertEquals(
        List.of(
            "architecture",
            "builder",
            "cli",
            "config",
            "engine",
            "engineId",
            "probe",
            "runtimes",
            "storage"),
        List.copyOf(((java.util.Map<?, ?>) dev.nss.core.Json.at(entry, "key")).keySet()));
    assertEquals("built", dev.nss.core.Json.string(entry, "outcome"));
    assertEquals("Docker Engine 20.10.24+dfsg1", dev.nss.core.Json.string(entry, "key", "engine"));
    assertEquals(
        host.root.resolve("etc/docker/daemon.json") + " absent",
        dev.nss.core.Json.string(entry, "key", "config"));
  }

  @Test
  void theCacheLivesUnderXdgCacheHomeWhenThatIsAnAbsolutePath() throws Exception {
    host.dockerWithCapturedInfo();
    host.env.put("XDG_CACHE_HOME", tmp.resolve("xdg").toString());
    check();
    assertTrue(Files.exists(tmp.resolve("xdg/nss/doctor-probes.json")));
    host.env.put("XDG_CACHE_HOME", "relative/cache");
    check();
    assertTrue(Files.exists(host.probeCache()), "a relative XDG_CACHE_HOME is ignored");
  }

  @Test
  void theCacheKeepsOneEntryPerKeyAndAtMostSixteen() throws Exception {
    ProbeCache cache = new ProbeCache(tmp.resolve("c/p.json"), host.clock);
    for (int i = 0; i < 20; i++) {
      cache.store(java.util.Map.of("engine", "v" + i), ProbeCache.Outcome.BUILT, i);
    }
    cache.store(java.util.Map.of("engine", "v19"), ProbeCache.Outcome.HUNG, 30);
    Object root = dev.nss.core.Json.parse(Files.readString(tmp.resolve("c/p.json")));
    List<?> probes = (List<?>) dev.nss.core.Json.at(root, "probes");
    assertEquals(ProbeCache.MAX_ENTRIES, probes.size());
    assertEquals("v19", dev.nss.core.Json.string(probes.get(0), "key", "engine"));
    assertEquals("hung", dev.nss.core.Json.string(probes.get(0), "outcome"));
    assertEquals(30L, dev.nss.core.Json.at(probes.get(0), "waitedSeconds"));
    assertEquals("v18", dev.nss.core.Json.string(probes.get(1), "key", "engine"));
    assertEquals(
        ProbeCache.Outcome.HUNG,
        cache.lookup(java.util.Map.of("engine", "v19")).orElseThrow().outcome());
    assertTrue(cache.lookup(java.util.Map.of("engine", "v0")).isEmpty(), "the oldest went");
    try (var left = Files.list(tmp.resolve("c"))) {
      assertEquals(List.of(tmp.resolve("c/p.json")), left.toList(), "no temp file left");
    }
  }

  private Finding check() throws Exception {
    return check(host.settings().build());
  }

  private Finding check(DoctorSettings settings) throws Exception {
    FakeCommandRunner runner = host.runner;
    CommandRunner probe =
        command -> {
          CommandResult recorded = runner.run(command);
          if (!command.argv().contains("build")) {
            return recorded;
          }
          Path context = Path.of(command.argv().get(command.argv().size() - 1));
          try {
            built.add(Files.readString(context.resolve("Dockerfile")));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          return answer;
        };
    return new BuildKitCheck().run(new CheckContext(settings, host.environment(probe)));
  }

  private void answerInfo(String json) {
    host.runner.answer("docker info --format {{json .}}", 0, json, "");
  }

  private static String quoted(String buildahVersion) {
    return "\"buildahVersion\": \"" + buildahVersion + "\"";
  }
}
