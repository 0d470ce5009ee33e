package dev.nss.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nss.container.RunSpec;
import dev.nss.core.InvalidSettingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job's {@code #SBATCH} options from the settings, and the values no job script can carry. */
class JobValidatorTest {

  @TempDir Path tmp;

  @Test
  void aPlainJobHasOneOutputFilePerJobAndNoArray() throws Exception {
    JobSpec job = job(new SlurmSettings().error(" /logs/err-%j.log "));
    assertEquals(
        List.of(
            "--job-name=nss-run",
            "--gpus=1",
            "--output=" + tmp.resolve("target/nss-slurm/%x-%j.out"),
            "--error=/logs/err-%j.log",
            "--chdir=" + tmp,
            "--export=NONE"),
        job.options());
    assertEquals(List.of(List.of("run")), job.taskCommands());
  }

  @Test
  void twoConfigFilesMakeAnArrayWithAnOutputFilePerTask() throws Exception {
    Files.createDirectories(tmp.resolve("conf"));
    Files.writeString(tmp.resolve("conf/a.yaml"), "a: 1\n");
    Files.writeString(tmp.resolve("b.yaml"), "b: 1\n");
    JobSpec job =
        job(
            new SlurmSettings()
                .gpus("0")
                .arrayConfigs(List.of(" conf/a.yaml", "./b.yaml"))
                .arrayLimit("1")
                .directives("--exclusive --mail-type=END"));
    assertEquals(
        List.of(
            "--job-name=nss-run",
            "--output=" + tmp.resolve("target/nss-slurm/%x-%A_%a.out"),
            "--chdir=" + tmp,
            "--export=NONE",
            "--array=0-1%1",
            "--exclusive",
            "--mail-type=END"),
        job.options());
    assertEquals(
        List.of(List.of("run", "--config", "conf/a.yaml"), List.of("run", "--config", "b.yaml")),
        job.taskCommands());
  }

  @Test
  void aConfigFileThatIsNoFileOrNoNameIsRefused() {
    assertEquals(
        "nss.slurm.arrayConfigs: "
            + tmp.resolve("missing.yaml")
            + " is not a file. Create it or"
            + " fix the path.",
        refused(new SlurmSettings().arrayConfigs(List.of("missing.yaml"))));
    assertEquals(
        "nss.slurm.arrayConfigs: has an empty entry. Remove it or name a file.",
        refused(new SlurmSettings().arrayConfigs(List.of(" "))));
  }

  @Test
  void aBackslashAnywhereInAPathForSbatchIsRefused() {
    assertEquals(
        "nss.slurm.output: \\out.log holds a backslash, which sbatch reads as an escape in the job"
            + " script's #SBATCH lines. Set -Dnss.slurm.output to a path without control characters"
            + " and backslashes.",
        refused(new SlurmSettings().output("\\out.log")));
    InvalidSettingException build =
        assertThrows(
            InvalidSettingException.class,
            () ->
                JobValidator.job(
                    new SlurmSettings(), tmp, tmp.resolve("tar\\get"), List.of("run"), List.of()));
    assertEquals(
        "The build directory (project.build.directory): "
            + tmp.resolve("tar\\get")
            + " holds a backslash, which sbatch reads as an escape in the job script's #SBATCH"
            + " lines. Set <build><directory> to a path without control characters and"
            + " backslashes (the job script and its output go there).",
        build.getMessage());
  }

  @Test
  void everyValueOfTheRunThatTheScriptHoldsIsCheckedForControlCharacters() {
    assertEquals(
        "nss.containerCli: dock<U+000A>er holds a control character (U+000A), which the job"
            + " script cannot carry (a newline would end its #SBATCH lines). Set -Dnss.containerCli to the"
            + " CLI's path.",
        refusedRun(
            r ->
                run(
                    "dock\ner",
                    r.image(),
                    r.platform(),
                    r.shmSize(),
                    List.of(),
                    List.of(),
                    List.of(),
                    r.entrypoint())));
    assertRefused(
        "nss.image: ",
        r ->
            run(
                r.cli(),
                "img\r",
                r.platform(),
                r.shmSize(),
                List.of(),
                List.of(),
                List.of(),
                r.entrypoint()));
    assertRefused(
        "nss.platform: ",
        r ->
            run(
                r.cli(),
                r.image(),
                "linux/amd64\t",
                r.shmSize(),
                List.of(),
                List.of(),
                List.of(),
                r.entrypoint()));
    assertRefused(
        "nss.shmSize: ",
        r ->
            run(
                r.cli(),
                r.image(),
                r.platform(),
                "1g\u0000",
                List.of(),
                List.of(),
                List.of(),
                r.entrypoint()));
    assertRefused(
        "nss.user: ",
        r ->
            run(
                r.cli(),
                r.image(),
                r.platform(),
                r.shmSize(),
                List.of("--user", "1000\n"),
                List.of(),
                List.of(),
                r.entrypoint()));
    assertRefused(
        "nss.extraMounts: ",
        r ->
            run(
                r.cli(),
                r.image(),
                r.platform(),
                r.shmSize(),
                List.of(),
                List.of("-v", "/a\n:/b"),
                List.of(),
                r.entrypoint()));
    assertRefused(
        "An environment variable passed to the container: ",
        r ->
            run(
                r.cli(),
                r.image(),
                r.platform(),
                r.shmSize(),
                List.of(),
                List.of(),
                List.of("A\u001bB"),
                r.entrypoint()));
    assertRefused(
        "The entrypoint: ",
        r ->
            run(
                r.cli(),
                r.image(),
                r.platform(),
                r.shmSize(),
                List.of(),
                List.of(),
                List.of(),
                "/bin/sh\n"));
  }

  private void assertRefused(String start, UnaryOperator<RunSpec> change) {
    String message = refusedRun(change);
    assertEquals(start, message.substring(0, start.length()), message);
  }

  private String refusedRun(UnaryOperator<RunSpec> change) {
    RunSpec fine =
        run(
            "docker",
            "nss-gpu:latest",
            "linux/amd64",
            "1g",
            List.of(),
            List.of(),
            List.of(),
            "/entrypoint");
    try {
      ScriptValues.checkRun(fine);
    } catch (InvalidSettingException e) {
      throw new AssertionError("a run without control characters: " + e.getMessage());
    }
    return assertThrows(
            InvalidSettingException.class, () -> ScriptValues.checkRun(change.apply(fine)))
        .getMessage();
  }

  private RunSpec run(
      String cli,
      String image,
      String platform,
      String shmSize,
      List<String> userFlags,
      List<String> extraMounts,
      List<String> passEnv,
      String entrypoint) {
    return new RunSpec(
        cli,
        "nss-run-test",
        false,
        platform,
        shmSize,
        userFlags,
        null,
        tmp,
        tmp.resolve("hf"),
        passEnv,
        List.of("--gpus", "all"),
        extraMounts,
        entrypoint,
        image,
        List.of("run"));
  }

  private String refused(SlurmSettings s) {
    return assertThrows(InvalidSettingException.class, () -> job(s)).getMessage();
  }

  private JobSpec job(SlurmSettings s) throws InvalidSettingException {
    return JobValidator.job(s, tmp, tmp.resolve("target"), List.of("run"), List.of());
  }
}
