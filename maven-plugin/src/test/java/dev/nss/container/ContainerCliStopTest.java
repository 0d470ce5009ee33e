package dev.nss.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nss.core.CommandFailedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What happens when Maven is stopped (Ctrl-C, a CI's SIGTERM) while a command runs: the shutdown
 * hook a command registers is recorded and run here as the JVM would run it.
 */
class ContainerCliStopTest {

  @TempDir Path tmp;
  Fixture f;
  Path started;
  final RecordingHooks hooks = new RecordingHooks();

  @BeforeEach
  void setUp() throws Exception {
    f = new Fixture(tmp);
    started = tmp.resolve("started");
  }

  @Test
  void aStopDuringADockerBuildEndsTheBuildThenRunsTheCleanUp() throws Exception {
    f.processes.on("build", "touch '" + started + "'; exec sleep 30");
    AtomicBoolean cleanedUp = new AtomicBoolean();
    CompletableFuture<Throwable> build =
        inBackground(
            () -> f.cli(hooks).stream(List.of("docker", "build", "."), () -> cleanedUp.set(true)));
    awaitStart();

    hooks.stop();

    CommandFailedException e = failure(build);
    assertEquals(143, e.exitCode(), "the client got SIGTERM: " + e.getMessage());
    assertTrue(cleanedUp.get(), "the goal's clean-up ran after the build stopped");
    assertTrue(hooks.allTakenBack());
  }

  @Test
  void aStopDuringAPodmanBuildFailsItsRunningStepSoBuildahCleansUp() throws Exception {
    f.processes.on(
        "build",
        "touch '"
            + started
            + "'; sleep 30 & wait; echo 'error building at STEP: RUN failed'; "
            + "echo 'removed working container'; exit 1");
    CompletableFuture<Throwable> build =
        inBackground(() -> f.cli(hooks).stream(List.of("podman", "build", "."), null));
    awaitStart();

    hooks.stop();

    CommandFailedException e = failure(build);
    assertEquals(1, e.exitCode(), "the build ended on its own, not by a signal: " + e.getMessage());
    assertTrue(f.log.contains("removed working container"), f.log.toString());
    assertTrue(hooks.allTakenBack());
  }

  @Test
  void aBuildIsNotStartedOnceMavenIsStopping() throws Exception {
    RecordingHooks stopping = new RecordingHooks(true);
    f.processes.on("build", "touch '" + started + "'");
    AtomicBoolean cleanedUp = new AtomicBoolean();

    CommandFailedException e =
        failure(
            inBackground(
                () ->
                    f.cli(stopping).stream(
                        List.of("docker", "build", "."), () -> cleanedUp.set(true))));

    assertEquals(130, e.exitCode());
    assertEquals(
        "Maven is stopping: `docker build` was not started. Run the goal again.", e.getMessage());
    assertFalse(Files.exists(started), "the CLI never ran");
    assertTrue(cleanedUp.get());
  }

  @Test
  void aStopDuringARunRemovesTheContainerByIdAndEndsTheStartClient() throws Exception {
    f.processes.on("start", "touch '" + started + "'; exec sleep 30");
    CompletableFuture<Throwable> run =
        inBackground(() -> f.cli(hooks).run(create("nss-run-s"), "nss-run-s", false));
    awaitStart();

    hooks.stop();

    CommandFailedException e = failure(run);
    assertEquals(143, e.exitCode(), e.getMessage());
    assertEquals(List.of(List.of("docker", "rm", "-f", "id-nss-run-s")), f.processes.verbs("rm"));
    assertEquals("[nss] stopping: docker rm -f id-nss-run-s\n", f.stderr());
    assertTrue(hooks.allTakenBack());
    assertKeeperEnds("nss-run-s");
  }

  @Test
  void aStopWhileTheContainerIsCreatedRemovesItOnceCreatedAndStartsNothing() throws Exception {
    Path go = createWaitsFor("echo id-nss-run-c");
    CompletableFuture<Throwable> run =
        inBackground(() -> f.cli(hooks).run(create("nss-run-c"), "nss-run-c", false));
    awaitStart();

    Thread stop = stopWhileCreating(go);

    CommandFailedException e = failure(run);
    stop.join();
    assertEquals(130, e.exitCode());
    assertEquals(
        "Maven is stopping: `docker start` was not started; removed container nss-run-c. "
            + "Run the goal again.",
        e.getMessage());
    assertEquals(List.of(List.of("docker", "rm", "-f", "id-nss-run-c")), f.processes.verbs("rm"));
    assertKeeperEnds("nss-run-c");
  }

  @Test
  void aStopWhileTheCreateFailsRemovesNothing() throws Exception {
    Path go = createWaitsFor("echo 'no such image' >&2; exit 1");
    CompletableFuture<Throwable> run =
        inBackground(() -> f.cli(hooks).run(create("nss-run-d"), "nss-run-d", false));
    awaitStart();

    Thread stop = stopWhileCreating(go);

    CommandFailedException e = failure(run);
    stop.join();
    assertEquals(1, e.exitCode(), e.getMessage());
    assertEquals(List.of(), f.processes.verbs("rm"), "nothing was created");
    assertEquals(List.of(), f.processes.verbs("start"));
    assertKeeperEnds("nss-run-d");
  }

  @Test
  void aStopWhileTheCreateHangsLeavesTheContainerToTheKeeperWhichRemovesItsName() throws Exception {
    // The keeper calls the CLI itself: a script that records what it is asked.
    Path keepersCalls = tmp.resolve("keepers-calls");
    String keepersCli = keepersCli(tmp, keepersCalls);
    createWaitsFor("echo never-here");
    List<String> create = List.of(keepersCli, "create", "--name", "nss-run-h", "img");
    ContainerCli cli = f.cli(hooks).withEngineTimeout(1);
    CompletableFuture<Throwable> run = inBackground(() -> cli.run(create, "nss-run-h", false));
    awaitStart();

    hooks.stop(); // returns once the keeper has reported
    CommandFailedException e = failure(run);

    assertTrue(e.getMessage().contains("create` did not answer within 1 s"), e.getMessage());
    assertEquals(List.of(), f.processes.verbs("rm"), "Maven removes nothing it has no id for");
    assertEquals(List.of(), f.processes.verbs("start"));
    assertKeeperEnds("nss-run-h");
    assertEquals(
        "rm -f nss-run-h\n",
        Files.readString(keepersCalls),
        "the keeper removed the name the engine may still create");
  }

  @Test
  void aRunIsNotCreatedOnceMavenIsStopping() throws Exception {
    RecordingHooks stopping = new RecordingHooks(true);

    CommandFailedException e =
        failure(inBackground(() -> f.cli(stopping).run(create("nss-run-t"), "nss-run-t", false)));

    assertEquals(130, e.exitCode());
    assertEquals(
        "Maven is stopping: `docker create` was not started. Run the goal again.", e.getMessage());
    assertEquals(List.of(), f.processes.verbs("rm"), "nothing was created, nothing to remove");
    assertEquals(List.of(), f.processes.verbs("start"));
    assertKeeperEnds("nss-run-t");
  }

  @Test
  void aRunThatSucceededLeavesRemovalToTheEngineAndReleasesItsKeeper() throws Exception {
    // The keeper calls the CLI itself: a script that records what it is asked.
    Path keepersCalls = tmp.resolve("keepers-calls");
    String keepersCli = keepersCli(tmp, keepersCalls);
    List<String> create = List.of(keepersCli, "create", "--name", "nss-run-ok", "img");

    f.cli(hooks).run(create, "nss-run-ok", false);

    assertEquals(List.of(), f.processes.verbs("rm"), "--rm removes it");
    assertTrue(hooks.allTakenBack());
    assertKeeperEnds("nss-run-ok");
    assertFalse(Files.exists(keepersCalls), "the keeper was told to leave it alone");
  }

  @Test
  void aFailedStartIsRemovedAndItsKeeperReleased() throws Exception {
    f.processes.on("start", "exit 3");
    CommandFailedException e =
        failure(inBackground(() -> f.cli(hooks).run(create("nss-run-f"), "nss-run-f", false)));

    assertEquals(3, e.exitCode());
    assertEquals(List.of(List.of("docker", "rm", "-f", "id-nss-run-f")), f.processes.verbs("rm"));
    assertEquals("", f.stderr(), "a removal at the goal's end is not a stop");
    assertKeeperEnds("nss-run-f");
  }

  @Test
  void anInterruptedBuildIsStoppedAndTheThreadStaysInterrupted() throws Exception {
    // The build has closed its output and still runs: the goal waits for its exit code.
    // Written whole, then renamed: awaitStart must never see the file before its pid is in it.
    f.processes.on(
        "build", "exec >/dev/null 2>&1; " + GoalThread.pidTo(started) + "; exec sleep 30");
    GoalThread maven = new GoalThread(() -> f.cli().stream(List.of("docker", "build", ".")));
    awaitStart();

    maven.interrupt();

    CommandFailedException e = failure(maven.outcome);
    assertEquals(130, e.exitCode());
    assertEquals(
        "Interrupted while running `docker build`; stopped it. Run the goal again.",
        e.getMessage());
    assertTrue(maven.stayedInterrupted(), "the goal's thread stays interrupted");
    assertEnded(started, "the build was stopped");
  }

  @Test
  void aContainerTheEngineNoLongerKnowsCountsAsRemoved() throws Exception {
    f.processes.on("start", "exit 3");
    f.processes.on("rm", "echo 'Error: No such container' >&2; exit 1");
    f.processes.on("container", "exit 1");

    failure(inBackground(() -> f.cli(hooks).run(create("nss-run-g"), "nss-run-g", false)));

    assertEquals(1, f.processes.verbs("rm").size(), "not retried: " + f.processes.calls);
    assertKeeperEnds("nss-run-g");
  }

  @Test
  void aContainerThatCannotBeRemovedIsLeftToItsKeeper() throws Exception {
    f.processes.on("start", "exit 3");
    java.util.function.Function<List<String>, ProcessBuilder> rmCannotStart =
        argv ->
            argv.get(1).equals("rm")
                ? new ProcessBuilder(tmp.resolve("uninstalled-docker").toString())
                : f.processes.apply(argv);
    ContainerCli cli =
        new ContainerCli(
            rmCannotStart,
            f.project,
            f.log::add,
            false,
            new java.io.PrintStream(f.stderrBytes, true),
            null,
            hooks);

    failure(inBackground(() -> cli.run(create("nss-run-k"), "nss-run-k", false)));

    assertTrue(
        f.stderr().startsWith("[nss] could not remove container id-nss-run-k: "), f.stderr());
    assertKeeperStays("nss-run-k");
  }

  @Test
  void theCreateRunsWithTheGoalsEnvironment() throws Exception {
    Path seen = tmp.resolve("seen");
    f.processes.on("create", "echo \"$DOCKER_CONFIG\" > '" + seen + "'; echo id-e");
    f.cli(hooks)
        .withEnvironment(java.util.Map.of("DOCKER_CONFIG", "/tmp/nss-registry-1"))
        .run(create("nss-run-e"), "nss-run-e", false);
    assertEquals("/tmp/nss-registry-1\n", Files.readString(seen));
  }

  @Test
  void anInterruptedProbeAnswersNoAndKeepsTheInterrupt() {
    Thread.currentThread().interrupt();
    try {
      assertFalse(f.cli().probe(List.of("docker", "info")));
      assertTrue(Thread.currentThread().isInterrupted());
    } finally {
      Thread.interrupted();
    }
  }

  /** A fake create that marks its start, waits for the file it returns, then runs {@code then}. */
  private Path createWaitsFor(String then) {
    Path go = tmp.resolve("go");
    f.processes.on(
        "create",
        "touch '" + started + "'; while [ ! -e '" + go + "' ]; do sleep 0.02; done; " + then);
    return go;
  }

  /**
   * Runs the hook on a thread of its own (it waits for the create to end), and lets the create end
   * once the hook waits.
   */
  private Thread stopWhileCreating(Path go) throws Exception {
    Thread stop = new Thread(hooks::stop, "test-ctrl-c");
    stop.start();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (stop.getState() != Thread.State.TIMED_WAITING) {
      assertTrue(System.nanoTime() < end, "the hook never waited for the create");
      Thread.sleep(10);
    }
    Files.createFile(go);
    return stop;
  }

  static CompletableFuture<Throwable> inBackground(GoalThread.Call call) {
    return new GoalThread(call).outcome;
  }

  static CommandFailedException failure(CompletableFuture<Throwable> outcome) throws Exception {
    return assertInstanceOf(
        CommandFailedException.class, outcome.get(30, TimeUnit.SECONDS), "the goal failed");
  }

  private void awaitStart() throws InterruptedException {
    awaitFile(started, "the fake CLI never started");
  }

  /** Waits for {@code file} to appear (a hang guard of 30 s). */
  static void awaitFile(Path file, String never) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!Files.exists(file)) {
      assertTrue(System.nanoTime() < end, never);
      Thread.sleep(10);
    }
  }

  /** The process whose pid is in {@code pidFile} has ended. */
  static void assertEnded(Path pidFile, String message) throws Exception {
    long pid = Long.parseLong(Files.readString(pidFile).strip());
    assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), message);
  }

  /**
   * A CLI for a run's keeper (the keeper runs the CLI itself): a script in {@code dir} that records
   * its arguments in {@code calls}.
   */
  static String keepersCli(Path dir, Path calls) throws Exception {
    Path cli = Files.createDirectories(dir.resolve("bin")).resolve("docker");
    Files.writeString(cli, "#!/bin/sh\necho \"$*\" >> '" + calls + "'\n");
    assertTrue(cli.toFile().setExecutable(true));
    return cli.toString();
  }

  /**
   * The keeper of container {@code name} was not told to leave it alone: it stays, to remove it
   * when Maven ends (here it is ended after the check).
   */
  static void assertKeeperStays(String name) {
    List<ProcessHandle> keepers = keepers(name);
    try {
      assertEquals(1, keepers.size(), "the keeper stays, to remove it when Maven ends");
      assertThrows(
          java.util.concurrent.TimeoutException.class,
          () -> keepers.get(0).onExit().get(1, TimeUnit.SECONDS),
          "the keeper was not told to leave the container alone");
    } finally {
      keepers.forEach(ProcessHandle::destroyForcibly);
    }
  }

  /** The keeper JVM of container {@code name} has been told and has ended (or never started). */
  static void assertKeeperEnds(String name) throws Exception {
    for (ProcessHandle keeper : keepers(name)) {
      keeper.onExit().get(10, TimeUnit.SECONDS);
    }
  }

  static List<ProcessHandle> keepers(String name) {
    return ProcessHandle.current()
        .descendants()
        .filter(
            p -> {
              List<String> args = List.of(p.info().arguments().orElse(new String[0]));
              return args.contains(RunKeeper.class.getName()) && args.contains(name);
            })
        .toList();
  }

  private static List<String> create(String name) {
    return List.of("docker", "create", "--name", name, "img");
  }
}
