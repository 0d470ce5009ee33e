package dev.nss.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Once-per-JVM set-up of one engine, shared by the cases: the stand-in base images in that engine's
 * store (kept between runs by their content label) and the runtime image, built once through {@code
 * nss:build-gpu} and reused by the run cases. Images the cases tag are removed when the JVM ends;
 * the build cache stays, so the next run is warm. Each engine has its own store, so the tags are
 * the same on both.
 */
final class Fixtures {

  /**
   * Tags carry this run's id, so that two test runs on one engine never remove each other's images.
   */
  static final String RUN_ID = Long.toHexString(ProcessHandle.current().pid());

  static final String RUNTIME_IMAGE = "nss-it/gpu:runtime-" + RUN_ID;
  static final String DEV_IMAGE = "nss-it/gpu:dev-" + RUN_ID;
  static final String TEST_IMAGE = "nss-it/test:" + RUN_ID;

  private static final Map<Engine, Fixtures> BY_ENGINE = new EnumMap<>(Engine.class);

  private final Engine engine;
  private final List<String> madeImages = new ArrayList<>();
  private boolean standInsReady;
  private BuildLog runtimeBuild;
  private SampleProject runtimeProject;
  private String runtimeRevision;

  private Fixtures(Engine engine) {
    this.engine = engine;
  }

  /**
   * The fixtures of {@code engine}; skips (or, with {@code NSS_REQUIRE_ENGINE=1}, fails) when it
   * does not answer.
   */
  static Fixtures on(Engine engine) {
    engine.require();
    synchronized (BY_ENGINE) {
      return BY_ENGINE.computeIfAbsent(engine, Fixtures::new);
    }
  }

  Engine engine() {
    return engine;
  }

  /** The stand-in base images in this engine's store (it/stand-ins/stand-ins-into.sh). */
  synchronized Fixtures standIns() {
    if (standInsReady) {
      return this;
    }
    var result =
        ProcessResult.of(
            List.of(
                "sh",
                ItEnv.root().resolve("it/stand-ins/stand-ins-into.sh").toString(),
                engine.cli()),
            Map.of());
    assertEquals(
        0,
        result.exitCode(),
        () ->
            "stand-ins-into.sh " + engine.cli() + " failed:\n" + result.stdout() + result.stderr());
    standInsReady = true;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> engine.removeImages(madeImages)));
    return this;
  }

  /** Remember an image to remove when the tests end. */
  synchronized String image(String ref) {
    madeImages.add(ref);
    return ref;
  }

  /** {@code nss-it/gpu:<name>-<run id>}, removed when the tests end. */
  String gpuImage(String name) {
    return image("nss-it/gpu:" + name + "-" + RUN_ID);
  }

  /** A fresh sample project with the repository's containers/, driven through this engine's CLI. */
  SampleProject withContainers(String caseName) {
    return SampleProject.withContainers(engine, caseName);
  }

  /** A fresh sample project without containers/ (the bundled Dockerfiles apply), on this engine. */
  SampleProject withoutContainers(String caseName) {
    return SampleProject.withoutContainers(engine, caseName);
  }

  /** Case 1's build: {@code nss:build-gpu} in jvm agent mode of a git checkout of the sample. */
  synchronized BuildLog runtimeBuild() {
    if (runtimeBuild == null) {
      standIns();
      runtimeProject = withContainers("build-gpu");
      runtimeRevision = runtimeProject.gitInit();
      runtimeBuild =
          runtimeProject.maven("nss:build-gpu").property("nss.image", image(RUNTIME_IMAGE)).run();
    }
    return runtimeBuild;
  }

  synchronized SampleProject runtimeProject() {
    runtimeBuild();
    return runtimeProject;
  }

  synchronized String runtimeRevision() {
    runtimeBuild();
    return runtimeRevision;
  }
}
