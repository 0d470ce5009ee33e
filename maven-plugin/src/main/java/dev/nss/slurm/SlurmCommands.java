package dev.nss.slurm;

import dev.nss.core.CommandResult;
import dev.nss.core.PropertyNames;
import dev.nss.core.ShellWords;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The argv of every Slurm command the goal runs. Element 0 is the command, found on PATH. */
public final class SlurmCommands {

  private SlurmCommands() {}

  /**
   * Answers at once, also when the controller is down (unlike sinfo and sbatch, which retry for
   * minutes).
   */
  public static List<String> ping() {
    return List.of("scontrol", "ping");
  }

  /**
   * Submits the script and prints {@code JOBID[;CLUSTER]}; with {@code testOnly}, only checks that
   * it could run.
   */
  public static List<String> sbatch(Path script, boolean testOnly) {
    List<String> argv = new ArrayList<>(List.of("sbatch", "--parsable"));
    if (testOnly) {
      argv.add("--test-only");
    }
    argv.add(script.toString());
    return argv;
  }

  /**
   * Submits the script under {@code jobName} (this submission's own name, which overrides the
   * script's {@code --job-name}) and prints {@code JOBID[;CLUSTER]}. sbatch runs in a session of
   * its own ({@code setsid}): the terminal's Ctrl-C reaches only Maven, which then stops sbatch and
   * cancels by name whatever it may have queued.
   */
  public static List<String> submit(Path script, String jobName) {
    return List.of("setsid", "sbatch", "--parsable", "--job-name=" + jobName, script.toString());
  }

  /** Cancels every job of {@code user} named {@code jobName}: a submission whose id is unknown. */
  public static List<String> cancelByName(String jobName, String user) {
    return List.of("scancel", "--name=" + jobName, "--user=" + user);
  }

  /** {@code JOBID STATE} of every job of {@code user} named {@code jobName}, ended ones too. */
  public static List<String> jobsNamed(String jobName, String user) {
    return List.of(
        "squeue",
        "--noheader",
        "--states=all",
        "--name=" + jobName,
        "--user=" + user,
        "--format=%i %T");
  }

  /**
   * What went wrong with a Slurm command, in one line; a timeout names the setting that raises the
   * limit.
   */
  public static String failure(List<String> argv, CommandResult result) {
    String command = "`" + ShellWords.quote(argv) + "`";
    if (result.timedOut()) {
      return command
          + " did not answer in "
          + result.timeout().toSeconds()
          + " s and was stopped (raise "
          + PropertyNames.SLURM_COMMAND_TIMEOUT
          + " if the controller is only slow)";
    }
    return command + " " + result.describeFailure();
  }

  /**
   * Every record of a job (one per array task), multi-line: paths with spaces stay on their own
   * lines.
   */
  public static List<String> showJob(String jobId) {
    return List.of("scontrol", "show", "job", jobId);
  }

  public static List<String> cancel(String jobId) {
    return List.of("scancel", jobId);
  }

  /**
   * One line {@code PARTITION NODE} per node of {@code partition}, or of every partition when null
   * (the default one is marked with {@code *}).
   */
  public static List<String> nodes(String partition) {
    List<String> argv = new ArrayList<>(List.of("sinfo", "--noheader", "--Node", "--format=%P %N"));
    if (partition != null) {
      argv.add("--partition=" + partition);
    }
    return argv;
  }
}
