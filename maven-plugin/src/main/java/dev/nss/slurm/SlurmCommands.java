package dev.nss.slurm;

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
