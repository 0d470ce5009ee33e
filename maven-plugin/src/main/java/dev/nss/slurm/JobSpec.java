package dev.nss.slurm;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A checked Slurm job: its {@code #SBATCH} options and one command per task (one task: a plain job;
 * more: an array).
 *
 * @param jobName the job name, also the script's file name
 * @param partition the partition, or null for the cluster's default
 * @param options the {@code #SBATCH} options in order, each one word such as {@code
 *     --partition=debug}
 * @param taskCommands the command after the image, per array task (exactly one for a plain job)
 * @param await wait for the end, streaming the output
 * @param commandTimeout how long each Slurm command may take
 * @param sharedImageStore the nodes can run a local-only image (a one-node cluster, a shared store)
 * @param script where the job script is written
 */
public record JobSpec(
    String jobName,
    String partition,
    List<String> options,
    List<List<String>> taskCommands,
    boolean await,
    Duration commandTimeout,
    boolean sharedImageStore,
    Path script) {

  public boolean array() {
    return taskCommands.size() > 1;
  }

  /** The job asks Slurm for GPUs ({@code nss.slurm.gpus}, or a GPU option in the directives). */
  public boolean requestsGpus() {
    return options.stream()
        .anyMatch(
            o ->
                o.startsWith("--gpus")
                    || o.startsWith("--gres=gpu")
                    || o.startsWith("--gres='gpu"));
  }
}
