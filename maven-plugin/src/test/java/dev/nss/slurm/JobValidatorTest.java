package dev.nss.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nss.container.RunSpec;
import dev.nss.core.InvalidSettingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
                .directives("--exclusive --mail-type=END '--comment=two words'"));
    assertEquals(
        List.of(
            "--job-name=nss-run",
            "--output=" + tmp.resolve("target/nss-slurm/%x-%A_%a.out"),
            "--chdir=" + tmp,
            "--export=NONE",
            "--array=0-1%1",
            "--exclusive",
            "--mail-type=END",
            "--comment='two words'"),
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
  void everyValueOfTheRunThatTheScriptHoldsIsCheckedForControlCharacters() throws Exception {
    ScriptValues.checkRun(runWith("", "")); // none: fine
    assertEquals(
        "nss.containerCli: dock<U+000A>er holds a control character (U+000A), which the job"
            + " script cannot carry (a newline would end its #SBATCH lines). Set"
            + " -Dnss.containerCli to the CLI's path.",
        refusedRun("cli", "dock\ner"));
    Map<String, String> settingOf = new LinkedHashMap<>();
    settingOf.put("image", "nss.image: ");
    settingOf.put("platform", "nss.platform: ");
    settingOf.put("shmSize", "nss.shmSize: ");
    settingOf.put("user", "nss.user: ");
    settingOf.put("mounts", "nss.extraMounts: ");
    settingOf.put("env", "An environment variable passed to the container: ");
    settingOf.put("entrypoint", "The entrypoint: ");
    settingOf.forEach(
        (field, start) -> {
          String message = refusedRun(field, "a\u001bb");
          assertEquals(start, message.substring(0, start.length()), message);
        });
  }

  private String refusedRun(String field, String value) {
    return assertThrows(
            InvalidSettingException.class, () -> ScriptValues.checkRun(runWith(field, value)))
        .getMessage();
  }

  /** A run whose {@code field} is {@code value}, every other value fine. */
  private RunSpec runWith(String field, String value) {
    return new RunSpec(
        field.equals("cli") ? value : "docker",
        "nss-run-test",
        false,
        field.equals("platform") ? value : "linux/amd64",
        field.equals("shmSize") ? value : "1g",
        field.equals("user") ? List.of("--user", value) : List.of(),
        null,
        tmp,
        tmp.resolve("hf"),
        field.equals("env") ? List.of(value) : List.of("HF_TOKEN"),
        List.of("--gpus", "all"),
        field.equals("mounts") ? List.of("-v", value) : List.of(),
        field.equals("entrypoint") ? value : "/entrypoint",
        field.equals("image") ? value : "nss-gpu:latest",
        List.of("run"));
  }

  private String refused(SlurmSettings s) {
    return assertThrows(InvalidSettingException.class, () -> job(s)).getMessage();
  }

  private JobSpec job(SlurmSettings s) throws InvalidSettingException {
    return JobValidator.job(s, tmp, tmp.resolve("target"), List.of("run"), List.of());
  }
}
