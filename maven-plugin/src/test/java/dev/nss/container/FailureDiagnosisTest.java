package dev.nss.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class FailureDiagnosisTest {

  private static String explain(List<String> argv, int exitCode, String output) {
    return FailureDiagnosis.explain(argv, null, exitCode, output, null);
  }

  @Test
  void aFailedCallWithoutAVerbStillGetsAMessage() {
    assertEquals(
        "`docker ` failed with exit code 1. See its output above, fix the cause and run again.",
        explain(List.of("docker"), 1, "boom\n"));
  }

  @Test
  void buildxBuildsGetThePullAndNativeAgentExplanationsToo() {
    String pull =
        " > [internal] load metadata for docker.io/library/python:3.11-slim:\nnot found\n";
    String message = explain(List.of("docker", "buildx", "build"), 1, pull);
    assertTrue(
        message.startsWith(
            "Could not pull the base image docker.io/library/python:3.11-slim: the registry has no"
                + " such image or tag (`docker buildx` exit code 1). It is chosen by the build argument"
                + " PYTHON_IMAGE (now python:3.11-slim)"),
        message);
    String nativeStage = "#12 [agent-native-build 3/4] RUN native-image ...\nERROR: exit code 1\n";
    for (String verb : List.of("build", "buildx")) {
      assertEquals(
          "The image's native agent builder stage (agent-native-build: GraalVM native-image) failed"
              + " (`docker "
              + verb
              + "` exit code 1; its output is above). Build the agent as a JVM distribution instead:"
              + " -Dnss.entrypointBuild=jvm.",
          explain(List.of("docker", verb), 1, nativeStage));
    }
    assertEquals(
        "`docker push` failed with exit code 1. See its output above, fix the cause and run again.",
        explain(List.of("docker", "push"), 1, pull + nativeStage),
        "only builds are explained as pull or builder-stage failures");
  }

  @Test
  void aPushOrManifestThatCannotTalkTlsNamesTheInsecureSetting() {
    String http =
        "Get \"https://127.0.0.1:5055/v2/\": http: server gave HTTP response to HTTPS client\n";
    assertEquals(
        "`docker push` could not talk TLS to the registry (exit code 1): Get"
            + " \"https://127.0.0.1:5055/v2/\": http: server gave HTTP response to HTTPS client. For a"
            + " plain-HTTP registry set -Dnss.registryInsecure=true (docker: also list it in the"
            + " daemon's insecure-registries unless it is on 127.0.0.0/8).",
        explain(List.of("docker", "push", "127.0.0.1:5055/app:1"), 1, http));
    String certificate = "x509: certificate signed by unknown authority\n";
    assertTrue(
        explain(List.of("podman", "manifest", "push"), 125, certificate)
            .startsWith(
                "`podman manifest` could not talk TLS to the registry (exit code 125): x509:"
                    + " certificate signed by unknown authority. For a plain-HTTP registry"),
        certificate);
    assertEquals(
        "`docker push` failed with exit code 1. See its output above, fix the cause and run again.",
        explain(List.of("docker", "push"), 1, "received unexpected HTTP status: 500\n"));
  }

  @Test
  void aRunTheEngineRefusedIsNotTheProgramsExitCode() {
    String refused = "docker: Error response from daemon: invalid mount config.\n";
    assertEquals(
        "`docker run` could not start the container (exit code 125; the engine's reason is above)."
            + " Check the image name, nss.gpuFlag, nss.extraMounts and nss.shmSize.",
        explain(List.of("docker", "run", "img"), 125, refused));
    assertEquals(
        "The container exited with code 1 (`docker run`). See its output above; fix the command"
            + " (nss.cmd) or the image and run again.",
        explain(List.of("docker", "run", "img"), 1, "Traceback (most recent call last):\n"));
  }

  @Test
  void theDaemonsErrorAtTheStartOfALineIsTheEnginesOwn126() {
    String output =
        "Error response from daemon: failed to create task: exec: \"/app\": permission denied\n"
            + "Error: failed to start containers: c1\n";
    String message = explain(List.of("docker", "start", "-a", "c1"), 126, output);
    assertTrue(
        message.startsWith(
            "The container engine could not start the container's command (docker exit code 126:"
                + " Error response from daemon: failed to create task"),
        message);
  }

  @Test
  void exitCodesByASignalAre129To192() {
    assertTrue(!FailureDiagnosis.bySignal(128));
    assertTrue(FailureDiagnosis.bySignal(129));
    assertTrue(FailureDiagnosis.bySignal(192));
    assertTrue(!FailureDiagnosis.bySignal(193));
    assertTrue(
        explain(List.of("docker", "start"), 129, "")
            .contains("the program was ended by signal 1 (SIGHUP)."));
    assertTrue(
        explain(List.of("docker", "start"), 192, "")
            .contains("the program was ended by signal 64."));
  }

  @Test
  void aRunCutOffFromTheEngineSaysHowToRemoveTheContainer() {
    String lost = "error waiting for container: unexpected EOF\n";
    assertTrue(
        FailureDiagnosis.explain(
                List.of("podman", "start", "-a", "c1"), "nss-run-1", 125, lost, null)
            .endsWith("once the engine is back, `podman rm -f --time 0 nss-run-1`."));
    assertTrue(
        FailureDiagnosis.explain(List.of("docker", "start", "-a", "c1"), "nss-run-1", 1, lost, null)
            .endsWith("once the engine is back, `docker rm -f nss-run-1`."));
  }
}
