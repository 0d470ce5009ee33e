package dev.nss.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nss.container.ContainerCli;
import dev.nss.container.ContainerRuns;
import dev.nss.container.GoalSettings;
import dev.nss.container.PlanRunner;
import dev.nss.container.RecordingHooks;
import dev.nss.core.CommandFailedException;
import dev.nss.core.CommandResult;
import dev.nss.core.CommandRunner;
import dev.nss.core.InvalidSettingException;
import dev.nss.doctor.FakeCommandRunner;
import dev.nss.engine.RunOwner;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * submit-slurm against canned Slurm answers: the order of the checks, what fails before anything is
 * queued, the end.
 */
class SubmitTest {

  @TempDir Path tmp;
  private Path project;
  private Path script;
  private final FakeCommandRunner slurm = new FakeCommandRunner();
  private final List<String> log = new ArrayList<>();
  private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

  private final RecordingHooks hooks = new RecordingHooks();

  /** What the goal calls Slurm through: {@link #slurm}, unless a test puts itself between. */
  private CommandRunner commands = slurm;

  /** sbatch in its own session, under this submission's own job name. */
  private static final String SUBMIT = "setsid sbatch --parsable --job-name=nss-run-0000beef ";

  @BeforeEach
  void setUp() throws Exception {
    project = Files.createDirectories(tmp.resolve("project"));
    script = project.resolve("target/nss-slurm/nss-run.sh");
    slurm.answer("scontrol ping", 0, "Slurmctld(primary) at vm is UP\n", "");
    slurm.answer("sinfo --noheader --Node --format=%P %N", 0, "debug* vm\nelsewhere other1\n", "");
    slurm.answer(
        "sbatch --parsable --test-only " + script, 0, "", "sbatch: Job 5 to start at 2026 ...\n");
    slurm.answer(SUBMIT + script, 0, "17\n", "");
  }

  @Test
  void aJobThatSucceedsStreamsItsOutputAndReturnsItsId() throws Exception {
    Path out =
        Files.createDirectories(project.resolve("target/nss-slurm")).resolve("nss-run-17.out");
    Files.writeString(
        out, "SAFE-SYNTHESIZER-REPORT {}\nlast line without newline", StandardCharsets.UTF_8);
    // as written by the job, after the submission
    Files.setLastModifiedTime(
        out, java.nio.file.attribute.FileTime.from(java.time.Instant.now().plusSeconds(60)));
    slurm.answer("scontrol show job 17", 0, record("17", "", "COMPLETED", "0:0", out), "");
    assertEquals("17", submit(new SlurmSettings()));
    assertTrue(Files.isRegularFile(script), "the script stays for users to sbatch");
    assertTrue(
        Files.isDirectory(project.resolve(".hf_cache")),
        "the HF cache's mount point is the submitter's");
    assertTrue(log.contains("SAFE-SYNTHESIZER-REPORT {}"), log.toString());
    assertTrue(log.contains("last line without newline"), log.toString());
    assertTrue(log.contains("Slurm job 17 COMPLETED (exit code 0)"), log.toString());
    assertEquals(
        List.of(
            "scontrol ping",
            "sinfo --noheader --Node --format=%P %N",
            "sbatch --parsable --test-only " + script,
            SUBMIT + script,
            "scontrol show job 17"),
        slurm.keys());
  }

  @Test
  void aFailedJobFailsWithItsExitCode() {
    slurm.answer(
        "scontrol show job 17", 0, record("17", "", "FAILED", "3:0", project.resolve("o.out")), "");
    CommandFailedException e =
        assertThrows(CommandFailedException.class, () -> submit(new SlurmSettings()));
    assertEquals(
        "Slurm job 17 failed with exit code 3 (FAILED). Output: " + project.resolve("o.out") + ".",
        e.getMessage());
    assertEquals(3, e.exitCode());
  }

