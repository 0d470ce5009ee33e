package dev.nss.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** slurm: against fake Slurm commands on PATH and canned answers (22.05's output). */
class SlurmCheckTest {

  @TempDir Path tmp;
  private TestHost host;

  @BeforeEach
  void setUp() {
    host = new TestHost(tmp);
  }

  @Test
  void missingCommandsAreNamed() throws Exception {
    host.program("sbatch");
    Finding f = new SlurmCheck().run(host.context());
    assertEquals(
        Finding.error(
            "not on PATH: scontrol, sinfo, scancel",
            "install the Slurm client commands (Debian: apt-get install slurm-client) and set SLURM_CONF to the cluster's"
                + " slurm.conf if it is not in /etc/slurm"),
        f);
  }

  @Test
  void aControllerThatIsDownIsAnErrorNamingSlurmConf() throws Exception {
    commands();
    host.env.put("SLURM_CONF", "/tmp/c/slurm.conf");
    host.runner.answer("scontrol ping", 1, "Slurmctld(primary) at vm is DOWN\n", "");
    Finding f = new SlurmCheck().run(host.context());
    assertEquals(Status.ERROR, f.status());
    assertEquals(
        "the controller does not answer: Slurmctld(primary) at vm is DOWN (exit status 1)",
        f.value());
    assertTrue(f.fix().contains("(now /tmp/c/slurm.conf)"), f.fix());
  }

  @Test
  void partitionsWithTheirNodesAndGpusAreReported() throws Exception {
    commands();
    host.runner.answer("scontrol ping", 0, "Slurmctld(primary) at vm is UP\n", "");
    host.runner.answer(
        "sinfo --noheader --format=%P %D %G %t", 0, "debug* 1 gpu:2 idle\ncpu 4 (null) mix\n", "");
    assertEquals(
        Finding.ok(
            "controller UP; partitions: debug* (1 node idle, gres gpu:2), cpu (4 nodes mix, gres"
                + " (null))"),
        new SlurmCheck().run(host.context()));
  }

  @Test
  void aClusterWithoutGpusIsAWarning() throws Exception {
    commands();
    host.runner.answer("scontrol ping", 0, "Slurmctld(primary) at vm is UP\n", "");
    host.runner.answer("sinfo --noheader --format=%P %D %G %t", 0, "cpu* 4 (null) idle\n", "");
    Finding f = new SlurmCheck().run(host.context());
    assertEquals(Status.WARNING, f.status());
    assertTrue(f.fix().contains("-Dnss.slurm.gpus=0"), f.fix());
  }

  private void commands() {
    for (String command : SlurmCheck.COMMANDS) {
      host.program(command);
    }
  }

  @Test
  void anSinfoThatFailsUnderAnAnsweringControllerIsAWarning() throws Exception {
    commands();
    host.runner.answer("scontrol ping", 0, "Slurmctld(primary) at vm is UP\n", "");
    host.runner.answer(
        "sinfo --noheader --format=%P %D %G %t", 1, "", "sinfo: error: Invalid user\n");
    assertEquals(
        Finding.warning(
            "controller UP, but sinfo sinfo: error: Invalid user (exit status 1)",
            "run sinfo yourself to see why"),
        new SlurmCheck().run(host.context()));
  }
}
