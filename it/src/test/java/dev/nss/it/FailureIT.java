package dev.nss.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Cases 9 and 10, and bad input: failures the user can fix, explained without a stack trace (once,
 * on docker).
 */
class FailureIT {

  private static SampleProject project(String caseName) {
    return Fixtures.on(Engine.DOCKER).withContainers(caseName);
  }

  /** Case 9: without a registry; without buildx the goal builds per platform (PublishIT). */
  @Test
  void case09_multiarchWithoutRegistry() {
    SampleProject project = project("multiarch");
    BuildLog noRegistry = project.maven("nss:build-gpu-multiarch").run();
    assertFalse(noRegistry.succeeded(), noRegistry::describe);
    assertTrue(
        noRegistry.all().contains("multi-platform manifests must be pushed to a registry"),
        noRegistry::describe);
    assertTrue(noRegistry.all().contains("nss.registry"), noRegistry::describe);
    assertFalse(
        noRegistry.stdout().contains(" build "),
        "no build was attempted:\n" + noRegistry.describe());
    assertEquals(List.of(), noRegistry.stackTraceLines(), noRegistry::describe);
  }

  @Test
  void case10_unreachableEngineFailsClearly() {
    SampleProject project = project("no-engine");
    BuildLog log =
        project
            .maven("nss:build-gpu")
            .property("nss.image", "nss-it/gpu:never")
            .env("DOCKER_HOST", "unix:///nonexistent.sock")
            .run();
    assertFalse(log.succeeded(), log::describe);
    assertTrue(log.all().contains("DOCKER_HOST"), log::describe);
    assertTrue(log.all().contains("unix:///nonexistent.sock"), log::describe);
    assertEquals(List.of(), log.stackTraceLines(), log::describe);
  }

  /**
   * With the engine unreachable, a message about the setting (not the engine) proves no engine call
   * came first.
   */
  @Test
  void badInputFailsBeforeAnyEngineCall() {
    SampleProject project = project("bad-platform");
    BuildLog log =
        project
            .maven("nss:run-gpu")
            .property("nss.platform", "amd64")
            .env("DOCKER_HOST", "unix:///nonexistent.sock")
            .run();
    assertFalse(log.succeeded(), log::describe);
    assertTrue(log.all().contains("nss.platform"), log::describe);
    assertFalse(
        log.all().contains("nonexistent.sock"), "the engine was called:\n" + log.describe());
    assertFalse(log.stdout().contains(" build --platform"), log::describe);
    assertEquals(List.of(), log.stackTraceLines(), log::describe);
  }

  @Test
  void dockerignoreHidingTheStagedAgentFailsClearly() throws IOException {
    SampleProject project = project("hidden-agent");
    Files.writeString(project.dir().resolve(".dockerignore"), "target/\n.nss-build\n");
    BuildLog log = project.maven("nss:build-gpu").property("nss.image", "nss-it/gpu:never").run();
    assertFalse(log.succeeded(), log::describe);
    assertTrue(log.all().contains("!.nss-build"), "the message gives the fix:\n" + log.describe());
    assertFalse(
        log.stdout().contains(" build --platform"), "no build was attempted:\n" + log.describe());
    assertFalse(Files.exists(project.dir().resolve(".nss-build")), "nothing staged");
  }

  /**
   * Issue 10: a base image that cannot be pulled names the image, the build argument and the mirror
   * fix.
   */
  @EngineTest
  void baseImagePullFailureNamesTheBuildArgument(Engine engine) {
    SampleProject project =
        Fixtures.on(engine)
            .withContainers("pull-failure")
            .buildArg("UV_IMAGE", "nss-it.invalid/astral-sh/uv"); // .invalid never resolves
    BuildLog log = project.maven("nss:build-gpu").property("nss.image", "nss-it/gpu:never").run();
    assertFalse(log.succeeded(), log::describe);
    assertTrue(
        log.all()
            .contains(
                "Could not pull the base image nss-it.invalid/astral-sh/uv:0.9.14: the registry's "
                    + "host name does not resolve"),
        log::describe);
    assertTrue(
        log.all().contains("build argument UV_IMAGE (now nss-it.invalid/astral-sh/uv)"),
        log::describe);
    assertTrue(
        log.all()
            .contains("<buildArgs><UV_IMAGE>mirror.example/astral-sh/uv</UV_IMAGE></buildArgs>"),
        log::describe);
    assertEquals(List.of(), log.stackTraceLines(), log::describe);
  }
}