  @Test
  void aFailedJobWhoseOutputNamesAKnownGpuFailureSaysItsCauseAndFix() throws Exception {
    java.nio.file.Files.writeString(
        project.resolve("o.out"),
        "epoch 1\nRuntimeError: DataLoader worker (pid 46794) is killed by signal: Bus error. It is"
            + " possible that dataloader's workers are out of shared memory. Please try to raise"
            + " your shared memory limit.\n");
    slurm.answer(
        "scontrol show job 17", 0, record("17", "", "FAILED", "1:0", project.resolve("o.out")), "");
    CommandFailedException e =
        assertThrows(CommandFailedException.class, () -> submit(new SlurmSettings()));
    assertEquals(
        "Slurm job 17 failed with exit code 1 (FAILED). Output: "
            + project.resolve("o.out")
            + ". The program ran out of shared memory (/dev/shm) (exit code 1: is killed by"
            + " signal: Bus error). Give the container more: -Dnss.shmSize=16g (now 1g unless set;"
            + " `--shm-size`), or use fewer DataLoader workers.",
        e.getMessage());
    assertEquals(1, e.exitCode());
  }

  @Test
  void theEnginesExitCode125IsNotReportedAsTheProgramsCode() {
    slurm.answer(
        "scontrol show job 17",
        0,
        record("17", "", "FAILED", "125:0", project.resolve("o.out")),
        "");
    CommandFailedException e =
        assertThrows(CommandFailedException.class, () -> submit(new SlurmSettings()));
    assertTrue(
        e.getMessage()
            .startsWith(
                "Slurm job 17 failed before its program ran: the container engine on vm could"
                    + " not run the container"),
        e.getMessage());
    assertEquals(-1, e.exitCode());
  }

  @Test
  void aTimeoutIsNamedAndPointsAtTheTimeSetting() {
    slurm.answer(
        "scontrol show job 17",
        0,
        record("17", "", "TIMEOUT", "0:15", project.resolve("o.out")),
        "");
    CommandFailedException e =
        assertThrows(CommandFailedException.class, () -> submit(new SlurmSettings()));
    assertTrue(
        e.getMessage().startsWith("Slurm job 17 hit its time limit of 00:01:00 (TIMEOUT)."),
        e.getMessage());
    assertTrue(e.getMessage().endsWith("Raise nss.slurm.time."), e.getMessage());
    assertEquals(-1, e.exitCode(), "a state is not the program's exit code");
  }

  @Test
  void anArrayFailsNamingEachFailedTask() {
    String records =
        record("20", "0", "COMPLETED", "0:0", project.resolve("a0.out"))
            + "\n"
            + record("21", "1", "FAILED", "3:0", project.resolve("a1.out"))
            + "\n"
            + record("22", "2", "OUT_OF_MEMORY", "0:125", project.resolve("a2.out"))
            + "\n";
    slurm.answer("scontrol show job 17", 0, records, "");
    SlurmSettings s = new SlurmSettings().array(List.of("a", "b", "c"));
    CommandFailedException e = assertThrows(CommandFailedException.class, () -> submit(s));
    assertTrue(
        e.getMessage()
            .startsWith(
                "Slurm array job 17: 2 of 3 tasks failed: task 1 (failed with exit code 3"
                    + " (FAILED)), task 2 (ran out of memory (OUT_OF_MEMORY))."),
        e.getMessage());
    assertTrue(log.contains("Slurm job 17 task 0: COMPLETED, exit code 0"), log.toString());
  }

