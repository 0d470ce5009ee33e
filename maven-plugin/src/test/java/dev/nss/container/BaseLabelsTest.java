package dev.nss.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The base image's name and digest labels: the exact commands, and which digest is taken. */
class BaseLabelsTest {

  static final String A = "sha256:" + "a".repeat(64);
  static final String B = "sha256:" + "b".repeat(64);

  @TempDir Path tmp;
  Fixture f;

  @BeforeEach
  void setUp() throws Exception {
    f = new Fixture(tmp);
    Files.writeString(
        f.project.resolve("containers/Dockerfile.cuda"),
        "ARG REPO=nvidia/cuda\nFROM ${REPO}:12.8.1-runtime-ubuntu22.04 AS runtime\n");
  }

  @Test
  void theDigestInTheBasesRepositoryIsAskedBeforeTheBuildAndLabelsBothPodmanBuilds()
      throws Exception {
    f.processes.on(
        "image",
        "echo '[\"mirror.example/nvidia/cuda@" + B + "\",\"docker.io/nvidia/cuda@" + A + "\"]'");

    f.goals().buildGpu(f.settings().cli("podman").projectVersion("1.2.3"), false);

    List<List<String>> calls = f.processes.calls;
    assertEquals(4, calls.size(), calls.toString());
    assertEquals(
        List.of(
            "podman",
            "image",
            "inspect",
            "--format",
            "{{json .RepoDigests}}",
            "nvidia/cuda:12.8.1-runtime-ubuntu22.04"),
        calls.get(0));
    // podman's inspect of a base takes not every lock of the store a build needs: the question
    assertEquals(EngineAnswers.question("podman"), calls.get(1));
    for (List<String> build : calls.subList(2, 4)) {
      assertEquals("build", build.get(1));
      int label = build.indexOf("org.opencontainers.image.version=1.2.3");
      assertEquals(
          List.of(
              "org.opencontainers.image.version=1.2.3",
              "--label",
              "org.opencontainers.image.base.name=nvidia/cuda:12.8.1-runtime-ubuntu22.04",
              "--label",
              "org.opencontainers.image.base.digest=" + A,
              "-f"),
          build.subList(label, label + 6),
          build.toString());
    }
  }

  @Test
  void withoutADigestTheBuildHasOnlyTheNameLabelAndTheLogSaysWhy() throws Exception {
    f.processes.on("image", "echo null");

    f.goals().buildGpu(f.settings().buildArgs(Map.of("REPO", "nss-it.local/cuda")), false);

    assertEquals(
        List.of(
            "docker",
            "image",
            "inspect",
            "--format",
            "{{json .RepoDigests}}",
            "nss-it.local/cuda:12.8.1-runtime-ubuntu22.04"),
        f.processes.calls.get(0));
    List<String> build = f.processes.calls.get(1);
    assertTrue(build.stream().noneMatch(a -> a.contains("base.digest")), build.toString());
    assertTrue(
        build.contains(
            "org.opencontainers.image.base.name=nss-it.local/cuda:12.8.1-runtime-ubuntu22.04"),
        build.toString());
    assertTrue(
        f.log.contains(
            "No org.opencontainers.image.base.digest label: the engine knows no digest of the base"
                + " image nss-it.local/cuda:12.8.1-runtime-ubuntu22.04 in its repository (an image"
                + " imported or built on this machine has none)."),
        f.log.toString());
  }

  @Test
  void aBaseNotYetInTheStoreIsBuiltWithoutTheLabel() throws Exception {
    f.processes.on("image", "echo 'Error: No such image' >&2; exit 1");

    f.goals().buildGpu(f.settings(), false);

    assertEquals(2, f.processes.calls.size());
    assertTrue(
        f.log.stream().anyMatch(l -> l.contains("is not in the engine's store before the build")),
        f.log.toString());
  }

