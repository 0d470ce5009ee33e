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

  private JobScript() {}

  /**
   * @param run the container run of nss:run-gpu's plan: the script runs it with the job's own
   *     container name, the GPUs Slurm allocated (when {@code run} has GPU flags) and the task's
   *     command
   */
  public static String render(JobSpec job, RunSpec run) {
    boolean podman = Engine.isPodman(run.cli());
    boolean gpus = !run.gpuFlags().isEmpty();
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
    s.append("gpus=\"${SLURM_JOB_GPUS:-${CUDA_VISIBLE_DEVICES:-}}\"\n");
    s.append("gpu_flags=()\n");
    if (gpus) {
      s.append("if [ -n \"$gpus\" ]; then\n");
      if (podman) {
        s.append(
            "  for id in ${gpus//,/ }; do gpu_flags+=(--device \"nvidia.com/gpu=$id\"); done\n");
      } else {
        s.append("  gpu_flags=(--gpus \"\\\"device=$gpus\\\"\")\n");
      }
      s.append("fi\n");
      s.append("echo \"[nss-slurm] job $SLURM_JOB_ID: GPUs ${gpus:-none}, container $name\" >&2\n");
    } else {
      s.append(
          "echo \"[nss-slurm] job $SLURM_JOB_ID: GPUs ${gpus:-none} (not passed to the container: nss.gpuFlag"
              + " is empty), container $name\" >&2\n");
    }
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
    if (!run.gpuFlags().isEmpty()) {
      parts.add("\"${gpu_flags[@]}\"");
    }
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