  @Test
  void anSbatchThatTimesOutIsStoppedAndWhatItQueuedIsCancelledByName() {
    slurm.answer(SUBMIT + script, CommandResult.timedOut(java.time.Duration.ofSeconds(30), "", ""));
    slurm.answer("scancel --name=nss-run-0000beef --user=me", 0, "", "");
    slurm.answer(
        "squeue --noheader --states=all --name=nss-run-0000beef --user=me --format=%i %T",
        0, "18 CANCELLED\n", "");
    CommandFailedException e =
        assertThrows(CommandFailedException.class, () -> submit(new SlurmSettings()));
    assertEquals(
        "sbatch did not submit the job: `setsid sbatch --parsable --job-name=nss-run-0000beef "
            + script
            + "` did not answer in 30 s and was stopped (raise nss.slurm.commandTimeout if the"
            + " controller is only slow); cancelled what it had queued: 18 CANCELLED (`scancel"
            + " --name=nss-run-0000beef --user=me`). Check the nss.slurm.* settings and `sbatch "
            + script
            + "` by hand.",
        e.getMessage());
    List<String> keys = slurm.keys();
    assertEquals(
        List.of(
            SUBMIT + script,
            "scancel --name=nss-run-0000beef --user=me",
            "scancel --name=nss-run-0000beef --user=me",
            "squeue --noheader --states=all --name=nss-run-0000beef --user=me --format=%i %T"),
        keys.subList(keys.indexOf(SUBMIT + script), keys.size()));
  }

  @Test
  void everySlurmCommandIsBoundedByTheCommandTimeout() throws Exception {
    slurm.answer(
        "scontrol show job 17",
        0,
        record("17", "", "COMPLETED", "0:0", project.resolve("o.out")),
        "");
    submit(new SlurmSettings().commandTimeout("7"));
    assertTrue(
        slurm.commands().stream()
            .allMatch(c -> c.timeout().equals(java.time.Duration.ofSeconds(7))),
        slurm.commands().toString());
  }

  @Test
  void aControllerThatDoesNotAnswerNamesTheCommandAndTheSetting() {
    slurm.answer("scontrol ping", CommandResult.timedOut(java.time.Duration.ofSeconds(30), "", ""));
    CommandFailedException e =
        assertThrows(CommandFailedException.class, () -> submit(new SlurmSettings()));
    assertTrue(
        e.getMessage()
            .startsWith(
                "The Slurm controller does not answer: `scontrol ping` did not answer in 30 s"
                    + " and was stopped (raise nss.slurm.commandTimeout if the controller is only"
                    + " slow)."),
        e.getMessage());
  }

  @Test
  void aDownControllerFailsAtOnceAndNothingIsSubmitted() {
    slurm.answer("scontrol ping", 1, "Slurmctld(primary) at vm is DOWN\n", "");
    CommandFailedException e =
        assertThrows(CommandFailedException.class, () -> submit(new SlurmSettings()));
    assertTrue(e.getMessage().startsWith("The Slurm controller does not answer"), e.getMessage());
    assertEquals(List.of("scontrol ping"), slurm.keys());
  }

