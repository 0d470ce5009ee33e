package dev.nss.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nss.container.ContainerRuns;
import dev.nss.container.GoalSettings;
import dev.nss.container.RunSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job script, run by a real bash with a fake container CLI that records its argv: what reaches
 * the CLI is exactly run-gpu's argv with the job's container name, the allocated GPUs and the
 * task's command.
 */
class JobScriptTest {

  @TempDir Path tmp;

  @Test
  void dockerGetsTheAllocatedGpusAsOneDeviceRequestAndTheArgumentsByteExact() throws Exception {
    Path cli = fakeCli("docker");
    List<String> cmd =
        List.of("", "two words", "say \"hi\"", "it's", "caf\u00e9", "$HOME", "*", "a\nb");
    String script = script(cli, cmd, new SlurmSettings(), true);
    List<String> argv = runScript(script, Map.of("SLURM_JOB_ID", "41", "SLURM_JOB_GPUS", "1,3"));
    Path project = tmp.resolve("project");
    List<String> expected =
        new java.util.ArrayList<>(
            List.of(
                cli.toString(),
                "run",
                "--rm",
                "--name",
                "nss-slurm-41",
                "--platform",
                "linux/amd64",
                "--shm-size=1g",
                "--mount",
                "type=bind,source=" + project + ",target=/workspace",
                "--mount",
                "type=bind,source=" + tmp.resolve("hf") + ",target=/workspace/.hf_cache",
                "-e",
                "HF_HOME=/workspace/.hf_cache",
                "-e",
                "DEBIAN_FRONTEND=noninteractive",
                "-e",
                "HF_TOKEN",
                "--gpus",
                "\"device=1,3\"",
                "-w",
                "/workspace",
                "nss-gpu:latest"));
    expected.addAll(cmd);
    assertEquals(expected, argv);
  }

  @Test
  void podmanGetsOneCdiDeviceForEachAllocatedGpu() throws Exception {
    Path cli = fakeCli("podman");
    String script = script(cli, List.of("run"), new SlurmSettings(), true);
    List<String> argv = runScript(script, Map.of("SLURM_JOB_ID", "7", "SLURM_JOB_GPUS", "0,1"));
    String joined = String.join(" ", argv);
    assertTrue(
        joined.contains(" --device nvidia.com/gpu=0 --device nvidia.com/gpu=1 -w /workspace "),
        joined);
    assertFalse(joined.contains("--gpus"), joined);
  }

  @Test
  void withAnEmptyGpuFlagTheContainerGetsNoGpuEvenWhereNvidiaIsTheDefaultRuntime()
      throws Exception {
    Path cli = fakeCli("docker");
    String script = script(cli, List.of("run"), new SlurmSettings(), false);
    assertTrue(
        script.contains("(not passed to the container: nss.gpuFlag is empty)"),
        "the job's log says why the allocated GPUs go unused: " + script);
    List<String> argv = runScript(script, Map.of("SLURM_JOB_ID", "8", "SLURM_JOB_GPUS", "0"));
    assertFalse(argv.contains("--gpus") || argv.contains("--device"), argv.toString());
    assertEquals(
        List.of(
            "HF_TOKEN",
            "-e",
            "NSS_GPU_REQUEST=none",
            "-e",
            "NVIDIA_VISIBLE_DEVICES=void",
            "-w",
            "/workspace"),
        argv.subList(argv.indexOf("HF_TOKEN"), argv.indexOf("HF_TOKEN") + 7));
  }

  @Test
  void aJobWithoutGpusRunsTheContainerWithNone() throws Exception {
    Path cli = fakeCli("podman");
    String script = script(cli, List.of("run"), new SlurmSettings().gpus("0"), true);
    assertFalse(script.contains("--gpus="), script);
    assertFalse(script.contains("not passed to the container"), script);
    List<String> argv = runScript(script, Map.of("SLURM_JOB_ID", "8"));
    assertEquals(
        List.of("HF_TOKEN", "-e", "NVIDIA_VISIBLE_DEVICES=void", "-w", "/workspace"),
        argv.subList(argv.indexOf("HF_TOKEN"), argv.indexOf("HF_TOKEN") + 5));
  }

