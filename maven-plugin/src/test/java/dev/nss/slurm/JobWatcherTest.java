package dev.nss.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nss.core.Command;
import dev.nss.core.CommandFailedException;
import dev.nss.core.CommandResult;
import dev.nss.core.CommandRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Following a job by polling {@code scontrol show job}: canned answers in order, a clock that moves
 * only when the watcher sleeps, so the queue time, the polling and the lost-contact limit are
 * exact.
 */
class JobWatcherTest {

  private static final List<String> SHOW = List.of("scontrol", "show", "job", "42");
  private static final String LOST =
      "slurm_load_jobs error: Unable to contact slurm controller (connect failure)\n";

  @TempDir Path tmp;
  private final Deque<CommandResult> answers = new ArrayDeque<>();
  private final List<Command> asked = new ArrayList<>();
  private final List<String> log = new ArrayList<>();
  private final List<Long> sleeps = new ArrayList<>();
  private long now = 7_000_000_000L;

  private final CommandRunner slurm =
      command -> {
        asked.add(command);
        CommandResult answer = answers.poll();
        if (answer == null) {
          throw new AssertionError("polled after the last answer: " + command.argv());
        }
        return answer;
      };

  private final JobWatcher.Clock clock =
      new JobWatcher.Clock() {
        @Override
        public long nanoTime() {
          return now;
        }

        @Override
        public void sleep(long millis) {
          sleeps.add(millis);
          now += millis * 1_000_000;
        }
      };

  @Test
  void aPendingReasonIsLoggedWhenItChangesThenTheStartWithTheQueueTimeThenTheEnd()
      throws Exception {
    shows(record("JobState=PENDING", "Reason=Priority"));
    shows(record("JobState=PENDING", "Reason=Priority"));
    shows(record("JobState=PENDING", "Reason=None"));
    shows(record("JobState=PENDING", "Reason=Resources"));
    shows(record("JobState=RUNNING", "Reason=None", "NodeList=node7"));
    shows(record("JobState=COMPLETED", "Reason=None", "NodeList=node7", "ExitCode=0:0"));
    watcher(plainJob()).await("42");
    assertEquals(
        List.of(
            "Slurm job 42 is pending (Reason=Priority)",
            "Slurm job 42 is pending (Reason=Resources)",
            "Slurm job 42 started on node7 after 1.0 s in the queue",
            "Slurm job 42 COMPLETED (exit code 0)"),
        log);
    assertEquals(List.of(250L, 250L, 250L, 250L, 250L), sleeps, "one poll every 250 ms");
    assertEquals(6, asked.size());
    for (Command c : asked) {
      assertEquals(SHOW, c.argv());
      assertEquals(Duration.ofSeconds(1), c.timeout(), "bounded by nss.slurm.commandTimeout");
    }
  }

  @Test
  void aJobSeenOnlyAfterItEndedIsLoggedAsStartedOnce() throws Exception {
    shows(record("JobState=PENDING", "Reason=Priority"));
    shows(record("JobState=PENDING", "Reason=Priority"));
    shows(record("JobState=CANCELLED", "Reason=None", "NodeList=node7", "ExitCode=0:0"));
    CommandFailedException e =
        assertThrows(CommandFailedException.class, () -> watcher(plainJob()).await("42"));
    assertEquals(
        List.of(
            "Slurm job 42 is pending (Reason=Priority)",
            "Slurm job 42 started on node7 after 0.5 s in the queue"),
        log);
    assertEquals(
        "Slurm job 42 was cancelled (CANCELLED). Output: /out/nss-run-%j.out.", e.getMessage());
    assertEquals(-1, e.exitCode(), "a state is not the program's exit code");
  }

  @Test
  void anEmptyAnswerIsNotTheEnd() throws Exception {
    answers.add(CommandResult.exited(0, "", ""));
    shows(record("JobState=COMPLETED", "NodeList=node7", "ExitCode=0:0"));
    watcher(plainJob()).await("42");
    assertEquals(2, asked.size());
    assertEquals("Slurm job 42 COMPLETED (exit code 0)", log.get(log.size() - 1));
  }

  @Test
  void aControllerSilentForLongerThanTheCommandTimeoutEndsTheWaitNamingTheCommand() {
    shows(record("JobState=RUNNING", "NodeList=node7"));
    for (int i = 0; i < 5; i++) {
      answers.add(CommandResult.exited(1, "", LOST));
    }
    CommandFailedException e =
        assertThrows(CommandFailedException.class, () -> watcher(plainJob()).await("42"));
    assertEquals(
        "Lost contact with the Slurm controller while waiting for job 42: `scontrol show job 42`"
            + " slurm_load_jobs error: Unable to contact slurm controller (connect failure) (exit"
            + " status 1). The job may still run: check `squeue -j 42`, cancel it with `scancel"
            + " 42`.",
        e.getMessage());
    assertEquals(-1, e.exitCode());
    assertEquals(6, asked.size(), "silence of exactly the timeout (1 s) is still waited through");
    assertEquals(5, sleeps.size());
  }

