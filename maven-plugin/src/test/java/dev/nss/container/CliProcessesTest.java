package dev.nss.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliProcessesTest {

  @TempDir Path tmp;
  final List<List<String>> seen = new ArrayList<>();

  /** A seam that records each argv, in an environment with JVM options and without BuildKit. */
  private CliProcesses processes() {
    return new CliProcesses(
        argv -> {
          seen.add(argv);
          ProcessBuilder pb = new ProcessBuilder(argv);
          pb.environment().put("JAVA_TOOL_OPTIONS", "-Dx=1");
          pb.environment().put("JDK_JAVA_OPTIONS", "-Dy=1");
          pb.environment().remove("DOCKER_BUILDKIT");
          return pb;
        },
        tmp,
        Map.of("DOCKER_CONFIG", "/tmp/nss-registry-1"));
  }

  @Test
  void aKeeperIsMadeThroughTheSeamWithTheEnvironmentOfItsCreate() {
    List<String> create = List.of("docker", "create", "--name", "n", "img");

    ProcessBuilder keeper = processes().keeper(create, Duration.ofSeconds(7));

    assertEquals(List.of(keeper.command()), seen, "one process, made through the seam");
    assertEquals(
        RunKeeper.command("docker", create, CliProcesses.setsid(), Duration.ofSeconds(7)),
        keeper.command());
    assertEquals(tmp.toFile(), keeper.directory());
    assertEquals("1", keeper.environment().get("DOCKER_BUILDKIT"), "docker's, for its create");
    assertEquals("/tmp/nss-registry-1", keeper.environment().get("DOCKER_CONFIG"));
    assertFalse(keeper.environment().containsKey("JAVA_TOOL_OPTIONS"), "its JVM would say so");
    assertFalse(keeper.environment().containsKey("JDK_JAVA_OPTIONS"));
  }

  @Test
  void aPodmanKeeperGetsNoDockerVariables() {
    ProcessBuilder keeper =
        processes().keeper(List.of("podman", "create", "img"), Duration.ofSeconds(7));

    assertFalse(keeper.environment().containsKey("DOCKER_BUILDKIT"));
    assertEquals("/tmp/nss-registry-1", keeper.environment().get("DOCKER_CONFIG"));
  }

  @Test
  void anInterruptedThreadStartsNoCommandToWaitFor() throws Exception {
    Path ran = tmp.resolve("ran");
    Thread.currentThread().interrupt();
    try {
      assertThrows(
          InterruptedException.class,
          () -> CliProcesses.exitsZero(new ProcessBuilder("touch", ran.toString()), 60));
    } finally {
      Thread.interrupted();
    }
    Thread.sleep(500);
    assertFalse(Files.exists(ran), "nothing was started");
  }
}