  @Test
  void aJobThatAskedForGpusButWasNotToldWhichFailsInsteadOfUsingCudaVisibleDevices()
      throws Exception {
    Path cli = fakeCli("docker");
    String script = script(cli, List.of("run"), new SlurmSettings(), true);
    assertFalse(script.contains("CUDA_VISIBLE_DEVICES:"), script);
    Path file = tmp.resolve("job.sh");
    Files.writeString(file, script, StandardCharsets.UTF_8);
    ProcessBuilder pb = new ProcessBuilder("bash", file.toString()).redirectErrorStream(true);
    pb.environment().remove("SLURM_JOB_GPUS");
    pb.environment().put("SLURM_JOB_ID", "9");
    pb.environment().put("CUDA_VISIBLE_DEVICES", "0"); // job-relative under ConstrainDevices
    pb.environment().put("ARGV_OUT", tmp.resolve("argv").toString());
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(JobScript.NO_GPUS_KNOWN, p.waitFor(), output);
    assertEquals(
        "[nss-slurm] job 9 asked for GPUs, but Slurm did not say which (SLURM_JOB_GPUS is"
            + " unset): not starting the container rather than guessing (CUDA_VISIBLE_DEVICES"
            + " counts the job's GPUs, not the host's). The cluster's gres.conf must name the GPU"
            + " device files (File=/dev/nvidia[0-N]).\n",
        output);
    assertFalse(Files.exists(tmp.resolve("argv")), "no container command ran");
  }

  @Test
  void theContainerGetsTheJobsMemoryAndCpuLimits() throws Exception {
    Path cli = fakeCli("docker");
    String script = script(cli, List.of("run"), new SlurmSettings(), true);
    Map<String, List<String>> cases =
        Map.of(
            "node",
            limits(script, Map.of("SLURM_MEM_PER_NODE", "2048", "SLURM_CPUS_PER_TASK", "4")),
            "cpu",
            limits(script, Map.of("SLURM_MEM_PER_CPU", "512", "SLURM_CPUS_ON_NODE", "3")),
            "none",
            limits(script, Map.of("SLURM_MEM_PER_NODE", "", "SLURM_CPUS_PER_TASK", "x")));
    assertEquals(List.of("--memory=2048m", "--cpus=4", "--gpus"), cases.get("node"));
    assertEquals(List.of("--memory=1536m", "--gpus"), cases.get("cpu"));
    assertEquals(List.of("--gpus"), cases.get("none"));
  }

  /** The words between the passed secret's name and the GPU flags' value. */
  private List<String> limits(String script, Map<String, String> env) throws Exception {
    Map<String, String> all = new java.util.HashMap<>(env);
    all.put("SLURM_JOB_ID", "10");
    all.put("SLURM_JOB_GPUS", "1");
    List<String> argv = runScript(script, all);
    return argv.subList(argv.indexOf("HF_TOKEN") + 1, argv.indexOf("\"device=1\""));
  }

  @Test
  void eachArrayTaskRunsItsOwnCommand() throws Exception {
    Path cli = fakeCli("docker");
    SlurmSettings s =
        new SlurmSettings().array(List.of("run --config a.yaml", "run --config 'b c.yaml'"));
    String script = script(cli, List.of("--help"), s, true);
    List<String> task1 =
        runScript(
            script, Map.of("SLURM_JOB_ID", "9", "SLURM_ARRAY_TASK_ID", "1", "SLURM_JOB_GPUS", "0"));
    assertEquals(
        List.of("nss-gpu:latest", "run", "--config", "b c.yaml"),
        task1.subList(task1.size() - 4, task1.size()));
    assertTrue(script.contains("#SBATCH --array=0-1\n"), script);
    assertTrue(
        script.contains("#SBATCH --output=" + tmp.resolve("project/target/nss-slurm/%x-%A_%a.out")),
        script);
  }

