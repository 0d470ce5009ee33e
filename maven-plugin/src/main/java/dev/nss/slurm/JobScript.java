package dev.nss.slurm;

import dev.nss.container.Commands;
import dev.nss.container.RunSpec;
import dev.nss.core.ShellWords;
import dev.nss.engine.Engine;
import java.util.ArrayList;
import java.util.List;

/**
 * The batch script of a job: {@code #SBATCH} lines, then the container run of nss:run-gpu's plan
 * with three parts filled in on the node: the container name (from the job id), the GPU flags (from
 * the GPUs Slurm allocated) and, for arrays, the task's command. A TERM trap removes the container,
 * so that {@code scancel} leaves nothing running. Every value is single-quoted; secrets are passed
 * by name only ({@code -e NAME}, {@code --export=NAME}).
 */
public final class JobScript {

  /**
   * Seconds the trap gives the program to stop before the container is removed; below Slurm's usual
   * KillWait.
   */
  static final int STOP_SECONDS = 2;

  /** The script's exit code when the job asked for GPUs and Slurm did not say which it got. */
  static final int NO_GPUS_KNOWN = 2;

  private JobScript() {}

  /**
   * @param run the container run of nss:run-gpu's plan: the script runs it with the job's own
   *     container name, the GPUs Slurm allocated (when {@code run} has GPU flags) and the task's
   *     command
   */
  public static String render(JobSpec job, RunSpec run) {
    boolean podman = Engine.isPodman(run.cli());
    StringBuilder s = new StringBuilder();
    s.append("#!/bin/bash\n");
    s.append(
        "# Written by nss:submit-slurm: runs the container as nss:run-gpu does, as a Slurm job.\n");
    s.append("# Submit it again with: sbatch ")
        .append(ShellWords.quote(job.script().toString()))
        .append('\n');
    for (String option : job.options()) {
      s.append("#SBATCH ").append(option).append('\n');
    }
    s.append('\n');
    s.append("cli=").append(ShellWords.quote(run.cli())).append('\n');
    s.append("name=\"nss-slurm-${SLURM_JOB_ID:?not running under Slurm}\"\n");
    appendGpus(s, job, run, podman);
    appendLimits(s);
    s.append("echo \"[nss-slurm] job $SLURM_JOB_ID: GPUs ${gpus:-none}")
        .append(
            run.gpuFlags().isEmpty() ? " (not passed to the container: nss.gpuFlag is empty)" : "")
        .append("; limits ${limits[*]:-none}; container $name\" >&2\n");
    s.append('\n');
    appendCommand(s, job.taskCommands());
    s.append('\n');
    s.append("stop_container() {\n");
    s.append("  echo \"[nss-slurm] job $SLURM_JOB_ID: signalled, removing container $name\" >&2\n");
    s.append("  \"$cli\" stop -t ").append(STOP_SECONDS).append(" \"$name\" >/dev/null 2>&1\n");
    s.append("  \"$cli\" rm -f \"$name\" >/dev/null 2>&1\n");
    s.append(
        "  sleep 1 # a create the engine received just before the signal lands late: remove that too\n");
    s.append("  \"$cli\" rm -f \"$name\" >/dev/null 2>&1\n");
    s.append("  exit 143\n");
    s.append("}\n");
    s.append("trap stop_container TERM INT\n");
    s.append('\n');
    s.append(runLine(run)).append(" &\n");
    s.append("wait $!\n");
    s.append("exit $?\n");
    return s.toString();
  }

