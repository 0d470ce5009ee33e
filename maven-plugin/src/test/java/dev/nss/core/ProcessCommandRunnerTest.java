package dev.nss.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Real child processes: capture, stdin, environment, timeout and destroy. */
class ProcessCommandRunnerTest {

  private final ProcessCommandRunner runner = new ProcessCommandRunner();

  @Test
  void capturesBothStreamsAndTheExitStatus() throws Exception {
    CommandResult r =
        runner.run(
            Command.of(Duration.ofSeconds(30), "sh", "-c", "echo out; echo err >&2; exit 3"));
    assertEquals(CommandResult.exited(3, "out\n", "err\n"), r);
    assertEquals("err (exit status 3)", r.describeFailure());
  }

  @Test
  void feedsStdinAndAddsVariables() throws Exception {
    Command c =
        new Command(
            List.of("sh", "-c", "cat; echo \"$NSS_DOCTOR_TEST\""),
            Map.of("NSS_DOCTOR_TEST", "v"),
            "FROM scratch\n",
            Duration.ofSeconds(30));
    assertEquals("FROM scratch\nv\n", runner.run(c).stdout());
  }

  @Test
  void theSeamBuildsTheProcess() throws Exception {
    ProcessCommandRunner seam =
        new ProcessCommandRunner(
            argv -> {
              ProcessBuilder pb = new ProcessBuilder(argv);
              pb.environment().put("DOCKER_HOST", "unix:///nowhere.sock");
              return pb;
            });
    assertEquals(
        "unix:///nowhere.sock\n",
        seam.run(Command.of(Duration.ofSeconds(30), "sh", "-c", "echo $DOCKER_HOST")).stdout());
  }

  @Test
  void aCommandPastItsTimeoutIsDestroyed() throws Exception {
    CommandResult r =
        runner.run(Command.of(Duration.ofMillis(500), "sh", "-c", "echo $$; exec sleep 60"));
    assertTrue(r.timedOut());
    assertEquals("timed out after 500ms", r.describeFailure());
    long pid = Long.parseLong(r.stdout().strip());
    Optional<ProcessHandle> handle = ProcessHandle.of(pid);
    if (handle.isPresent()) {
      handle.get().onExit().join(); // destroyForcibly was sent; the kernel reaps it
    }
    assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
  }

  @Test
  void aTimeoutEndsTheWholeProcessGroupOfACommandInItsOwnSession() throws Exception {
    // The inner shell backgrounds a sleep and exits: the sleep leaves the process tree (its parent
    // is gone) but stays in setsid's group, which is what a timeout must end.
    CommandResult r =
        runner.run(
            Command.of(
                Duration.ofMillis(800),
                "setsid",
                "sh",
                "-c",
                "sh -c 'sleep 61 >/dev/null & echo $!'; exec sleep 60"));
    assertTrue(r.timedOut(), r.toString());
    long orphan = Long.parseLong(r.stdout().strip());
    Optional<ProcessHandle> handle = ProcessHandle.of(orphan);
    if (handle.isPresent()) {
      handle.get().onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
    }
    assertFalse(ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false));
  }

  @Test
  void aMissingProgramIsAResultNotAnException() throws Exception {
    CommandResult r =
        runner.run(Command.of(Duration.ofSeconds(5), "/nonexistent/nss-doctor-cli", "info"));
    assertEquals(-1, r.exitCode());
    assertFalse(r.timedOut());
    assertTrue(r.stderr().startsWith("cannot run /nonexistent/nss-doctor-cli"), r.stderr());
  }

  @Test
  void outputIsCappedAtOneMebibyte() throws Exception {
    CommandResult r =
        runner.run(
            Command.of(
                Duration.ofSeconds(30), "sh", "-c", "head -c 3000000 /dev/zero | tr '\\0' a"));
    assertEquals(0, r.exitCode());
    assertEquals(1 << 20, r.stdout().length());
  }
}
