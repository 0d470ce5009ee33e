package dev.nss.doctor;

import dev.nss.core.CommandResult;
import dev.nss.engine.ContainerCliLocator;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code slurm}: for nss:submit-slurm, the Slurm client commands, whether the controller answers
 * ({@code scontrol ping}, which does not retry like the other commands), and each partition's nodes
 * and GPUs. Runs when an {@code nss.slurm.*} property is set or when named in {@code
 * nss.doctor.checks}.
 */
final class SlurmCheck implements Check {

  static final List<String> COMMANDS = List.of("sbatch", "scontrol", "sinfo", "scancel");

  @Override
  public String id() {
    return "slurm";
  }

  @Override
  public String description() {
    return "Slurm commands found, controller answers (scontrol ping), partitions with their nodes and GPUs"
        + " (only when nss.slurm.* is set, or named in nss.doctor.checks)";
  }

  @Override
  public Finding run(CheckContext context) throws InterruptedException {
    String path = context.environment().env("PATH");
    List<String> missing = new ArrayList<>();
    for (String command : COMMANDS) {
      if (ContainerCliLocator.findOnPath(command, path).isEmpty()) {
        missing.add(command);
      }
    }
    if (!missing.isEmpty()) {
      return Finding.error(
          "not on PATH: " + String.join(", ", missing),
          "install the Slurm client commands (Debian: apt-get install slurm-client) and set SLURM_CONF to the"
              + " cluster's slurm.conf if it is not in /etc/slurm");
    }
    CommandResult ping = context.run("scontrol", "ping");
    if (!ping.succeeded()) {
      return Finding.error(
          "the controller does not answer: " + ping.describeFailure(),
          "start slurmctld, or point SLURM_CONF at the cluster's slurm.conf (now "
              + orNone(context.environment().env("SLURM_CONF"))
              + ")");
    }
    CommandResult sinfo = context.run("sinfo", "--noheader", "--format=%P %D %G %t");
    if (!sinfo.succeeded()) {
      return Finding.warning(
          "controller UP, but sinfo " + sinfo.describeFailure(), "run sinfo yourself to see why");
    }
    List<String> partitions = new ArrayList<>();
    boolean gpus = false;
    for (String line : sinfo.stdout().split("\n")) {
      String[] f = line.strip().split("\\s+");
      if (f.length == 4) {
        partitions.add(
            f[0]
                + " ("
                + f[1]
                + (f[1].equals("1") ? " node " : " nodes ")
                + f[3]
                + ", gres "
                + f[2]
                + ")");
        gpus |= f[2].contains("gpu");
      }
    }
    String value =
        "controller UP; partitions: "
            + (partitions.isEmpty() ? "none" : String.join(", ", partitions));
    if (!gpus) {
      return Finding.warning(
          value + "; no node offers GPUs (GRES gpu)",
          "run on a partition with GPUs (-Dnss.slurm.partition=...), or submit without: -Dnss.slurm.gpus=0");
    }
    return Finding.ok(value);
  }

  private static String orNone(String value) {
    return value == null || value.isBlank() ? "unset" : value;
  }
}
