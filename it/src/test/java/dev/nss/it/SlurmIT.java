package dev.nss.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 13: {@code nss:submit-slurm} on a real one-node Slurm cluster with two fake GPUs (started
 * once for the class), running the runtime image through Slurm, the job script, the engine, tini
 * and the agent to the sample program. The cases where the engine matters (arguments, secrets,
 * removal of the container on scancel and Ctrl-C) run on docker and podman; the others on docker.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SlurmIT {

  private static final Pattern JOB_ID = Pattern.compile("Submitted Slurm job (\\d+)");
  private static final String REPORT = "SAFE-SYNTHESIZER-REPORT ";

  private static SlurmCluster cluster;

  /**
   * The time-limit case runs in the background from the start: Slurm's limits have minute
   * granularity.
   */
  private static Background timeLimited;

  @BeforeAll
  static void cluster() throws IOException {
    cluster = SlurmCluster.start(ItEnv.work().resolve(Fixtures.RUN_ID).resolve("slurm-cluster"));
    timeLimited =
        Background.maven(
            project("slurm-timeout"),
            cluster.env(),
            "-Dnss.cmd=--sleep=600",
            "-Dnss.slurm.time=1",
            "-Dnss.slurm.gpus=0");
  }

  @AfterAll
  static void stop() {
    if (timeLimited != null) {
      timeLimited.destroy();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @EngineTest
  void aJobRunsTheContainerWithItsArgumentsIntactAndSecretsByNameOnly(Engine engine)
      throws IOException, InterruptedException {
    String secret = "hf_slurmItSecret" + Long.toHexString(System.nanoTime());
    SampleProject project =
        project(engine, "slurm-ok")
            .property(
                "nss.cmd", "'' 'two words' 'say \"hi\"' \"it's\" caf\u00e9 \u65e5\u672c --flag=x");
    BuildLog log = submit(project).debug().env("HF_TOKEN", secret).run();
    assertTrue(log.succeeded(), log::describe);
    String jobId = jobId(log.stdout());

    Map<String, Object> report = report(log.stdout());
    List<String> expected =
        List.of("", "two words", "say \"hi\"", "it's", "caf\u00e9", "\u65e5\u672c", "--flag=x");
    assertEquals(expected, report.get("argv"), log::describe);
    assertEquals(
        expected.stream()
            .map(a -> HexFormat.of().formatHex(a.getBytes(StandardCharsets.UTF_8)))
            .toList(),
        report.get("argv_hex"),
        "argument bytes");
    assertEquals("tini", report.get("parent"), "the program is tini's child");
    assertEquals(Boolean.TRUE, report.get("hf_token_set"), "HF_TOKEN reached the program by name");
    assertTrue(log.stdout().contains("Slurm job " + jobId + " started on "), log::describe);
    assertTrue(
        log.stdout().contains("Slurm job " + jobId + " COMPLETED (exit code 0)"), log::describe);

    Path script = project.dir().resolve("target/nss-slurm/nss-run.sh");
    String scriptText = Files.readString(script, StandardCharsets.UTF_8);
    assertTrue(scriptText.contains("#SBATCH --export=HF_TOKEN\n"), scriptText);
    Path output = outputFile(project, jobId);
    for (String text :
        List.of(
            scriptText,
            log.all(),
            Files.readString(output, StandardCharsets.UTF_8),
            cluster.slurm("scontrol", "show", "job", "-dd", jobId))) {
      assertFalse(text.contains(secret), "the secret's value is in:\n" + text);
    }
    assertFalse(engine.containerExists("nss-slurm-" + jobId), "the container is removed");
  }

  @Test
  void exitCode3FailsTheBuildNamingTheJobAndTheCode() {
    BuildLog log = submit(project("slurm-exit-3").property("nss.cmd", "--exit=3")).run();
    assertFalse(log.succeeded(), log::describe);
    String jobId = jobId(log.stdout());
    assertTrue(
        log.stdout().contains("Slurm job " + jobId + " failed with exit code 3 (FAILED)"),
        log::describe);
    assertEquals(
        List.of("--exit=3"), report(log.stdout()).get("argv"), "the program itself chose the code");
  }

  @EngineTest
  void scancelFromOutsideEndsTheJobAndRemovesAContainerThatIgnoresTerm(Engine engine)
      throws Exception {
    Background maven =
        Background.maven(
            project(engine, "slurm-scancel"), cluster.env(), "-Dnss.cmd=--ignore-term --sleep=600");
    String jobId = maven.awaitRunningJob();
    cluster.slurm("scancel", jobId);
    assertNotEquals(0, maven.awaitExit(), maven::log);
    assertTrue(
        maven.log().contains("Slurm job " + jobId + " was cancelled (CANCELLED)"), maven::log);
    awaitNoContainer(engine, jobId, maven);
    assertEquals("CANCELLED", finalState(jobId));
  }

  @EngineTest
  void ctrlCOfMavenCancelsTheJobAndSaysSo(Engine engine) throws Exception {
    Background maven =
        Background.maven(
            project(engine, "slurm-ctrl-c"), cluster.env(), "-Dnss.cmd=--ignore-term --sleep=600");
    String jobId = maven.awaitRunningJob();
    maven.interrupt();
    maven.awaitExit();
    assertTrue(
        maven.log().contains("cancelled Slurm job " + jobId + " (scancel " + jobId + ")"),
        maven::log);
    awaitNoContainer(engine, jobId, maven);
    assertEquals("CANCELLED", finalState(jobId));
  }

  @Test
  void twoOneGpuJobsGetDifferentGpusAndAThirdWaitsForOne() throws Exception {
    List<String> jobs = new ArrayList<>();
    List<SampleProject> projects = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      projects.add(project("slurm-gpu-" + i).property("nss.cmd", "--sleep=600"));
      BuildLog log = submit(projects.get(i)).property("nss.slurm.wait", "false").run();
      assertTrue(log.succeeded(), log::describe);
      jobs.add(jobId(log.stdout()));
    }
    try {
      Set<String> gpus = new TreeSet<>();
      for (int i = 0; i < 2; i++) {
        Path out = outputFile(projects.get(i), jobs.get(i));
        gpus.add(
            awaitLine(out, "[nss-slurm] job " + jobs.get(i) + ": GPUs ")
                .replaceAll(".*: GPUs ([0-9,]+|none)[ ;].*", "$1"));
      }
      assertEquals(Set.of("0", "1"), gpus, "each job got its own GPU");
      String third = jobs.get(2);
      for (int i = 0; i < 100 && !cluster.jobField(third, "Reason").equals("Resources"); i++) {
        Thread.sleep(100); // the scheduler sets the reason on its next pass
      }
      assertEquals("PENDING", cluster.jobField(third, "JobState"));
      assertEquals("Resources", cluster.jobField(third, "Reason"));
    } finally {
      List<String> scancel = new ArrayList<>(List.of("scancel"));
      scancel.addAll(jobs);
      cluster.slurm(scancel.toArray(String[]::new));
    }
    for (String jobId : jobs) {
      awaitNoContainer(Engine.DOCKER, jobId, null);
    }
  }

  @Test
  void anArrayOfFourWithOneFailingTaskReportsEachTaskAndFails() {
    SampleProject project =
        project("slurm-array")
            .property("nss.slurm.array", "--exit=0,--exit=3,--exit=0 --task=2,--exit=0 --task=3");
    BuildLog log =
        submit(project).property("nss.slurm.arrayLimit", "2").property("nss.slurm.gpus", "0").run();
    assertFalse(log.succeeded(), log::describe);
    String jobId = jobId(log.stdout());
    for (int task = 0; task < 4; task++) {
      assertTrue(
          log.stdout().contains("Slurm job " + jobId + " task " + task + ": "), log::describe);
      assertTrue(log.stdout().contains("[task " + task + "] " + REPORT), log::describe);
    }
    assertTrue(
        log.stdout()
            .contains(
                "Slurm array job "
                    + jobId
                    + ": 1 of 4 tasks failed: task 1 (failed with exit"
                    + " code 3 (FAILED))"),
        log::describe);
    String script = read(project.dir().resolve("target/nss-slurm/nss-run.sh"));
    assertTrue(script.contains("#SBATCH --array=0-3%2\n"), script);
  }

  @Test
  @Order(Integer.MAX_VALUE) // last: its job has been running since the class started
  void aJobThatHitsItsTimeLimitFailsNamingTimeout() throws Exception {
    int exit = timeLimited.awaitExit();
    assertNotEquals(0, exit, timeLimited::log);
    String jobId = jobId(timeLimited.log());
    assertTrue(
        timeLimited
            .log()
            .contains("Slurm job " + jobId + " hit its time limit of 00:01:00 (TIMEOUT)"),
        timeLimited::log);
    assertTrue(timeLimited.log().contains("Raise nss.slurm.time."), timeLimited::log);
    awaitNoContainer(Engine.DOCKER, jobId, timeLimited);
  }

  @Test
  void aWrongPartitionFailsBeforeTheJobIsQueued() {
    BuildLog log =
        submit(project("slurm-partition"))
            .property("nss.slurm.partition", "nope")
            .property("nss.slurm.jobName", "nss-wrong-partition")
            .run();
    assertFalse(log.succeeded(), log::describe);
    assertTrue(log.stdout().contains("nss.slurm.partition: sbatch --test-only"), log::describe);
    assertFalse(log.stdout().contains("Submitted Slurm job"), log::describe);
    assertEquals(List.of(), jobsNamed("nss-wrong-partition-"));
  }

  @Test
  void aLocalOnlyImageIsNotSentToAnotherMachinesNode() {
    BuildLog log =
        submit(project("slurm-elsewhere"))
            .property("nss.slurm.partition", "elsewhere")
            .property("nss.slurm.gpus", "0")
            .property("nss.slurm.jobName", "nss-elsewhere")
            .run();
    assertFalse(log.succeeded(), log::describe);
    assertTrue(
        log.stdout()
            .contains(
                "nss.image: "
                    + Fixtures.RUNTIME_IMAGE
                    + " names no registry, so it is only in"
                    + " this machine's image store, but the job can land on node(s) elsewhere1"),
        log::describe);
    assertTrue(log.stdout().contains("-Dnss.slurm.sharedImageStore=true"), log::describe);
    assertEquals(List.of(), jobsNamed("nss-elsewhere-"));
  }

  @Test
  void aControllerThatIsDownFailsClearlyWithoutWaitingForSlurmsRetries() {
    BuildLog log =
        project("slurm-down")
            .maven("nss:submit-slurm")
            .property("nss.image", Fixtures.RUNTIME_IMAGE)
            .property("nss.skipBuild", "true")
            .env("SLURM_CONF", cluster.downConf().toString())
            .run();
    assertFalse(log.succeeded(), log::describe);
    assertTrue(
        log.stdout().contains("The Slurm controller does not answer: `scontrol ping`"),
        log::describe);
  }

  @Test
  void anSbatchThatQueuedTheJobButDidNotAnswerInTimeIsStoppedAndTheJobCancelledByName()
      throws Exception {
    SampleProject project = project("slurm-slow-sbatch");
    BuildLog log =
        submit(project)
            .env("PATH", slowSbatch(project) + ":" + System.getenv("PATH"))
            .property("nss.cmd", "--sleep=600")
            .property("nss.slurm.gpus", "0")
            .property("nss.slurm.jobName", "nss-slow-timeout")
            .property("nss.slurm.commandTimeout", "5")
            .run();
    assertFalse(log.succeeded(), log::describe);
    List<String> queued = jobsNamed("nss-slow-timeout-");
    assertEquals(1, queued.size(), "the stand-in's real sbatch queued one job: " + queued);
    String jobId = queued.get(0).split(" ")[0];
    assertTrue(
        log.stdout()
            .contains(
                "` did not answer in 5 s and was stopped (raise"
                    + " nss.slurm.commandTimeout if the controller is only slow); cancelled what it had"
                    + " queued: "
                    + jobId
                    + " "),
        log::describe);
    assertTrue(log.stdout().contains("(`scancel --name=nss-slow-timeout-"), log::describe);
    assertEquals("CANCELLED", finalState(jobId));
    awaitNoContainer(Engine.DOCKER, jobId, null);
    assertStandInEnded();
  }

  @Test
  void ctrlCWhileSbatchWaitsForTheControllerCancelsTheJobItQueuedByName() throws Exception {
    SampleProject project = project("slurm-slow-ctrl-c");
    Map<String, String> env = new java.util.HashMap<>(cluster.env());
    env.put("PATH", slowSbatch(project) + ":" + System.getenv("PATH"));
    Background maven =
        Background.maven(
            project,
            env,
            "-Dnss.cmd=--sleep=600",
            "-Dnss.slurm.gpus=0",
            "-Dnss.slurm.jobName=nss-slow-ctrl-c");
    List<String> queued = jobsNamed("nss-slow-ctrl-c-");
    for (int i = 0; i < 600 && queued.isEmpty(); i++) { // a hang guard, not a timing assertion
      Thread.sleep(100);
      queued = jobsNamed("nss-slow-ctrl-c-");
    }
    assertEquals(1, queued.size(), maven::log);
    String jobId = queued.get(0).split(" ")[0];
    maven.interrupt();
    maven.awaitExit();
    assertTrue(
        maven
            .log()
            .contains(
                "[nss] Maven is stopping: sbatch had not answered and was stopped; cancelled what"
                    + " it had queued: "
                    + jobId
                    + " "),
        maven::log);
    assertEquals("CANCELLED", finalState(jobId));
    awaitNoContainer(Engine.DOCKER, jobId, maven);
    assertStandInEnded();
  }

  /**
   * A stand-in sbatch first on PATH: it submits with the real one, keeps the id to itself and never
   * answers, as sbatch does when the controller queued the job but its answer is lost or late.
   */
  private static Path slowSbatch(SampleProject project) throws IOException {
    Path bin = Files.createDirectories(project.dir().resolve("slow-sbatch"));
    Path sbatch = bin.resolve("sbatch");
    Files.writeString(
        sbatch,
        """
        #!/bin/sh
        case " $* " in *" --test-only "*) exec /usr/bin/sbatch "$@" ;; esac
        /usr/bin/sbatch "$@" >/dev/null
        exec sleep 617
        """);
    sbatch.toFile().setExecutable(true);
    return bin;
  }

  /** The stand-in's {@code sleep 617} was ended with sbatch's process group. */
  private static void assertStandInEnded() throws Exception {
    Process pgrep = new ProcessBuilder("pgrep", "-x", "-f", "sleep 617").start();
    String pids = new String(pgrep.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    pgrep.waitFor();
    assertEquals("", pids.strip(), "the stand-in sbatch still runs");
  }

  /** {@code JOBID STATE} of the jobs, ended ones too, whose name starts with {@code prefix}. */
  private static List<String> jobsNamed(String prefix) {
    return cluster
        .slurm("squeue", "--noheader", "--states=all", "--format=%i %T %j")
        .lines()
        .map(String::strip)
        .filter(l -> l.split(" ").length == 3 && l.split(" ")[2].startsWith(prefix))
        .toList();
  }

  /**
   * The job's output file: {@code %x-%j.out}, the job name being nss-run and the submission's
   * random suffix. Waits (bounded) until Slurm has created it.
   */
  private static Path outputFile(SampleProject project, String jobId)
      throws IOException, InterruptedException {
    Path dir = project.dir().resolve("target/nss-slurm");
    for (int i = 0; i < 600; i++) { // a guard against hanging, not a timing assertion
      try (var files = Files.list(dir)) {
        var found =
            files
                .filter(
                    f ->
                        f.getFileName()
                            .toString()
                            .matches("nss-run-[0-9a-f]{8}-" + jobId + "\\.out"))
                .findFirst();
        if (found.isPresent()) {
          return found.get();
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no output file of job " + jobId + " in " + dir);
  }

  @Test
  void theDoctorsSlurmCheckReportsTheCluster() {
    MavenBuild doctor =
        project("slurm-doctor").maven("nss:doctor").property("nss.doctor.checks", "slurm");
    cluster.env().forEach(doctor::env);
    BuildLog log = doctor.run();
    assertTrue(log.succeeded(), log::describe);
    assertTrue(
        log.stdout()
            .lines()
            .anyMatch(
                l ->
                    l.contains(" slurm ")
                        && l.contains("controller UP; partitions: debug*" + " (1 node ")
                        && l.contains(", gres gpu:2), elsewhere (1 node ")),
        log::describe);
  }

  /** An engine-independent case's project: docker. */
  private static SampleProject project(String caseName) {
    return project(Engine.DOCKER, caseName);
  }

  /**
   * A project whose nss.containerCli is {@code engine}'s, with the runtime image built in that
   * engine's store.
   */
  private static SampleProject project(Engine engine, String caseName) {
    Fixtures fixtures = Fixtures.on(engine);
    assertTrue(fixtures.runtimeBuild().succeeded(), fixtures.runtimeBuild()::describe);
    return fixtures.withContainers(caseName);
  }

  /**
   * submit-slurm of the runtime image (built once for the ITs), without docker GPU flags: the
   * engine has no GPU.
   */
  private static MavenBuild submit(SampleProject project) {
    MavenBuild build =
        project
            .maven("nss:submit-slurm")
            .property("nss.image", Fixtures.RUNTIME_IMAGE)
            .property("nss.skipBuild", "true")
            .property("nss.gpuFlag", "");
    cluster.env().forEach(build::env);
    return build;
  }

  private static String jobId(String log) {
    Matcher m = JOB_ID.matcher(log);
    assertTrue(m.find(), "no job id in:\n" + log);
    return m.group(1);
  }

  private static Map<String, Object> report(String log) {
    return log.lines()
        .filter(l -> l.contains(REPORT))
        .findFirst()
        .map(l -> Json.object(l.substring(l.indexOf(REPORT) + REPORT.length())))
        .orElseThrow(() -> new AssertionError("no report in:\n" + log));
  }

  /**
   * The container's removal can trail the job's end by the trap's stop time: wait (bounded), then
   * check.
   */
  private static void awaitNoContainer(Engine engine, String jobId, Background maven)
      throws InterruptedException {
    String name = "nss-slurm-" + jobId;
    for (int i = 0; i < 300 && engine.containerExists(name); i++) {
      Thread.sleep(100);
    }
    assertFalse(
        engine.containerExists(name),
        () -> name + " is left behind" + (maven == null ? "" : ":\n" + maven.log()));
  }

  /**
   * The job's state once Slurm has finished ending it (COMPLETING lasts until its processes are
   * gone).
   */
  private static String finalState(String jobId) throws InterruptedException {
    String state = cluster.jobField(jobId, "JobState");
    for (int i = 0; i < 300 && (state.equals("COMPLETING") || state.equals("RUNNING")); i++) {
      Thread.sleep(100);
      state = cluster.jobField(jobId, "JobState");
    }
    return state;
  }

  private static String awaitLine(Path file, String start) throws InterruptedException {
    for (int i = 0; i < 600; i++) { // a guard against hanging, not a timing assertion
      String text = read(file);
      for (String line : text.split("\n")) {
        if (line.startsWith(start)) {
          return line;
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError(
        "no line starting with '" + start + "' in " + file + ":\n" + read(file));
  }

  static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no " + file + ": " + e + ")";
    }
  }

  /**
   * Maven started as a plain process (the invoker library waits for the end), for the cases that
   * signal it.
   */
  private static final class Background {
    private final Process process;
    private final Path log;

    private Background(Process process, Path log) {
      this.process = process;
      this.log = log;
    }

    static Background maven(SampleProject project, Map<String, String> env, String... properties)
        throws IOException {
      Path log = project.dir().resolve("target/submit-slurm-background.log");
      Files.createDirectories(log.getParent());
      List<String> argv =
          new ArrayList<>(
              List.of(
                  Path.of(ItEnv.mavenHome(), "bin", "mvn").toString(),
                  "-B",
                  "-o",
                  "-Dmaven.repo.local=" + ItEnv.repo(),
                  "-Dmaven.repo.local.tail=" + ItEnv.userRepo(),
                  "-Dnss.image=" + Fixtures.RUNTIME_IMAGE,
                  "-Dnss.skipBuild=true",
                  "-Dnss.gpuFlag="));
      argv.addAll(List.of(properties));
      argv.add("nss:submit-slurm");
      ProcessBuilder pb =
          new ProcessBuilder(argv)
              .directory(project.dir().toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
      pb.environment().put("LANG", "C.UTF-8");
      pb.environment().putAll(env);
      return new Background(pb.start(), log);
    }

    /** Waits until the program in the job's container has reported; returns the job id. */
    String awaitRunningJob() throws InterruptedException {
      for (int i = 0; i < 1200; i++) { // a guard against hanging, not a timing assertion
        String text = log();
        Matcher m = JOB_ID.matcher(text);
        if (m.find() && text.contains(REPORT)) {
          return m.group(1);
        }
        assertTrue(process.isAlive(), () -> "Maven ended before its job ran:\n" + log());
        Thread.sleep(100);
      }
      throw new AssertionError("the job did not start:\n" + log());
    }

    /** SIGINT to Maven's JVM, as Ctrl-C in a terminal. */
    void interrupt() throws IOException, InterruptedException {
      new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor();
    }

    int awaitExit() throws InterruptedException {
      if (!process.waitFor(300, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("Maven did not end:\n" + log());
      }
      return process.exitValue();
    }

    String log() {
      return read(log);
    }

    void destroy() {
      process.destroyForcibly();
    }
  }
}
