package dev.nss.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nss.engine.ContainerCliLocator;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildStopTest {

  @TempDir Path tmp;

  /**
   * A podman build is stopped through its children (the RUN step), so that buildah fails the step
   * and cleans up.
   */
  @Test
  void aPodmanBuildIsStoppedByKillingItsChildren() throws Exception {
    // Stands in for podman build: it ignores SIGTERM (as buildah would leave litter on it) and ends
    // when its child dies.
    Process build =
        new ProcessBuilder(
                "sh", "-c", "trap '' TERM; sleep 300 & wait $!; echo step failed; exit 1")
            .redirectErrorStream(true)
            .start();
    Thread.sleep(300);
    List<ProcessHandle> children = build.descendants().toList();
    assertFalse(children.isEmpty());
    BuildStop.stop(build, "/usr/bin/podman");
    assertFalse(build.isAlive());
    assertEquals(1, build.exitValue(), "the build ended by its failed step, not by a signal");
    for (ProcessHandle child : children) {
      child.onExit().get(5, TimeUnit.SECONDS);
    }
  }

  /**
   * A build that has just ended on its own keeps what it printed last for the goal's reader: the
   * stop does not close its output (it did, through {@link Process#destroy}, and the log lost
   * buildah's clean-up report to "Stream closed").
   */
  @Test
  void aStopLeavesTheLastOutputToTheReader() throws Exception {
    Process build = new ProcessBuilder("sh", "-c", "echo 'removed working container'").start();
    assertEquals(0, build.waitFor());
    BuildStop.stop(build, "podman");
    assertEquals(
        "removed working container\n",
        new String(build.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
  }

  /** Stopping a build does not swallow an interrupt of the goal's thread. */
  @Test
  void aStopOnAnInterruptedThreadKeepsTheInterrupt() throws Exception {
    for (String cli : List.of("docker", "podman")) {
      Process build = new ProcessBuilder("sh", "-c", "trap '' TERM; sleep 300").start();
      Thread.currentThread().interrupt();
      try {
        BuildStop.stop(build, cli);
        assertTrue(Thread.currentThread().isInterrupted(), cli);
      } finally {
        Thread.interrupted();
        build.destroyForcibly().waitFor();
      }
    }
  }

  /**
   * It runs under setsid: the terminal's Ctrl-C (SIGINT to Maven's process group) does not reach
   * it.
   */
  @Test
  void aPodmanBuildRunsInASessionOfItsOwn() throws Exception {
    assumeTrue(
        ContainerCliLocator.findOnPath("setsid", System.getenv("PATH")).isPresent(),
        "no setsid here");
    Fixture f = new Fixture(tmp);
    f.answered("docker", "podman");
    f.processes.on("build", "echo \"sid=$(ps -o sid= -p $$ | tr -d ' ') pid=$$\"");
    f.cli().stream(List.of("podman", "build", "."));
    String line = f.log.get(1);
    assertEquals(
        line.substring(line.indexOf("pid=") + 4), line.substring(4, line.indexOf(' ')), line);
    f.log.clear();
    f.cli().stream(List.of("docker", "build", "."));
    line = f.log.get(1);
    assertFalse(
        line.substring(line.indexOf("pid=") + 4).equals(line.substring(4, line.indexOf(' '))),
        line);
  }
}
