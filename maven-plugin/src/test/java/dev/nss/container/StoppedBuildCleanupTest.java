package dev.nss.container;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nss.core.CommandFailedException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When Maven is stopped during an image build, its shutdown hook removes the staged agent itself:
 * the goal's own thread may never get to its clean-up (the JVM does not wait for it).
 */
class StoppedBuildCleanupTest {

  @TempDir Path tmp;

  @Test
  void theShutdownHookRemovesTheStagedAgentWhileTheGoalsThreadIsStillBusy() throws Exception {
    Fixture f = new Fixture(tmp);
    f.processes.on("build", "echo building; exec sleep 30");
    RecordingHooks hooks = new RecordingHooks();
    CountDownLatch building = new CountDownLatch(1);
    CountDownLatch goOn = new CountDownLatch(1);
    // The goal's thread stays in the log of the build's output until the test lets it go on.
    Consumer<String> buildLog =
        line -> {
          if (!line.equals("building")) {
            return; // the command line, logged before the build starts
          }
          building.countDown();
          try {
            goOn.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        };
    ContainerCli cli =
        new ContainerCli(
            f.processes,
            f.project,
            buildLog,
            false,
            new PrintStream(OutputStream.nullOutputStream()),
            null,
            hooks);
    GoalDriver goals =
        new GoalDriver(
            cli, line -> {}, f.agentJar, StandardCharsets.UTF_8, f.platforms, Fixture.OWNER);
    CompletableFuture<Throwable> build = new CompletableFuture<>();
    Thread goal =
        new Thread(
            () -> {
              try {
                goals.buildGpu(f.settings(), false);
                build.complete(null);
              } catch (Throwable t) {
                build.complete(t);
              }
            });
    goal.start();
    try {
      assertTrue(building.await(30, TimeUnit.SECONDS), "the build printed its output");
      Path staging = f.project.resolve(AgentStager.STAGING_DIR);
      assertTrue(Files.exists(f.project.resolve(AgentStager.AGENT_PATH)), "staged for the build");

      hooks.stop();

      assertFalse(Files.exists(staging), "the hook removed the staged agent");
    } finally {
      goOn.countDown();
      goal.join(30_000);
    }
    assertInstanceOf(CommandFailedException.class, build.get(), "the stopped build failed");
  }
}
