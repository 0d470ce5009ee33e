package dev.nss.container;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The base image of a Dockerfile's target stage, as the engine would read it. */
class BaseImageTest {

  @Test
  void theBundledDockerfileGivesTheCudaRuntimeForBothStagesWithItsDefaultsOrTheBuildArgs()
      throws Exception {
    String cuda = BundledContainers.text(BundledContainers.GPU_DOCKERFILE);

    assertEquals(
        Optional.of("nvidia/cuda:12.8.1-runtime-ubuntu22.04"),
        BaseImage.of(cuda, "runtime", Map.of()));
    assertEquals(
        Optional.of("nss-it.local/cuda:12.9.0-runtime-ubuntu24.04"),
        BaseImage.of(
            cuda,
            "dev",
            Map.of(
                "CUDA_IMAGE_REPO", "nss-it.local/cuda",
                "CUDA_VERSION", "12.9.0",
                "UBUNTU_VERSION", "24.04",
                "CUDA_IMAGE_TYPE", "devel")));
  }

  @Test
  void theLastStageIsTheTargetByDefaultAndStagesAreFollowedToTheirBase() {
    String dockerfile =
        """
        # a comment
        ARG BASE="python:3.11-slim"
        ARG TAG
        FROM --platform=$BUILDPLATFORM golang:1.22 AS Build
        ARG LATE=not-global
        FROM $BASE AS app
        RUN echo \\
          continued
        FROM app as final
        """;

    assertEquals(Optional.of("python:3.11-slim"), BaseImage.of(dockerfile, null, Map.of()));
    assertEquals(Optional.of("golang:1.22"), BaseImage.of(dockerfile, "build", Map.of()));
    assertEquals(
        Optional.of("python:3.12"),
        BaseImage.of(dockerfile, "FINAL", Map.of("BASE", "python:3.12")));
    assertEquals(Optional.empty(), BaseImage.of(dockerfile, "missing", Map.of()));
  }

  @Test
  void whatCannotBeToldForSureGivesNoneAndScratchSaysSo() {
    assertEquals(Optional.empty(), BaseImage.of("ARG A\nFROM ${A:-python}:3\n", null, Map.of()));
    assertEquals(Optional.empty(), BaseImage.of("ARG TAG\nFROM python:${TAG}\n", null, Map.of()));
    assertEquals(
        Optional.of("127.0.0.1:5000/team/base:1"),
        BaseImage.of("ARG B=127.0.0.1:5000/team/base:1\nFROM ${B} AS runtime\n", null, Map.of()));
    assertEquals(Optional.empty(), BaseImage.of("ARG P\nFROM host:${P}/base:1\n", null, Map.of()));
    assertEquals(
        Optional.empty(), BaseImage.of("FROM python:3\nARG LATE=x\nFROM $LATE\n", null, Map.of()));
    assertEquals(
        Optional.of("scratch"), BaseImage.of("FROM scratch AS a\nFROM a\n", null, Map.of()));
    assertEquals(
        Optional.of("r.example/p@sha256:" + "a".repeat(64)),
        BaseImage.of("FROM r.example/p@sha256:" + "a".repeat(64) + "\n", null, Map.of()));
  }

  @Test
  void quotedDefaultsAreUnquotedOnlyWhenBothEndsMatch() {
    assertEquals(
        Optional.of("python:3.12"),
        BaseImage.of("ARG B='python:3.12'\nFROM $B\n", null, Map.of()),
        "single quotes");
    assertEquals(
        Optional.of("python:3"),
        BaseImage.of("ARG SUFFIX=\"\"\nFROM python:3${SUFFIX}\n", null, Map.of()),
        "an empty quoted value");
    assertEquals(
        Optional.empty(),
        BaseImage.of("ARG B='python\nFROM $B\n", null, Map.of()),
        "an opening quote alone stays, and is no image name");
  }

  @Test
  void aContinuationOnTheLastLineEndsTheInstruction() {
    assertEquals(
        Optional.of("python:3.11"),
        BaseImage.of("FROM python:3.11 \\\n  AS app \\", null, Map.of()));
  }
}
