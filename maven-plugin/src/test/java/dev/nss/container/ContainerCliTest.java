package dev.nss.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nss.core.CommandFailedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerCliTest {

  @TempDir Path tmp;
  Fixture f;

  @BeforeEach
  void setUp() throws Exception {
    f = new Fixture(tmp);
    f.answered("docker", "/usr/bin/docker", "podman"); // the question: EngineQuestionTest
  }

  @Test
  void commandIsLoggedAsOneQuotedLineThenItsOutputStreams() throws Exception {
    f.processes.on("build", "echo step 1; echo 'step 2' >&2; echo \"cwd=$(pwd)\"");
    f.cli().stream(List.of("docker", "build", "--label", "a=b c", "."));
    assertEquals(
        List.of(
            "docker build --label 'a=b c' .", "step 1", "step 2", "cwd=" + f.project.toRealPath()),
        f.log);
  }

  @Test
  void dockerGetsBuildKitOthersDoNot() throws Exception {
    f.processes.on("build", "echo \"BUILDKIT=${DOCKER_BUILDKIT:-unset}\"");
    f.cli().stream(List.of("/usr/bin/docker", "build", "."));
    f.cli().stream(List.of("podman", "build", "."));
    assertEquals("BUILDKIT=1", f.log.get(1));
    assertEquals(
        "BUILDKIT="
            + (System.getenv("DOCKER_BUILDKIT") == null
                ? "unset"
                : System.getenv("DOCKER_BUILDKIT")),
        f.log.get(3));
  }

  @Test
  void nonZeroExitFailsWithTheCode() {
    f.processes.on("build", "echo 'ERROR: failed to solve'; exit 17");
    CommandFailedException e =
        assertThrows(
            CommandFailedException.class, () -> f.cli().stream(List.of("docker", "build", ".")));
    assertEquals(17, e.exitCode());
    assertTrue(e.getMessage().contains("exit code 17"), e.getMessage());
  }

  @Test
  void runExitCodeIsInTheMessageAndStreamsStayTheUsers() {
    f.processes.on("start", "echo to-stdout; echo to-stderr >&2; exit 3");
    CommandFailedException e =
        assertThrows(
            CommandFailedException.class,
            () -> f.cli().run(create("nss-run-x"), "nss-run-x", false));
    assertEquals(3, e.exitCode());
    assertTrue(e.getMessage().contains("exited with code 3 (`docker start`)"), e.getMessage());
    assertEquals("to-stderr\n", f.stderr(), "stderr is passed on");
    assertEquals(
        List.of("docker create --name nss-run-x img", "docker start --attach id-nss-run-x"),
        f.log,
        "stdout is inherited, not logged");
    assertEquals(
        List.of(List.of("docker", "rm", "-f", "id-nss-run-x")),
        f.processes.verbs("rm"),
        "a container whose start failed is removed by its id");
  }

  @Test
  void missingGpuDriverNamesGpuFlagAndTheToolkitFix() {
    f.processes.on(
        "start",
        "echo 'Error response from daemon: could not select device driver \"\" with "
            + "capabilities: [[gpu]]' >&2; exit 1");
    CommandFailedException e =
        assertThrows(
            CommandFailedException.class,
            () ->
                f.cli()
                    .run(
                        List.of("docker", "create", "--name", "n", "--gpus", "all", "img"),
                        "n",
                        false));
    assertEquals(1, e.exitCode());
    assertTrue(e.getMessage().contains("nss.gpuFlag"), e.getMessage());
    assertTrue(
        e.getMessage().contains("nvidia-ctk runtime configure --runtime=docker"), e.getMessage());
    assertTrue(f.stderr().contains("could not select device driver"), "still shown to the user");
  }

  @Test
  void unreachableEngineNamesDockerHost() {
    CommandFailedException e =
        buildFailsUnder(
            "unix:///nonexistent.sock",
            "echo 'Cannot connect to the Docker "
                + "daemon at unix:///nonexistent.sock. Is the docker daemon running?' >&2; exit 1");
    assertTrue(e.getMessage().contains("DOCKER_HOST=unix:///nonexistent.sock"), e.getMessage());
    assertTrue(e.getMessage().contains("Start the engine"), e.getMessage());
  }

  @Test
  void unreachableEngineUnderBuildKitNamesDockerHost() {
    CommandFailedException e =
        buildFailsUnder(
            "unix:///nonexistent.sock",
            "echo 'failed to dial gRPC: cannot "
                + "connect to the Docker daemon. Is '\\''docker daemon'\\'' running on this host?: dial unix "
                + "/nonexistent.sock: connect: no such file or directory' >&2; exit 1");
    assertTrue(e.getMessage().contains("DOCKER_HOST=unix:///nonexistent.sock"), e.getMessage());
    assertTrue(e.getMessage().contains("Start the engine"), e.getMessage());
  }

  @Test
  void engineLostDuringARunSaysTheContainerMayStillRun() {
    f.processes.on("start", "echo 'error waiting for container: unexpected EOF' >&2; exit 125");
    ContainerCli cli =
        new ContainerCli(f.processes, f.project, f.log::add, false, System.err, "unix:///x.sock");
    CommandFailedException e =
        assertThrows(
            CommandFailedException.class, () -> cli.run(create("nss-run-x"), "nss-run-x", false));
    assertEquals(125, e.exitCode());
    assertTrue(
        e.getMessage()
            .startsWith(
                "Lost the connection to the container engine while container nss-run-x ran "
                    + "(docker exit code 125, DOCKER_HOST=unix:///x.sock). It may still be running"),
        e.getMessage());
    assertTrue(
        e.getMessage().endsWith("once the engine is back, `docker rm -f nss-run-x`."),
        e.getMessage());
  }

  @Test
  void engineLostWhileAnsweringTheStartSaysTheContainerMayStillRun() {
    f.processes.on(
        "start",
        "echo 'time=\"x\" level=error msg=\"error waiting for container: context canceled\"' >&2; "
            + "echo 'error during connect: Post \"http://%2Ftmp%2Fd.sock/v1.41/containers/id-x/start\": EOF' >&2; exit 1");
    CommandFailedException e =
        assertThrows(
            CommandFailedException.class,
            () -> f.cli().run(create("nss-run-x"), "nss-run-x", false));
    assertTrue(
        e.getMessage()
            .startsWith(
                "Lost the connection to the container engine while container nss-run-x ran"),
        e.getMessage());
  }

  @Test
  void engineLostDuringABuildSaysSo() {
    CommandFailedException e =
        buildFailsUnder(
            "unix:///x.sock", "echo '#7 [2/3] RUN true'; echo 'unexpected EOF' >&2; exit 1");
    assertTrue(
        e.getMessage()
            .startsWith(
                "Lost the connection to the container engine while `docker build` ran "
                    + "(exit code 1, DOCKER_HOST=unix:///x.sock). Once the engine is back, run the goal again."),
        e.getMessage());
    e =
        buildFailsUnder(
            "unix:///x.sock",
            "echo 'go: unexpected EOF'; echo 'ERROR: process did not complete'; exit 1");
    assertTrue(
        e.getMessage().contains("`docker build` failed with exit code 1"),
        "only the last line counts: " + e.getMessage());
  }

  @Test
  void dockerWithoutBuildxSaysWhichClientToUse() {
    f.processes.on(
        "build",
        "echo 'ERROR: BuildKit is enabled but the buildx component is missing or broken.' >&2;"
            + " exit 1");
    CommandFailedException e =
        assertThrows(
            CommandFailedException.class, () -> f.cli().stream(List.of("docker", "build", ".")));
    assertTrue(e.getMessage().contains("-Dnss.containerCli=/usr/bin/docker"), e.getMessage());
  }

  @Test
  void aFailedNativeAgentStageNamesTheJvmFallback() {
    f.processes.on(
        "build",
        "echo '#9 ERROR: process \"/bin/sh -c native-image -cp nss-entrypoint.jar\" did not"
            + " complete successfully' >&2; echo '> [agent-native-build 3/3] RUN native-image' >&2; exit 1");
    CommandFailedException e =
        assertThrows(
            CommandFailedException.class, () -> f.cli().stream(List.of("docker", "build", ".")));
    assertTrue(e.getMessage().contains("agent-native-build"), e.getMessage());
    assertTrue(e.getMessage().endsWith("-Dnss.entrypointBuild=jvm."), e.getMessage());
  }

  @Test
  void missingCliIsReported() {
    ContainerCli cli =
        new ContainerCli(ProcessBuilder::new, f.project, f.log::add, false, System.err, null);
    CommandFailedException e =
        assertThrows(
            CommandFailedException.class,
            () -> cli.stream(List.of(tmp.resolve("no-such-docker").toString(), "build", ".")));
    assertTrue(e.getMessage().contains("nss.containerCli"), e.getMessage());
  }

  @Test
  void aDirectoryThatCannotBeCreatedNamesTheSettingItCameFrom() throws Exception {
    Path file = Files.writeString(tmp.resolve("a-file"), "");
    CommandFailedException e =
        assertThrows(
            CommandFailedException.class,
            () -> f.cli().mkdirs("nss.someDir", tmp.resolve("ok"), file.resolve("sub")));
    assertEquals(-1, e.exitCode());
    assertTrue(
        e.getMessage().startsWith("Could not create " + file.resolve("sub") + " ("),
        e.getMessage());
    assertTrue(
        e.getMessage().endsWith("). Create it yourself or choose another nss.someDir."),
        e.getMessage());
    assertTrue(Files.isDirectory(tmp.resolve("ok")));
    assertEquals(List.of("mkdir -p " + tmp.resolve("ok") + " " + file.resolve("sub")), f.log);
  }

  @Test
  void aRunsHfCacheThatCannotBeCreatedNamesNssHfCache() throws Exception {
    Files.writeString(f.project.resolve(".hf_cache"), ""); // its mount point in the project
    CommandFailedException e =
        assertThrows(
            CommandFailedException.class,
            () -> f.goals().runGpu(f.settings().projectVersion("1"), false, true));
    assertTrue(e.getMessage().endsWith(" choose another nss.hfCache."), e.getMessage());
    assertEquals(List.of(), f.processes.verbs("create"), "nothing was run");
  }

  @Test
  void dryRunLogsEveryCommandAndRunsNothing() throws Exception {
    f.dryRun = true;
    Files.writeString(f.project.resolve(".dockerignore"), ".env\n"); // else a warning is logged
    f.goals().runGpu(f.settings().projectVersion("1"), false, false);
    assertTrue(f.processes.calls.isEmpty(), "nothing ran: " + f.processes.calls);
    assertFalse(Files.exists(f.hfCache), "not even the mkdir");
    assertFalse(Files.exists(f.project.resolve(".nss-build")), "nothing staged");
    assertEquals(4, f.log.size(), f.log.toString());
    assertTrue(
        f.log
            .get(0)
            .startsWith("[dry-run] docker build --platform linux/amd64 --tag nss-gpu:latest"));
    assertEquals(
        "[dry-run] mkdir -p " + f.hfCache + " " + f.project.resolve(".hf_cache"), f.log.get(1));
    assertTrue(
        f.log
            .get(2)
            .startsWith("[dry-run] docker create --rm --name nss-run-test --pull=never --label "),
        f.log.get(2));
    assertTrue(f.log.get(2).endsWith(" -w /workspace nss-gpu:latest --help"), f.log.get(2));
    assertEquals("[dry-run] docker start --attach nss-run-test", f.log.get(3));
    assertFalse(Files.exists(f.project.resolve(".hf_cache")));
  }

  @Test
  void dryRunMultiArchSkipsTheProbeAndTheLoginPasswordStaysHidden() throws Exception {
    f.dryRun = true;
    f.goals()
        .buildMultiArch(
            f.settings().registry("r.example:5000"),
            new RegistryCredentials("id", "bot", "pa55-s3cr3t"));
    assertTrue(f.processes.calls.isEmpty());
    assertTrue(f.log.stream().noneMatch(l -> l.contains("buildx version")), f.log.toString());
    assertTrue(
        f.log.stream()
            .anyMatch(
                l ->
                    l.matches(
                        "\\[dry-run\\] DOCKER_CONFIG=\\S+ docker login --username bot "
                            + "--password-stdin r.example:5000")),
        f.log.toString());
    assertFalse(String.join("\n", f.log).contains("s3cr3t"));
  }

  @Test
  void interruptedRunRemovesItsContainer() throws Exception {
    Path started = tmp.resolve("started");
    f.processes.on("start", "touch " + started + "; exec sleep 30");
    ContainerCli cli = f.cli();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread maven =
        new Thread(
            () -> {
              try {
                cli.run(create("nss-run-abc"), "nss-run-abc", false);
              } catch (Throwable t) {
                failure.set(t);
              }
            });
    maven.start();
    while (!Files.exists(started)) {
      Thread.sleep(10);
    }
    maven.interrupt();
    maven.join();
    assertTrue(failure.get() instanceof CommandFailedException, String.valueOf(failure.get()));
    assertTrue(
        failure.get().getMessage().contains("removed container nss-run-abc"),
        failure.get().getMessage());
    assertEquals(List.of(List.of("docker", "rm", "-f", "id-nss-run-abc")), f.processes.verbs("rm"));
  }

  @Test
  void runFailuresOfTheEngineAndOfTheCommandAreTold() {
    f.processes.on("create", "echo 'docker: invalid reference format.' >&2; exit 125");
    CommandFailedException e =
        assertThrows(CommandFailedException.class, () -> f.cli().run(create("n"), "n", false));
    assertTrue(
        e.getMessage().contains("`docker create` could not create the container (exit code 125"),
        e.getMessage());
    assertEquals(List.of(), f.processes.verbs("start"), "nothing to start");
    assertEquals(List.of(), f.processes.verbs("rm"), "nothing to remove");
    f.processes.on("create", "echo id-n");
    e =
        runFails(
            "echo 'Error response from daemon: failed to create shim task: OCI runtime create failed' >&2; "
                + "exit 1");
    assertTrue(
        e.getMessage().contains("`docker start` could not start the container (exit code 1"),
        e.getMessage());
    e =
        runFails(
            "echo 'Error: unable to start container 0123: crun: executable file not found' >&2; exit 125");
    assertTrue(
        e.getMessage().contains("could not start the container (exit code 125"), e.getMessage());
    e = runFails("exit 127");
    assertTrue(
        e.getMessage().contains("could not be found (exit code 127). Check nss.cmd"),
        e.getMessage());
    e = runFails("exit 126");
    assertTrue(e.getMessage().contains("could not be executed (exit code 126)"), e.getMessage());
    assertTrue(
        e.getMessage().contains("if the program did run, it exited with 126 itself"),
        e.getMessage());
  }

  /**
   * The engine's own 126/127 (it could not exec the command, or a CDI device is missing) is not the
   * program's.
   */
  @Test
  void engineErrorsBeforeTheProgramRunsAreNotTheProgramsExitCode() {
    CommandFailedException e =
        runFails(
            "echo 'Error: setting up CDI devices: unresolvable CDI devices "
                + "nvidia.com/gpu=all' >&2; exit 126");
    assertEquals(
        "The container did not start: podman found no CDI spec for the GPU devices (docker start exit code 126: "
            + "Error: setting up CDI devices: unresolvable CDI devices nvidia.com/gpu=all). Install the NVIDIA Container "
            + "Toolkit and generate the spec: sudo nvidia-ctk cdi generate --output=/etc/cdi/nvidia.yaml (or run without "
            + "a GPU: -Dnss.gpuFlag=).",
        e.getMessage());
    e =
        runFails(
            "echo 'Error: runc: runc create failed: unable to start container process: exec: \"/x\": stat /x: "
                + "no such file or directory: OCI runtime attempted to invoke a command that was not found' >&2; exit 127");
    assertTrue(
        e.getMessage()
            .startsWith(
                "The container engine could not start the container's command (docker exit "
                    + "code 127: Error: runc: runc create failed"),
        e.getMessage());
    assertTrue(
        e.getMessage()
            .endsWith("the program did not run. Check the image's entrypoint and nss.cmd."),
        e.getMessage());
    e =
        runFails(
            "echo 'docker: Error response from daemon: failed to create shim task: OCI runtime create failed: "
                + "runc create failed: unable to start container process: exec: \"/etc/passwd\": permission denied: "
                + "unknown' >&2; echo; echo \"Run 'docker run --help' for more information\" >&2; exit 126");
    assertTrue(
        e.getMessage()
            .startsWith(
                "The container engine could not start the container's command (docker exit "
                    + "code 126: Error response from daemon: failed to create shim task"),
        e.getMessage());
    // The program's own 127 (here the agent's, which found no target) stays the program's.
    e = runFails("echo '[nss-container] ERROR: safe-synthesizer not found on PATH' >&2; exit 127");
    assertTrue(
        e.getMessage().contains("could not be found (exit code 127). Check nss.cmd"),
        e.getMessage());
  }

  @Test
  void runEndedBySignalNamesTheSignal() {
    CommandFailedException e = runFails("exit 143");
    assertEquals(143, e.exitCode());
    assertTrue(
        e.getMessage()
            .contains(
                "exited with code 143 (`docker start`): the program was ended by signal 15 "
                    + "(SIGTERM). See its output above"),
        e.getMessage());
    e = runFails("exit 137");
    assertTrue(
        e.getMessage().contains("signal 9 (SIGKILL; often the out-of-memory killer"),
        e.getMessage());
    e = runFails("exit 3");
    assertFalse(e.getMessage().contains("signal"), e.getMessage());
    e = runFails("exit 200");
    assertFalse(e.getMessage().contains("signal"), e.getMessage());
  }

  @Test
  void interruptedRunEndsTheCliAndSaysWhatItRemoves() throws Exception {
    Path pid = tmp.resolve("pid");
    f.processes.on("start", "echo $$ > " + pid + "; exec sleep 30");
    Interrupted run =
        interruptWhenStarted(pid, cli -> cli.run(create("nss-run-abc"), "nss-run-abc", false));
    assertEquals(130, run.failure.exitCode());
    assertTrue(run.interruptFlagKept, "the goal's thread stays interrupted");
    assertFalse(
        ProcessHandle.of(run.pid).map(ProcessHandle::isAlive).orElse(false),
        "the CLI process ended");
    assertEquals("[nss] stopping: docker rm -f id-nss-run-abc\n", f.stderr());
  }

  @Test
  void anInterruptedRunRetriesARefusedRemoveWhileTheContainerExists() throws Exception {
    Path pid = tmp.resolve("pid");
    f.processes.on("start", "echo $$ > " + pid + "; exec sleep 30");
    f.processes.on("rm", failingTwice());
    interruptWhenStarted(pid, cli -> cli.run(create("nss-run-abc"), "nss-run-abc", false));
    assertEquals(
        3,
        f.processes.verbs("rm").size(),
        "retried until the removal succeeded: " + f.processes.calls);
  }

  @Test
  void aFailedStartRemovesItsContainerByIdRetryingWhileItExists() throws Exception {
    f.processes.on("rm", failingTwice());
    assertEquals(130, runFails("exit 130").exitCode());
    assertEquals(List.of("docker", "rm", "-f", "id-n"), f.processes.verbs("rm").get(0));
    assertEquals(
        3,
        f.processes.verbs("rm").size(),
        "retried until the removal succeeded: " + f.processes.calls);
    runFails("exit 3");
    assertEquals(
        4,
        f.processes.verbs("rm").size(),
        "any failed start is removed (docker leaves a failed start)");
    f.processes.on("start", "exit 0");
    f.cli().run(create("n"), "n", false);
    assertEquals(
        4, f.processes.verbs("rm").size(), "a run that succeeded leaves --rm to the engine");
  }

  @Test
  void signalsAreNamedForExitCodes129To192Only() {
    assertTrue(runFails("exit 129").getMessage().contains("ended by signal 1 (SIGHUP)"));
    assertTrue(runFails("exit 192").getMessage().contains("ended by signal 64."));
    assertFalse(runFails("exit 128").getMessage().contains("signal"));
    assertFalse(runFails("exit 193").getMessage().contains("signal"));
  }

  @Test
  void theDiagnosisReadsTheLastLinesOfTheOutput() {
    CommandFailedException e =
        buildFailsUnder(
            null,
            "echo 'could not select device driver'; "
                + "i=0; while [ $i -lt 400 ]; do echo 'a line of build output that says nothing'; i=$((i+1)); done; exit 125");
    assertTrue(
        e.getMessage().startsWith("`docker build` failed with exit code 125"), e.getMessage());
    e =
        buildFailsUnder(
            null,
            "i=0; while [ $i -lt 400 ]; do echo 'a line of build output'; i=$((i+1)); done; "
                + "echo 'error: unexpected EOF'; echo; echo '  '; exit 1");
    assertTrue(
        e.getMessage()
            .startsWith("Lost the connection to the container engine while `docker build` ran"),
        e.getMessage());
  }

  @Test
  void aRegistryThatRefusesThePushIsToldApartFromOneThatSpeaksNoTls() {
    for (String refusal :
        List.of(
            "unauthorized: authentication required",
            "denied: requested access",
            "no basic auth credentials")) {
      f.processes.on("push", "echo '" + refusal + "' >&2; exit 1");
      CommandFailedException e =
          assertThrows(
              CommandFailedException.class,
              () -> f.cli().stream(List.of("docker", "push", "r.example/x:1")));
      assertTrue(
          e.getMessage().startsWith("The registry refused `docker push` (exit code 1)"),
          e.getMessage());
      assertTrue(e.getMessage().contains("nss.registryServerId"), e.getMessage());
    }
    f.processes.on(
        "manifest", "echo 'http: server gave HTTP response to HTTPS client' >&2; exit 1");
    CommandFailedException e =
        assertThrows(
            CommandFailedException.class,
            () -> f.cli().stream(List.of("docker", "manifest", "push", "127.0.0.1:5000/x:1")));
    assertTrue(
        e.getMessage()
            .startsWith("`docker manifest` could not talk TLS to the registry (exit code 1)"),
        e.getMessage());
    assertTrue(e.getMessage().contains("-Dnss.registryInsecure=true"), e.getMessage());
  }

  /** A fake {@code rm -f} that fails twice (the container does not exist yet) and then succeeds. */
  private String failingTwice() {
    Path count = tmp.resolve("rm-count");
    return "n=$(cat "
        + count
        + " 2>/dev/null || echo 0); echo $((n+1)) > "
        + count
        + "; [ $n -ge 2 ]";
  }

  private interface CliCall {
    void run(ContainerCli cli) throws CommandFailedException;
  }

  private record Interrupted(CommandFailedException failure, boolean interruptFlagKept, long pid) {}

  /**
   * Runs {@code call} on a thread of its own and interrupts it once the fake CLI wrote its PID to
   * {@code pidFile}.
   */
  private Interrupted interruptWhenStarted(Path pidFile, CliCall call) throws Exception {
    ContainerCli cli = f.cli();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    AtomicReference<Boolean> flag = new AtomicReference<>();
    Thread maven =
        new Thread(
            () -> {
              try {
                call.run(cli);
              } catch (Throwable t) {
                failure.set(t);
              }
              flag.set(Thread.currentThread().isInterrupted());
            });
    maven.start();
    while (!Files.exists(pidFile) || Files.readString(pidFile).isBlank()) {
      Thread.sleep(10);
    }
    maven.interrupt();
    maven.join();
    assertTrue(failure.get() instanceof CommandFailedException, String.valueOf(failure.get()));
    return new Interrupted(
        (CommandFailedException) failure.get(),
        flag.get(),
        Long.parseLong(Files.readString(pidFile).strip()));
  }

  /**
   * {@code docker build .} under DOCKER_HOST {@code dockerHost}; the fake CLI runs {@code script},
   * which must fail.
   */
  private CommandFailedException buildFailsUnder(String dockerHost, String script) {
    f.processes.on("build", script);
    ContainerCli cli =
        new ContainerCli(f.processes, f.project, f.log::add, false, System.err, dockerHost);
    return assertThrows(
        CommandFailedException.class, () -> cli.stream(List.of("docker", "build", ".")));
  }

  /**
   * A container named {@code n} whose {@code start} the fake CLI runs as {@code script}, which must
   * fail.
   */
  private CommandFailedException runFails(String script) {
    f.processes.on("start", script);
    return assertThrows(CommandFailedException.class, () -> f.cli().run(create("n"), "n", false));
  }

  private static List<String> create(String name) {
    return List.of("docker", "create", "--name", name, "img");
  }

  /**
   * podman refuses {@code rm} while a start cut short still holds the container: retried while the
   * id exists.
   */
  @Test
  void aRefusedRemoveIsRetriedUntilTheContainerIsGone() throws Exception {
    Path refused = tmp.resolve("refused-once");
    f.processes.on("start", "exit 130");
    f.processes.on(
        "rm", "if [ -e " + refused + " ]; then exit 0; fi; touch " + refused + "; exit 2");
    assertThrows(CommandFailedException.class, () -> f.cli().run(create("n"), "n", false));
    assertEquals(
        List.of(List.of("docker", "rm", "-f", "id-n"), List.of("docker", "rm", "-f", "id-n")),
        f.processes.verbs("rm"));
    assertEquals(
        List.of(List.of("docker", "container", "inspect", "--format", "{{.Id}}", "id-n")),
        f.processes.verbs("container"),
        "the id still existed after the refused rm");
  }

  @Test
  void theCreateRunsOutsideMavensSessionSoNoTerminalSignalReachesIt() throws Exception {
    Path sid = tmp.resolve("create-sid");
    f.processes.on("create", "cut -d' ' -f6 /proc/$$/stat > " + sid + "; echo id-x");
    f.cli().run(create("x"), "x", false);
    String ours = Files.readString(Path.of("/proc/self/stat")).split(" ")[5];
    assertFalse(
        Files.readString(sid).strip().equals(ours), "the create shares this JVM's session " + ours);
  }
}
