package dev.nss.slurm;

import dev.nss.container.ContainerCli;
import dev.nss.container.Plan;
import dev.nss.container.PlanRunner;
import dev.nss.container.RegistryTarget;
import dev.nss.container.RunSpec;
import dev.nss.core.Command;
import dev.nss.core.CommandFailedException;
import dev.nss.core.CommandResult;
import dev.nss.core.CommandRunner;
import dev.nss.core.InvalidSettingException;
import dev.nss.core.PropertyNames;
import dev.nss.core.ShellWords;
import dev.nss.core.ShutdownHooks;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * submit-slurm, Maven-free: check the settings, check that Slurm answers and that the image can
 * reach the nodes, write the job script, check that the job could run ({@code sbatch --test-only}),
 * build the image unless told not to, submit, then follow the job to its end. Every Slurm command
 * is bounded by {@code nss.slurm.commandTimeout}.
 */
public final class SlurmGoals {

  private final CommandRunner slurm;
  private final Consumer<String> log;
  private final PrintStream stderr;
  private final boolean dryRun;
  private final String hostName;
  private final String user;
  private final Supplier<String> suffix;
  private final ShutdownHooks hooks;

  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * @param slurm runs the Slurm commands
   * @param log the Maven log: commands, the job's output, its end
   * @param stderr where the shutdown hook reports a cancelled job (the log may be gone by then)
   * @param hostName this machine's short host name, as Slurm names nodes
   */
  public SlurmGoals(
      CommandRunner slurm,
      Consumer<String> log,
      PrintStream stderr,
      boolean dryRun,
      String hostName) {
    this(
        slurm,
        log,
        stderr,
        dryRun,
        hostName,
        System.getProperty("user.name"),
        SlurmGoals::randomSuffix,
        ShutdownHooks.JVM);
  }

  /**
   * @param user the submitting user, as {@code scancel --user} takes it
   * @param suffix makes each submission's job name unique ({@code NAME-SUFFIX})
   * @param hooks where the hook that cancels the job when Maven stops is registered
   */
  SlurmGoals(
      CommandRunner slurm,
      Consumer<String> log,
      PrintStream stderr,
      boolean dryRun,
      String hostName,
      String user,
      Supplier<String> suffix,
      ShutdownHooks hooks) {
    this.slurm = slurm;
    this.log = log;
    this.stderr = stderr;
    this.dryRun = dryRun;
    this.hostName = hostName;
    this.user = user;
    this.suffix = suffix;
    this.hooks = hooks;
  }

  /**
   * submit-slurm: the plan of nss:run-gpu, its steps before the run (the build, the HF cache
   * directories) done here through {@code runner}, its run written into the job script.
   *
   * @param plan run-gpu's plan (not interactive)
   * @param buildDirectory where the job script is written ({@code target/nss-slurm/})
   * @return the job id, or null in dry-run mode
   */
  public String submit(
      Plan plan, SlurmSettings slurmSettings, Path buildDirectory, PlanRunner runner)
      throws InvalidSettingException, CommandFailedException, IOException {
    RunSpec run = plan.run().orElseThrow(() -> new IllegalArgumentException("no run in " + plan));
    ScriptValues.checkRun(run);
    JobSpec job =
        JobValidator.job(slurmSettings, run.workspace(), buildDirectory, run.cmd(), run.passEnv());
    String script = JobScript.render(job, run);
    if (dryRun) {
      log.accept(ContainerCli.DRY_RUN_PREFIX + "write " + job.script() + ":");
      script.lines().forEach(line -> log.accept(ContainerCli.DRY_RUN_PREFIX + "  " + line));
      runner.run(plan.beforeRun());
      log.accept(
          ContainerCli.DRY_RUN_PREFIX
              + ShellWords.quote(
                  SlurmCommands.submit(job.script(), job.jobName() + "-" + suffix.get())));
      return null;
    }
    try {
      checkController(job);
      checkImageReachesNodes(job, run.image());
      writeScript(job.script(), script);
      preflight(job, slurmSettings);
      runner.run(plan.beforeRun());
      return submitAndFollow(job, run.cli());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CommandFailedException(
          "Interrupted while talking to Slurm. Run the goal again.", 130);
    }
  }

  private void checkController(JobSpec job) throws CommandFailedException, InterruptedException {
    CommandResult ping = slurm(SlurmCommands.ping(), job);
    if (!ping.succeeded()) {
      throw new CommandFailedException(
          "The Slurm controller does not answer: "
              + SlurmCommands.failure(SlurmCommands.ping(), ping)
              + ". Start slurmctld, or point SLURM_CONF at the cluster's slurm.conf; run `mvn "
              + "nss:doctor -Dnss.doctor.checks=slurm` for details.",
          -1);
    }
  }

