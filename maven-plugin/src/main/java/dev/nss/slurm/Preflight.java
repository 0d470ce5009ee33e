package dev.nss.slurm;

import dev.nss.core.CommandFailedException;
import dev.nss.core.CommandResult;
import dev.nss.core.InvalidSettingException;
import dev.nss.core.PropertyNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Turns a refusal of {@code sbatch --test-only} into a failure that names the setting at fault. */
final class Preflight {

  private Preflight() {}

  static void reject(CommandResult test, SlurmSettings s, JobSpec job)
      throws InvalidSettingException, CommandFailedException {
    String why = test.describeFailure();
    if (test.timedOut()) {
      throw new CommandFailedException(
          "sbatch --test-only "
              + why
              + ": the Slurm controller did not answer in "
              + "time. Check it with `scontrol ping`, or raise "
              + PropertyNames.SLURM_COMMAND_TIMEOUT
              + ".",
          -1);
    }
    String text = (test.stderr() + "\n" + test.stdout()).toLowerCase(Locale.ROOT);
    String sbatch = "sbatch --test-only " + job.script() + " refused the job (" + why + ")";
    if (text.contains("invalid partition")) {
      throw new InvalidSettingException(
          PropertyNames.SLURM_PARTITION,
          sbatch + "; partition '" + s.partition + "' does not exist",
          "Set -D"
              + PropertyNames.SLURM_PARTITION
              + " to a partition `sinfo` lists, or leave it"
              + " unset for the default partition.");
    }
    if (text.contains("invalid account")) {
      throw setting(
          PropertyNames.SLURM_ACCOUNT,
          s.account,
          sbatch,
          "an account you may charge (`sacctmgr show assoc" + " user=$USER`)");
    }
    if (text.contains("invalid qos")) {
      throw setting(PropertyNames.SLURM_QOS, s.qos, sbatch, "a QOS of your association");
    }
    if (text.contains("time limit")) {
      throw setting(
          PropertyNames.SLURM_TIME, s.time, sbatch, "a time limit within the partition's MaxTime");
    }
    if (text.contains("gres") || text.contains("gpu")) {
      throw setting(
          PropertyNames.SLURM_GPUS, s.gpus, sbatch, "a GPU count (or type:count) the nodes have");
    }
    if (text.contains("feature")) {
      throw setting(
          PropertyNames.SLURM_CONSTRAINT,
          s.constraint,
          sbatch,
          "features the nodes have (`sinfo -o %f`)");
    }
    if (text.contains("node configuration is not available")
        || text.contains("memory specification")) {
      List<String> asked = new ArrayList<>();
      add(asked, PropertyNames.SLURM_GPUS, s.gpus);
      add(asked, PropertyNames.SLURM_CPUS_PER_TASK, s.cpusPerTask);
      add(asked, PropertyNames.SLURM_MEM, s.mem);
      add(asked, PropertyNames.SLURM_CONSTRAINT, s.constraint);
      String partition =
          s.partition == null || s.partition.isBlank()
              ? "the default partition"
              : "partition " + s.partition;
      throw new InvalidSettingException(
          asked.isEmpty() ? PropertyNames.SLURM_GPUS : asked.get(0).split("=")[0],
          sbatch
              + "; no node of "
              + partition
              + " has what the job asks for ("
              + String.join(", ", asked)
              + ")",
          "Ask for less, or pick another partition; `sinfo -o '%P %c %m %G %f'` lists what the nodes have.");
    }
    throw new CommandFailedException(
        sbatch
            + ". Check the nss.slurm.* settings, or run `sbatch --test-only "
            + job.script()
            + "` yourself.",
        -1);
  }

  private static InvalidSettingException setting(
      String property, String value, String sbatch, String expected) {
    return new InvalidSettingException(
        property,
        sbatch + " for '" + (value == null ? "" : value) + "'",
        "Set -D" + property + " to " + expected + ".");
  }

  private static void add(List<String> asked, String property, String value) {
    if (value != null && !value.isBlank()) {
      asked.add(property + "=" + value.strip());
    }
  }
}
