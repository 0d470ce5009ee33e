package dev.nss.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Cases 1, 2, 7 and 11: what the build goals make, inspected on the real engines (1, 2 and 7 on
 * docker and podman; the bundled Dockerfiles and the native stage selection once, on docker).
 */
class ImageBuildIT {

  @EngineTest
  void case01_buildGpuMakesTheRuntimeImage(Engine engine) {
    Fixtures fixtures = Fixtures.on(engine);
    BuildLog log = fixtures.runtimeBuild();
    assertTrue(log.succeeded(), log::describe);
    assertTrue(
        log.stdout()
            .contains(
                "build --platform linux/amd64 --tag "
                    + Fixtures.RUNTIME_IMAGE
                    + " --target runtime --progress=plain"),
        log::describe);
    assertTrue(log.stdout().contains("--build-arg NSS_ENTRYPOINT_BUILD=jvm"), log::describe);
    assertTrue(log.stdout().contains("[INFO] " + engine.cli() + " build "), log::describe);
    assertFalse(
        Files.exists(fixtures.runtimeProject().dir().resolve(".nss-build")),
        "the staged agent is removed after the build");

    ImageConfig image = engine.inspect(Fixtures.RUNTIME_IMAGE);
    assertAll(
        () ->
            assertEquals(
                "NeMo Safe Synthesizer", image.labels().get("org.opencontainers.image.title")),
        () -> assertEquals("NVIDIA", image.labels().get("org.opencontainers.image.vendor")),
        () -> assertEquals("Apache-2.0", image.labels().get("org.opencontainers.image.licenses")),
        () ->
            assertTrue(
                image
                    .labels()
                    .get("org.opencontainers.image.description")
                    .contains("Safe Synthesizer")),
        () ->
            assertTrue(
                image.labels().get("org.opencontainers.image.source").startsWith("https://")),
        () ->
            assertTrue(
                image
                    .labels()
                    .get("org.opencontainers.image.documentation")
                    .startsWith("https://")),
        () ->
            assertEquals(
                "nss-it.local/cuda:12.8.1-runtime-ubuntu22.04",
                image.labels().get("org.opencontainers.image.base.name")),
        () ->
            assertTrue(
                image.labels().get("org.opencontainers.image.usage").startsWith("docker run ")),
        () ->
            assertTrue(
                image
                    .labels()
                    .get("org.opencontainers.image.usage")
                    .contains("$HOME/.cache/huggingface"),
                "usage keeps $HOME unexpanded"),
        () -> assertEquals("0.1.0", image.labels().get("org.opencontainers.image.version")),
        () ->
            assertEquals(
                fixtures.runtimeRevision(),
                image.labels().get("org.opencontainers.image.revision")),
        () ->
            assertEquals(
                SampleProject.OUTPUT_TIMESTAMP,
                image.labels().get("org.opencontainers.image.created")),
        () -> assertEquals("appuser", image.user()),
        () -> assertEquals("/workspace", image.workingDir()),
        () -> assertEquals(List.of("tini", "--", "nss-entrypoint"), image.entrypoint()),
        () -> assertEquals(List.of("--help"), image.cmd()),
        () -> assertEquals(Optional.of("all"), image.envValue("NVIDIA_VISIBLE_DEVICES")),
        () ->
            assertEquals(
                Optional.of("compute,utility"), image.envValue("NVIDIA_DRIVER_CAPABILITIES")),
        () ->
            assertTrue(
                image.envValue("PATH").orElse("").startsWith("/opt/venv/bin:"),
                image.env()::toString));

    var inside =
        engine.run(
            "run",
            "--rm",
            "--entrypoint",
            "sh",
            Fixtures.RUNTIME_IMAGE,
            "-c",
            "id -u; id -g; id -un; id -gn; readlink /usr/local/bin/nss-entrypoint; ls /opt/nss-entrypoint/lib; "
                + "cat /opt/venv/nss-stand-in-sync.json; test -d /opt/python && echo python-dir");
    assertEquals(0, inside.exitCode(), inside::stderr);
    assertEquals(
        List.of("1000", "1000", "appuser", "appgroup", "/opt/nss-entrypoint/bin/nss-entrypoint"),
        inside.stdout().lines().limit(5).toList());
    assertTrue(
        inside.stdout().contains("nss-entrypoint.aot"),
        "jvm mode ships the AOT cache:\n" + inside.stdout());
    assertTrue(
        inside
            .stdout()
            .contains(
                "{\"extras\": [\"cu128\", \"engine\"], \"groups\": [], \"project\": "
                    + "\"installed\"}"),
        "extras cu128+engine, no dev group, non-editable:\n" + inside.stdout());
    assertTrue(inside.stdout().contains("python-dir"), inside.stdout());
  }