  /**
   * A local-only image can run only where this machine's image store is: a one-node cluster on this
   * host.
   */
  private void checkImageReachesNodes(JobSpec job, String image)
      throws InvalidSettingException, CommandFailedException, InterruptedException {
    if (job.sharedImageStore() || RegistryTarget.namesRegistry(image)) {
      return;
    }
    CommandResult sinfo = slurm(SlurmCommands.nodes(job.partition()), job);
    if (!sinfo.succeeded()) {
      throw new CommandFailedException(
          "Could not list the nodes of "
              + (job.partition() == null ? "the default partition" : "partition " + job.partition())
              + ": "
              + SlurmCommands.failure(SlurmCommands.nodes(job.partition()), sinfo)
              + ". Check "
              + PropertyNames.SLURM_PARTITION
              + ".",
          -1);
    }
    List<String> nodes = nodes(sinfo.stdout(), job.partition() == null);
    if (nodes.isEmpty() || nodes.equals(List.of(hostName))) {
      return; // no nodes: a partition that does not exist, which sbatch --test-only names next
    }
    throw new InvalidSettingException(
        PropertyNames.IMAGE,
        image
            + " names no registry, so it is only in this "
            + "machine's image store, but the job can land on node(s) "
            + String.join(",", nodes)
            + " (this machine is "
            + hostName
            + ")",
        "Push the image to a registry the nodes can pull from and set -D"
            + PropertyNames.IMAGE
            + "=REGISTRY/NAME:TAG, or set -D"
            + PropertyNames.SLURM_SHARED_IMAGE_STORE
            + "=true if every node can run it already (a shared image store, or the image loaded on each node).");
  }

  /**
   * The node names of {@code sinfo}'s {@code PARTITION NODE} lines, of the default partition's only
   * if asked.
   */
  static List<String> nodes(String sinfo, boolean defaultPartitionOnly) {
    return sinfo
        .lines()
        .map(l -> l.strip().split("\\s+"))
        .filter(f -> f.length == 2)
        .filter(f -> !defaultPartitionOnly || f[0].endsWith("*"))
        .map(f -> f[1])
        .distinct()
        .toList();
  }

  private static void writeScript(Path path, String script) throws IOException {
    Files.createDirectories(path.getParent());
    Files.writeString(path, script, StandardCharsets.UTF_8);
    try {
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system: sbatch reads the script either way.
    }
  }

  /**
   * {@code sbatch --test-only}: a job that cannot run anywhere fails here, naming the setting,
   * before it queues.
   */
  private void preflight(JobSpec job, SlurmSettings s)
      throws InvalidSettingException, CommandFailedException, InterruptedException {
    CommandResult test = slurm(SlurmCommands.sbatch(job.script(), true), job);
    if (!test.succeeded()) {
      Preflight.reject(test, s, job);
    }
  }

  private String submitAndFollow(JobSpec job, String cli)
      throws CommandFailedException, InterruptedException {
    Submission submission =
        new Submission(slurm, job, job.jobName() + "-" + suffix.get(), user, log, stderr);
    Thread hook = new Thread(submission::stop, "nss-scancel");
    hooks.add(hook);
    try {
      FileTime submitting = FileTime.from(Instant.now());
      String jobId = submission.submit();
      log.accept(
          "Submitted Slurm job "
              + jobId
              + " named "
              + submission.name()
              + " (script "
              + job.script()
              + ")");
      if (!job.await()) {
        log.accept(
            "Not waiting ("
                + PropertyNames.SLURM_WAIT
                + "=false): follow it with `squeue -j "
                + jobId
                + "`, cancel it with `scancel "
                + jobId
                + "`.");
        return jobId;
      }
      new JobWatcher(slurm, log, job, cli, submitting, JobWatcher.Clock.SYSTEM).await(jobId);
      return jobId;
    } finally {
      hooks.remove(hook);
    }
  }

  /** A random suffix that makes each submission's job name its own: 8 hex digits. */
  static String randomSuffix() {
    byte[] bytes = new byte[4];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  private CommandResult slurm(List<String> argv, JobSpec job) throws InterruptedException {
    return slurm.run(new Command(argv, Map.of(), "", job.commandTimeout()));
  }

  /** The short host name, as Slurm names this machine's node ({@code hostname -s}). */
  public static String shortHostName() {
    try {
      String name = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
      return name.split("\\.", 2)[0];
    } catch (IOException e) {
      try {
        return java.net.InetAddress.getLocalHost().getHostName().split("\\.", 2)[0];
      } catch (IOException unknown) {
        return "localhost";
      }
    }
  }
}
