package dev.nss.maven;

import dev.nss.container.ContainerRuns;
import dev.nss.container.GoalSettings;
import dev.nss.core.CommandFailedException;
import dev.nss.core.InvalidSettingException;
import dev.nss.core.ProcessCommandRunner;
import dev.nss.core.PropertyNames;
import dev.nss.slurm.SlurmGoals;
import dev.nss.slurm.SlurmSettings;
import java.io.IOException;
import java.util.List;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Runs what {@code nss:run-gpu} runs as a Slurm job: writes {@code target/nss-slurm/<jobName>.sh}
 * (a plain batch script you can also {@code sbatch} yourself), checks it with {@code sbatch
 * --test-only}, builds the image unless {@code nss.skipBuild}, submits it, and by default waits for
 * the end with the job's output in the Maven log. The container gets the GPUs Slurm allocated;
 * {@code scancel} or Ctrl-C stops it.
 *
 * @since 0.1.0
 */
@Mojo(name = "submit-slurm", threadSafe = true, requiresProject = true)
public class SubmitSlurmMojo extends RunGpuMojo {

  /**
   * Slurm partition ({@code --partition}). Default: the cluster's default partition.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.SLURM_PARTITION)
  String slurmPartition;

  /**
   * Account charged for the job ({@code --account}).
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.SLURM_ACCOUNT)
  String slurmAccount;

  /**
   * Quality of service ({@code --qos}).
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.SLURM_QOS)
  String slurmQos;

  /**
   * Time limit ({@code --time}) in Slurm's formats: minutes, {@code h:m:s} or {@code days-h:m:s}. A
   * job that hits it ends as {@code TIMEOUT}. Default: the partition's.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.SLURM_TIME)
  String slurmTime;

  /**
   * GPUs of the job ({@code --gpus}): a count, or {@code type:count} such as {@code a100:2}; {@code
   * 0} asks for none. The container gets exactly the GPUs Slurm allocated, from {@code
   * SLURM_JOB_GPUS} (unless {@code nss.gpuFlag} is empty); a container without GPUs gets {@code
   * NVIDIA_VISIBLE_DEVICES=void}.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.SLURM_GPUS, defaultValue = PropertyNames.SLURM_GPUS_DEFAULT)
  String slurmGpus;

  /**
   * CPUs of the job's task ({@code --cpus-per-task}). Default: the cluster's (usually 1).
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.SLURM_CPUS_PER_TASK)
  String slurmCpusPerTask;

  /**
   * Memory of the job ({@code --mem}), in megabytes or with a unit, e.g. {@code 64G}. A job that
   * exceeds it (where the cluster enforces it) ends as {@code OUT_OF_MEMORY}.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.SLURM_MEM)
  String slurmMem;

  /**
   * Node features the job needs ({@code --constraint}), e.g. {@code a100|h100}.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.SLURM_CONSTRAINT)
  String slurmConstraint;

  /**
   * Job name ({@code --job-name}); also the script's file name, {@code
   * target/nss-slurm/<jobName>.sh}. Each submission of the goal adds a random suffix ({@code
   * nss-run-3fa9c2d1}), so that a job whose sbatch was stopped before it printed the id can still
   * be cancelled by name.
   *
   * @since 0.1.0
   */
  @Parameter(
      property = PropertyNames.SLURM_JOB_NAME,
      defaultValue = PropertyNames.SLURM_JOB_NAME_DEFAULT)
  String slurmJobName;