  @Test
  void theScriptNamesSecretsOnlyAndCarriesTheSbatchOptions() throws Exception {
    SlurmSettings s =
        new SlurmSettings()
            .partition("gpu")
            .account("proj1")
            .qos("high")
            .time("1-02:00:00")
            .gpus("a100:2")
            .cpusPerTask("8")
            .mem("64G")
            .constraint("a100|h100")
            .jobName("synth")
            .directives("--mail-type=END,FAIL --exclusive")
            .arrayLimit("2");
    String script = script(fakeCli("docker"), List.of("run"), s, true);
    assertTrue(
        script.contains(
            """
        #SBATCH --job-name=synth
        #SBATCH --partition=gpu
        #SBATCH --account=proj1
        #SBATCH --qos=high
        #SBATCH --time=1-02:00:00
        #SBATCH --gpus=a100:2
        #SBATCH --cpus-per-task=8
        #SBATCH --mem=64G
        #SBATCH --constraint=a100|h100
        """),
        script);
    assertTrue(script.contains("#SBATCH --export=HF_TOKEN\n"), script);
    assertTrue(script.contains("#SBATCH --mail-type=END,FAIL\n#SBATCH --exclusive\n"), script);
    assertFalse(script.contains("hf_secret"), "a secret value is in the script");
  }

  @Test
  void termStopsAndRemovesTheJobsContainerAndEndsWith143() throws Exception {
    Path cli = Files.createDirectories(tmp.resolve("bin")).resolve("docker");
    Path calls = tmp.resolve("calls");
    Path runPid = tmp.resolve("run.pid");
    Files.writeString(
        cli,
        "#!/bin/sh\necho \"$*\" >> "
            + calls
            + "\n[ \"$1\" = run ] && echo $$ > "
            + runPid
            + " && exec sleep 60\nexit 0\n");
    cli.toFile().setExecutable(true);
    Path file = tmp.resolve("job.sh");
    Files.writeString(
        file, script(cli, List.of("run"), new SlurmSettings(), true), StandardCharsets.UTF_8);
    ProcessBuilder pb = new ProcessBuilder("bash", file.toString()).redirectErrorStream(true);
    pb.environment().put("SLURM_JOB_ID", "5");
    pb.environment().put("SLURM_JOB_GPUS", "0");
    Process job = pb.start();
    for (int i = 0;
        i < 100 && !(Files.exists(calls) && Files.readString(calls).startsWith("run "));
        i++) {
      Thread.sleep(50); // until the container "runs"
    }
    new ProcessBuilder("kill", "-TERM", Long.toString(job.pid())).start().waitFor();
    assertEquals(143, job.waitFor());
    List<String> lines = Files.readAllLines(calls);
    assertEquals(
        List.of("stop -t 2 nss-slurm-5", "rm -f nss-slurm-5", "rm -f nss-slurm-5"),
        lines.subList(1, lines.size()));
    ProcessHandle.of(Long.parseLong(Files.readString(runPid).strip()))
        .ifPresent(ProcessHandle::destroy);
  }

  private Path fakeCli(String name) throws Exception {
    Path cli = Files.createDirectories(tmp.resolve("bin")).resolve(name);
    Files.writeString(
        cli, "#!/bin/sh\nfor a in \"$0\" \"$@\"; do printf '%s\\0' \"$a\"; done > \"$ARGV_OUT\"\n");
    cli.toFile().setExecutable(true);
    return cli;
  }

  private String script(Path cli, List<String> cmd, SlurmSettings slurm, boolean gpus)
      throws Exception {
    Path project = Files.createDirectories(tmp.resolve("project"));
    GoalSettings settings =
        new GoalSettings(project)
            .cli(cli.toString())
            .hfCache(tmp.resolve("hf").toString())
            .cmd(cmd)
            .environment(Map.of("HF_TOKEN", "hf_secret"))
            .containerName("nss-run-test")
            .gpuFlag(gpus ? "--gpus all" : "");
    RunSpec run = ContainerRuns.gpu(settings, false, true).run().orElseThrow();
    JobSpec job =
        JobValidator.job(slurm, project, project.resolve("target"), run.cmd(), run.passEnv());
    return JobScript.render(job, run);
  }

  /**
   * Runs the script's body with bash (as the node would) and returns the argv the fake CLI
   * received.
   */
  private List<String> runScript(String script, Map<String, String> env) throws Exception {
    Path file = tmp.resolve("job.sh");
    Files.writeString(file, script, StandardCharsets.UTF_8);
    Path out = tmp.resolve("argv");
    ProcessBuilder pb = new ProcessBuilder("bash", file.toString()).redirectErrorStream(true);
    pb.environment().putAll(env);
    pb.environment().put("ARGV_OUT", out.toString());
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), output);
    String raw = Files.readString(out, StandardCharsets.UTF_8);
    return List.of(raw.substring(0, raw.length() - 1).split("\0", -1));
  }
}
