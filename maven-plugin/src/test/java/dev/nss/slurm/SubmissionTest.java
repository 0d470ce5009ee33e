package dev.nss.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nss.core.CommandFailedException;
import dev.nss.core.CommandResult;
import dev.nss.core.CommandRunner;
import dev.nss.core.ProcessCommandRunner;
import dev.nss.doctor.FakeCommandRunner;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * sbatch stopped after the controller queued the job but before it printed the id: real processes,
 * a stand-in sbatch that queues the job (a file named after the job) and then never answers, and
 * stand-in scancel/squeue that cancel and list by name. Nothing of this name may stay running.
 */
class SubmissionTest {

  private static final String SUBMIT = "setsid sbatch --parsable --job-name=nss-run-0000beef ";
  private static final String CANCEL = "scancel --name=nss-run-0000beef --user=tester";
  private static final String LIST =
      "squeue --noheader --states=all --name=nss-run-0000beef --user=tester --format=%i %T";

  @TempDir Path tmp;
  private Path queue;
  private Path bin;
  private final List<String> log = new ArrayList<>();
  private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

  @BeforeEach
  void setUp() throws Exception {
    queue = Files.createDirectories(tmp.resolve("queue"));
    bin = Files.createDirectories(tmp.resolve("bin"));
    fake(
        "sbatch",
        """
        for a; do case "$a" in --job-name=*) name=${a#--job-name=} ;; esac; done
        echo "5001 RUNNING" > "$QUEUE/$name"
        sleep 60 & # the controller queued the job; its answer never comes
        echo $! > "$QUEUE/sleep.pid"
        echo $$ > "$QUEUE/sbatch.pid"
        wait
        echo 5001
        """);
    fake(
        "scancel",
        """
        echo "$*" >> "$QUEUE/scancel.calls"
        for a; do case "$a" in --name=*) name=${a#--name=} ;; esac; done
        if [ -n "$name" ] && [ -f "$QUEUE/$name" ]; then
          read -r id state < "$QUEUE/$name"; echo "$id CANCELLED" > "$QUEUE/$name"
        fi
        """);
    fake(
        "squeue",
        """
        for a; do case "$a" in --name=*) name=${a#--name=} ;; esac; done
        [ -f "$QUEUE/$name" ] && cat "$QUEUE/$name"
        exit 0
        """);
  }

  @Test
  void anSbatchPastTheTimeoutIsEndedAndTheJobItQueuedIsCancelledByName() throws Exception {
    Submission submission = submission("1");
    CommandFailedException e = assertThrows(CommandFailedException.class, submission::submit);
    assertTrue(
        e.getMessage()
            .contains(
                "--job-name=nss-run-0000beef "
                    + tmp.resolve("project/target/nss-slurm/nss-run.sh")
                    + "` did not answer in 1 s and was stopped (raise nss.slurm.commandTimeout if"
                    + " the controller is only slow); cancelled what it had queued: 5001 CANCELLED"
                    + " (`scancel --name=nss-run-0000beef --user=tester`)."),
        e.getMessage());
    assertNothingLeft();
  }