  /**
   * The GPU flags from {@code SLURM_JOB_GPUS}: the host's numbers of the GPUs Slurm allocated,
   * which is what the engine counts in. Never {@code CUDA_VISIBLE_DEVICES}: under {@code
   * ConstrainDevices} it counts the job's GPUs from 0, so it would name another job's GPU on the
   * host. A job that asked for GPUs without Slurm naming them fails rather than guess; a container
   * without GPUs gets {@code NVIDIA_VISIBLE_DEVICES=void}, since with the NVIDIA runtime as the
   * engine's default the image's {@code NVIDIA_VISIBLE_DEVICES=all} would hand it every GPU of the
   * node.
   */
  private static void appendGpus(StringBuilder s, JobSpec job, RunSpec run, boolean podman) {
    s.append("gpus=\"${SLURM_JOB_GPUS:-}\"\n");
    s.append("gpu_flags=(-e NVIDIA_VISIBLE_DEVICES=void)\n");
    if (run.gpuFlags().isEmpty()) {
      return;
    }
    s.append("if [ -n \"$gpus\" ]; then\n");
    if (podman) {
      s.append("  gpu_flags=()\n");
      s.append("  for id in ${gpus//,/ }; do gpu_flags+=(--device \"nvidia.com/gpu=$id\"); done\n");
    } else {
      s.append("  gpu_flags=(--gpus \"\\\"device=$gpus\\\"\")\n");
    }
    if (job.requestsGpus()) {
      s.append("else\n");
      s.append(
          "  echo \"[nss-slurm] job $SLURM_JOB_ID asked for GPUs, but Slurm did not say which"
              + " (SLURM_JOB_GPUS is unset): not starting the container rather than guessing"
              + " (CUDA_VISIBLE_DEVICES counts the job's GPUs, not the host's). The cluster's"
              + " gres.conf must name the GPU device files (File=/dev/nvidia[0-N]).\" >&2\n");
      s.append("  exit ").append(NO_GPUS_KNOWN).append('\n');
    }
    s.append("fi\n");
  }

  /**
   * The job's memory and CPU limits for the container, which the engine starts outside the job's
   * cgroup: {@code --memory} from {@code SLURM_MEM_PER_NODE} (megabytes; else {@code
   * SLURM_MEM_PER_CPU} times {@code SLURM_CPUS_ON_NODE}), {@code --cpus} from {@code
   * SLURM_CPUS_PER_TASK}, each only when Slurm sets it.
   */
  private static void appendLimits(StringBuilder s) {
    s.append("number() { case \"$1\" in '' | *[!0-9]* | 0) return 1 ;; esac; }\n");
    s.append("limits=()\n");
    s.append("if number \"${SLURM_MEM_PER_NODE:-}\"; then\n");
    s.append("  limits+=(\"--memory=${SLURM_MEM_PER_NODE}m\")\n");
    s.append(
        "elif number \"${SLURM_MEM_PER_CPU:-}\" && number \"${SLURM_CPUS_ON_NODE:-}\"; then\n");
    s.append("  limits+=(\"--memory=$((SLURM_MEM_PER_CPU * SLURM_CPUS_ON_NODE))m\")\n");
    s.append("fi\n");
    s.append("if number \"${SLURM_CPUS_PER_TASK:-}\"; then\n");
    s.append("  limits+=(\"--cpus=$SLURM_CPUS_PER_TASK\")\n");
    s.append("fi\n");
  }

  private static void appendCommand(StringBuilder s, List<List<String>> tasks) {
    if (tasks.size() == 1) {
      s.append("cmd=(").append(words(tasks.get(0))).append(")\n");
      return;
    }
    s.append("case \"${SLURM_ARRAY_TASK_ID:-}\" in\n");
    for (int i = 0; i < tasks.size(); i++) {
      s.append("  ").append(i).append(") cmd=(").append(words(tasks.get(i))).append(") ;;\n");
    }
    s.append(
        "  *) echo \"[nss-slurm] no command for array task '${SLURM_ARRAY_TASK_ID:-}'\" >&2; exit 2 ;;\n");
    s.append("esac\n");
  }

  /**
   * The run's argv, quoted, with the job's values where the plan has the goal's: the container's
   * name, the GPU flags and the command.
   */
  private static String runLine(RunSpec run) {
    List<String> parts = new ArrayList<>();
    parts.add("\"$cli\"");
    Commands.RUN.forEach(word -> parts.add(ShellWords.quote(word)));
    parts.add("\"$name\"");
    Commands.optionsBeforeGpus(run).forEach(word -> parts.add(ShellWords.quote(word)));
    parts.add("\"${limits[@]}\"");
    parts.add("\"${gpu_flags[@]}\"");
    Commands.optionsAfterGpus(run).forEach(word -> parts.add(ShellWords.quote(word)));
    parts.add(ShellWords.quote(run.image()));
    parts.add("\"${cmd[@]}\"");
    return String.join(" ", parts);
  }

  private static String words(List<String> words) {
    List<String> quoted = new ArrayList<>();
    for (String word : words) {
      quoted.add(word.isEmpty() ? "''" : ShellWords.quote(word));
    }
    return String.join(" ", quoted);
  }
}