  @Test
  void aDigestCountsOnlyInTheBasesOwnRepository() {
    String list = "[\"localhost/app@" + A + "\",\"docker.io/library/python@" + B + "\"]";
    assertEquals(List.of(B), BaseLabels.inRepository(list, "python:3.11"));
    assertEquals(List.of(B), BaseLabels.inRepository(list, "docker.io/python:3.11"));
    assertEquals(List.of(A), BaseLabels.inRepository(list, "app:1"));
    assertEquals(List.of(), BaseLabels.inRepository(list, "other.example/python:3.11"));
    assertEquals(
        List.of(A),
        BaseLabels.inRepository("[\"127.0.0.1:5000/x/y@" + A + "\"]", "127.0.0.1:5000/x/y:t"));
    assertEquals(List.of(), BaseLabels.inRepository("[]", "python"));
    assertEquals(List.of(), BaseLabels.inRepository("null", "python"));
    assertEquals(List.of(), BaseLabels.inRepository("[\"python@md5:x\"]", "python"));
    assertEquals(
        List.of(A, B),
        BaseLabels.inRepository(
            "[\"r.example/x@" + A + "\",\"r.example/x@" + B + "\",\"r.example/x@" + A + "\"]",
            "r.example/x:1"));
  }

  @Test
  void twoDigestsInTheBasesRepositoryGiveNoDigestLabelAndTheLogSaysWhy() throws Exception {
    f.processes.on(
        "image",
        "echo '[\"docker.io/nvidia/cuda@" + A + "\",\"docker.io/nvidia/cuda@" + B + "\"]'");

    f.goals().buildGpu(f.settings().cli("podman"), false);

    List<String> build = f.processes.calls.get(f.processes.calls.size() - 1);
    assertTrue(build.stream().noneMatch(a -> a.contains("base.digest")), build.toString());
    assertTrue(
        f.log.contains(
            "No org.opencontainers.image.base.digest label: the engine knows 2 digests of the base"
                + " image nvidia/cuda:12.8.1-runtime-ubuntu22.04 in its repository and cannot tell"
                + " which one its registry serves."),
        f.log.toString());
  }

  @Test
  void podmansLocalNameOfAnImageInANamespaceIsItsRepository() {
    assertEquals(
        List.of(A), BaseLabels.inRepository("[\"localhost/team/app@" + A + "\"]", "team/app:1"));
  }

  @Test
  void aBasePinnedByDigestIsTakenAsWrittenWithoutAskingTheEngine() throws Exception {
    Files.writeString(
        f.project.resolve("containers/Dockerfile.cuda"),
        "FROM r.example/cuda@" + A + " AS runtime\n");

    f.goals().buildGpu(f.settings(), false);

    assertEquals(2, f.processes.calls.size());
    assertEquals(
        List.of("docker", "version", "--format", "{{.Server.Version}}"),
        f.processes.calls.get(0),
        "nothing asked of the base: only whether the engine answers");
    assertTrue(
        f.processes.calls.get(1).contains("org.opencontainers.image.base.digest=" + A),
        f.processes.calls.toString());
  }

  @Test
  void aBaseThatCannotBeToldGivesNeitherLabelAndTheLogSaysWhy() throws Exception {
    Files.writeString(
        f.project.resolve("containers/Dockerfile.cuda"), "FROM ${REPO:-x}:1 AS runtime\n");

    f.goals().buildGpu(f.settings(), false);

    List<String> build = f.processes.calls.get(f.processes.calls.size() - 1);
    assertEquals("build", build.get(1), build.toString());
    assertTrue(build.stream().noneMatch(a -> a.contains(".image.base.")), build.toString());
    assertTrue(
        f.log.contains(
            "No org.opencontainers.image.base.name or org.opencontainers.image.base.digest label:"
                + " the base image of Dockerfile.cuda cannot be told from its FROM line."),
        f.log.toString());
  }

  @Test
  void theNameReplacesADockerfileLabelAndNamesTheStageChainsBase() throws Exception {
    Files.writeString(
        f.project.resolve("containers/Dockerfile.cuda"),
        "ARG TAG=3.11\nFROM python:${TAG} AS base\nLABEL org.opencontainers.image.base.name=old\n"
            + "FROM base AS runtime\n");
    f.processes.on("image", "echo '[\"docker.io/library/python@" + B + "\"]'");

    f.goals().buildGpu(f.settings().buildArgs(Map.of("TAG", "3.12")), false);

    List<String> build = f.processes.calls.get(f.processes.calls.size() - 1);
    int name = build.indexOf("org.opencontainers.image.base.name=python:3.12");
    assertTrue(name > 0, build.toString());
    assertEquals("--label", build.get(name - 1));
    assertTrue(build.contains("org.opencontainers.image.base.digest=" + B), build.toString());
  }
}