  @Test
  void aWrongPartitionFailsInPreflightNamingTheSetting() {
    slurm.answer("sinfo --noheader --Node --format=%P %N --partition=nope", 0, "", "");
    slurm.answer(
        "sbatch --parsable --test-only " + script,
        1,
        "",
        "sbatch: error: invalid partition specified: nope\nallocation failure: Invalid partition name specified\n");
    SlurmSettings s = new SlurmSettings().partition("nope");
    InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> submit(s));
    assertTrue(
        e.getMessage().startsWith("nss.slurm.partition: sbatch --test-only"), e.getMessage());
    assertFalse(slurm.keys().contains(SUBMIT + script), "nothing was queued");
  }

  @Test
  void tooManyGpusFailInPreflightNamingWhatWasAskedFor() {
    slurm.answer(
        "sbatch --parsable --test-only " + script,
        1,
        "",
        "allocation failure: Requested node configuration is not available\n");
    InvalidSettingException e =
        assertThrows(
            InvalidSettingException.class, () -> submit(new SlurmSettings().gpus("3").mem("8G")));
    assertTrue(e.getMessage().startsWith("nss.slurm.gpus: "), e.getMessage());
    assertTrue(e.getMessage().contains("(nss.slurm.gpus=3, nss.slurm.mem=8G)"), e.getMessage());
  }

  @Test
  void aLocalImageCannotGoToOtherNodes() {
    slurm.answer(
        "sinfo --noheader --Node --format=%P %N", 0, "gpu* node1\ngpu* node2\ncpu vm\n", "");
    InvalidSettingException e =
        assertThrows(InvalidSettingException.class, () -> submit(new SlurmSettings()));
    assertTrue(
        e.getMessage().startsWith("nss.image: nss-gpu:latest names no registry"), e.getMessage());
    assertTrue(e.getMessage().contains("node(s) node1,node2 (this machine is vm)"), e.getMessage());
    assertTrue(e.getMessage().contains("-Dnss.slurm.sharedImageStore=true"), e.getMessage());
    assertFalse(Files.exists(script), "nothing written before the checks pass");
  }

  @Test
  void aSharedImageStoreLetsALocalImageGoToOtherNodes() throws Exception {
    slurm.answer(
        "sinfo --noheader --Node --format=%P %N", 0, "gpu* node1\ngpu* node2\ncpu vm\n", "");
    assertEquals("17", submit(new SlurmSettings().sharedImageStore(true).await(false)));
    assertFalse(
        slurm.keys().contains("sinfo --noheader --Node --format=%P %N"), slurm.keys().toString());
  }

  @Test
  void aRegistryImageNeedsNoNodeCheck() throws Exception {
    slurm.answer(
        "scontrol show job 17",
        0,
        record("17", "", "COMPLETED", "0:0", project.resolve("o.out")),
        "");
    submit(new SlurmSettings(), settings().image("registry.example:5000/nss/gpu:1"));
    assertFalse(
        slurm.keys().contains("sinfo --noheader --Node --format=%P %N"), slurm.keys().toString());
  }

  @Test
  void withoutWaitingTheJobIdIsPrintedAndNothingPolled() throws Exception {
    assertEquals("17", submit(new SlurmSettings().await(false)));
    assertFalse(slurm.keys().contains("scontrol show job 17"), slurm.keys().toString());
    assertTrue(log.stream().anyMatch(l -> l.contains("scancel 17")), log.toString());
  }

  @Test
  void dryRunPrintsTheScriptAndRunsNothing() throws Exception {
    SlurmGoals goals = new SlurmGoals(slurm, log::add, System.err, true, "vm");
    assertNull(
        goals.submit(
            ContainerRuns.gpu(settings(), false, true),
            new SlurmSettings(),
            project.resolve("target"),
            runner(true)));
    assertEquals(List.of(), slurm.keys());
    assertFalse(Files.exists(script));
    assertTrue(log.contains("[dry-run]   #SBATCH --gpus=1"), log.toString());
    assertTrue(log.contains("[dry-run] write " + script + ":"), log.toString());
    assertTrue(
        log.get(log.size() - 1)
            .matches("\\[dry-run\\] setsid sbatch --parsable --job-name=nss-run-[0-9a-f]{8} .*"),
        log.toString());
    assertTrue(
        log.stream()
            .anyMatch(
                l ->
                    l.startsWith("[dry-run] mkdir -p ")
                        && l.contains(project.resolve(".hf_cache").toString())),
        "the steps before the run, in dry-run too: " + log);
  }

  @Test
  void nodesThatCannotBeListedNameThePartitionAndTheSetting() {
    slurm.answer(
        "sinfo --noheader --Node --format=%P %N", 1, "", "sinfo: error: Unable to contact\n");
    assertEquals(
        "Could not list the nodes of the default partition: `sinfo --noheader --Node"
            + " '--format=%P %N'` sinfo: error: Unable to contact (exit status 1). Check"
            + " nss.slurm.partition.",
        assertThrows(CommandFailedException.class, () -> submit(new SlurmSettings())).getMessage());
    assertEquals(
        "Could not list the nodes of partition gpu: `sinfo --noheader --Node '--format=%P %N'"
            + " --partition=gpu` fake: no answer for sinfo --noheader --Node --format=%P %N"
            + " --partition=gpu. Check nss.slurm.partition.",
        assertThrows(
                CommandFailedException.class, () -> submit(new SlurmSettings().partition("gpu")))
            .getMessage());
  }

  @Test
  void badSettingsFailBeforeAnySlurmCall() {
    for (SlurmSettings bad :
        List.of(
            new SlurmSettings().time("2 hours"),
            new SlurmSettings().partition("a b"),
            new SlurmSettings().directives("-N 2"),
            new SlurmSettings().jobName("a/b"),
            new SlurmSettings().array(List.of("a")).arrayConfigs(List.of("c.yaml")))) {
      assertThrows(InvalidSettingException.class, () -> submit(bad));
    }
    assertEquals(List.of(), slurm.keys());
  }

  @Test
  void aControlCharacterOrBackslashThatWouldReachAnSbatchLineFailsBeforeAnySlurmCall()
      throws Exception {
    assertEquals(
        "The project directory: "
            + tmp
            + "/check<U+000A>out holds a control character (U+000A), which the job script cannot"
            + " carry (a newline would end its #SBATCH lines). Move the project to a directory"
            + " whose path has no control character and no backslash (it is the job's --chdir).",
        refusedProject("check\nout"));
    assertEquals(
        "The project directory: "
            + tmp.resolve("a\\b")
            + " holds a backslash, which sbatch reads as an escape in the job script's #SBATCH"
            + " lines. Move the project to a directory whose path has no control character and no"
            + " backslash (it is the job's --chdir).",
        refusedProject("a\\b"));
    for (SlurmSettings bad :
        List.of(
            new SlurmSettings().output("out\\%j.log"),
            new SlurmSettings().error("err\r.log"),
            new SlurmSettings().directives("--comment=a\\\\b"))) {
      InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> submit(bad));
      assertTrue(
          e.getMessage().startsWith("nss.slurm.output: out\\%j.log holds a backslash")
              || e.getMessage().startsWith("nss.slurm.error: err<U+000D>.log holds a control")
              || e.getMessage()
                  .startsWith("nss.slurm.directives: '--comment=a\\b' holds a backslash"),
          e.getMessage());
    }
    InvalidSettingException hf =
        assertThrows(
            InvalidSettingException.class,
            () ->
                submit(
                    new SlurmSettings(),
                    settings().hfCache(tmp.resolve("hf\u001bcache").toString())));
    assertTrue(
        hf.getMessage().startsWith("nss.hfCache: " + tmp + "/hf<U+001B>cache holds a control"),
        hf.getMessage());
    assertEquals(List.of(), slurm.keys());
    assertFalse(Files.exists(script));
  }

  @Test
  void arrayConfigsMustBeProjectFilesAndNeedASubcommand() throws Exception {
    Files.writeString(project.resolve("a.yaml"), "x: 1\n");
    InvalidSettingException help =
        assertThrows(
            InvalidSettingException.class,
            () -> submit(new SlurmSettings().arrayConfigs(List.of("a.yaml"))));
    assertTrue(help.getMessage().startsWith("nss.cmd: is --help"), help.getMessage());
    InvalidSettingException outside =
        assertThrows(
            InvalidSettingException.class,
            () ->
                submit(
                    new SlurmSettings().arrayConfigs(List.of("../x.yaml")),
                    settings().cmdLine("run")));
    assertTrue(
        outside.getMessage().contains("outside the project directory"), outside.getMessage());
  }

  @Test
  void mavenStoppingWhileTheJobIsFollowedCancelsItById() throws Exception {
    slurm.answer("scancel 17", 0, "", "");
    slurm.answer(
        "scontrol show job 17",
        0,
        record("17", "", "CANCELLED", "0:15", project.resolve("o.out")),
        "");
    commands = ctrlCAt("scontrol show job 17");
    CommandFailedException e =
        assertThrows(CommandFailedException.class, () -> submit(new SlurmSettings()));
    assertTrue(
        e.getMessage().startsWith("Slurm job 17 was cancelled (CANCELLED)."), e.getMessage());
    assertEquals(
        "[nss] Maven is stopping: cancelled Slurm job 17 (scancel 17).\n",
        stderr.toString(StandardCharsets.UTF_8));
    assertTrue(
        log.contains("Submitted Slurm job 17 named nss-run-0000beef (script " + script + ")"),
        log.toString());
    assertTrue(hooks.allTakenBack(), "the hook goes with the goal");
  }

  @Test
  void aCancelThatFailsOnShutdownTellsTheUserToCancelTheJob() throws Exception {
    slurm.answer(
        "scancel 17", 1, "", "scancel: error: Kill job error on job id 17: Access denied\n");
    slurm.answer(
        "scontrol show job 17",
        0,
        record("17", "", "COMPLETED", "0:0", project.resolve("o.out")),
        "");
    commands = ctrlCAt("scontrol show job 17");
    assertEquals("17", submit(new SlurmSettings()));
    assertEquals(
        "[nss] Maven is stopping: could not cancel Slurm job 17: `scancel 17` scancel: error: Kill"
            + " job error on job id 17: Access denied (exit status 1). Cancel it yourself: scancel"
            + " 17\n",
        stderr.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aJobNotWaitedForLeavesNoHookBehind() throws Exception {
    assertEquals("17", submit(new SlurmSettings().await(false)));
    assertTrue(hooks.allTakenBack());
  }

  /** Runs the registered shutdown hooks, as Ctrl-C would, when the goal runs {@code key}. */
  private CommandRunner ctrlCAt(String key) {
    return command -> {
      if (String.join(" ", command.argv()).equals(key)) {
        hooks.stop();
      }
      return slurm.run(command);
    };
  }

  /** Why submit-slurm refused a project in directory {@code name}. */
  private String refusedProject(String name) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve(name));
    return assertThrows(
            InvalidSettingException.class,
            () -> submitIn(dir, new SlurmSettings(), settingsIn(dir)))
        .getMessage();
  }

  private String submit(SlurmSettings s) throws Exception {
    return submit(s, settings());
  }

  private String submit(SlurmSettings s, GoalSettings settings) throws Exception {
    return submitIn(project, s, settings);
  }

  private String submitIn(Path project, SlurmSettings s, GoalSettings settings) throws Exception {
    SlurmGoals goals =
        new SlurmGoals(
            commands,
            log::add,
            new PrintStream(stderr, true, StandardCharsets.UTF_8),
            false,
            "vm",
            "me",
            () -> "0000beef",
            hooks);
    return goals.submit(
        ContainerRuns.gpu(settings, false, true), s, project.resolve("target"), runner(false));
  }

  /** Runs the steps before the job: here only the HF cache directories, no container command. */
  private PlanRunner runner(boolean dryRun) {
    ContainerCli cli =
        new ContainerCli(
            argv -> {
              throw new AssertionError("no container command expected: " + argv);
            },
            project,
            log::add,
            dryRun,
            System.err,
            null);
    return new PlanRunner(
        cli, log::add, null, StandardCharsets.UTF_8, RunOwner.current(), Path::of);
  }

  private GoalSettings settings() {
    return settingsIn(project);
  }

  private GoalSettings settingsIn(Path project) {
    return new GoalSettings(project)
        .cli("docker")
        .containerName("nss-run-test")
        .hfCache(tmp.resolve("hf").toString())
        .environment(Map.of());
  }

  /**
   * One record as {@code scontrol show job} prints it (22.05), trimmed to the fields the goal
   * reads.
   */
  private static String record(String jobId, String task, String state, String exitCode, Path out) {
    return "JobId="
        + jobId
        + (task.isEmpty() ? "" : " ArrayJobId=17 ArrayTaskId=" + task)
        + " JobName=nss-run\n"
        + "   JobState="
        + state
        + " Reason=None Dependency=(null)\n"
        + "   Requeue=1 Restarts=0 BatchFlag=1 Reboot=0 ExitCode="
        + exitCode
        + "\n"
        + "   RunTime=00:00:01 TimeLimit=00:01:00 TimeMin=N/A\n"
        + "   NodeList=vm\n"
        + "   StdErr="
        + out
        + "\n"
        + "   StdOut="
        + out
        + "\n";
  }
}
