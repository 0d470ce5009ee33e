package dev.nss.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nss.core.ShellWords;
import dev.nss.slurm.JobScript;
import dev.nss.slurm.JobSpec;
import dev.nss.slurm.JobValidator;
import dev.nss.slurm.SlurmSettings;
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
 * One plan, three uses: the real run, the dry run and the Slurm job script of run-gpu (with GPUs,
 * the user mapping, a secret by name and extra mounts) all come from the same {@link Plan}.
 */
class PlanAgreementTest {

  @TempDir Path tmp;
  Fixture f;
  Plan plan;

  @BeforeEach
  void setUp() throws Exception {
    f = new Fixture(tmp);
    GoalSettings settings =
        f.settings()
            .gpuFlag("--gpus all")
            .user("auto")
            .hostUser(1001, 127)
            .environment(Map.of("HF_TOKEN", "hf_secret_value"))
            .extraMounts("-v '/data dir:/data:ro'")
            .cmdLine("run --config 'my config.yaml'");
    plan = ContainerRuns.gpu(settings, false, true);
  }

  @Test
  void thePlanIsDataEndingInItsRun() {
    assertEquals(3, plan.steps().size(), plan.toString());
    Step.Pull pull = (Step.Pull) plan.steps().get(0);
    assertEquals(
        new Step.Pull("docker", "nss-gpu:latest", "linux/amd64", PullPolicy.MISSING, false), pull);
    Step.MakeDirs dirs = (Step.MakeDirs) plan.steps().get(1);
    assertEquals(List.of(f.hfCache, f.project.resolve(".hf_cache")), dirs.dirs());
    RunSpec run = ((Step.Run) plan.steps().get(2)).spec();
    assertEquals(run, plan.run().orElseThrow());
    assertEquals(List.of("--user", "1001:127", "-e", "HOME=/tmp"), run.userFlags());
    assertEquals(List.of("HF_TOKEN"), run.passEnv());
    assertEquals(List.of("--gpus", "all"), run.gpuFlags());
    assertEquals(Plan.of(dirs), plan.beforeRun(), "the pull belongs to the machine that runs");
  }

  @Test
  void theDryRunPrintsExactlyWhatTheRealRunRuns() throws Exception {
    f.goals().runner().run(plan);
    List<String> create = f.processes.verbs("create").get(0);
    List<String> start = f.processes.verbs("start").get(0);
    List<String> real = new ArrayList<>(f.log);

    f.log.clear();
    f.dryRun = true;
    f.goals().runner().run(plan);
    assertEquals(
        List.of(
            ShellWords.quote(Commands.securityOptions("docker")), // asked in a dry run too
            "docker image inspect --format '{{.Id}}' nss-gpu:latest", // so is the local store
            "[nss] nss-gpu:latest is in the local image store: not pulled (nss.pull=missing)",
            "[dry-run] mkdir -p " + f.hfCache + " " + f.project.resolve(".hf_cache"),
            "[dry-run] " + ShellWords.quote(create),
            "[dry-run] " + ShellWords.quote(Commands.start("docker", "nss-run-test", false))),
        f.log);
    assertTrue(real.contains(ShellWords.quote(create)), real.toString());
    assertTrue(real.contains(ShellWords.quote(start)), real.toString());
    assertTrue(String.join("\n", f.log).indexOf("hf_secret_value") < 0, "secrets by name only");
  }

  @Test
  void theJobScriptRunsTheRealRunWithTheJobsNameAndGpus() throws Exception {
    f.goals().runner().run(plan);
    List<String> create = f.processes.verbs("create").get(0);

    RunSpec run = plan.run().orElseThrow();
    JobSpec job =
        JobValidator.job(
            new SlurmSettings(),
            run.workspace(),
            f.project.resolve("target"),
            run.cmd(),
            List.of());
    List<String> fromScript = runScript(JobScript.render(job, run));

    // The create's argv as `run`, without the owner labels, with the job's name and GPUs, and
    // pulling as the engine does by default: the node may not have the image.
    List<String> expected = new ArrayList<>(create);
    expected.set(1, "run");
    expected.remove("--pull=never");
    for (int i = expected.indexOf("--label"); i >= 0; i = expected.indexOf("--label")) {
      expected.subList(i, i + 2).clear();
    }
    expected.set(expected.indexOf("nss-run-test"), "nss-slurm-41");
    int gpus = expected.indexOf("--gpus");
    expected.set(gpus + 1, "\"device=1,3\"");
    assertEquals(expected, fromScript);
    assertTrue(fromScript.containsAll(List.of("-e", "HF_TOKEN", "-v", "/data dir:/data:ro")));
  }

  /** Runs the script with bash, a fake {@code docker} first on PATH; returns the argv it got. */
  private List<String> runScript(String script) throws Exception {
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Path cli = bin.resolve("docker");
    Files.writeString(
        cli, "#!/bin/sh\nfor a in \"$0\" \"$@\"; do printf '%s\\0' \"$a\"; done > \"$ARGV_OUT\"\n");
    cli.toFile().setExecutable(true);
    Path file = tmp.resolve("job.sh");
    Files.writeString(file, script, StandardCharsets.UTF_8);
    Path out = tmp.resolve("argv");
    ProcessBuilder pb = new ProcessBuilder("bash", file.toString()).redirectErrorStream(true);
    pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    pb.environment().put("SLURM_JOB_ID", "41");
    pb.environment().put("SLURM_JOB_GPUS", "1,3");
    pb.environment().put("ARGV_OUT", out.toString());
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), output);
    String raw = Files.readString(out, StandardCharsets.UTF_8);
    List<String> argv =
        new ArrayList<>(List.of(raw.substring(0, raw.length() - 1).split("\0", -1)));
    argv.set(0, "docker"); // $0 is the fake's path
    return argv;
  }
}