  /**
   * More {@code #SBATCH} options, split like shell words, each one word {@code --name=value} (e.g.
   * {@code --mail-type=END,FAIL --exclusive}).
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.SLURM_DIRECTIVES)
  String slurmDirectives;

  /**
   * The job's output file ({@code --output}), with Slurm's patterns ({@code %j} job id, {@code %x}
   * job name, {@code %A} / {@code %a} array job / task). Relative paths are relative to the project
   * directory. Default: {@code target/nss-slurm/%x-%j.out} ({@code %x-%A_%a.out} for arrays), whose
   * directory the goal creates; Slurm does not create directories, so one named here must exist.
   * stderr goes there too unless {@code nss.slurm.error} is set.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.SLURM_OUTPUT)
  String slurmOutput;

  /**
   * The job's stderr file ({@code --error}), same patterns as {@code nss.slurm.output}. Default:
   * with the output.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.SLURM_ERROR)
  String slurmError;

  /**
   * Wait for the job to end, streaming its output into the Maven log, and fail the build with its
   * exit code or final state ({@code TIMEOUT}, {@code CANCELLED}, {@code NODE_FAIL}, {@code
   * OUT_OF_MEMORY}). Ctrl-C then cancels the job. {@code false}: print the job id and return.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.SLURM_WAIT, defaultValue = PropertyNames.SLURM_WAIT_DEFAULT)
  boolean slurmWait;

  /**
   * A job array: one command line per task (split like shell words, like {@code nss.cmd}), e.g.
   * {@code <slurmArray><task>run --config a.yaml</task><task>run --config
   * b.yaml</task></slurmArray>}; on the command line, comma-separated. The build fails if any task
   * fails, naming each.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.SLURM_ARRAY)
  List<String> slurmArray;

  /**
   * A job array with one task per config file of the project: each task runs {@code nss.cmd} (e.g.
   * {@code run}) with {@code --config FILE} appended.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.SLURM_ARRAY_CONFIGS)
  List<String> slurmArrayConfigs;

  /**
   * How many array tasks may run at once ({@code --array=...%N}). Default: no cap.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.SLURM_ARRAY_LIMIT)
  String slurmArrayLimit;

  /**
   * Seconds each Slurm command ({@code sbatch}, {@code scontrol}, {@code sinfo}, {@code scancel})
   * may take: while the controller is down they would retry for minutes. A command past it is ended
   * with its process group; an sbatch ended so has what it may have queued cancelled by name.
   *
   * @since 0.1.0
   */
  @Parameter(
      property = PropertyNames.SLURM_COMMAND_TIMEOUT,
      defaultValue = PropertyNames.SLURM_COMMAND_TIMEOUT_DEFAULT)
  String slurmCommandTimeout;

  /**
   * Every node can run {@code nss.image} as it is (a shared image store, or the image loaded on
   * each node). Without it, an image that names no registry is only accepted when the partition's
   * one node is this machine.
   *
   * @since 0.1.0
   */
  @Parameter(
      property = PropertyNames.SLURM_SHARED_IMAGE_STORE,
      defaultValue = PropertyNames.SLURM_SHARED_IMAGE_STORE_DEFAULT)
  boolean slurmSharedImageStore;

  @Override
  void execute(GoalSettings settings)
      throws InvalidSettingException, CommandFailedException, IOException {
    SlurmSettings slurm =
        new SlurmSettings()
            .partition(slurmPartition)
            .account(slurmAccount)
            .qos(slurmQos)
            .time(slurmTime)
            .gpus(slurmGpus)
            .cpusPerTask(slurmCpusPerTask)
            .mem(slurmMem)
            .constraint(slurmConstraint)
            .jobName(slurmJobName)
            .directives(slurmDirectives)
            .output(slurmOutput)
            .error(slurmError)
            .await(slurmWait)
            .array(slurmArray)
            .arrayConfigs(slurmArrayConfigs)
            .arrayLimit(slurmArrayLimit)
            .commandTimeout(slurmCommandTimeout)
            .sharedImageStore(slurmSharedImageStore);
    new SlurmGoals(
            new ProcessCommandRunner(processes),
            getLog()::info,
            stderr,
            dryRun,
            SlurmGoals.shortHostName())
        .submit(
            ContainerRuns.gpu(settings.interactive(false), false, skipBuild),
            slurm,
            settings.buildDirectory(),
            runner());
  }
}
