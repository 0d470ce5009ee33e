package dev.nss.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nss.engine.ContainerCliLocator;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Probes (read-only queries whose exit code is the answer) and streaming edge cases. */
class ContainerCliProbeTest {

  @TempDir Path tmp;
  Fixture f;

  @BeforeEach
  void setUp() throws Exception {
    f = new Fixture(tmp);
    f.answered("docker", "podman"); // the question before a build: EngineQuestionTest
  }

  private ContainerCli cli(boolean dryRun) {
    return new ContainerCli(f.processes, f.project, f.log::add, dryRun, System.err, null);
  }

  @Test
  void probeAnswersWithTheExitCode() {
    f.processes.on("absent", "exit 1");

    assertTrue(cli(false).probe(List.of("docker", "present", "x")));
    assertFalse(cli(false).probe(List.of("docker", "absent", "x")));
    assertEquals(
        List.of(List.of("docker", "present", "x"), List.of("docker", "absent", "x")),
        f.processes.calls);
  }

  @Test
  void probeOfACliThatCannotStartIsFalse() {
    String missing = tmp.resolve("no-such-cli").toString();
    ContainerCli cli =
        new ContainerCli(ProcessBuilder::new, f.project, f.log::add, false, System.err, null);

    assertFalse(cli.probe(List.of(missing, "version")));
  }

  @Test
  void dryRunProbeRunsNothingAndAssumesYes() {
    assertTrue(cli(true).probe(List.of("docker", "image", "inspect", "img")));
    assertEquals(List.of(), f.processes.calls);
  }

  @Test
  void onlyPodmanBuildsGetASessionOfTheirOwn() throws Exception {
    cli(false).stream(List.of("podman", "push", "img"));
    cli(false).stream(List.of("docker", "build", "."));

    assertEquals("sh", f.processes.builders.get(0).command().get(0));
    assertEquals("sh", f.processes.builders.get(1).command().get(0));

    cli(false).stream(List.of("podman", "build", "."));
    String expected =
        ContainerCliLocator.findOnPath("setsid", System.getenv("PATH"))
            .map(Path::toString)
            .orElse("sh");
    assertEquals(expected, f.processes.builders.get(2).command().get(0));
  }
}
