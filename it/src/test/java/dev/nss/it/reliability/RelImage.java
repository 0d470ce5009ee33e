package dev.nss.it.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nss.it.BuildLog;
import dev.nss.it.ItEnv;
import dev.nss.it.SampleProject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The runtime image of the sample, built once per JVM through {@code nss:build-gpu} (BuildKit's
 * cache makes it cheap after the harness's own build of the same sources) and reused by every case
 * with {@code -Dnss.skipBuild=true}. Tags made here are removed when the JVM ends.
 */
final class RelImage {

  static final String RUNTIME = "nss-it/rel:runtime-" + Rel.RUN_ID;
  static final String STAND_IN_BASE = "nss-it.local/cuda:12.8.1-runtime-ubuntu22.04";

  private static BuildLog build;
  private static final List<String> made = new ArrayList<>();

  private RelImage() {}

  /** The runtime image's tag, built on first use. */
  static synchronized String runtime() {
    if (build == null) {
      standIns();
      SampleProject project = Rel.project("image");
      build = project.maven("nss:build-gpu").property("nss.image", remember(RUNTIME)).run();
    }
    assertTrue(build.succeeded(), build::describe);
    return RUNTIME;
  }

  static synchronized String remember(String tag) {
    if (made.isEmpty()) {
      Runtime.getRuntime()
          .addShutdownHook(new Thread(() -> made.forEach(t -> Rel.docker("image", "rm", "-f", t))));
    }
    made.add(tag);
    return tag;
  }

  static void standIns() {
    Rel.Result r =
        Rel.exec(
            List.of("sh", ItEnv.root().resolve("it/stand-ins/make-stand-ins.sh").toString()),
            Map.of("NSS_DOCKER", Rel.DOCKER));
    assertEquals(0, r.exitCode(), r::describe);
  }
}