  @Test
  void ctrlCWhileSbatchWaitsForTheControllerEndsItAndCancelsTheJobByName() throws Exception {
    Submission submission = submission("30");
    CompletableFuture<String> submitting =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return submission.submit();
              } catch (CommandFailedException failed) {
                throw new IllegalStateException(failed);
              }
            });
    Path queued = queue.resolve("nss-run-0000beef");
    for (int i = 0; i < 200 && !Files.exists(queue.resolve("sbatch.pid")); i++) {
      Thread.sleep(25); // until the stand-in has queued the job and waits
    }
    assertTrue(Files.exists(queued), "the stand-in sbatch queued the job");
    long started = System.nanoTime();
    submission.stop(); // what Maven's shutdown hook runs on Ctrl-C
    assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(10), "stop() is prompt");
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> submitting.get(10, TimeUnit.SECONDS));
    assertEquals(130, ((CommandFailedException) e.getCause().getCause()).exitCode());
    assertEquals(
        "[nss] Maven is stopping: sbatch had not answered and was stopped; cancelled what it had"
            + " queued: 5001 CANCELLED (`scancel --name=nss-run-0000beef --user=tester`).\n",
        stderr.toString(StandardCharsets.UTF_8));
    assertNothingLeft();
  }

  private void assertNothingLeft() throws Exception {
    assertEquals("5001 CANCELLED\n", Files.readString(queue.resolve("nss-run-0000beef")));
    assertEquals(
        List.of("--name=nss-run-0000beef --user=tester", "--name=nss-run-0000beef --user=tester"),
        Files.readAllLines(queue.resolve("scancel.calls")));
    for (String process : List.of("sbatch.pid", "sleep.pid")) {
      long pid = Long.parseLong(Files.readString(queue.resolve(process)).strip());
      ProcessHandle.of(pid).ifPresent(p -> p.onExit().join());
      assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), process);
    }
  }

  @Test
  void anSbatchThatRefusesIsReportedAndTheNameFoundUnusedIsNotMentioned() throws Exception {
    FakeCommandRunner slurm = new FakeCommandRunner();
    slurm.answer(SUBMIT + script(), 1, "", "sbatch: error: Batch job submission failed\n");
    assertEquals(
        didNotSubmit("sbatch: error: Batch job submission failed (exit status 1)"),
        refusedAndCancelled(slurm, "\n"));
    assertEquals(List.of(SUBMIT + script(), CANCEL, CANCEL, LIST), slurm.keys());
    assertEquals(List.of(SUBMIT + script()), log, "the submission's command, shell-quoted");
  }

  @Test
  void anAnswerWithoutAJobIdIsAFailureAndWhatWasQueuedIsNamed() throws Exception {
    FakeCommandRunner slurm = new FakeCommandRunner();
    slurm.answer(SUBMIT + script(), 0, "Submitted batch job 17\n", "");
    assertEquals(
        didNotSubmit(
            "Submitted batch job 17 (exit status 0); cancelled what it had queued: 17 CANCELLED (`"
                + CANCEL
                + "`)"),
        refusedAndCancelled(slurm, "17 CANCELLED\n"));
  }

  /**
   * Why {@code submit()} failed when the cancel by name worked and squeue then listed {@code jobs}.
   */
  private String refusedAndCancelled(FakeCommandRunner slurm, String jobs) throws Exception {
    slurm.answer(CANCEL, 0, "", "");
    slurm.answer(LIST, 0, jobs, "");
    return refused(slurm);
  }

  private String didNotSubmit(String why) {
    return "sbatch did not submit the job: `"
        + SUBMIT
        + script()
        + "` "
        + why
        + ". Check the nss.slurm.* settings and `sbatch "
        + script()
        + "` by hand.";
  }

  @Test
  void aCancelByNameThatFailsOrCannotBeListedSaysWhatToRun() throws Exception {
    FakeCommandRunner slurm = new FakeCommandRunner();
    slurm.answer(SUBMIT + script(), CommandResult.timedOut(Duration.ofSeconds(1), "", ""));
    String bothFailed = refused(slurm);
    assertTrue(
        bothFailed.contains(
            " did not answer in 1 s and was stopped (raise nss.slurm.commandTimeout if the"
                + " controller is only slow); could not cancel by name: `"
                + CANCEL
                + "` fake: no answer for "
                + CANCEL
                + "; run `"
                + CANCEL
                + "` yourself. Check"),
        bothFailed);
    slurm.answer(CANCEL, 0, "", "");
    String notListed = refused(slurm);
    assertTrue(
        notListed.contains(
            "; ran `"
                + CANCEL
                + "`, but could not list what it cancelled: `"
                + LIST.replace("--format=%i %T", "'--format=%i %T'")
                + "` fake: no answer for "
                + LIST
                + ". Check"),
        notListed);
  }

  @Test
  void aJobIdWithTheClusterNameIsTheJobId() throws Exception {
    FakeCommandRunner slurm = new FakeCommandRunner();
    slurm.answer(SUBMIT + script(), 0, "5002;cluster1\n", "");
    assertEquals("5002", submission(slurm).submit());
    assertEquals(List.of(SUBMIT + script()), slurm.keys());
  }

  @Test
  void mavenStoppingBeforeSbatchRanSubmitsNothing() throws Exception {
    FakeCommandRunner slurm = new FakeCommandRunner();
    Submission submission = submission(slurm);
    Thread stopping = new Thread(submission::stop, "stop");
    stopping.start();
    for (int i = 0; i < 2000 && stopping.getState() != Thread.State.TIMED_WAITING; i++) {
      Thread.sleep(5); // until stop() waits for the submitting thread's answer
    }
    CommandFailedException e = assertThrows(CommandFailedException.class, submission::submit);
    assertEquals("Maven is stopping: the job was not submitted.", e.getMessage());
    assertEquals(130, e.exitCode());
    stopping.join(10_000); // hang guard
    assertFalse(stopping.isAlive(), "submit()'s answer ends stop()'s wait");
    assertEquals(List.of(), slurm.keys());
    assertEquals("", stderr.toString(StandardCharsets.UTF_8), "nothing to cancel");
  }

  /** Why {@code submit()} failed against {@code slurm}. */
  private String refused(FakeCommandRunner slurm) throws Exception {
    Submission submission = submission(slurm);
    return assertThrows(CommandFailedException.class, submission::submit).getMessage();
  }

  private Submission submission(CommandRunner slurm) throws Exception {
    return new Submission(
        slurm,
        job("1"),
        "nss-run-0000beef",
        "tester",
        log::add,
        new PrintStream(stderr, true, StandardCharsets.UTF_8));
  }

  private Path script() {
    return tmp.resolve("project/target/nss-slurm/nss-run.sh");
  }

  private JobSpec job(String timeoutSeconds) throws Exception {
    Path project = Files.createDirectories(tmp.resolve("project"));
    return JobValidator.job(
        new SlurmSettings().commandTimeout(timeoutSeconds),
        project,
        project.resolve("target"),
        List.of("run"),
        List.of());
  }

  private Submission submission(String timeoutSeconds) throws Exception {
    JobSpec job = job(timeoutSeconds);
    ProcessCommandRunner runner =
        new ProcessCommandRunner(
            argv -> {
              List<String> command = new ArrayList<>(argv);
              Path fake = bin.resolve(command.get(0));
              if (Files.exists(fake)) {
                command.set(0, fake.toString());
              }
              ProcessBuilder pb = new ProcessBuilder(command);
              pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
              pb.environment().put("QUEUE", queue.toString());
              return pb;
            });
    return new Submission(
        runner,
        job,
        "nss-run-0000beef",
        "tester",
        log::add,
        new PrintStream(stderr, true, StandardCharsets.UTF_8));
  }

  private void fake(String name, String body) throws Exception {
    Path file = bin.resolve(name);
    Files.writeString(file, "#!/bin/sh\n" + body);
    file.toFile().setExecutable(true);
  }
}
