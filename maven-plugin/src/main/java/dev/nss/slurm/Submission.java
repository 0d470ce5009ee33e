package dev.nss.slurm;

import dev.nss.core.Command;
import dev.nss.core.CommandFailedException;
import dev.nss.core.CommandResult;
import dev.nss.core.CommandRunner;
import dev.nss.core.ShellWords;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One {@code sbatch} of the job under a name of its own, so that a job it may have queued can be
 * found without its id: sbatch can queue the job and then be stopped (a timeout, Maven's Ctrl-C)
 * before it prints the id, e.g. while it retries a controller that is "temporarily unable to accept
 * job". Then {@code scancel --name=NAME --user=USER} cancels what it queued, and the log names
 * which jobs that was. {@link #stop()} is what Maven's shutdown hook calls.
 */
final class Submission {

  /** Between the two cancels by name: a submission the controller was still handling lands. */
  static final long SECOND_CANCEL_MILLIS = 1000;

  private final CommandRunner slurm;
  private final JobSpec job;
  private final String name;
  private final String user;
  private final Consumer<String> log;
  private final PrintStream stderr;
  private final CountDownLatch answered = new CountDownLatch(1);

  private Thread submitter;
  private boolean inSbatch;
  private boolean stopping;
  private volatile boolean stoppedBySignal;
  private volatile String jobId;

  /**
   * @param name this submission's job name, unique ({@code nss.slurm.jobName} and a random suffix)
   * @param user the submitting user, as {@code scancel --user} takes it
   */
  Submission(
      CommandRunner slurm,
      JobSpec job,
      String name,
      String user,
      Consumer<String> log,
      PrintStream stderr) {
    this.slurm = slurm;
    this.job = job;
    this.name = name;
    this.user = user;
    this.log = log;
    this.stderr = stderr;
  }

  String name() {
    return name;
  }

  /**
   * Submits the job and returns its id; whatever else happens, no job of this name stays queued.
   */
  String submit() throws CommandFailedException {
    List<String> argv = SlurmCommands.submit(job.script(), name);
    try {
      synchronized (this) {
        if (stopping) {
          throw new CommandFailedException("Maven is stopping: the job was not submitted.", 130);
        }
        submitter = Thread.currentThread();
        inSbatch = true;
      }
      log.accept(ShellWords.quote(argv));
      CommandResult result;
      try {
        result = run(argv);
      } catch (InterruptedException e) {
        // stop() ended sbatch (the runner destroyed its process group): stop() cancels by name.
        stoppedBySignal = true;
        throw new CommandFailedException(
            "Maven was stopped while sbatch was submitting the job (name "
                + name
                + "); cancelling whatever it queued.",
            130);
      } finally {
        synchronized (this) {
          inSbatch = false;
          Thread.interrupted(); // stop()'s interrupt may land just after sbatch answered
        }
      }
      String id = result.stdout().strip().split(";", 2)[0];
      if (result.succeeded() && id.matches("\\d+")) {
        jobId = id;
        return id;
      }
      String cancelled = cancelByName();
      throw new CommandFailedException(
          "sbatch did not submit the job: "
              + SlurmCommands.failure(argv, result)
              + (result.timedOut() || !cancelled.startsWith("found no") ? "; " + cancelled : "")
              + ". Check the nss.slurm.* settings and `sbatch "
              + job.script()
              + "` by hand.",
          -1);
    } finally {
      answered.countDown();
    }
  }

  /**
   * Maven is stopping (its shutdown hook): ends a running sbatch, then cancels the job it queued,
   * by id when sbatch answered, else by name; says on stderr what was cancelled. Bounded: it waits
   * for the submitting thread at most as long as that thread's Slurm commands may take.
   */
  void stop() {
    synchronized (this) {
      stopping = true;
      if (inSbatch) {
        submitter.interrupt();
      }
    }
    try {
      long bound = job.commandTimeout().multipliedBy(3).plus(Duration.ofSeconds(5)).toMillis();
      boolean known = answered.await(bound, TimeUnit.MILLISECONDS);
      String id = jobId;
      if (id != null) {
        CommandResult cancel = run(SlurmCommands.cancel(id));
        report(
            cancel.succeeded()
                ? "cancelled Slurm job " + id + " (scancel " + id + ")."
                : "could not cancel Slurm job "
                    + id
                    + ": "
                    + SlurmCommands.failure(SlurmCommands.cancel(id), cancel)
                    + ". Cancel it yourself: scancel "
                    + id);
      } else if (stoppedBySignal) {
        report("sbatch had not answered and was stopped; " + cancelByName() + ".");
      } else if (!known) {
        report(
            "could not learn whether sbatch queued the job. Check `squeue --name="
                + name
                + " --user="
                + user
                + "`, cancel it with `"
                + ShellWords.quote(SlurmCommands.cancelByName(name, user))
                + "`.");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * {@code scancel --name --user}, twice a second apart (a submission the controller was still
   * handling at the first lands before the second), then what that cancelled, in words.
   */
  private String cancelByName() {
    List<String> cancel = SlurmCommands.cancelByName(name, user);
    String command = "`" + ShellWords.quote(cancel) + "`";
    try {
      CommandResult first = run(cancel);
      Thread.sleep(SECOND_CANCEL_MILLIS);
      CommandResult second = run(cancel);
      if (!first.succeeded() && !second.succeeded()) {
        return "could not cancel by name: "
            + SlurmCommands.failure(cancel, second)
            + "; run "
            + command
            + " yourself";
      }
      List<String> listing = SlurmCommands.jobsNamed(name, user);
      CommandResult jobs = run(listing);
      if (!jobs.succeeded()) {
        return "ran "
            + command
            + ", but could not list what it cancelled: "
            + SlurmCommands.failure(listing, jobs);
      }
      List<String> found =
          jobs.stdout().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
      return found.isEmpty()
          ? "found no job it had queued (" + command + ")"
          : "cancelled what it had queued: " + String.join(", ", found) + " (" + command + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "was interrupted before cancelling by name: run " + command + " yourself";
    }
  }

  private void report(String what) {
    stderr.println("[nss] Maven is stopping: " + what);
    stderr.flush();
  }

  private CommandResult run(List<String> argv) throws InterruptedException {
    return slurm.run(new Command(argv, Map.of(), "", job.commandTimeout()));
  }
}
