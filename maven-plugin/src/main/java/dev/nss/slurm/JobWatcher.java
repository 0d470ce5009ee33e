package dev.nss.slurm;

import dev.nss.core.Command;
import dev.nss.core.CommandFailedException;
import dev.nss.core.CommandResult;
import dev.nss.core.CommandRunner;
import dev.nss.core.PropertyNames;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Follows a submitted job to its end by polling {@code scontrol show job} (faster than {@code
 * sbatch --wait}, which polls every 10 s): logs when it starts and why it waits, streams its output
 * files into the log, and fails with its exit code or final state.
 */
final class JobWatcher {

  static final long POLL_MILLIS = 250;

  /**
   * docker/podman run's exit code when the engine, not the program, failed (no such image, bad
   * flag, ...).
   */
  static final int ENGINE_FAILED = 125;

  private final CommandRunner slurm;
  private final Consumer<String> log;
  private final JobSpec job;
  private final String cli;

  /** How much of the end of a failed job's output is searched for a known failure. */
  private static final int TAIL_BYTES = 16 * 1024;

  private final OutputFollower output;
  private final Clock clock;

  /** The time and the waits between polls: the unit tests drive the polling without waiting. */
  interface Clock {
    Clock SYSTEM =
        new Clock() {
          @Override
          public long nanoTime() {
            return System.nanoTime();
          }

          @Override
          public void sleep(long millis) throws InterruptedException {
            Thread.sleep(millis);
          }
        };

    long nanoTime();

    void sleep(long millis) throws InterruptedException;
  }

  /**
   * @param cli the container CLI the job script runs, for the known failures its output names
   * @param submitted when sbatch was called: output files last written before are an earlier job's
   */
  JobWatcher(
      CommandRunner slurm,
      Consumer<String> log,
      JobSpec job,
      String cli,
      FileTime submitted,
      Clock clock) {
    this.slurm = slurm;
    this.log = log;
    this.job = job;
    this.cli = cli;
    this.output = new OutputFollower(log, submitted);
    this.clock = clock;
  }

  /**
   * Returns when every task ended well; else throws, naming the job, the failed tasks and their
   * exit code or state.
   */
  void await(String jobId) throws CommandFailedException, InterruptedException {
    long submitted = clock.nanoTime();
    long lastContact = submitted;
    boolean started = false;
    String lastReason = "";
    Map<String, JobRecord> ended = new TreeMap<>(JobWatcher::byTaskNumber);
    while (true) {
      CommandResult show =
          slurm.run(new Command(SlurmCommands.showJob(jobId), Map.of(), "", job.commandTimeout()));
      if (!show.succeeded()) {
        if (show.stderr().contains("Invalid job id")) {
          output.drain();
          throw new CommandFailedException(
              "Slurm no longer knows job "
                  + jobId
                  + " (it ended more than MinJobAge"
                  + " ago, or was removed), so its result is unknown. Its output is in "
                  + outputHint()
                  + ".",
              -1);
        }
        if (clock.nanoTime() - lastContact > job.commandTimeout().toNanos()) {
          throw new CommandFailedException(
              "Lost contact with the Slurm controller while waiting for job "
                  + jobId
                  + ": "
                  + SlurmCommands.failure(SlurmCommands.showJob(jobId), show)
                  + ". The job may still run: check `squeue -j "
                  + jobId
                  + "`, cancel it with `scancel "
                  + jobId
                  + "`.",
              -1);
        }
        clock.sleep(POLL_MILLIS);
        continue;
      }
      lastContact = clock.nanoTime();
      List<JobRecord> records = JobRecord.parse(show.stdout());
      for (JobRecord r : records) {
        followOutput(r);
        if (r.finished()) {
          ended.put(r.arrayTaskId(), r);
        }
      }
      output.poll();
      if (!started && records.stream().anyMatch(r -> r.running() || r.finished())) {
        started = true;
        log.accept(
            "Slurm job "
                + jobId
                + " started on "
                + records.get(0).get("NodeList")
                + " after "
                + String.format(Locale.ROOT, "%.1f", (clock.nanoTime() - submitted) / 1e9)
                + " s in the queue");
      }
      if (!started) {
        String reason = records.isEmpty() ? "" : records.get(0).get("Reason");
        if (!reason.equals(lastReason) && !reason.equals("None")) {
          log.accept("Slurm job " + jobId + " is pending (Reason=" + reason + ")");
        }
        lastReason = reason;
      }
      if (!records.isEmpty() && records.stream().allMatch(JobRecord::finished)) {
        output.drain();
        report(jobId, new ArrayList<>(ended.values()));
        return;
      }
      clock.sleep(POLL_MILLIS);
    }
  }

  private void followOutput(JobRecord r) {
    String prefix =
        job.array() && !r.arrayTaskId().isEmpty() ? "[task " + r.arrayTaskId() + "] " : "";
    if (!r.arrayTaskId().contains("-")) { // a range of pending tasks names no file yet
      for (String key : List.of("StdOut", "StdErr")) {
        String file = r.get(key);
        if (!file.isEmpty()) {
          output.follow(Path.of(file), prefix);
        }
      }
    }
  }

