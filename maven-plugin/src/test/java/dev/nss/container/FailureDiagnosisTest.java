package dev.nss.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class FailureDiagnosisTest {

  /** A failed call, the rule that must explain it, and (null: not pinned here) its message. */
  record Case(
      String rule,
      List<String> argv,
      String container,
      int exitCode,
      String output,
      String dockerHost,
      String message) {

    String explained() {
      return FailureDiagnosis.explain(argv, container, exitCode, output, dockerHost);
    }

    String ruleId() {
      return FailureDiagnosis.rule(
              FailureDiagnosis.failure(argv, container, exitCode, output, dockerHost, false))
          .id();
    }

    @Override
    public String toString() {
      return rule + ": " + String.join(" ", argv) + " exit " + exitCode;
    }
  }

  /** A failure of {@code command} (words split at spaces) that {@code rule} explains. */
  private static Case is(
      String rule, String command, String container, int exitCode, String output) {
    return new Case(rule, List.of(command.split(" ")), container, exitCode, output, null, null);
  }

  private static final String RUN_SETTINGS =
      " Check the image name, nss.gpuFlag, nss.extraMounts and nss.shmSize.";

  /**
   * Failures of each rule, at least one of each with its whole message (the others: other outputs
   * the rule matches).
   */
  static Stream<Case> eachRule() {
    return Stream.of(
        new Case(
            "no-gpu-driver",
            List.of("docker", "run", "img"),
            null,
            125,
            "docker: Error response from daemon: could not select device driver \"\" with"
                + " capabilities: [[gpu]].\n",
            null,
            "The container engine has no GPU device driver (docker exit code 125: could not select"
                + " device driver). Install the NVIDIA Container Toolkit and run `sudo nvidia-ctk"
                + " runtime configure --runtime=docker`, then restart the engine; or run without a"
                + " GPU with an empty nss.gpuFlag (-Dnss.gpuFlag=)."),
        new Case(
            "engine-unreachable",
            List.of("docker", "build", "."),
            null,
            1,
            "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker"
                + " daemon running?\n",
            "unix:///var/run/docker.sock",
            "The container engine is unreachable (docker exit code 1,"
                + " DOCKER_HOST=unix:///var/run/docker.sock). Start the engine (e.g. `sudo"
                + " systemctl start docker` or `podman system service`), or point DOCKER_HOST at a"
                + " running one."),
        new Case(
            "engine-unreachable",
            List.of("docker", "buildx", "build"),
            null,
            1,
            "failed to dial gRPC: cannot connect to the Docker daemon. Is 'docker daemon' running"
                + " on this host?\n",
            null,
            "The container engine is unreachable (docker exit code 1, DOCKER_HOST=<unset>). Start"
                + " the engine (e.g. `sudo systemctl start docker` or `podman system service`), or"
                + " point DOCKER_HOST at a running one."),
        is("engine-unreachable", "docker push", null, 1, "Is the docker daemon running?\n"),
        new Case(
            "engine-unreachable",
            List.of("podman", "run", "img"),
            null,
            125,
            "Error: Cannot connect to Podman. Please verify your connection to the Linux system\n",
            null,
            "The container engine is unreachable (podman exit code 125, DOCKER_HOST=<unset>)."
                + " Start the engine (e.g. `sudo systemctl start docker` or `podman system"
                + " service`), or point DOCKER_HOST at a running one."),
        new Case(
            "engine-lost-during-run",
            List.of("podman", "start", "--attach", "c1"),
            "nss-run-1",
            125,
            "error waiting for container: unexpected EOF\n",
            null,
            "Lost the connection to the container engine while container nss-run-1 ran (podman"
                + " exit code 125, DOCKER_HOST=<unset>). It may still be running: once the engine is"
                + " back, `podman rm -f --time 0 nss-run-1`."),
        new Case(
            "engine-lost-during-run",
            List.of("docker", "start", "--attach", "c1"),
            "nss-run-1",
            1,
            "error during connect: Post \"http://%2Fvar%2Frun%2Fdocker.sock/v1.47/containers/c1/start\":"
                + " EOF\n",
            "unix:///var/run/docker.sock",
            "Lost the connection to the container engine while container nss-run-1 ran (docker"
                + " exit code 1, DOCKER_HOST=unix:///var/run/docker.sock). It may still be running:"
                + " once the engine is back, `docker rm -f nss-run-1`."),
        new Case(
            "engine-lost",
            List.of("docker", "build", "."),
            null,
            1,
            "ERROR: failed to solve: error reading from server: unexpected EOF\n",
            "tcp://10.0.0.1:2376",
            "Lost the connection to the container engine while `docker build` ran (exit code 1,"
                + " DOCKER_HOST=tcp://10.0.0.1:2376). Once the engine is back, run the goal again."),
        new Case(
            "no-buildx",
            List.of("docker", "build", "."),
            null,
            1,
            "ERROR: BuildKit is enabled but the buildx component is missing or broken.\n"
                + "       Install the buildx component to build images with BuildKit:\n"
                + "       https://docs.docker.com/go/buildx/\n",
            null,
            "The docker client `docker` has BuildKit enabled but no buildx plugin (exit code 1)."
                + " Use a docker client with buildx, or the engine's own client, e.g."
                + " -Dnss.containerCli=/usr/bin/docker."),
        new Case(
            "base-image-pull",
            List.of("docker", "buildx", "build"),
            null,
            1,
            " > [internal] load metadata for docker.io/library/python:3.11-slim:\nnot found\n",
            null,
            "Could not pull the base image docker.io/library/python:3.11-slim: the registry has no"
                + " such image or tag (`docker buildx` exit code 1). It is chosen by the build"
                + " argument PYTHON_IMAGE (now python:3.11-slim): point it at a registry mirror that"
                + " has the image, in the plugin's configuration:"
                + " <buildArgs><PYTHON_IMAGE>mirror.example/python:3.11-slim</PYTHON_IMAGE></buildArgs>;"
                + " or log in to that registry, or load the image into the engine."),
        new Case(
            "native-agent-build",
            List.of("podman", "build", "."),
            null,
            125,
            "[agent-native-build 3/4] STEP 3/4: RUN native-image\nError: building at STEP 3/4:"
                + " exit status 1\n",
            null,
            "The image's native agent builder stage (agent-native-build: GraalVM native-image)"
                + " failed (`podman build` exit code 125; its output is above). Build the agent as a"
                + " JVM distribution instead: -Dnss.entrypointBuild=jvm."),
        new Case(
            "login",
            List.of("docker", "login", "--username", "u", "--password-stdin", "registry.example"),
            null,
            1,
            "Error response from daemon: Get \"https://registry.example/v2/\": unauthorized:"
                + " incorrect username or password\n",
            null,
            "`docker login` failed with exit code 1: Error response from daemon: Get"
                + " \"https://registry.example/v2/\": unauthorized: incorrect username or password."),
        new Case(
            "registry-refused",
            List.of("docker", "push", "registry.example/app:1"),
            null,
            1,
            "unauthorized: authentication required\n",
            null,
            "The registry refused `docker push` (exit code 1): not logged in, or no permission to"
                + " push there. Set nss.registryServerId to the id of a settings.xml <server> with"
                + " its credentials, or log in with `docker login` before the build."),
        new Case(
            "registry-refused",
            List.of("podman", "manifest", "push", "app", "registry.example/app:1"),
            null,
            125,
            "Error: writing manifest: requested access to the resource is denied\n",
            null,
            "The registry refused `podman manifest` (exit code 125): not logged in, or no"
                + " permission to push there. Set nss.registryServerId to the id of a settings.xml"
                + " <server> with its credentials, or log in with `podman login` before the build."),
        is(
            "registry-refused",
            "docker push registry.example/app:1",
            null,
            1,
            "no basic auth credentials\n"),
        is(
            "registry-refused",
            "docker push registry.example/app:1",
            null,
            1,
            "Authentication Required\n"),
        is(
            "registry-refused",
            "docker push img",
            null,
            1,
            "Error response from daemon: login attempt failed: denied\n"),
        new Case(
            "registry-tls",
            List.of("podman", "manifest", "push", "app", "registry.example/app:1"),
            null,
            125,
            "Error: pinging registry: x509: certificate signed by unknown authority\n",
            null,
            "`podman manifest` could not talk TLS to the registry (exit code 125): Error: pinging"
                + " registry: x509: certificate signed by unknown authority. For a plain-HTTP"
                + " registry set -Dnss.registryInsecure=true (docker: also list it in the daemon's"
                + " insecure-registries unless it is on 127.0.0.0/8)."),
        new Case(
            "no-cdi-spec",
            List.of("podman", "run", "--device", "nvidia.com/gpu=all", "img"),
            null,
            126,
            "Error: setting up CDI devices: unresolvable CDI devices nvidia.com/gpu=all\n",
            null,
            "The container did not start: podman found no CDI spec for the GPU devices (podman run"
                + " exit code 126: Error: setting up CDI devices: unresolvable CDI devices"
                + " nvidia.com/gpu=all). Install the NVIDIA Container Toolkit and generate the spec:"
                + " sudo nvidia-ctk cdi generate --output=/etc/cdi/nvidia.yaml (or run without a"
                + " GPU: -Dnss.gpuFlag=)."),
        new Case(
            "run-refused",
            List.of("docker", "run", "img"),
            null,
            125,
            "docker: Error response from daemon: invalid mount config.\n",
            null,
            "`docker run` could not start the container (exit code 125; the engine's reason is"
                + " above)."
                + RUN_SETTINGS),
        new Case(
            "create-failed",
            List.of("podman", "create", "--name", "nss-run-1", "img"),
            "nss-run-1",
            125,
            "Error: short-name resolution enforced but cannot prompt without a TTY\n",
            null,
            "`podman create` could not create the container (exit code 125; the engine's reason"
                + " is above)."
                + RUN_SETTINGS),
        new Case(
            "create-failed",
            List.of("docker", "create", "img"),
            null,
            1,
            "",
            null,
            "`docker create` could not create the container (exit code 1; the engine's reason is"
                + " above)."
                + RUN_SETTINGS),
        new Case(
            "start-refused-by-daemon",
            List.of("docker", "start", "--attach", "c1"),
            "nss-run-1",
            1,
            "Error response from daemon: failed to set up container networking\n",
            null,
            "`docker start` could not start the container (exit code 1; the engine's reason is"
                + " above)."
                + RUN_SETTINGS),
        new Case(
            "start-refused-by-podman",
            List.of("podman", "start", "--attach", "c1"),
            "nss-run-1",
            125,
            "Error: unable to start container c1: crun: cannot mount\n",
            null,
            "`podman start` could not start the container (exit code 125; the engine's reason is"
                + " above)."
                + RUN_SETTINGS),
        new Case(
            "entrypoint-not-executed",
            List.of("docker", "start", "-a", "c1"),
            null,
            126,
            "Error response from daemon: failed to create task: exec: \"/app\": permission"
                + " denied\nError: failed to start containers: c1\n",
            null,
            "The container engine could not start the container's command (docker exit code 126:"
                + " Error response from daemon: failed to create task: exec: \"/app\": permission"
                + " denied); the program did not run. Check the image's entrypoint and nss.cmd."),
        new Case(
            "entrypoint-not-executed",
            List.of("podman", "run", "img"),
            null,
            127,
            "Error: crun: executable file `nope` not found in $PATH\n",
            null,
            "The container engine could not start the container's command (podman exit code 127:"
                + " Error: crun: executable file `nope` not found in $PATH); the program did not"
                + " run. Check the image's entrypoint and nss.cmd."),
        new Case(
            "command-not-executed",
            List.of("docker", "run", "img"),
            null,
            127,
            "/bin/sh: 1: nope: not found\n",
            null,
            "The command in the container could not be found (exit code 127). Check nss.cmd and"
                + " the image's entrypoint; if the program did run, it exited with 127 itself."),
        new Case(
            "command-not-executed",
            List.of("podman", "start", "--attach", "c1"),
            "nss-run-1",
            126,
            "/bin/sh: 1: ./train.sh: Permission denied\n",
            null,
            "The command in the container could not be executed (exit code 126). Check nss.cmd"
                + " and the image's entrypoint; if the program did run, it exited with 126 itself."),
        new Case(
            "program-failed",
            List.of("docker", "start", "--attach", "c1"),
            "nss-run-1",
            137,
            "Killed\n",
            null,
            "The container exited with code 137 (`docker start`): the program was ended by signal 9"
                + " (SIGKILL; often the out-of-memory killer, or `docker stop` after its timeout)."
                + " See its output above; fix the command (nss.cmd) or the image and run again."),
        new Case(
            "program-failed",
            List.of("/usr/bin/podman", "start", "--attach", "c1"),
            "nss-run-1",
            137,
            "",
            null,
            "The container exited with code 137 (`/usr/bin/podman start`): the program was ended by"
                + " signal 9 (SIGKILL; often the out-of-memory killer, or `podman stop` after its"
                + " timeout)."
                + " See its output above; fix the command (nss.cmd) or the image and run again."),
        new Case(
            "program-failed",
            List.of("podman", "run", "img"),
            null,
            2,
            "usage: train.py [-h]\n",
            null,
            "The container exited with code 2 (`podman run`). See its output above; fix the"
                + " command (nss.cmd) or the image and run again."),
        new Case(
            "other",
            List.of("podman", "rm", "-f", "c1"),
            null,
            2,
            "Error: no container with name or ID \"c1\" found\n",
            null,
            "`podman rm` failed with exit code 2. See its output above, fix the cause and run"
                + " again."));
  }

  /** Failures that look like a rule's but are not its, each beside the boundary it tests. */
  static Stream<Case> nearMisses() {
    String lost = "error waiting for container: unexpected EOF\n";
    String daemon = "Error response from daemon: conflict\n";
    return Stream.of(
        // The engine lost during a run only when there is a run's container to remove.
        is("engine-lost", "docker start c1", null, 1, lost),
        // docker start's cut-off request ends in ": EOF" and starts with "error during connect:".
        is(
            "program-failed",
            "docker start c1",
            "nss-run-1",
            2,
            "error during connect: Post \"http://h/start\": dial unix: permission denied\n"),
        is("program-failed", "docker start c1", "nss-run-1", 2, "read from daemon: EOF\n"),
        // "unexpected EOF" must end the last line.
        is("other", "docker tag a b", null, 1, "unexpected EOF while reading\n"),
        // Registry refusals and TLS failures are the push verbs', base image pulls and native
        // stages the builds'.
        is("other", "docker pull img", null, 1, "unauthorized: authentication required\n"),
        is("other", "docker pull img", null, 1, "x509: certificate signed by unknown authority\n"),
        is(
            "other",
            "docker tag a b",
            null,
            1,
            " > [internal] load metadata for docker.io/library/python:3.11-slim:\nnot found\n"
                + "#12 [agent-native-build 3/4] RUN native-image\n"),
        // A failed build, push, tag or rm that no rule knows.
        is("other", "docker build .", null, 1, "RUN make\nmake: *** [all] Error 2\n"),
        is(
            "other",
            "docker push img",
            null,
            1,
            "received unexpected HTTP status: 500 Internal Server Error\n"),
        is(
            "other",
            "docker tag a b",
            null,
            1,
            "Error response from daemon: No such image: a:latest\n"),
        is(
            "other",
            "podman rm c1",
            null,
            125,
            "Error: no container with name or ID \"c1\" found\n"),
        // A run's 125 is the engine's; its other codes are the program's.
        is("program-failed", "docker run img", null, 124, daemon),
        // docker's start refused: exit 1 after the daemon's error; podman's: 125 after "Error: ".
        is("program-failed", "docker start c1", "nss-run-1", 2, daemon),
        is("program-failed", "docker start c1", "nss-run-1", 1, "Error: conflict\n"),
        is(
            "program-failed",
            "podman start c1",
            "nss-run-1",
            125,
            "Traceback (most recent call last):\n"),
        is("program-failed", "podman start c1", "nss-run-1", 1, "Error: conflict\n"),
        // 126 and 127 are "could not execute" only for the verbs that run the program.
        is("other", "docker exec c1 nope", null, 127, "Error response from daemon: exec failed\n"),
        is("program-failed", "docker run img", null, 128, ""));
  }

  @ParameterizedTest
  @MethodSource("eachRule")
  void eachRuleExplainsItsFailure(Case c) {
    assertEquals(c.rule(), c.ruleId());
    if (c.message() != null) {
      assertEquals(c.message(), c.explained());
    }
  }

  @ParameterizedTest
  @MethodSource("nearMisses")
  void aFailureNextToARuleIsNotItsOwn(Case c) {
    assertEquals(c.rule(), c.ruleId());
  }

  @Test
  void everyRuleHasAPinnedFailure() {
    Set<String> rules = new TreeSet<>();
    KnownFailures.RULES.forEach(rule -> rules.add(rule.id()));
    rules.add(KnownFailures.OTHERWISE.id());
    assertEquals(KnownFailures.RULES.size() + 1, rules.size(), "rule ids are unique");
    Set<String> pinned =
        eachRule()
            .filter(c -> c.message() != null)
            .map(Case::rule)
            .collect(Collectors.toCollection(TreeSet::new));
    pinned.addAll(GpuFailuresTest.pinnedIds()); // the GPU rows: GpuFailuresTest
    assertEquals(rules, pinned);
  }

  @Test
  void theSignalsThatEndProgramsAreNamed() {
    Map<Integer, String> names =
        Map.of(
            2, "SIGINT", 3, "SIGQUIT", 6, "SIGABRT", 11, "SIGSEGV", 13, "SIGPIPE", 15, "SIGTERM");
    for (Map.Entry<Integer, String> named : names.entrySet()) {
      int signal = named.getKey();
      String name = named.getValue();
      assertEquals(
          "The container exited with code "
              + (128 + signal)
              + " (`podman run`): the program was ended by signal "
              + signal
              + " ("
              + name
              + "). See its output above; fix the command (nss.cmd) or the image and run again.",
          explain(List.of("podman", "run", "img"), 128 + signal, ""));
    }
  }

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
