package dev.nss.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rows of KnownFailures that need an engine to refuse something this machine's engines do not
 * refuse (a registry that wants a login, a start that the runtime fails, a docker client without
 * buildx): a stand-in CLI ({@code it/stand-ins/failing-cli}, named docker or podman) prints the
 * engine's error text as users report it and exits with the engine's code; the goal's message names
 * the row's cause and fix. No engine is needed, so each runs once.
 */
class KnownFailureIT {

  /**
   * @param cli the stand-in's file name: docker or podman
   * @param goal with its properties, as Maven's arguments
   * @param message a part of the goal's error that only this row writes
   */
  record Refusal(
      String row,
      String cli,
      List<String> goal,
      String verb,
      int exit,
      String text,
      String message) {
    @Override
    public String toString() {
      return row + " (" + cli + " " + verb + " exit " + exit + ")";
    }
  }

  static final List<String> BUILD = List.of("-Dnss.image=nss-it/never:1", "nss:build-gpu");
  static final List<String> RUN =
      List.of(
          "-Dnss.image=nss-it/never:1", "-Dnss.skipBuild=true", "-Dnss.gpuFlag=", "nss:run-gpu");
  static final List<String> PUSH =
      List.of(
          "-Dnss.image=nss-it/never:1",
          "-Dnss.registry=registry.example:5000/team",
          "nss:push-gpu");

  static Stream<Refusal> refusals() throws IOException {
    String noBuildx =
        Files.readString(
            ItEnv.root()
                .resolve(
                    "maven-plugin/src/test/resources/doctor/docker/buildkit-no-buildx-client-28.2.err"));
    return Stream.of(
        new Refusal(
            "no-buildx",
            "docker",
            BUILD,
            "build",
            1,
            noBuildx,
            "has BuildKit enabled but no buildx plugin (exit code 1). Use a docker client with"
                + " buildx, or the engine's own client, e.g. -Dnss.containerCli=/usr/bin/docker."),
        new Refusal(
            "native-agent-build",
            "podman",
            BUILD,
            "build",
            125,
            "[agent-native-build 3/4] STEP 3/4: RUN native-image\n"
                + "Error: building at STEP 3/4: exit status 1",
            "The image's native agent builder stage (agent-native-build: GraalVM native-image)"
                + " failed"),
        new Refusal(
            "registry-refused",
            "docker",
            PUSH,
            "push",
            1,
            "unauthorized: authentication required",
            "push` (exit code 1): not logged in, or no permission to push there. Set"
                + " nss.registryServerId"),
        new Refusal(
            "registry-tls",
            "docker",
            PUSH,
            "push",
            1,
            "Get \"https://registry.example:5000/v2/\": http: server gave HTTP response to HTTPS"
                + " client",
            "could not talk TLS to the registry (exit code 1): Get"
                + " \"https://registry.example:5000/v2/\": http: server gave HTTP response to HTTPS"
                + " client. For a plain-HTTP registry set -Dnss.registryInsecure=true"),
        new Refusal(
            "no-cdi-spec",
            "podman",
            RUN,
            "create",
            125,
            "Error: setting up CDI devices: unresolvable CDI devices nvidia.com/gpu=all",
            "The container did not start: podman found no CDI spec for the GPU devices"),
        new Refusal(
            "create-failed",
            "docker",
            RUN,
            "create",
            125,
            "Error response from daemon: invalid mount config for type \"bind\": bind source path"
                + " does not exist: /nope",
            "create` could not create the container (exit code 125; the engine's reason is"
                + " above)."),
        new Refusal(
            "start-refused-by-daemon",
            "docker",
            RUN,
            "start",
            1,
            "Error response from daemon: failed to set up container networking",
            "start` could not start the container (exit code 1; the engine's reason is above)."),
        new Refusal(
            "start-refused-by-podman",
            "podman",
            RUN,
            "start",
            125,
            "Error: unable to start container c1: crun: cannot mount",
            "start` could not start the container (exit code 125; the engine's reason is above)."),
        new Refusal(
            "entrypoint-not-executed",
            "docker",
            RUN,
            "start",
            127,
            "Error response from daemon: failed to create shim task: OCI runtime create failed: runc"
                + " create failed: unable to start container process: exec: \"tini\": executable"
                + " file not found in $PATH: unknown",
            "The container engine could not start the container's command ("));
  }

  @ParameterizedTest
  @MethodSource("refusals")
  void theEnginesRefusalIsNamed(Refusal r) throws IOException {
    Path dir = ItEnv.work().resolve(Fixtures.RUN_ID).resolve("stand-in-cli").resolve(r.row());
    Path cli = dir.resolve("bin").resolve(r.cli());
    SampleProject project = SampleProject.fresh("safe-synthesizer", dir, cli.toString());
    Files.createDirectories(cli.getParent());
    Files.copy(ItEnv.root().resolve("it/stand-ins/failing-cli"), cli);
    cli.toFile().setExecutable(true, false);
    Path calls = dir.resolve("calls.log");
    MavenBuild maven = project.maven(r.goal().get(r.goal().size() - 1));
    for (String arg : r.goal().subList(0, r.goal().size() - 1)) {
      String[] kv = arg.substring(2).split("=", 2);
      maven.property(kv[0], kv[1]);
    }
    BuildLog log =
        maven
            .env("NSS_STANDIN_VERB", r.verb())
            .env("NSS_STANDIN_EXIT", Integer.toString(r.exit()))
            .env("NSS_STANDIN_TEXT", r.text())
            .env("NSS_STANDIN_LOG", calls.toString())
            .run();
    assertFalse(log.succeeded(), log::describe);
    assertTrue(
        Files.readAllLines(calls).stream().anyMatch(l -> l.startsWith(r.verb() + " ")),
        () -> "the stand-in was not asked to " + r.verb() + ":\n" + log.describe());
    assertTrue(log.all().contains(r.message()), log::describe);
    assertEquals(List.of(), log.stackTraceLines(), log::describe);
  }
}