  @EngineTest
  void case02_buildGpuDevMakesTheDevImage(Engine engine) {
    Fixtures fixtures = Fixtures.on(engine).standIns();
    SampleProject project = fixtures.withContainers("build-gpu-dev");
    BuildLog log =
        project
            .maven("nss:build-gpu-dev")
            .property("nss.imageDev", fixtures.image(Fixtures.DEV_IMAGE))
            .run();
    assertTrue(log.succeeded(), log::describe);
    assertTrue(
        log.stdout().contains("--tag " + Fixtures.DEV_IMAGE + " --target dev"), log::describe);

    ImageConfig image = engine.inspect(Fixtures.DEV_IMAGE);
    assertAll(
        () -> assertEquals("root", image.user()),
        () -> assertEquals(List.of(), image.entrypoint()),
        () -> assertEquals(List.of("/bin/bash"), image.cmd()),
        () -> assertEquals("/workspace", image.workingDir()));
    var inside =
        engine.run(
            "run",
            "--rm",
            Fixtures.DEV_IMAGE,
            "bash",
            "-c",
            "id -u; cat /opt/venv/nss-stand-in-sync.json; git config --global --get-all safe.directory; "
                + "command -v make gcc git curl; test -f /workspace/pyproject.toml && echo repo-copied");
    assertEquals(0, inside.exitCode(), inside::stderr);
    assertTrue(inside.stdout().startsWith("0\n"), inside.stdout());
    assertTrue(
        inside.stdout().contains("\"groups\": [\"dev\"]"), "dev group synced:\n" + inside.stdout());
    assertTrue(inside.stdout().contains("/workspace\n"), inside.stdout());
    assertTrue(
        inside.stdout().contains("/usr/bin/curl") && inside.stdout().contains("repo-copied"),
        inside.stdout());
  }

  /**
   * The native builder stage cannot run here (no GraalVM); this proves that {@code
   * NSS_ENTRYPOINT_BUILD=native} selects it and feeds it the staged jar: with a JDK image standing
   * in for GraalVM, the stage runs and fails at {@code native-image}, not earlier.
   */
  @Test
  void nativeModeSelectsTheGraalVmBuilderStage() {
    Fixtures fixtures = Fixtures.on(Engine.DOCKER).standIns();
    SampleProject project =
        fixtures
            .withContainers("native-mode")
            .property("nss.entrypointBuild", "native")
            .buildArg("NSS_GRAALVM_IMAGE", "nss-it.local/jdk:25");
    String image = fixtures.gpuImage("native");
    BuildLog log = project.maven("nss:build-gpu").property("nss.image", image).run();
    assertFalse(log.succeeded(), log::describe);
    assertTrue(log.stdout().contains("--build-arg NSS_ENTRYPOINT_BUILD=native"), log::describe);
    assertTrue(
        log.stdout()
            .matches(
                "(?s).*\\[agent-native-build \\d/\\d\\] RUN native-image -cp nss-entrypoint.jar "
                    + "dev.nss.entrypoint.NativeMain -o nss-entrypoint.*"),
        log::describe);
    assertTrue(log.stdout().contains("native-image: not found"), log::describe);
    assertTrue(
        log.stdout()
            .contains("Build the agent as a JVM distribution instead: -Dnss.entrypointBuild=jvm."),
        log::describe);
    assertFalse(
        log.stdout().contains("[agent-jvm-build"),
        "the jvm builder must not run:\n" + log.describe());
    assertFalse(Engine.DOCKER.imageExists(image));
  }

  @Test
  void case07_sourceOnlyChangeReusesTheDependencyLayer() throws IOException {
    Engine engine = Engine.DOCKER;
    Fixtures fixtures = Fixtures.on(engine).standIns();
    SampleProject project = fixtures.withContainers("source-only-change");
    BuildLog first =
        project
            .maven("nss:build-gpu")
            .property("nss.image", fixtures.gpuImage("before-change"))
            .run();
    assertTrue(first.succeeded(), first::describe);

    Path cli = project.dir().resolve("src/safe_synthesizer/cli.py");
    Files.writeString(
        cli, Files.readString(cli) + "\n# source-only change " + System.nanoTime() + "\n");
    BuildLog second =
        project
            .maven("nss:build-gpu")
            .property("nss.image", fixtures.gpuImage("after-change"))
            .run();
    assertTrue(second.succeeded(), second::describe);
    assertEquals(
        Optional.of(true),
        second.stepCached("uv sync --no-install-project"),
        () -> "the dependency pass must be CACHED:\n" + second.stdout());
    assertEquals(
        Optional.of(false),
        second.stepCached("uv sync --no-editable --extra"),
        () -> "the project pass must run again:\n" + second.stdout());
  }

  @Test
  void case11_projectWithoutContainersUsesTheBundledDockerfilesAndInitWritesThem()
      throws IOException {
    Fixtures fixtures = Fixtures.on(Engine.DOCKER).standIns();
    SampleProject project = fixtures.withoutContainers("bundled");
    String image = fixtures.gpuImage("bundled");
    BuildLog build = project.maven("nss:build-gpu").property("nss.image", image).run();
    assertTrue(build.succeeded(), build::describe);
    assertTrue(build.stdout().contains("target/nss/containers/Dockerfile.cuda"), build::describe);
    assertEquals(
        List.of("tini", "--", "nss-entrypoint"), Engine.DOCKER.inspect(image).entrypoint());

    BuildLog init = project.maven("nss:init").run();
    assertTrue(init.succeeded(), init::describe);
    Path root = ItEnv.root();
    for (String name : List.of("Dockerfile.cuda", "Dockerfile.test_ci", ".dockerignore")) {
      assertEquals(
          Files.readString(root.resolve("containers").resolve(name)),
          Files.readString(project.dir().resolve("containers").resolve(name)),
          name);
    }
    assertEquals(
        Files.readString(root.resolve("containers/.dockerignore")),
        Files.readString(project.dir().resolve(".dockerignore")));

    BuildLog again = project.maven("nss:init").run();
    assertFalse(
        again.succeeded(),
        "init does not overwrite without -Dnss.force=true:\n" + again.describe());
    assertTrue(again.stdout().contains("nss.force"), again::describe);
  }
}
