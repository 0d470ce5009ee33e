package dev.nss.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The layer plan on a real registry (docker-registry with htpasswd auth on 127.0.0.1), read from
 * the registry's own blob store: the sample project with a small synthetic dependency set
 * (bench/ship/synthetic-deps.py: an 8 MB torch stand-in, 1 MB triton, 2 MB vllm) is built and
 * pushed with nss:build-gpu nss:push-gpu three times — as it is, after a source-only change, after
 * a light dependency bump. The second push adds only small blobs (at most 1 % of the image's
 * bytes), the third does not upload the torch or engine layer again. Each on docker and on podman.
 */
class ShipLayersIT {

  private static final String SERVER = "nss-it-ship";
  private static Registry registry;

  /** docker keeps the tags that push-gpu and the inline cache push made: removed at the end. */
  private static final List<String> dockerTags =
      java.util.Collections.synchronizedList(new java.util.ArrayList<>());

  @BeforeAll
  static void startRegistry() {
    registry = Registry.start("nss-it", "it-pw-" + Long.toHexString(System.nanoTime()));
  }

  @AfterAll
  static void stopRegistry() {
    for (String ref : dockerTags) {
      Engine.DOCKER.run("image", "rm", ref);
    }
    if (registry != null) {
      registry.close();
    }
  }

  @EngineTest
  void aSourceChangeAndALightBumpPushOnlySmallNewBlobs(Engine engine) throws Exception {
    Fixtures fixtures = Fixtures.on(engine).standIns();
    SampleProject project = fixtures.withContainers("ship-layers");
    String image = fixtures.gpuImage("ship");
    String name = "ship-" + engine + "-" + Fixtures.RUN_ID;
    String repository = name + "/nss-it/gpu";
    deps(project, "1.0.0");

    Map<String, Long> before = registry.blobs();
    buildAndPush(engine, project, image, name, "v1");
    List<Map.Entry<String, Long>> v1 = layers(repository, "v1");
    long imageBytes =
        registry.layers(repository, "v1").stream().mapToLong(Map.Entry::getValue).sum();
    // The runtime layers end with torch, engine, deps and project (containers.md).
    Map.Entry<String, Long> torch = v1.get(v1.size() - 4);
    Map.Entry<String, Long> engineLayer = v1.get(v1.size() - 3);
    assertTrue(
        torch.getValue() > 8_000_000 && engineLayer.getValue() > 2_000_000,
        "the torch and engine layers hold the synthetic wheels: " + v1);
    assertTrue(added(before, registry.blobs()) >= torch.getValue(), "the first push uploads all");

    Files.writeString(
        project.dir().resolve("src/safe_synthesizer/cli.py"),
        "\n# a source-only change\n",
        StandardOpenOption.APPEND);
    Map<String, Long> beforeSource = registry.blobs();
    buildAndPush(engine, project, image, name, "v2");
    long sourceOnly = added(beforeSource, registry.blobs());
    List<Map.Entry<String, Long>> v2 = layers(repository, "v2");
    note(engine, "source-only change", sourceOnly, imageBytes);
    assertTrue(
        sourceOnly <= imageBytes / 100,
        "a source-only change pushed "
            + sourceOnly
            + " new bytes of an image of "
            + imageBytes
            + ":\nv1 "
            + v1
            + "\nv2 "
            + v2);
    assertEquals(v1.subList(0, v1.size() - 1), v2.subList(0, v2.size() - 1), "all but project");
    assertFalse(v1.get(v1.size() - 1).equals(v2.get(v2.size() - 1)), "the project layer changed");

    deps(project, "1.0.1");
    Map<String, Long> beforeBump = registry.blobs();
    buildAndPush(engine, project, image, name, "v3");
    Map<String, Long> afterBump = registry.blobs();
    long bump = added(beforeBump, afterBump);
    List<Map.Entry<String, Long>> v3 = layers(repository, "v3");
    note(engine, "light dependency bump", bump, imageBytes);
    assertEquals(torch, v3.get(v3.size() - 4), "the torch layer is the same blob:\n" + v3);
    assertEquals(engineLayer, v3.get(v3.size() - 3), "the engine layer is the same blob");
    assertTrue(
        bump < engineLayer.getValue(),
        "a light bump uploaded " + bump + " bytes, no heavy layer:\nv1 " + v1 + "\nv3 " + v3);
    assertFalse(v1.get(v1.size() - 2).equals(v3.get(v3.size() - 2)), "the deps layer changed");
  }

