package dev.nss.container;

import static dev.nss.container.ContainerCliStopTest.assertEnded;
import static dev.nss.container.ContainerCliStopTest.assertKeeperEnds;
import static dev.nss.container.ContainerCliStopTest.assertKeeperStays;
import static dev.nss.container.ContainerCliStopTest.awaitFile;
import static dev.nss.container.ContainerCliStopTest.failure;
import static dev.nss.container.ContainerCliStopTest.inBackground;
import static dev.nss.container.ContainerCliStopTest.keepersCli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nss.core.CommandFailedException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run's container after the create: what is removed when the goal's thread is interrupted, when a
 * stop comes after the goal's own removal, when the keeper cannot report, and the note on what a
 * podman terminal missed.
 */
class ContainerRunTest {

  @TempDir Path tmp;
  Fixture f;
  final RecordingHooks hooks = new RecordingHooks();

  @BeforeEach
  void setUp() throws Exception {
    f = new Fixture(tmp);
  }

  private static List<String> create(String cli, String name) {
    return List.of(cli, "create", "--interactive", "--tty", "--name", name, "img");
  }

  @Test
  void anInterruptedRunRemovesItsContainerEndsTheStartClientAndStaysInterrupted() throws Exception {
    Path started = tmp.resolve("started");
    f.processes.on("start", GoalThread.pidTo(started) + "; exec sleep 30");
    GoalThread maven =
        new GoalThread(() -> f.cli(hooks).run(create("docker", "nss-run-i"), "nss-run-i", false));
    awaitFile(started, "the start client never ran");

    maven.interrupt();

    CommandFailedException e = failure(maven.outcome);
    assertEquals(130, e.exitCode());
    assertEquals(
        "Interrupted while running `docker start`; removed container nss-run-i. Run the goal again.",
        e.getMessage());
    assertTrue(maven.stayedInterrupted(), "the goal's thread stays interrupted");
    assertEquals(List.of(List.of("docker", "rm", "-f", "id-nss-run-i")), f.processes.verbs("rm"));
    assertEquals("[nss] stopping: docker rm -f id-nss-run-i\n", f.stderr());
    assertEnded(started, "the start was ended");
    assertTrue(hooks.allTakenBack());
    assertKeeperEnds("nss-run-i");
  }

  @Test
  void aStopAfterTheGoalRemovedTheContainerRemovesNothingMore() throws Exception {
    f.processes.on("start", "exit 3");
    assertEquals(
        3,
        failure(
                inBackground(
                    () -> f.cli(hooks).run(create("docker", "nss-run-r"), "nss-run-r", false)))
            .exitCode());

    hooks.added.get(0).run(); // the hook of a stop that came before it was taken back

    assertEquals(List.of(List.of("docker", "rm", "-f", "id-nss-run-r")), f.processes.verbs("rm"));
    assertEquals("", f.stderr(), "no second removal announced");
    assertKeeperEnds("nss-run-r");
  }

  @Test
  void aKeeperThatEndsWithoutAReportIsLeftToRemoveWhatItsCreateMakes() throws Exception {
    // The keeper closes its report pipe, then waits until Maven closes its end of the other.
    Path abandoned = tmp.resolve("abandoned");
    Function<List<String>, ProcessBuilder> silentKeeper =
        argv ->
            argv.contains(RunKeeper.class.getName())
                ? new ProcessBuilder(
                    "sh", "-c", "exec >&-; cat > /dev/null; touch '" + abandoned + "'")
                : f.processes.apply(argv);
    ContainerCli cli =
        new ContainerCli(
                silentKeeper,
                f.project,
                f.log::add,
                false,
                new PrintStream(f.stderrBytes, true),
                null,
                hooks)
            .withEngineTimeout(1);

    CommandFailedException e =
        failure(inBackground(() -> cli.run(create("docker", "nss-run-n"), "nss-run-n", false)));

    assertEquals(-1, e.exitCode());
    assertEquals(
        "The run's keeper gave no answer on `docker create` within 31 s; it removes container"
            + " nss-run-n once the create ends. Check that docker answers (`docker info`), or raise"
            + " -Dnss.engineTimeout=SECONDS.",
        e.getMessage());
    awaitFile(abandoned, "Maven's end of the keeper's pipe was never closed");
    assertEquals(List.of(), f.processes.verbs("start"));
    assertEquals(List.of(), f.processes.verbs("rm"), "Maven has no id to remove");
  }