  private void report(String jobId, List<JobRecord> tasks) throws CommandFailedException {
    if (!job.array()) {
      JobRecord r = tasks.get(0);
      if (succeeded(r)) {
        log.accept("Slurm job " + jobId + " COMPLETED (exit code 0)");
        return;
      }
      String out = r.get("StdOut").isEmpty() ? outputHint() : r.get("StdOut");
      throw new CommandFailedException(
          "Slurm job " + jobId + " " + outcome(r) + ". Output: " + out + fix(r) + knownCause(r),
          programFailed(r) ? r.exitCode() : -1);
    }
    List<String> failed = new ArrayList<>();
    for (JobRecord r : tasks) {
      log.accept(
          "Slurm job "
              + jobId
              + " task "
              + r.arrayTaskId()
              + ": "
              + r.state()
              + ", exit code "
              + r.exitCode());
      if (!succeeded(r)) {
        failed.add(r.arrayTaskId() + " (" + outcome(r) + ")");
      }
    }
    if (!failed.isEmpty()) {
      throw new CommandFailedException(
          "Slurm array job "
              + jobId
              + ": "
              + failed.size()
              + " of "
              + tasks.size()
              + " tasks failed: task "
              + String.join(", task ", failed)
              + ". Output: "
              + outputHint()
              + ".",
          -1);
    }
    log.accept("Slurm array job " + jobId + ": all " + tasks.size() + " tasks COMPLETED");
  }

  private static boolean succeeded(JobRecord r) {
    return r.state().equals("COMPLETED") && r.exitCode() == 0;
  }

  /** The program's own exit code ended the job, not the engine's 125 nor a state of Slurm's. */
  private static boolean programFailed(JobRecord r) {
    return r.state().equals("FAILED") && r.exitCode() != ENGINE_FAILED;
  }

  /** What happened, in words, with Slurm's state name. */
  private static String outcome(JobRecord r) {
    if (r.state().equals("FAILED") && r.exitCode() == ENGINE_FAILED) {
      return "failed before its program ran: the container engine on "
          + r.get("NodeList")
          + " could not run the"
          + " container (`run` exited 125; the engine's error is in the output) (FAILED)";
    }
    return switch (r.state()) {
      case "FAILED" ->
          "failed with exit code "
              + r.exitCode()
              + (r.signal() != 0 ? " (signal " + r.signal() + ")" : "")
              + " (FAILED)";
      case "TIMEOUT" -> "hit its time limit of " + r.get("TimeLimit") + " (TIMEOUT)";
      case "CANCELLED" -> "was cancelled (CANCELLED)";
      case "NODE_FAIL" -> "ended because its node " + r.get("NodeList") + " failed (NODE_FAIL)";
      case "OUT_OF_MEMORY" -> "ran out of memory (OUT_OF_MEMORY)";
      default -> "ended in state " + r.state() + " with exit code " + r.exitCode();
    };
  }

  /**
   * A GPU or memory failure that the job's output names (the end of its StdOut and StdErr files),
   * as " cause fix"; else "".
   */
  private String knownCause(JobRecord r) {
    if (r.state().equals("COMPLETED")) {
      return "";
    }
    StringBuilder tail = new StringBuilder();
    for (String key : List.of("StdOut", "StdErr")) {
      String file = r.get(key);
      if (!file.isEmpty() && (key.equals("StdOut") || !file.equals(r.get("StdOut")))) {
        tail.append(OutputFollower.tail(Path.of(file), TAIL_BYTES));
      }
    }
    return dev.nss.container.FailureDiagnosis.knownRunFailure(cli, r.exitCode(), tail.toString())
        .map(m -> " " + m)
        .orElse("");
  }

  private static String fix(JobRecord r) {
    return switch (r.state()) {
      case "TIMEOUT" -> ". Raise " + PropertyNames.SLURM_TIME + ".";
      case "OUT_OF_MEMORY" -> ". Raise " + PropertyNames.SLURM_MEM + ".";
      case "NODE_FAIL" ->
          ". Run the goal again; exclude the node with -D"
              + PropertyNames.SLURM_DIRECTIVES
              + "=--exclude="
              + r.get("NodeList")
              + ".";
      default -> ".";
    };
  }

  private String outputHint() {
    return job.options().stream()
        .filter(o -> o.startsWith("--output="))
        .map(o -> o.substring(9))
        .findFirst()
        .orElse("the job's output file");
  }

  /** Array tasks in numeric order; a plain job has the one key "". */
  private static int byTaskNumber(String a, String b) {
    return Long.compare(number(a), number(b)) != 0
        ? Long.compare(number(a), number(b))
        : a.compareTo(b);
  }

  private static long number(String taskId) {
    try {
      return Long.parseLong(taskId);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