  /**
   * build-gpu with nss.cacheTo on the htpasswd registry and nss.registryServerId: the goal logs in
   * privately (podman with nss.registryInsecure for the plain-HTTP cache) and the cache reaches the
   * registry; the login directory is gone and the password nowhere in the log.
   */
  @EngineTest
  void aCacheBuildLogsInToItsRegistryPrivately(Engine engine) throws Exception {
    Fixtures fixtures = Fixtures.on(engine).standIns();
    SampleProject project = fixtures.withContainers("cache-login");
    String cacheRepository = "cache-" + engine + "-" + Fixtures.RUN_ID + "/gpu";
    MavenBuild build =
        project
            .maven("nss:build-gpu")
            .property("nss.image", fixtures.gpuImage("cache-login"))
            .property("nss.cacheTo", registry.host() + "/" + cacheRepository + ":buildcache")
            .property("nss.registryServerId", SERVER);
    if (engine == Engine.PODMAN) {
      build.property("nss.registryInsecure", "true");
    }
    if (engine == Engine.DOCKER) {
      dockerTags.add(registry.host() + "/" + cacheRepository + ":buildcache");
    }
    BuildLog log = build.settings(registry.settings(SERVER, registry.password())).run();
    assertTrue(log.succeeded(), log::describe);
    assertFalse(registry.tags(cacheRepository).isEmpty(), "the cache is in the registry");
    java.util.regex.Matcher dir =
        java.util.regex.Pattern.compile(
                "(?:DOCKER_CONFIG|REGISTRY_AUTH_FILE)=(\\S*nss-registry-\\w+)")
            .matcher(log.stdout());
    assertTrue(dir.find(), "the login ran with a private location:\n" + log.describe());
    assertFalse(Files.exists(java.nio.file.Path.of(dir.group(1))), dir.group(1) + " is deleted");
    assertFalse(log.all().contains(registry.password()), "the password is in the log");
  }

  /**
   * The image's layers less empty ones: BuildKit writes an empty layer (a gzip of an empty tar, 32
   * bytes) for WORKDIR, podman does not.
   */
  private static List<Map.Entry<String, Long>> layers(String repository, String tag) {
    return registry.layers(repository, tag).stream().filter(l -> l.getValue() > 100).toList();
  }

  /** The synthetic dependency set with light-a at {@code lightVersion}. */
  private static void deps(SampleProject project, String lightVersion) {
    ProcessResult r =
        ProcessResult.of(
            List.of(
                "python3",
                ItEnv.root().resolve("bench/ship/synthetic-deps.py").toString(),
                project.dir().toString(),
                lightVersion,
                "8",
                "1",
                "2"),
            Map.of());
    assertEquals(0, r.exitCode(), r::toString);
  }

  private static void buildAndPush(
      Engine engine, SampleProject project, String image, String namespace, String tag) {
    MavenBuild build =
        project
            .maven("nss:build-gpu", "nss:push-gpu")
            .property("nss.image", image)
            .property("nss.registry", registry.host() + "/" + namespace)
            .property("nss.tags", tag)
            .property("nss.registryServerId", SERVER);
    if (engine == Engine.PODMAN) {
      build.property("nss.registryInsecure", "true");
    } else {
      dockerTags.add(registry.host() + "/" + namespace + "/nss-it/gpu:" + tag);
    }
    BuildLog log = build.settings(registry.settings(SERVER, registry.password())).run();
    assertTrue(log.succeeded(), log::describe);
  }

  /** Bytes of the blobs in {@code after} that {@code before} lacks. */
  private static long added(Map<String, Long> before, Map<String, Long> after) {
    Map<String, Long> added = new HashMap<>(after);
    added.keySet().removeAll(before.keySet());
    return added.values().stream().mapToLong(Long::longValue).sum();
  }

  private static void note(Engine engine, String change, long added, long imageBytes) {
    System.out.println(
        "[ship-layers] "
            + engine
            + ", "
            + change
            + ": "
            + added
            + " new blob bytes, image "
            + imageBytes
            + " bytes (compressed layers)");
  }
}
