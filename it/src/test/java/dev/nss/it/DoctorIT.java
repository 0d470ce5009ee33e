package dev.nss.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code nss:doctor} on each engine: what it finds about the engine and its builder, and the GPU
 * checks against a built image with the stand-in {@code nvidia-smi} (it/stand-ins), in its JSON
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

  /**
   * An image that declares {@code ENV CUDA_VERSION=13.1.0} (built FROM scratch here) against the
   * stand-in nvidia-smi's driver (CUDA 13.0): the image's environment is preferred to the build
   * settings and named; an image the engine lacks leaves the build settings.
   */
  @EngineTest
  void cudaDriverReadsTheBuiltImagesCudaVersion(Engine engine) throws IOException {
    SampleProject project = Fixtures.on(engine).withContainers("doctor-image-cuda");
    Path context = Files.createDirectories(project.dir().resolve("cuda-env"));
    Files.writeString(context.resolve("Dockerfile"), "FROM scratch\nENV CUDA_VERSION=13.1.0\n");
    String image = "nss-it/cuda-env:" + Fixtures.RUN_ID;
    ProcessResult built = engine.run("build", "-q", "-t", image, context.toString());
    assertEquals(0, built.exitCode(), built::toString);
    try {
      Map<?, ?> withImage = cudaDriver(project, image);
      assertEquals("error", withImage.get("status"), withImage::toString);
      assertTrue(
          ((String) withImage.get("value"))
              .startsWith(
                  "driver 580.159.04 supports CUDA 13.0, older than the image's CUDA 13.1.0 (image "
                      + image
                      + ": ENV CUDA_VERSION): the container would not start (unsatisfied"
                      + " condition: cuda>=13.1); a new build would have CUDA 12.8.1 ("),
          withImage::toString);

      Map<?, ?> without = cudaDriver(project, "nss-it/cuda-env:absent-" + Fixtures.RUN_ID);
      assertEquals("ok", without.get("status"), without::toString);
      assertEquals(
          "driver 580.159.04 supports CUDA 13.0; the image's CUDA 12.8.1 (containers/Dockerfile.cuda:"
              + " ARG CUDA_VERSION)",
          without.get("value"));
    } finally {
      engine.removeImages(List.of(image));
    }
  }

  private static Map<?, ?> cudaDriver(SampleProject project, String image) throws IOException {
    Path standIns = ItEnv.root().resolve("it/stand-ins");
    BuildLog log =
        project
            .maven("nss:doctor")
            .property("nss.image", image)
            .property("nss.doctor.checks", "gpu,cuda-driver")
            .property("nss.doctor.failOn", "never")
            .env("PATH", standIns + ":" + System.getenv("PATH"))
            .run();
    assertTrue(log.succeeded(), log::describe);
    assertTrue(log.stdout().contains("NVIDIA H200 (driver 580.159.04, 143771 MiB)"), log::describe);
    Map<String, Map<?, ?>> byId =
        checks(Files.readString(project.dir().resolve("target/nss-doctor.json")));
    return byId.get("cuda-driver");
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