  @Test
  void everyAnswerRestartsTheLostContactLimit() throws Exception {
    shows(record("JobState=RUNNING", "NodeList=node7"));
    for (int i = 0; i < 3; i++) {
      answers.add(CommandResult.exited(1, "", LOST));
    }
    shows(record("JobState=RUNNING", "NodeList=node7"));
    for (int i = 0; i < 4; i++) {
      answers.add(CommandResult.timedOut(Duration.ofSeconds(1), "", ""));
    }
    shows(record("JobState=COMPLETED", "NodeList=node7", "ExitCode=0:0"));
    watcher(plainJob()).await("42");
    assertEquals("Slurm job 42 COMPLETED (exit code 0)", log.get(log.size() - 1));
    assertEquals(10, asked.size());
  }

  @Test
  void aJobSlurmNoLongerKnowsHasAnUnknownResultAndItsOutputIsPassedOnFirst() throws Exception {
    Path out = Files.writeString(tmp.resolve("o.out"), "line one\nno newline yet");
    shows(record("JobState=RUNNING", "NodeList=node7", "StdOut=" + out));
    answers.add(CommandResult.exited(1, "", "slurm_load_jobs error: Invalid job id specified\n"));
    CommandFailedException e =
        assertThrows(CommandFailedException.class, () -> watcher(plainJob()).await("42"));
    assertEquals(
        "Slurm no longer knows job 42 (it ended more than MinJobAge ago, or was removed), so its"
            + " result is unknown. Its output is in /out/nss-run-%j.out.",
        e.getMessage());
    assertEquals(-1, e.exitCode());
    assertTrue(log.containsAll(List.of("line one", "no newline yet")), log.toString());
  }

  @Test
  void withoutAnOutputOptionTheMessagesSayTheJobsOutputFile() {
    JobSpec job = job(List.of("--job-name=nss-run"), List.of(List.of("run")));
    answers.add(CommandResult.exited(1, "", "slurm_load_jobs error: Invalid job id specified\n"));
    CommandFailedException e =
        assertThrows(CommandFailedException.class, () -> watcher(job).await("42"));
    assertTrue(e.getMessage().endsWith("Its output is in the job's output file."), e.getMessage());
  }

  @Test
  void eachEndStateIsNamedWithItsFix() throws Exception {
    Path out = tmp.resolve("o.out");
    String output = ". Output: " + out;
    assertEquals(
        "Slurm job 42 ended because its node node7 failed (NODE_FAIL)"
            + output
            + ". Run the goal again; exclude the node with"
            + " -Dnss.slurm.directives=--exclude=node7.",
        failure(out, "JobState=NODE_FAIL", "ExitCode=0:0").getMessage());
    assertEquals(
        "Slurm job 42 ran out of memory (OUT_OF_MEMORY)" + output + ". Raise nss.slurm.mem.",
        failure(out, "JobState=OUT_OF_MEMORY", "ExitCode=0:125").getMessage());
    assertEquals(
        "Slurm job 42 hit its time limit of 00:10:00 (TIMEOUT)"
            + output
            + ". Raise nss.slurm.time.",
        failure(out, "JobState=TIMEOUT", "ExitCode=0:15", "TimeLimit=00:10:00").getMessage());
    assertEquals(
        "Slurm job 42 failed with exit code 0 (signal 9) (FAILED)" + output + ".",
        failure(out, "JobState=FAILED", "ExitCode=0:9").getMessage());
    assertEquals(
        "Slurm job 42 ended in state PREEMPTED with exit code 0" + output + ".",
        failure(out, "JobState=PREEMPTED", "ExitCode=0:0").getMessage());
    CommandFailedException program = failure(out, "JobState=FAILED", "ExitCode=4:0");
    assertEquals(
        "Slurm job 42 failed with exit code 4 (FAILED)" + output + ".", program.getMessage());
    assertEquals(4, program.exitCode(), "the program's own exit code is Maven's");
    assertEquals(-1, failure(out, "JobState=NODE_FAIL", "ExitCode=4:0").exitCode());
  }

  @Test
  void aKnownFailureInTheSeparateErrorFileIsNamedButNotForAJobThatCompleted() throws Exception {
    Path out = Files.writeString(tmp.resolve("o.out"), "epoch 1\n");
    Path err =
        Files.writeString(
            tmp.resolve("o.err"),
            "RuntimeError: DataLoader worker (pid 46794) is killed by signal: Bus error.\n");
    CommandFailedException failed =
        failure(out, "JobState=FAILED", "ExitCode=1:0", "StdErr=" + err);
    assertTrue(
        failed.getMessage().contains(". The program ran out of shared memory (/dev/shm)"),
        failed.getMessage());
    assertEquals(
        "Slurm job 42 ended in state COMPLETED with exit code 1. Output: " + out + ".",
        failure(out, "JobState=COMPLETED", "ExitCode=1:0", "StdErr=" + err).getMessage());
    Path clean = Files.writeString(tmp.resolve("clean.err"), "warning: nothing\n");
    CommandFailedException inStdout =
        failure(err, "JobState=FAILED", "ExitCode=1:0", "StdErr=" + clean);
    assertTrue(
        inStdout.getMessage().contains(". The program ran out of shared memory (/dev/shm)"),
        inStdout.getMessage());
  }

