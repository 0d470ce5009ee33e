package dev.nss.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code nss:doctor} on each engine: what it finds about the engine and its builder, in its JSON
 * report.
 */
class DoctorIT {

  @EngineTest
  void doctorReportsTheEngineAndItsBuilder(Engine engine) throws IOException {
    Fixtures fixtures = Fixtures.on(engine);
    SampleProject project = fixtures.withContainers("doctor");
    BuildLog log =
        project
            .maven("nss:doctor")
            .property("nss.doctor.failOn", "never")
            .property("nss.doctor.timeout", "10")
            .run();
    assertTrue(log.succeeded(), log::describe);

    Map<String, Map<?, ?>> byId =
        checks(Files.readString(project.dir().resolve("target/nss-doctor.json")));
    assertEquals("ok", byId.get("cli").get("status"), log::describe);
    assertEquals("ok", byId.get("engine").get("status"), log::describe);
    String buildkit = byId.get("buildkit").get("status") + ": " + byId.get("buildkit").get("value");
    if (engine == Engine.DOCKER) {
      assertTrue(
          ((String) byId.get("engine").get("value")).startsWith("Docker Engine "), log::describe);
      assertEquals("ok", byId.get("buildkit").get("status"), buildkit);
    } else {
      assertTrue(((String) byId.get("engine").get("value")).startsWith("Podman "), log::describe);
      // ok where buildah builds the probe; warning where its version is known to hang (1.25 to
      // 1.28) while the project's Dockerfiles avoid the pattern; never error: containers/ here are
      // the repository's own.
      assertTrue(
          buildkit.startsWith("ok: ")
              || buildkit.startsWith("warning: ")
                  && buildkit.contains(" hangs on ")
                  && buildkit.contains("avoid that pattern"),
          buildkit);
    }
  }

  private static Map<String, Map<?, ?>> checks(String json) {
    Map<String, Map<?, ?>> byId = new LinkedHashMap<>();
    for (Object check : (List<?>) Json.object(json).get("checks")) {
      Map<?, ?> c = (Map<?, ?>) check;
      byId.put((String) c.get("id"), c);
    }
    return byId;
  }
}
