package dev.nss.container;

import static dev.nss.container.Fixture.argv;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nss.core.InvalidSettingException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** nss.cacheFrom, nss.cacheTo and nss.noCache: the exact argv on each engine's path. */
class BuildCacheArgvTest {

  static final String CACHE = "registry.example:5000/team/nss-gpu:buildcache";
  static final String OTHER = "registry.example:5000/team/nss-gpu:main-cache";

  @TempDir Path tmp;
  Fixture f;

  @BeforeEach
  void setUp() throws Exception {
    f = new Fixture(tmp);
    f.answered(
        "docker", "/usr/bin/docker", "podman"); // the question before a build: EngineQuestionTest
  }

  static List<String> gpuBuild(String cli, String... cacheFlags) {
    List<String> argv =
        new ArrayList<>(
            argv(
                cli,
                "build",
                "--platform",
                "linux/amd64",
                "--tag",
                "nss-gpu:latest",
                "--target",
                "runtime",
                "--progress=plain"));
    argv.addAll(List.of(cacheFlags));
    argv.addAll(argv("-f", "containers/Dockerfile.cuda", "."));
    return argv;
  }

  static final String CACHE_REPOSITORY = "registry.example:5000/team/nss-gpu";
  static final String ELSEWHERE = "registry.example:5000/team/other-cache@sha256:" + "c".repeat(64);

  /** podman refuses REPO:TAG for a cache: it gets each repository once, without tag or digest. */
  @Test
  void podmanImportsAndExportsEveryStageThroughTheRegistrysRepositories() throws Exception {
    f.goals()
        .buildGpu(
            f.settings()
                .cli("podman")
                .cacheFrom(List.of(CACHE, " " + OTHER, ELSEWHERE))
                .cacheTo(List.of(CACHE))
                .noCache(true),
            false);
    assertEquals(
        List.of(
            gpuBuild(
                "podman",
                "--no-cache",
                "--cache-from",
                CACHE_REPOSITORY,
                "--cache-from",
                "registry.example:5000/team/other-cache",
                "--cache-to",
                CACHE_REPOSITORY)),
        f.processes.calls);
  }

  @Test
  void dockerWithoutBuildxUsesTheInlineCacheAndPushesTheImageAsTheCache() throws Exception {
    f.goals()
        .buildGpu(f.settings().cacheFrom(List.of(CACHE)).cacheTo(List.of(CACHE, OTHER)), false);
    assertEquals(
        List.of(
            gpuBuild("docker", "--cache-from", CACHE, "--build-arg", "BUILDKIT_INLINE_CACHE=1"),
            argv("docker", "tag", "nss-gpu:latest", CACHE),
            argv("docker", "push", CACHE),
            argv("docker", "tag", "nss-gpu:latest", OTHER),
            argv("docker", "push", OTHER)),
        f.processes.calls);
  }

  @Test
  void importOnlyPushesNothing() throws Exception {
    f.goals().buildGpu(f.settings().cacheFrom(List.of(CACHE)), true);
    assertEquals(1, f.processes.calls.size());
    List<String> call = f.processes.calls.get(0);
    assertEquals(List.of("--cache-from", CACHE), call.subList(9, 11));
  }

  @Test
  void noCacheAlone() throws Exception {
    f.goals().buildTest(f.settings().noCache(true));
    assertTrue(f.processes.calls.get(0).contains("--no-cache"), f.processes.calls::toString);
  }

  @Test
  void theRunGoalsBuildWithTheCacheToo() throws Exception {
    f.goals().runGpu(f.settings().cli("podman").cacheFrom(List.of(CACHE)), false, false);
    assertEquals(
        gpuBuild("podman", "--cache-from", CACHE_REPOSITORY),
        f.processes.calls.get(1),
        f.processes.calls::toString);
  }

  @Test
  void aDryRunPrintsTheCacheFlagsAndThePush() throws Exception {
    f.dryRun = true;
    f.goals().buildGpu(f.settings().cacheTo(List.of(CACHE)), false);
    assertEquals(List.of(), f.processes.calls);
    String printed = String.join("\n", f.log);
    assertTrue(printed.contains("--build-arg BUILDKIT_INLINE_CACHE=1"), printed);
    assertTrue(printed.contains("docker push " + CACHE), printed);
  }

  @Test
  void anEngineSpecificFormIsRefusedBeforeAnyEngineCall() {
    InvalidSettingException e =
        assertThrows(
            InvalidSettingException.class,
            () ->
                f.goals()
                    .buildGpu(
                        f.settings().cacheTo(List.of("type=registry,ref=" + CACHE + ",mode=max")),
                        false));
    assertTrue(e.getMessage().startsWith("nss.cacheTo: "), e.getMessage());
    assertTrue(e.getMessage().contains("registry.example/team/nss-gpu:buildcache"), e.getMessage());
    assertEquals(List.of(), f.processes.calls);
  }

  @Test
  void aReferenceWithoutRegistryHostIsRefused() {
    InvalidSettingException e =
        assertThrows(
            InvalidSettingException.class,
            () -> f.goals().buildGpu(f.settings().cacheFrom(List.of("nss-gpu:cache")), false));
    assertTrue(e.getMessage().startsWith("nss.cacheFrom: 'nss-gpu:cache' names no registry host"));
    assertEquals(List.of(), f.processes.calls);
  }

  @Test
  void aBadReferenceIsRefused() {
    InvalidSettingException e =
        assertThrows(
            InvalidSettingException.class,
            () ->
                f.goals()
                    .buildGpu(f.settings().cacheFrom(List.of("registry.example/Bad Name")), false));
    assertTrue(e.getMessage().startsWith("nss.cacheFrom: "), e.getMessage());
    assertEquals(List.of(), f.processes.calls);
  }
}
