package dev.nss.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Case 8: the CPU test image and {@code make test-ci} in it. */
class CpuTestImageIT {

  @Test
  void case08_buildTestAndTestCi() {
    Engine engine = Engine.DOCKER;
    Fixtures fixtures = Fixtures.on(engine).standIns();
    SampleProject project = fixtures.withContainers("test-ci");
    String image = fixtures.image(Fixtures.TEST_IMAGE);

    BuildLog build = project.maven("nss:build-test").property("nss.testImage", image).run();
    assertTrue(build.succeeded(), build::describe);
    assertTrue(
        build
            .stdout()
            .contains("build --platform linux/amd64 --tag " + image + " --progress=plain"),
        build::describe);
    assertTrue(build.stdout().contains("containers/Dockerfile.test_ci"), build::describe);
    assertEquals("make test-ci", String.join(" ", engine.inspect(image).cmd()));

    BuildLog testCi = project.maven("nss:test-ci").property("nss.testImage", image).run();
    assertTrue(testCi.succeeded(), testCi::describe);
    assertTrue(testCi.stdout().contains("make test-ci in /workspace"), testCi::describe);
    assertTrue(testCi.all().contains("Ran 2 tests"), testCi::describe);
  }
}