  @Test
  void outputIsPassedOnWhileTheJobRuns() throws Exception {
    Path out = Files.writeString(tmp.resolve("o.out"), "step 1\n");
    shows(record("JobState=RUNNING", "NodeList=node7", "StdOut=" + out));
    shows(record("JobState=RUNNING", "NodeList=node7", "StdOut=" + out));
    shows(record("JobState=COMPLETED", "NodeList=node7", "ExitCode=0:0", "StdOut=" + out));
    List<String> seenAtSecondPoll = new ArrayList<>();
    CommandRunner watching =
        command -> {
          if (asked.size() == 1) {
            seenAtSecondPoll.addAll(log);
          }
          return slurm.run(command);
        };
    new JobWatcher(watching, log::add, plainJob(), "docker", FileTime.fromMillis(0), clock)
        .await("42");
    assertTrue(seenAtSecondPoll.contains("step 1"), "streamed, not only at the end: " + log);
  }

  @Test
  void arrayTasksAreReportedInNumericOrderWithTheirOutputPrefixed() throws Exception {
    Path range = Files.writeString(tmp.resolve("range.out"), "not one task's output\n");
    shows(
        record("JobState=RUNNING", "ArrayTaskId=10", "NodeList=node7")
            + "\n"
            + record("JobState=PENDING", "ArrayTaskId=1-2%1", "StdOut=" + range));
    StringBuilder ended = new StringBuilder();
    for (String task : List.of("10", "2", "1")) {
      Path out = Files.writeString(tmp.resolve("t" + task + ".out"), "hello from " + task + "\n");
      ended
          .append(
              record("JobState=COMPLETED", "ArrayTaskId=" + task, "ExitCode=0:0", "StdOut=" + out))
          .append('\n');
    }
    shows(ended.toString());
    watcher(arrayJob()).await("42");
    assertTrue(log.contains("[task 2] hello from 2"), log.toString());
    assertTrue(log.contains("[task 10] hello from 10"), log.toString());
    assertFalse(log.contains("not one task's output"), "a range of pending tasks: " + log);
    assertEquals(
        List.of(
            "Slurm job 42 task 1: COMPLETED, exit code 0",
            "Slurm job 42 task 2: COMPLETED, exit code 0",
            "Slurm job 42 task 10: COMPLETED, exit code 0",
            "Slurm array job 42: all 3 tasks COMPLETED"),
        log.subList(log.size() - 4, log.size()));
  }

  @Test
  void aFailedArrayNamesEachFailedTaskAndNoProgramExitCode() {
    shows(
        record("JobState=COMPLETED", "ArrayTaskId=0", "ExitCode=0:0")
            + "\n"
            + record("JobState=COMPLETED", "ArrayTaskId=1", "ExitCode=2:0")
            + "\n"
            + record("JobState=FAILED", "ArrayTaskId=2", "ExitCode=125:0", "NodeList=node7"));
    CommandFailedException e =
        assertThrows(CommandFailedException.class, () -> watcher(arrayJob()).await("42"));
    assertEquals(
        "Slurm array job 42: 2 of 3 tasks failed: task 1 (ended in state COMPLETED with exit code"
            + " 2), task 2 (failed before its program ran: the container engine on node7 could not"
            + " run the container (`run` exited 125; the engine's error is in the output)"
            + " (FAILED)). Output: /out/nss-run-%A_%a.out.",
        e.getMessage());
    assertEquals(-1, e.exitCode());
  }

  /** Why a plain job that ends at once with {@code fields} failed; its StdOut is {@code out}. */
  private CommandFailedException failure(Path out, String... fields) {
    answers.clear();
    List<String> all = new ArrayList<>(List.of(fields));
    all.add("NodeList=node7");
    all.add("StdOut=" + out);
    shows(record(all.toArray(String[]::new)));
    return assertThrows(CommandFailedException.class, () -> watcher(plainJob()).await("42"));
  }

  private void shows(String records) {
    answers.add(CommandResult.exited(0, records, ""));
  }

  /** One record as {@code scontrol show job} prints it: JobId first, one field a line. */
  private static String record(String... fields) {
    return "JobId=42 JobName=nss-run\n   " + String.join("\n   ", fields) + "\n";
  }

  private JobWatcher watcher(JobSpec job) {
    return new JobWatcher(slurm, log::add, job, "docker", FileTime.fromMillis(0), clock);
  }

  private JobSpec plainJob() {
    return job(
        List.of("--job-name=nss-run", "--output=/out/nss-run-%j.out"), List.of(List.of("run")));
  }

  private JobSpec arrayJob() {
    return job(
        List.of("--job-name=nss-run", "--output=/out/nss-run-%A_%a.out", "--array=0-2"),
        List.of(List.of("run", "a"), List.of("run", "b"), List.of("run", "c")));
  }

  private JobSpec job(List<String> options, List<List<String>> tasks) {
    return new JobSpec(
        "nss-run",
        null,
        options,
        tasks,
        true,
        Duration.ofSeconds(1),
        false,
        tmp.resolve("nss-run.sh"));
  }
}
