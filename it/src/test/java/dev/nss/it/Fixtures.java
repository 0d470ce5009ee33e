package dev.nss.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * Once-per-JVM set-up shared by the cases: the stand-in base images (kept between runs by their content label) and the
 * runtime image, built once through {@code nss:build-gpu} and reused by the run cases. Images the cases tag are removed
 * when the JVM ends; BuildKit's cache stays, so the next run is warm.
 */
final class Fixtures {

  /** Tags carry this run's id, so that two test runs on one engine never remove each other's images. */
  static final String RUN_ID = Long.toHexString(ProcessHandle.current().pid());
  static final String RUNTIME_IMAGE = "nss-it/gpu:runtime-" + RUN_ID;
  static final String DEV_IMAGE = "nss-it/gpu:dev-" + RUN_ID;
  static final String TEST_IMAGE = "nss-it/test:" + RUN_ID;

  private static Boolean engineAnswers;
  private static boolean standInsReady;
  private static BuildLog runtimeBuild;
  private static SampleProject runtimeProject;
  private static String runtimeRevision;
  private static final List<String> madeImages = new ArrayList<>();

  private Fixtures() {}

  /**
   * The cases need the engine through {@code /usr/bin/docker}. Without one they are skipped, unless
   * {@code NSS_REQUIRE_ENGINE=1} (CI), which makes that a failure.
   */
  static synchronized void requireEngine() {
    if (engineAnswers == null) {
      engineAnswers = java.nio.file.Files.isExecutable(java.nio.file.Path.of(Docker.CLI))
          && Docker.run("version", "--format", "{{.Server.Version}}").exitCode() == 0;
    }
    if (!engineAnswers) {
      String why = Docker.CLI + " cannot reach a container engine: start dockerd (see .ci/engine)";
      if ("1".equals(System.getenv("NSS_REQUIRE_ENGINE"))) {
        fail("NSS_REQUIRE_ENGINE=1 but " + why);
      }
      Assumptions.abort(why);
    }
  }

  static synchronized void standIns() {
    requireEngine();
    if (standInsReady) {
      return;
    }
    var result = Docker.ProcessResult.of(
        List.of("sh", ItEnv.root().resolve("it/stand-ins/make-stand-ins.sh").toString()),
        Map.of("NSS_DOCKER", Docker.CLI));
    assertEquals(0, result.exitCode(), () -> "make-stand-ins.sh failed:\n" + result.stdout() + result.stderr());
    standInsReady = true;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> Docker.removeImages(madeImages)));
  }

  /** Remember an image to remove when the tests end. */
  static synchronized String image(String ref) {
    madeImages.add(ref);
    return ref;
  }

  /** {@code nss-it/gpu:<name>-<run id>}, removed when the tests end. */
  static String gpuImage(String name) {
    return image("nss-it/gpu:" + name + "-" + RUN_ID);
  }

  /** Case 1's build: {@code nss:build-gpu} in jvm agent mode of a git checkout of the sample. */
  static synchronized BuildLog runtimeBuild() {
    if (runtimeBuild == null) {
      standIns();
      runtimeProject = SampleProject.withContainers("build-gpu");
      runtimeRevision = runtimeProject.gitInit();
      runtimeBuild = runtimeProject.maven("nss:build-gpu").property("nss.image", image(RUNTIME_IMAGE)).run();
    }
    return runtimeBuild;
  }

  static synchronized SampleProject runtimeProject() {
    runtimeBuild();
    return runtimeProject;
  }

  static synchronized String runtimeRevision() {
    runtimeBuild();
    return runtimeRevision;
  }
}
