package dev.nss.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PullFailureTest {

  private static final List<String> DOCKER_BUILD = List.of("docker", "build");

  private static String buildKit(String image, String error) {
    return "#3 ERROR: "
        + error
        + "\n------\n > [internal] load metadata for "
        + image
        + ":\n------\n";
  }

  private static String buildah(String image, String error) {
    return "Error: creating build container: initializing source docker://"
        + image
        + ": "
        + error
        + "\n";
  }

  private static String reason(String output) {
    String message = PullFailure.explain(DOCKER_BUILD, 1, output);
    String prefix = "Could not pull the base image python:3.11-slim: ";
    assertTrue(message.startsWith(prefix), message);
    return message.substring(prefix.length(), message.indexOf(" (`docker build` exit code 1)"));
  }

  @Test
  void theReasonIsNamedForEachKindOfEngineOutput() {
    String image = "python:3.11-slim";
    assertEquals(
        "the registry's host name does not resolve (no network, or no DNS for it)",
        reason(buildKit(image, "dial tcp: lookup registry-1.example: no such host")));
    for (String unreachable :
        List.of(
            "dial tcp 10.0.0.1:443: connect: connection refused",
            "dial tcp 10.0.0.1:443: i/o timeout",
            "dial tcp 10.0.0.1:443: connect: network is unreachable",
            "dial tcp 10.0.0.1:443: connect: no route to host",
            "net/http: TLS handshake timeout")) {
      assertEquals("the registry cannot be reached", reason(buildah(image, unreachable)));
    }
    for (String refused :
        List.of(
            "401 Unauthorized",
            "unexpected status: 403",
            "unauthorized: authentication required",
            "requested access to the resource is denied",
            "Forbidden")) {
      assertEquals(
          "the registry refused access (not logged in, or no permission)",
          reason(buildKit(image, refused)));
    }
    assertEquals(
        "the image has no variant for the platform being built",
        reason(buildKit(image, "no match for platform in manifest sha256:abc")));
    assertEquals(
        "the registry has no such image or tag",
        reason(buildah(image, "reading manifest 3.11-slim in python: manifest unknown")));
    assertEquals(
        "the registry has no such image or tag",
        reason(buildKit(image, "docker.io/library/python:3.11-slim: not found")));
    assertEquals(
        "the pull failed (the engine's reason is above)",
        reason(buildKit(image, "unexpected EOF while reading")));
  }

  @Test
  void anImageNoBuildArgumentChoosesGetsTheGeneralFix() {
    String message =
        PullFailure.explain(DOCKER_BUILD, 1, buildKit("quay.io/acme/base:1", "manifest unknown"));
    assertEquals(
        "Could not pull the base image quay.io/acme/base:1: the registry has no such image or tag"
            + " (`docker build` exit code 1). Point the build argument that names it at a registry"
            + " mirror that has the image (<buildArgs> in the plugin's configuration), log in to"
            + " that registry, or load the image into the engine.",
        message);
  }

  @Test
  void aBuildArgumentWithoutAValueLeavesTheDefault() {
    String message =
        PullFailure.explain(
            List.of("docker", "build", "--build-arg", "PYTHON_IMAGE", "--build-arg"),
            1,
            buildKit("python:3.11-slim", "not found"));
    assertTrue(message.contains("PYTHON_IMAGE (now python:3.11-slim)"), message);
  }

  @Test
  void outputWithoutAPullFailureIsNotExplained() {
    assertNull(PullFailure.explain(DOCKER_BUILD, 1, "RUN make\nmake: *** [all] Error 2\n"));
  }
}