  @Test
  void anInterruptWhileTheContainerIsCreatedLeavesItToTheKeeper() throws Exception {
    Path keepersCalls = tmp.resolve("keepers-calls");
    List<String> create =
        List.of(keepersCli(tmp, keepersCalls), "create", "--name", "nss-run-w", "img");
    Path started = tmp.resolve("started");
    Path go = tmp.resolve("go");
    f.processes.on(
        "create",
        "touch '" + started + "'; while [ ! -e '" + go + "' ]; do sleep 0.02; done; echo id-w");
    GoalThread maven = new GoalThread(() -> f.cli(hooks).run(create, "nss-run-w", false));
    awaitFile(started, "the create never ran");

    maven.interrupt();
    Files.createFile(go);

    CommandFailedException e = failure(maven.outcome);
    assertEquals(130, e.exitCode(), e.getMessage());
    assertEquals(
        "Interrupted while running `"
            + create.get(0)
            + " create`; the keeper removes container nss-run-w once the create ends. Run the goal"
            + " again.",
        e.getMessage());
    assertTrue(maven.stayedInterrupted(), "the goal's thread stays interrupted");
    awaitFile(keepersCalls, "the keeper never removed the container");
    assertKeeperEnds("nss-run-w");
    assertEquals("rm -f id-w\n", Files.readString(keepersCalls), "removed by the id it was given");
    assertEquals(List.of(), f.processes.verbs("start"));
  }

  @Test
  void anInterruptWhileTheGoalRemovesTheContainerLeavesItToTheKeeper() throws Exception {
    Path rm = tmp.resolve("rm.pid");
    f.processes.on("start", "exit 3");
    f.processes.on("rm", GoalThread.pidTo(rm) + "; exec sleep 30");
    GoalThread maven =
        new GoalThread(() -> f.cli(hooks).run(create("docker", "nss-run-v"), "nss-run-v", false));
    awaitFile(rm, "the removal never ran");

    maven.interrupt();

    try {
      assertEquals(3, failure(maven.outcome).exitCode(), "the start's failure");
      assertTrue(maven.stayedInterrupted(), "the goal's thread stays interrupted");
      assertKeeperStays("nss-run-v");
    } finally {
      ProcessHandle.of(Long.parseLong(Files.readString(rm).strip()))
          .ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  @Test
  void whatAPodmanTerminalMissedIsPrintedFromTheLogWithANote() throws Exception {
    f.processes.on("start", "printf 'a\\n'");
    f.processes.on("logs", "printf 'a\\nbcd\\n'");

    f.cli().run(create("podman", "nss-run-m"), "nss-run-m", true);

    assertEquals(
        "[nss] podman's terminal attach missed the last 4 bytes of the output: printed from the"
            + " container's log\n",
        f.stderr());
    assertEquals(
        List.of(List.of("podman", "rm", "-f", "--time", "0", "id-nss-run-m")),
        f.processes.verbs("rm"));
  }

  @Test
  void aPodmanTerminalThatMissedNothingGetsNoNote() throws Exception {
    f.processes.on("start", "printf 'a\\n'");
    f.processes.on("logs", "printf 'a\\n'");

    f.cli().run(create("podman", "nss-run-q"), "nss-run-q", true);

    assertEquals(List.of(List.of("podman", "logs", "id-nss-run-q")), f.processes.verbs("logs"));
    assertEquals("", f.stderr());
  }
}
