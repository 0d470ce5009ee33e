package dev.nss.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nss.core.CommandFailedException;
import dev.nss.core.CommandResult;
import dev.nss.core.InvalidSettingException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A refusal of {@code sbatch --test-only}, as sbatch words it, becomes the setting to fix. */
class PreflightTest {

  private static final Path SCRIPT = Path.of("/p/target/nss-slurm/nss-run.sh");
  private static final String REFUSED =
      "sbatch --test-only " + SCRIPT + " refused the job (sbatch: error: ";

  private final JobSpec job =
      new JobSpec(
          "nss-run",
          null,
          List.of("--job-name=nss-run"),
          List.of(List.of("run")),
          true,
          Duration.ofSeconds(30),
          false,
          SCRIPT);

  @Test
  void aTimeoutNamesTheControllerAndTheCommandTimeout() {
    CommandFailedException e =
        assertThrows(
            CommandFailedException.class,
            () ->
                Preflight.reject(
                    CommandResult.timedOut(Duration.ofSeconds(30), "", ""),
                    new SlurmSettings(),
                    job));
    assertEquals(
        "sbatch --test-only timed out after 30s: the Slurm controller did not answer in time."
            + " Check it with `scontrol ping`, or raise nss.slurm.commandTimeout.",
        e.getMessage());
    assertEquals(-1, e.exitCode());
  }

  @Test
  void eachRefusalNamesItsSettingAndValue() {
    assertEquals(
        "nss.slurm.partition: "
            + REFUSED
            + "invalid partition specified: gpu (exit status 1)); partition 'gpu' does not exist."
            + " Set -Dnss.slurm.partition to a partition `sinfo` lists, or leave it unset for the"
            + " default partition.",
        refused("invalid partition specified: gpu", new SlurmSettings().partition("gpu")));
    assertEquals(
        "nss.slurm.account: "
            + REFUSED
            + "Invalid account or account/partition combination specified (exit status 1)) for"
            + " 'lab'. Set -Dnss.slurm.account to an account you may charge (`sacctmgr show assoc"
            + " user=$USER`).",
        refused(
            "Invalid account or account/partition combination specified",
            new SlurmSettings().account("lab")));
    assertEquals(
        "nss.slurm.account: "
            + REFUSED
            + "Invalid account or account/partition combination specified (exit status 1)) for ''."
            + " Set -Dnss.slurm.account to an account you may charge (`sacctmgr show assoc"
            + " user=$USER`).",
        refused("Invalid account or account/partition combination specified", new SlurmSettings()));
    assertEquals(
        "nss.slurm.qos: "
            + REFUSED
            + "Invalid qos specification (exit status 1)) for 'high'. Set -Dnss.slurm.qos to a QOS"
            + " of your association.",
        refused("Invalid qos specification", new SlurmSettings().qos("high")));
    assertEquals(
        "nss.slurm.time: "
            + REFUSED
            + "Requested time limit is invalid (missing or exceeds some limit) (exit status 1))"
            + " for '9-00:00:00'. Set -Dnss.slurm.time to a time limit within the partition's"
            + " MaxTime.",
        refused(
            "Requested time limit is invalid (missing or exceeds some limit)",
            new SlurmSettings().time("9-00:00:00")));
    assertEquals(
        "nss.slurm.gpus: "
            + REFUSED
            + "Invalid generic resource (gres) specification (exit status 1)) for 'a100:2'. Set"
            + " -Dnss.slurm.gpus to a GPU count (or type:count) the nodes have.",
        refused(
            "Invalid generic resource (gres) specification", new SlurmSettings().gpus("a100:2")));
    assertEquals(
        "nss.slurm.constraint: "
            + REFUSED
            + "Invalid feature specification (exit status 1)) for 'h100'. Set"
            + " -Dnss.slurm.constraint to features the nodes have (`sinfo -o %f`).",
        refused("Invalid feature specification", new SlurmSettings().constraint("h100")));
  }

  @Test
  void aRefusalInStdoutCountsToo() {
    InvalidSettingException e =
        assertThrows(
            InvalidSettingException.class,
            () ->
                Preflight.reject(
                    CommandResult.exited(1, "Invalid QOS specification\n", ""),
                    new SlurmSettings().qos("high"),
                    job));
    assertEquals(
        "nss.slurm.qos: sbatch --test-only "
            + SCRIPT
            + " refused the job (Invalid QOS specification (exit status 1)) for 'high'. Set"
            + " -Dnss.slurm.qos to a QOS of your association.",
        e.getMessage());
  }

  @Test
  void noNodeWithWhatWasAskedForListsEverySizeSettingThatWasSet() {
    assertEquals(
        "nss.slurm.gpus: "
            + REFUSED
            + "Requested node configuration is not available (exit status 1)); no node of"
            + " partition debug has what the job asks for (nss.slurm.gpus=4, nss.slurm.cpusPerTask=8,"
            + " nss.slurm.mem=64G, nss.slurm.constraint=a100). Ask for less, or pick another"
            + " partition; `sinfo -o '%P %c %m %G %f'` lists what the nodes have.",
        refused(
            "Requested node configuration is not available",
            new SlurmSettings()
                .partition("debug")
                .gpus("4")
                .cpusPerTask(" 8 ")
                .mem("64G")
                .constraint("a100")));
    assertEquals(
        "nss.slurm.mem: "
            + REFUSED
            + "Memory specification can not be satisfied (exit status 1)); no node of the default"
            + " partition has what the job asks for (nss.slurm.mem=1T). Ask for less, or pick"
            + " another partition; `sinfo -o '%P %c %m %G %f'` lists what the nodes have.",
        refused(
            "Memory specification can not be satisfied",
            new SlurmSettings().partition(" ").gpus("").mem("1T")));
    assertEquals(
        "nss.slurm.gpus: "
            + REFUSED
            + "Requested node configuration is not available (exit status 1)); no node of the"
            + " default partition has what the job asks for (). Ask for less, or pick another"
            + " partition; `sinfo -o '%P %c %m %G %f'` lists what the nodes have.",
        refused("Requested node configuration is not available", new SlurmSettings().gpus(null)));
  }

  @Test
  void anUnknownRefusalPointsAtTheSettingsAndTheCommand() {
    CommandFailedException e =
        assertThrows(
            CommandFailedException.class,
            () ->
                Preflight.reject(
                    CommandResult.exited(1, "", "sbatch: error: Batch job submission failed\n"),
                    new SlurmSettings(),
                    job));
    assertEquals(
        REFUSED
            + "Batch job submission failed (exit status 1)). Check the nss.slurm.* settings, or run"
            + " `sbatch --test-only "
            + SCRIPT
            + "` yourself.",
        e.getMessage());
    assertEquals(-1, e.exitCode());
  }

  /** The message of the failure for sbatch's error line {@code error} under {@code s}. */
  private String refused(String error, SlurmSettings s) {
    return assertThrows(
            InvalidSettingException.class,
            () ->
                Preflight.reject(
                    CommandResult.exited(1, "", "sbatch: error: " + error + "\n"), s, job))
        .getMessage();
  }
}
